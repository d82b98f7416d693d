"""One attempt's feedback as plain data: timing, pace, pauses, fillers, the draft, the coach.

`analyse` takes a recording (WAV path, WAV bytes or 16 kHz mono PCM); `analyse_words` takes
words with timings (what `analyse` gets from the recognizer), so the rules are tested without
audio. Both return a JSON-ready mapping: the recorder shows it, the answers file keeps it,
`python -m course rehearse --json` prints it.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Mapping, Sequence
from typing import Any

from course.learner.speech import audio, fillers
from course.learner.speech.align import align, off_draft
from course.learner.speech.recognizer import Word, transcribe
from course.speaking import ADVISED_MAX_SECONDS, ADVISED_MIN_SECONDS, WORDS_PER_MINUTE

#: A silence between words at least this long (seconds) is a long pause worth showing.
LONG_PAUSE = 1.0
#: Comfortable interview pace in words a minute, around the kit's 130.
PACE = (110, 160)
#: Words either side of a filler or a pause shown as its context.
CONTEXT_WORDS = 3


def analyse(
    recording: str | os.PathLike[str] | bytes,
    draft: str = "",
    company: Mapping[str, Any] | None = None,
    *,
    pcm: bool = False,
    mode: str | None = None,
) -> dict[str, Any]:
    """Feedback on one recorded attempt; `pcm=True` when `recording` is raw 16 kHz mono PCM.

    AudioProblem for a recording that is silent, too short or unreadable; SpeechUnavailable
    when pocketsphinx is missing.
    """
    samples = bytes(recording) if pcm else audio.read_wav(recording)  # type: ignore[arg-type]
    audio.check(samples)
    words = transcribe(samples, draft, mode)
    result = analyse_words(words, draft, company, recording_seconds=audio.seconds(samples))
    result["decoding"] = mode or ("draft" if draft.strip() else "vocabulary")
    return result


def analyse_words(
    words: Sequence[Word],
    draft: str = "",
    company: Mapping[str, Any] | None = None,
    *,
    recording_seconds: float | None = None,
) -> dict[str, Any]:
    """Feedback from recognised words with timings (see the module docstring)."""
    texts = [w.text for w in words]
    gaps = [0.0] + [max(0.0, b.start - a.end) for a, b in itertools.pairwise(words)]
    found = fillers.find(texts, gaps)
    content, _kept = fillers.strip(texts, gaps)
    span = (words[-1].end - words[0].start) if words else 0.0
    minutes = span / 60 if span else 0.0
    result: dict[str, Any] = {
        "transcript": " ".join(texts),
        "words": len(content),
        "timings": [w.as_list() for w in words],
        "seconds": round(span, 1),
        "recording_seconds": round(recording_seconds if recording_seconds is not None else span, 1),
        "target": [ADVISED_MIN_SECONDS, ADVISED_MAX_SECONDS],
        "length": length_verdict(span),
        "wpm": round(len(content) / minutes) if minutes else 0,
        "pace": pace_verdict(len(content) / minutes if minutes else 0.0),
        "pauses": _pauses(words, texts),
        "fillers": _fillers(words, texts, found, minutes),
    }
    if draft.strip():
        result["draft"] = align(draft, content).to_dict()
        result["draft"]["off_draft"] = off_draft(words, draft)
    result["coach"] = _coach(" ".join(content), company)
    return result


def length_verdict(seconds: float) -> str:
    """'short', 'good' or 'long' against the 60 to 90 second target."""
    if seconds < ADVISED_MIN_SECONDS:
        return "short"
    return "good" if seconds <= ADVISED_MAX_SECONDS else "long"


def pace_verdict(wpm: float) -> str:
    """'slow', 'good' or 'fast' against a comfortable interview pace."""
    if wpm < PACE[0]:
        return "slow"
    return "good" if wpm <= PACE[1] else "fast"


def _pauses(words: Sequence[Word], texts: Sequence[str]) -> list[dict[str, Any]]:
    out = []
    for i in range(1, len(words)):
        gap = words[i].start - words[i - 1].end
        if gap >= LONG_PAUSE:
            out.append(
                {
                    "at": round(words[i - 1].end, 1),
                    "seconds": round(gap, 1),
                    "after": " ".join(texts[max(0, i - CONTEXT_WORDS) : i]),
                    "before": " ".join(texts[i : i + CONTEXT_WORDS]),
                }
            )
    return out


def _fillers(
    words: Sequence[Word], texts: Sequence[str], found: Sequence[tuple[int, str]], minutes: float
) -> dict[str, Any]:
    counts: dict[str, int] = {}
    where = []
    for index, filler in found:
        counts[filler] = counts.get(filler, 0) + 1
        stop = index + len(filler.split())
        where.append(
            {
                "word": filler,
                "at": round(words[index].start, 1),
                "context": " ".join(
                    [*texts[max(0, index - CONTEXT_WORDS) : index], f"[{filler}]",
                     *texts[stop : stop + CONTEXT_WORDS]]
                ),
            }
        )  # fmt: skip
    return {
        "count": len(found),
        "per_minute": round(len(found) / minutes, 1) if minutes else 0.0,
        "by_word": counts,
        "where": where,
    }


def _coach(text: str, company: Mapping[str, Any] | None) -> dict[str, Any]:
    from course import coach

    feedback = coach.analyze(text, company=company)
    data = feedback.to_dict()
    # The coach estimates seconds from words at WORDS_PER_MINUTE; the recording measured them.
    data["estimated_wpm"] = WORDS_PER_MINUTE
    return data
