"""Speaking-time constants and conversions, shared by the lessons, coach and graded exercise."""

from __future__ import annotations

import re

#: Spoken words per minute assumed for an interview answer (CONTENT.md: "about 130").
WORDS_PER_MINUTE = 130
#: Under this many seconds an answer is too short to carry an aspiration (rubric level 1).
TOO_SHORT_SECONDS = 20
#: The rubric's strong range for concision: about 45 to 120 seconds.
STRONG_MIN_SECONDS = 45
STRONG_MAX_SECONDS = 120
#: Over this an answer rambles (rubric level 1: "over about 3 min").
RAMBLING_SECONDS = 180
#: The most common advice: 60 to 90 seconds spoken.
ADVISED_MIN_SECONDS = 60
ADVISED_MAX_SECONDS = 90

_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")


def count_words(text: str) -> int:
    """Count words as a listener hears them: runs of letters or digits, apostrophes kept inside."""
    return sum(1 for _ in _WORD.finditer(text or ""))


def seconds_for_words(words: int) -> float:
    """Speaking time in seconds for a number of words at WORDS_PER_MINUTE."""
    return round(words / WORDS_PER_MINUTE * 60, 1)


def speaking_seconds(text: str) -> float:
    """Speaking time in seconds for a text."""
    return seconds_for_words(count_words(text))


def words_for_seconds(seconds: float) -> int:
    """How many words fit in a number of seconds."""
    return round(seconds * WORDS_PER_MINUTE / 60)
