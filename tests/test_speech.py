"""Spoken rehearsal: filler rules, draft alignment, the analysis, the CLI, the recorder's messages.

The rules run on words with timings (no audio); the slow tests speak a short answer with
espeak-ng into a temporary WAV and run pocketsphinx on it for real.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from course.learner import speech
from course.learner.speech import audio, fillers
from course.learner.speech.align import align
from course.learner.speech.recognizer import INSTALL_HINT, Word, sentences, tokens
from course.learner.speech.report import analyse_words

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = "<script>alert(1)</script>"
DRAFT = (
    "In the long run I want to lead a team that builds tools for teachers. "
    "This role would teach me how a product is planned and shipped. "
    "In my first year I would like to own one feature from start to finish."
)
needs_speech = pytest.mark.skipif(
    not speech.available() or shutil.which("espeak-ng") is None,
    reason="needs the speech extra (pocketsphinx) and espeak-ng",
)


def timed(text: str, gaps: dict[int, float] | None = None, word: float = 0.3) -> list[Word]:
    """Words of `text` said one after another, with a silence before the words in `gaps`."""
    out, now = [], 0.5
    for i, w in enumerate(text.split()):
        now += (gaps or {}).get(i, 0.05)
        out.append(Word(w, now, now + word))
        now += word
    return out


def found(text: str, gaps: dict[int, float] | None = None) -> list[str]:
    words = text.split()
    pauses = [(gaps or {}).get(i, 0.0) for i in range(len(words))]
    return [f for _i, f in fillers.find(words, pauses)]


# --------------------------------------------------------------------------- fillers


def test_like_as_a_verb_or_a_comparison_is_not_a_filler():
    assert found("i would like to lead a team") == []
    assert found("i like working with people") == []
    assert found("it looks like a good fit") == []
    assert found("people like me need a mentor") == []
    assert found("something like that") == []


def test_like_as_a_filler_is_counted():
    assert found("and like i want to lead") == ["like"]
    assert found("like i said before") == ["like"]  # the answer opens on it
    assert found("i want to lead like a team", {4: 0.6}) == ["like"]  # after a pause
    assert found("it was like really hard") == ["like"]  # wedged before an intensifier
    assert found("i like want to help") == ["like"]  # wedged before a verb
    assert found("um like basically") == ["um", "like", "basically"]


def test_you_know_and_sort_of_only_where_they_fill():
    assert found("i want to you know lead") == ["you know"]
    assert found("do you know what i mean") == []
    assert found("you know that i lead") == []
    assert found("a sort of mentor") == []
    assert found("it was sort of hard") == ["sort of"]
    # A pause breaks "the ... sort of" and "do ... you know": the phrase starts afresh.
    assert found("the sort of mentor", {1: 0.4}) == ["sort of"]
    assert found("do you know i lead", {1: 0.4}) == ["you know"]
    assert found("uh er um") == ["uh", "er", "um"]


def test_strip_removes_fillers_and_keeps_the_rest():
    kept, index = fillers.strip(["um", "i", "would", "like", "to", "uh", "lead"])
    assert kept == ["i", "would", "like", "to", "lead"]
    assert index == [1, 2, 3, 4, 6]


# --------------------------------------------------------------------------- the draft


def test_sentences_and_tokens_read_a_draft_as_it_is_said():
    assert len(sentences(DRAFT)) == 3
    assert tokens("Customer-facing work, I'd say \u2014 twice!") == [
        "customer",
        "facing",
        "work",
        "i'd",
        "say",
        "twice",
    ]


def test_a_skipped_sentence_and_an_added_phrase_are_found():
    said = [*tokens(sentences(DRAFT)[0]), "and", "i", "also", "love", "cooking", "for", "friends"]
    said += tokens(sentences(DRAFT)[2])
    result = align(DRAFT, said)
    assert result.skipped == (sentences(DRAFT)[1],)
    (added,) = result.added
    assert added.endswith("i also love cooking for friends")
    assert result.covered == pytest.approx(2 / 3)


def test_a_few_misheard_words_do_not_make_a_sentence_skipped():
    said = tokens(DRAFT)
    said[3] = "wand"
    said[15] = "bills"
    assert align(DRAFT, said).skipped == ()


def test_speech_the_decoder_could_not_fit_to_the_draft_is_reported_off_draft():
    from course.learner.speech.align import OFF_DRAFT_WORDS, off_draft

    drafted = [Word(w, n * 0.4, n * 0.4 + 0.3) for n, w in enumerate(tokens(DRAFT)[:12])]
    # New speech, decoded as draft words out of order: lone words, a new sentence among them.
    garble = ["team", "the", "first", "lead", "i", "builds", "a", "year"]
    loose = [
        Word(w, 5 + n * 0.4, 5.3 + n * 0.4, lback=1 if n != 3 else 2, restart=n == 3)
        for n, w in enumerate(garble)
    ]
    back = [Word(w, 9 + n * 0.4, 9.3 + n * 0.4) for n, w in enumerate(tokens(DRAFT)[12:20])]
    (stretch,) = off_draft([*drafted, *loose, *back])
    assert stretch["at"] == 5.0 and stretch["heard"] == " ".join(garble)
    assert stretch["seconds"] == pytest.approx(3.1, abs=0.05)
    # Fewer lone words than the rule needs, or a filler heard as a noise: nothing reported.
    few = [Word(w.text, w.start, w.end, lback=1) for w in loose[: OFF_DRAFT_WORDS - 1]]
    assert off_draft([*drafted, *few, *back]) == []
    noises = [Word("um", 5 + n, 5.3 + n, lback=0) for n in range(OFF_DRAFT_WORDS + 2)]
    assert off_draft([*drafted, *noises, *back]) == []
    result = analyse_words([*drafted, *loose, *back], DRAFT)
    assert result["draft"]["off_draft"] == [stretch]


def test_misheard_draft_speech_that_takes_the_drafts_time_is_not_reported_off_draft():
    from course.learner.speech.align import off_draft

    words = tokens(DRAFT)
    first, second, third = (len(tokens(s)) for s in sentences(DRAFT))

    def said(texts: list[str], start: float, lback: int = 3) -> list[Word]:
        return [Word(w, start + n * 0.4, start + n * 0.4 + 0.3, lback) for n, w in enumerate(texts)]

    # Draft words 6 to 13 heard as 8 lone words in their own time: misheard, not new.
    garble = ["team", "the", "first", "lead", "i", "builds", "a", "year"]
    misheard = [*said(words[:6], 0), *said(garble, 2.4, 1), *said(words[14:], 5.6)]
    assert len(off_draft(misheard)) == 1  # without the draft: a run of lone words
    assert off_draft(misheard, DRAFT) == []
    # The same garble said in place of the whole second sentence: it replaced the draft.
    replaced = [
        *said(words[:first], 0),
        *said(garble, first * 0.4, 1),
        *said(words[first + second :], (first + 8) * 0.4),
    ]
    (stretch,) = off_draft(replaced, DRAFT)
    assert stretch["heard"] == " ".join(garble)
    assert third and analyse_words(replaced, DRAFT)["draft"]["skipped"] == [sentences(DRAFT)[1]]


def test_a_spotted_filler_counts_only_where_the_decode_heard_speech_but_no_word():
    import numpy as np

    from course.learner.speech.recognizer import merge_spotted

    # 3 s: speech 0-1 s, a sound 1.2-1.6 s, silence 1.6-2.2 s, speech 2.2-3 s.
    level = np.zeros(48000)
    level[:16000] = level[19200:25600] = level[35200:] = 4000
    pcm = (np.sin(np.arange(48000)) * level).astype("<i2").tobytes()
    words = [Word("i", 0.1, 0.5), Word("lead", 0.5, 1.0), Word("teams", 2.2, 3.0)]
    hits = [
        ("um", 1.25, 1.55),  # in the sound between the words: kept
        ("uh", 1.3, 1.4),  # inside the longer one: dropped
        ("er", 1.7, 2.1),  # in silence: dropped
        ("like", 0.5, 0.9),  # over a word the decode heard: dropped
        ("you know", 1.6, 2.0),  # over silence: dropped
    ]
    merged = merge_spotted(words, hits, pcm)
    assert [w.text for w in merged] == ["i", "lead", "um", "teams"]
    assert merged[2].lback == 0  # not from the language model: never part of an off-draft run
    assert fillers.find([w.text for w in merged]) == [(2, "um")]


def test_fillers_heard_outside_the_model_too_short_or_back_to_back_are_dropped_or_joined():
    from course.learner.speech.recognizer import MIN_SECONDS, tidy

    words = [
        Word("i", 0.1, 0.4),
        Word("um", 0.6, 0.72, lback=0),
        Word("um", 0.74, 0.9, lback=0),  # straight after the first: one drawn-out "um"
        Word("lead", 1.2, 1.5),
        Word("er", 1.8, 1.8 + MIN_SECONDS["er"] / 2, lback=0),  # too short: a vowel nearby
        Word("teams", 2.1, 2.5),
        Word("er", 3.0, 3.3, lback=0),
        Word("um", 3.8, 4.0, lback=0),  # half a second later: a second hesitation
        Word("like", 4.3, 4.35, lback=2),  # a word of the language model: never dropped
    ]
    kept = tidy(words)
    assert [w.text for w in kept] == ["i", "um", "lead", "teams", "er", "um", "like"]
    assert (kept[1].start, kept[1].end) == (0.6, 0.9)


def test_a_short_sound_alone_between_pauses_where_no_word_was_heard_is_a_hesitation():
    import numpy as np

    from course.learner.speech.recognizer import HESITATION_SECONDS, lone_sounds

    # 4 s: words 0-1 s; a sound 1.4-1.7 s alone; a long sound 2.2-3.2 s alone; words 3.25-4 s.
    level = np.zeros(64000)
    level[:16000] = level[22400:27200] = level[35200:51200] = level[52000:] = 4000
    pcm = (np.sin(np.arange(64000)) * level).astype("<i2").tobytes()
    words = [Word("i", 0.1, 0.5), Word("lead", 0.5, 1.0), Word("teams", 3.3, 4.0)]
    heard = lone_sounds(words, pcm)
    assert [(w.text, w.lback) for w in heard] == [("i", 3), ("lead", 3), ("um", 0), ("teams", 3)]
    assert heard[2].start == pytest.approx(1.4, abs=0.02)
    assert HESITATION_SECONDS < 1.0  # the 1 s sound is too long, and 50 ms from a word
    # Where the decoder heard a word, the sound is that word.
    with_word = [*words[:2], Word("we", 1.4, 1.7), words[2]]
    assert lone_sounds(with_word, pcm) == with_word


@needs_speech
def test_the_attempts_dictionary_has_the_british_fillers(tmp_path):
    from course.learner.speech.recognizer import VARIANTS, _language_model

    _lm, dictionary, _noises = _language_model("It was a sort of test.", tmp_path, "draft")
    lines = dictionary.read_text(encoding="utf-8").splitlines()
    assert "sort S AO R T" in lines
    for word, phones in VARIANTS.items():
        assert any(line.startswith(f"{word}(") and line.endswith(phones[0]) for line in lines)


# --------------------------------------------------------------------------- the analysis


def test_analysis_of_timed_words_gives_length_pace_pauses_and_fillers():
    text = "um in the long run i want to lead a team and like i want to grow"
    words = timed(text, gaps={5: 1.6})
    result = analyse_words(words, DRAFT)
    assert result["seconds"] == pytest.approx(words[-1].end - words[0].start, abs=0.05)
    assert result["words"] == 15  # the two fillers are not counted as words
    assert result["wpm"] == pytest.approx(15 / (result["seconds"] / 60), abs=1)
    assert result["length"] == "short" and result["pace"] in {"slow", "good", "fast"}
    (pause,) = result["pauses"]
    assert pause["seconds"] == pytest.approx(1.6, abs=0.01)
    assert pause["after"] == "the long run" and pause["before"] == "i want to"
    assert result["fillers"]["by_word"] == {"um": 1, "like": 1}
    assert result["fillers"]["where"][1]["context"] == "a team and [like] i want to"
    assert set(result["coach"]["criteria"]) >= {"aspiration", "concision"}
    assert result["draft"]["skipped"] == sentences(DRAFT)[1:]
    json.dumps(result)  # plain data: the answers file and --json keep it


def test_the_verdicts_follow_the_targets():
    from course.learner.speech.report import length_verdict, pace_verdict

    assert [length_verdict(s) for s in (59, 60, 90, 91)] == ["short", "good", "good", "long"]
    assert [pace_verdict(w) for w in (100, 130, 200)] == ["slow", "good", "fast"]


def test_html_report_escapes_what_was_heard():
    from course.learner.speech.view import html_report, text_report

    words = timed(f"i want {SCRIPT} to lead")
    result = analyse_words(words, f"I want to lead. {SCRIPT}")
    html = html_report(result)
    assert SCRIPT not in html and "&lt;script&gt;" in html
    assert "Length:" in text_report(result)
    result["draft"]["off_draft"] = [{"at": 65.0, "seconds": 4.0, "heard": SCRIPT}]
    html = html_report(result)
    assert SCRIPT not in html and "at 1:05, 4 s that did not follow the draft" in html


def test_every_report_says_the_recognizer_hears_other_accents_less_well():
    from course.learner.speech.view import CAVEAT, html_report, text_report

    result = analyse_words(timed("i want to lead"), "I want to lead.")
    assert "other accents less well" in CAVEAT
    assert CAVEAT in text_report(result) and CAVEAT in html_report(result)


# --------------------------------------------------------------------------- audio in


def _wav(samples: bytes, rate: int, channels: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples)
    return buffer.getvalue()


def test_wav_at_any_rate_is_read_as_16k_mono():
    import numpy as np

    tone = (np.sin(np.arange(44100) / 10) * 8000).astype("<i2")
    stereo = np.repeat(tone, 2).tobytes()
    pcm = audio.read_wav(_wav(stereo, 44100, 2))
    assert audio.seconds(pcm) == pytest.approx(1.0, abs=0.001)
    assert 7000 < audio.peak(pcm) <= 8000


def test_silence_and_short_or_broken_recordings_get_a_plain_message():
    with pytest.raises(audio.AudioProblem, match="silent"):
        audio.check(b"\0\0" * 32000)
    with pytest.raises(audio.AudioProblem, match="shorter than a second"):
        audio.check(b"\1\1" * 100)
    with pytest.raises(audio.AudioProblem, match="not a WAV file"):
        audio.read_wav(b"not a wav at all")
    with pytest.raises(audio.AudioProblem, match="16-bit"):
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(1)
            out.setframerate(16000)
            out.writeframes(b"\x80" * 16000)
        audio.read_wav(buffer.getvalue())


# --------------------------------------------------------------------------- without the extra


def test_the_cli_without_pocketsphinx_says_how_to_install_it_in_one_line(monkeypatch, capsys):
    from course.cli import rehearse

    monkeypatch.setattr(speech, "available", lambda: False)
    args = argparse.Namespace(audio="x.wav", draft=None, company_file=None, json=False)
    assert rehearse.run(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and 'pip install -e ".[speech]"' in err


def test_the_recorder_without_the_extra_says_how_to_enable_it(monkeypatch, tmp_path):
    from course.learner.answers import AnswerStore
    from course.learner.widgets import recorder

    monkeypatch.setattr(recorder, "speech_ready", lambda: INSTALL_HINT)
    widget = recorder.Recorder(AnswerStore("05-draft-your-answer", tmp_path))
    html = "".join(getattr(w, "value", "") for w in widget.widget.children)
    assert "speech extra" in html and widget.capture is None


def test_a_lesson_kernel_never_loads_pocketsphinx_until_a_recording_is_analysed(tmp_path):
    code = (
        "import sys\n"
        "from course.learner.lesson import Lesson\n"
        f"L = Lesson('05-draft-your-answer', folder={str(tmp_path)!r})\n"
        "L.rehearse()\n"
        "print([m for m in ('pocketsphinx', 'numpy') if m in sys.modules])\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "pocketsphinx" not in run.stdout


def test_the_recorder_turns_browser_errors_and_silence_into_messages(tmp_path):
    pytest.importorskip("anywidget")
    from course.learner.answers import AnswerStore
    from course.learner.widgets import recorder

    widget = recorder.Recorder(AnswerStore("06-practice-and-reflect", tmp_path))
    for reason, words in (("refused", "did not allow"), ("no-microphone", "No microphone")):
        widget._message(None, {"type": "error", "reason": reason}, [])
        assert words in widget.status.value
    widget._message(None, {"type": "start"}, [])
    widget._message(None, {"type": "chunk"}, [memoryview(b"\0\0" * 16000)] * 3)
    if speech.available():
        widget._message(None, {"type": "stop"}, [])
        assert "silent" in widget.status.value
    assert widget.value["attempts"] == []


# --------------------------------------------------------------------------- real audio


def espeak(text: str, path: Path, voice: str = "en-us", speed: int = 150) -> Path:
    """espeak-ng saying `text`, saved as 16 kHz mono WAV at `path`."""
    raw = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "--stdout", text],
        check=True,
        capture_output=True,
    ).stdout
    return audio.write_wav(path, audio.read_wav(raw))


@pytest.mark.slow
@needs_speech
def test_a_spoken_answer_is_transcribed_timed_and_checked_against_the_draft(tmp_path):
    first, second, third = sentences(DRAFT)
    wav = espeak(f"{first} Um, {third}", tmp_path / "answer.wav")
    result = speech.analyse(wav, DRAFT)
    pcm = audio.read_wav(wav)
    assert result["recording_seconds"] == pytest.approx(audio.seconds(pcm), abs=0.1)
    assert result["seconds"] <= result["recording_seconds"]
    heard = set(result["transcript"].split())
    assert len(heard & set(tokens(first + " " + third))) >= 0.7 * len(set(tokens(first + third)))
    assert result["draft"]["skipped"] == [second]
    assert result["decoding"] == "draft"


@pytest.mark.slow
@needs_speech
def test_the_rehearse_command_prints_the_analysis_as_json(tmp_path):
    wav = espeak(DRAFT, tmp_path / "answer.wav")
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "course", "rehearse", str(wav), "--draft", str(draft), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["draft"]["skipped"] == [] and result["wpm"] > 80
    text = subprocess.run(
        [sys.executable, "-m", "course", "rehearse", str(wav)], capture_output=True, text=True
    )
    assert text.returncode == 0 and "Length:" in text.stdout
