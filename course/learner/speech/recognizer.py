"""Speech to words with timings: pocketsphinx on this machine, biased to the learner's draft.

pocketsphinx's own English language model is general and, on an interview answer, both slow
(about twice real time here) and often wrong. An answer rehearsed from a draft is mostly the
draft, so the decoder listens with a small language model built for this attempt: the draft's
sentences as trigrams, the filler words, and as single words the vocabulary of the kit's own
content (what the kit's answers, companies and lessons talk about), so words the draft did not
have can still be heard. A second, cheap pass of keyword spotting adds the fillers the decode
missed where it heard no word. benchmarks/speech_eval.py measures the gain; docs/rehearse.md
reports it.
"""

from __future__ import annotations

import functools
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from course.errors import KitError

#: What to run when pocketsphinx is missing (one line, shown by the CLI and the recorder).
INSTALL_HINT = (
    'Spoken rehearsal needs the speech extra: run  pip install -e ".[speech]"  in the kit\'s '
    "folder (or  pip install pocketsphinx), then restart the kernel."
)
#: Frames per second of pocketsphinx's front end (word times are counted in frames).
FRAME_RATE = 100
#: Word fillers the language model expects anywhere (they are words the decoder must hear).
SPOKEN_FILLERS = ("like", "you know", "sort of", "basically")
#: Hesitation sounds, given to the decoder as noises (like a breath, outside the language
#: model), so they can fall between any two words: their pronunciations in its dictionary.
#: "uh" (a bare AH) is left out: the decoder then hears the vowel of every "the" and "a" as
#: one (speech_eval: 15 false alarms in 8 rehearsals), while a real "uh" is still heard as
#: "um" or as a sound between pauses; so um and uh are reported together as "um".
HESITATIONS = {"um": "AH M", "er": "ER"}
#: The word fillers as noises too (between pauses), for when the language model's draft
#: context outweighs them: ++you_know++ is reported as "you know".
WORD_NOISES = {
    "like": "L AY K",
    "you_know": "Y UW N OW",
    "sort_of": "S AO R T AH V",
    "basically": "B EY S IH K L IY",
}
#: The model's own noises (pocketsphinx's noisedict); "[speech]" is a sound it heard as
#: speech but not as a word: between pauses, that is a hesitation too.
NOISES = "<s> SIL\n</s> SIL\n<sil> SIL\n[NOISE] +NSN+\n[SPEECH] +SPN+\n"
#: How many sides of a filler heard as a noise must be a pause for it to count (1 or 2).
QUIET_SIDES = 2
#: Longest sound between two pauses read as a hesitation (seconds).
HESITATION_SECONDS = 0.8
#: How much more a draft sentence counts than one word of the kit's vocabulary.
DRAFT_WEIGHT = 8
#: How often each filler line is counted, so a filler anywhere is a likely word.
FILLER_WEIGHT = 6
#: Whether the draft is also given with a word filler at every place in each sentence.
FILLER_VARIANTS = True
#: Decoder settings: the lattice pass (bestpath) is off: it fails on some recordings with
#: hesitations and adds little with a small language model.
DECODER: dict[str, object] = {"loglevel": "FATAL", "bestpath": False, "fillprob": 1e-4}
#: Keyword spotting, a second pass run after the decode, for fillers the decode missed (a
#: hesitation swallowed by a pause, "sort of" heard as "sort on"): each filler's threshold in
#: pocketsphinx's kws mode (lower finds more). Chosen on speech_eval's dev clips (en-us, en-gb;
#: hesitations raised from 1e5, which found no more of them there but more false ones); its
#: held-out voices only report (docs/rehearse.md).
SPOT_THRESHOLDS: dict[str, float] = {
    "um": 1e6,
    "uh": 1e6,
    "er": 1e6,
    "like": 1.0,
    "you know": 1e-5,
    "sort of": 1e-5,
    "basically": 1e-10,
}
#: A spotted filler is kept only where the decode heard no word for at least this share of it,
#: and the sound there is at least this share of the recording's speech level (not silence).
SPOT_FREE_SHARE = 0.7
SPOT_LOUDNESS = 0.1
#: Pronunciations added to the dictionary's: "sort" without its R, as British (non-rhotic)
#: speakers say it. ("of" with the vowel of "lot" was tried on dev and not kept: docs/rehearse.md.)
VARIANTS: dict[str, tuple[str, ...]] = {"sort": ("S AO T",)}
#: Shortest filler heard as a noise or spotted (seconds, by filler): shorter, it is more often
#: the vowel of a word nearby fitted at the model's least length. On speech_eval's dev clips,
#: every "er" that was one lasted 0.24 s or more and the false ones under 0.13 s; spotted
#: "like"s that were one 0.16 s or more, false ones as short as 0.11 s.
MIN_SECONDS: dict[str, float] = {"er": 0.15, "like": 0.14}
#: Quiet either side (seconds) that makes a short sound where no word was heard a hesitation.
LONE_PAUSE = 0.2
#: Two hesitations with less than this silence between them are one, drawn out ("um um").
JOINED_HESITATION = 0.15
#: The decoding modes: the learner's draft, the kit's vocabulary only, pocketsphinx's own model.
MODES = ("draft", "vocabulary", "general")

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*")
_NON_WORDS = {"<s>", "</s>", "<sil>", "[noise]", "[speech]", "(null)"}


class SpeechUnavailable(KitError):
    """pocketsphinx is not installed: the message is INSTALL_HINT."""


@dataclass(frozen=True)
class Word:
    """One recognised word and when it was said (seconds from the start of the recording)."""

    text: str
    start: float
    end: float
    #: How the language model reached the word: 3 a draft trigram, 2 a bigram, 1 a lone word
    #: (a jump out of the draft); 0 for a filler heard as a noise (not in the model).
    lback: int = 3
    #: Whether the decoder started a new sentence just before it (a jump out of the draft).
    restart: bool = False

    def as_list(self) -> list[object]:
        """[text, start, end] for JSON (what the answers file keeps)."""
        return [self.text, round(self.start, 2), round(self.end, 2)]


def available() -> bool:
    """Whether pocketsphinx can be imported (without importing it)."""
    import importlib.util

    return importlib.util.find_spec("pocketsphinx") is not None


def _pocketsphinx():  # type: ignore[no-untyped-def]
    try:
        import pocketsphinx
    except ImportError:
        raise SpeechUnavailable(INSTALL_HINT) from None
    return pocketsphinx


def tokens(text: str) -> list[str]:
    """Lower-case words as the recognizer spells them (hyphens and slashes split words)."""
    text = (text or "").lower().replace("\u2019", "'").replace("\u2018", "'")
    return _TOKEN.findall(re.sub(r"[-/\u2013\u2014_]", " ", text))


def sentences(text: str) -> list[str]:
    """A draft split into sentences (and lines), as the speaker would pause between them."""
    parts = re.split(r"(?<=[.!?])\s+|\n+", (text or "").strip())
    return [" ".join(p.split()) for p in parts if tokens(p)]


@functools.cache
def _pronunciations() -> dict[str, tuple[str, ...]]:
    """pocketsphinx's English dictionary: word -> its lines (alternatives included)."""
    path = Path(_pocketsphinx().get_model_path("en-us/cmudict-en-us.dict"))
    table: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            word = line.split(" ", 1)[0]
            table.setdefault(word.split("(", 1)[0], []).append(line.rstrip("\n"))
    return {w: tuple(lines) for w, lines in table.items()}


@functools.cache
def kit_vocabulary() -> tuple[str, ...]:
    """Every word of the kit's content files (answers, companies, lessons, quizzes), sorted."""
    import yaml

    from course.learner.content import CONTENT_DIR

    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.update(tokens(value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted(Path(CONTENT_DIR).rglob("*.yaml")):
        try:
            walk(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError):  # a broken content file is reported by its loader
            continue
    return tuple(sorted(found))


def _language_model(draft: str, folder: Path, mode: str) -> tuple[Path, Path, Path]:
    """(ARPA language model, dictionary, noise dictionary) for one attempt, in `folder`."""
    from pocketsphinx.lm import ArpaBoLM

    known = _pronunciations()
    lines: list[str] = []
    if mode == "draft":
        for sentence in sentences(draft):
            words = [w for w in tokens(sentence) if w in known]
            if words:
                lines += [" ".join(words)] * DRAFT_WEIGHT
                if FILLER_VARIANTS:
                    # The sentence with a word filler at each place, so "as an like apprentice"
                    # is a sequence the model knows rather than a jump it rarely takes.
                    lines += [
                        " ".join([*words[:i], filler, *words[i:]])
                        for i in range(len(words) + 1)
                        for filler in SPOKEN_FILLERS
                    ]
    lines += [f for f in SPOKEN_FILLERS] * FILLER_WEIGHT
    model = ArpaBoLM(text="\n".join(lines), add_start=True, discount_mass=0.5)
    vocabulary = [w for w in kit_vocabulary() if w in known]
    for word in vocabulary:
        if word not in model.grams_1:
            model.grams_1[word] = 1
    model.compute()
    lm_path = folder / "attempt.arpa"
    model.write_file(str(lm_path))
    noise_path = folder / "noise.dict"
    noise_path.write_text(
        NOISES + "".join(f"++{w}++ {p}\n" for w, p in {**HESITATIONS, **WORD_NOISES}.items()),
        encoding="utf-8",
    )
    dict_path = folder / "attempt.dict"
    needed = set(model.grams_1) - {"<s>", "</s>"}
    with dict_path.open("w", encoding="utf-8") as out:
        for word in sorted(needed):
            lines = known.get(word, ())
            for line in lines:
                out.write(line + "\n")
            for n, phones in enumerate(VARIANTS.get(word, ()), len(lines) + 1):
                out.write(f"{word}({n}) {phones}\n")
    return lm_path, dict_path, noise_path


def transcribe(pcm: bytes, draft: str = "", mode: str | None = None) -> list[Word]:
    """Words and their timings in 16 kHz mono 16-bit PCM.

    `mode` "draft" (the default when a draft is given) biases the decoder to the draft,
    "vocabulary" to the kit's vocabulary only, and "general" uses pocketsphinx's own English
    model (slow; for comparison). SpeechUnavailable when pocketsphinx is missing.
    """
    mode = mode or ("draft" if tokens(draft) else "vocabulary")
    if mode not in MODES:
        raise KitError(f"decoding mode must be one of {MODES}, got {mode!r}")
    ps = _pocketsphinx()
    from course.learner.speech.audio import SAMPLE_RATE

    with tempfile.TemporaryDirectory(prefix="cak-speech-") as tmp:
        options: dict[str, object] = {**DECODER, "samprate": SAMPLE_RATE}
        if mode != "general":
            lm_path, dict_path, noise_path = _language_model(draft, Path(tmp), mode)
            options.update(lm=str(lm_path), dict=str(dict_path), fdict=str(noise_path))
        decoder = ps.Decoder(**options)
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
        if decoder.hyp() is None:  # no path through the model: nothing recognisable was said
            return []
        words = list(_words(decoder.seg()))
        if mode != "general" and SPOT_THRESHOLDS:
            words = merge_spotted(words, spot_fillers(pcm, Path(tmp)), pcm)
        if mode != "general":
            words = lone_sounds(words, pcm)
        return tidy(words)


def _levels(pcm: bytes) -> tuple[object, float]:
    """Mean loudness of each 10 ms frame (a numpy array), and the recording's speech level."""
    import numpy as np

    samples = np.abs(np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype="<i2").astype(float))
    frames = samples[: len(samples) // 160 * 160].reshape(-1, 160).mean(axis=1)
    return frames, float(np.percentile(frames, 90)) if len(frames) else 0.0


def lone_sounds(words: list[Word], pcm: bytes) -> list[Word]:
    """The transcript with a hesitation ("um") for each short sound alone between two pauses.

    A sound (SPOT_LOUDNESS of the speech level or more) of at most HESITATION_SECONDS, with
    LONE_PAUSE of quiet either side, where the decode heard no word (SPOT_FREE_SHARE of it
    free), is a hesitation the decoder let pass as silence: "I, uh, worked".
    """
    frames, speech_level = _levels(pcm)
    loud = [float(f) >= SPOT_LOUDNESS * speech_level for f in frames]  # type: ignore[attr-defined]
    runs: list[list[int]] = []
    for n, on in enumerate(loud):
        if not on:
            continue
        if runs and n - runs[-1][1] <= 5:  # gaps under 50 ms are inside one sound
            runs[-1][1] = n + 1
        else:
            runs.append([n, n + 1])
    found = []
    quiet = LONE_PAUSE * FRAME_RATE
    for k, (a, b) in enumerate(runs):
        before = a - runs[k - 1][1] if k else quiet
        after = runs[k + 1][0] - b if k + 1 < len(runs) else quiet
        start, end = a / FRAME_RATE, b / FRAME_RATE
        if before < quiet or after < quiet or not 0.1 <= end - start <= HESITATION_SECONDS:
            continue
        busy = sum(max(0.0, min(end, w.end) - max(start, w.start)) for w in words)
        if busy <= (1 - SPOT_FREE_SHARE) * (end - start):
            found.append(Word("um", start, end, lback=0))
    return sorted([*words, *found], key=lambda w: w.start) if found else words


def tidy(words: list[Word]) -> list[Word]:
    """The words without fillers too short to be one (MIN_SECONDS) or repeating the one before.

    Only fillers heard outside the language model (lback 0: noises and spotted fillers) are
    checked; two hesitations (um, uh, er) less than JOINED_HESITATION apart count once.
    """
    out: list[Word] = []
    for word in words:
        if word.lback == 0:
            if word.end - word.start < MIN_SECONDS.get(word.text, 0.0):
                continue
            last = out[-1] if out else None
            if (
                last is not None
                and last.lback == 0
                and {last.text, word.text} <= set(HESITATIONS) | {"uh"}
                and word.start - last.end < JOINED_HESITATION
            ):
                out[-1] = Word(last.text, last.start, max(last.end, word.end), lback=0)
                continue
        out.append(word)
    return out


def spot_fillers(pcm: bytes, folder: Path) -> list[tuple[str, float, float]]:
    """(filler, start, end) for every filler pocketsphinx's keyword spotting hears in `pcm`."""
    ps = _pocketsphinx()
    from course.learner.speech.audio import SAMPLE_RATE

    path = folder / "fillers.kws"
    path.write_text("".join(f"{k} /{v:g}/\n" for k, v in SPOT_THRESHOLDS.items()), "utf-8")
    decoder = ps.Decoder(loglevel="FATAL", samprate=SAMPLE_RATE, kws=str(path))
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    return [
        (str(s.word).strip(), s.start_frame / FRAME_RATE, (s.end_frame + 1) / FRAME_RATE)
        for s in (decoder.seg() if decoder.hyp() is not None else ())
    ]


def merge_spotted(
    words: list[Word], hits: Iterable[tuple[str, float, float]], pcm: bytes
) -> list[Word]:
    """The transcript with the spotted fillers that fall where it heard no word, in order.

    A spotted filler is kept where the decode heard nothing (SPOT_FREE_SHARE of it free of
    words) and the sound is speech, not silence (SPOT_LOUDNESS); of spotted fillers that
    overlap, the longest is kept (a one-vowel "uh" fires inside most longer ones).
    """
    frames, speech_level = _levels(pcm)
    if not len(frames):  # type: ignore[arg-type]
        return words
    kept: list[tuple[str, float, float]] = []
    for text, start, end in sorted(hits, key=lambda h: h[1] - h[2]):  # longest first
        length = end - start
        if length <= 0 or text not in SPOT_THRESHOLDS:
            continue
        busy = sum(max(0.0, min(end, w.end) - max(start, w.start)) for w in words)
        if busy > (1 - SPOT_FREE_SHARE) * length:
            continue
        if any(min(end, e) > max(start, s) for _t, s, e in kept):
            continue
        level = frames[
            int(start * FRAME_RATE) : max(int(end * FRAME_RATE), 1 + int(start * FRAME_RATE))
        ]
        if not len(level) or float(level.mean()) < SPOT_LOUDNESS * speech_level:
            continue
        kept.append((text, start, end))
    spotted = []
    for text, start, end in kept:
        parts = text.split()
        step = (end - start) / len(parts)
        spotted += [
            Word(part, start + k * step, start + (k + 1) * step, lback=0)
            for k, part in enumerate(parts)
        ]
    return sorted([*words, *spotted], key=lambda w: w.start)


def _words(segments: Iterable[object]) -> Iterable[Word]:
    """Words from the decoder's segments: hesitations named, silences and noises dropped."""
    segs = [
        (
            str(s.word).split("(", 1)[0].lower(),  # type: ignore[attr-defined]
            s.start_frame / FRAME_RATE,  # type: ignore[attr-defined]
            (s.end_frame + 1) / FRAME_RATE,  # type: ignore[attr-defined]
            int(getattr(s, "lback", 3)),
        )
        for s in segments
    ]
    quiet = {"<s>", "</s>", "<sil>", ""}
    restart = False
    for n, (text, start, end, lback) in enumerate(segs):
        before = segs[n - 1][0] if n else ""
        after = segs[n + 1][0] if n + 1 < len(segs) else ""
        name = text.strip("+")
        if text == "<s>" and start > 0:
            restart = True  # a new sentence mid-recording: the decoder left the draft's order
        if text.startswith("++") and (name in HESITATIONS or name in WORD_NOISES):
            # A filler heard as a noise counts between two pauses; inside a run of words it is
            # more often the vowel of a neighbouring word (precision over recall).
            if (before in quiet) + (after in quiet) >= QUIET_SIDES:
                parts = name.split("_")
                step = (end - start) / len(parts)
                for k, part in enumerate(parts):
                    yield Word(part, start + k * step, start + (k + 1) * step, lback=0)
        elif text == "[speech]":
            if before in quiet and after in quiet and end - start <= HESITATION_SECONDS:
                yield Word("um", start, end, lback=0)
        elif text not in _NON_WORDS and not text.startswith("++"):
            yield Word(text, start, end, lback=lback, restart=restart)
            restart = False
