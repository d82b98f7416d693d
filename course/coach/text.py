"""Text helpers for the coach: coerce any input to text, clean it, split it, stem its words."""

from __future__ import annotations

import functools
import re
from typing import Any

from course.coach.vocab import STOP, SUFFIXES, SYNONYMS

#: Patterns look at most this many characters (a 3-minute answer is about 2,500); words are
#: still counted over the whole text, so 1 MB of input stays fast.
MAX_ANALYSED_CHARS = 20_000
MAX_SENTENCES = 400

TOKEN = re.compile(r"[^\W\d_]+|\d+")
_TAG = re.compile(r"<[^<>]{0,300}>")
_SPACE = re.compile(r"\s+")
_SENTENCE = re.compile(r"[.!?]+(?=\s|$)|\n+")
_WORDS = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
# Typographic quotes and dashes to plain ones (one character each, so positions are kept).
_PLAIN = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2011": "-",
        "\u00a0": " ",
    }
)


def coerce(text: Any) -> str:
    """Any input to a string: None is empty, bytes are decoded, anything else is str()'d."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray)):
        return bytes(text).decode("utf-8", errors="replace")
    try:
        return str(text)
    except Exception:  # an object whose __str__ fails is simply treated as empty
        return ""


def plain(text: str) -> str:
    """Typographic quotes and dashes made plain (same length)."""
    return text.translate(_PLAIN)


def prepare(text: str) -> str:
    """The analysed part of a draft: capped, tags removed, quotes and dashes made plain."""
    return _TAG.sub(" ", plain(text[:MAX_ANALYSED_CHARS]))


def split_sentences(text: str) -> list[str]:
    """Split into sentences or clauses (a colon or semicolon starts a new one)."""
    parts = (s.strip() for s in _SENTENCE.split(text, maxsplit=MAX_SENTENCES))
    return [s for s in parts if s]


def snippet(match: re.Match[str]) -> str:
    """A matched phrase for a reason, whitespace collapsed and length capped."""
    return _SPACE.sub(" ", match.group(0)).strip()[:40]


_WORD_TAIL = re.compile(r"[\w'-]*(?:\s+[\w'-]+){0,2}")


def phrase(match: re.Match[str]) -> str:
    """A matched phrase for showing a learner why: one cut off mid-word ("help h", where the
    pattern only needed to see a word begin) is completed with the next two words."""
    text, end = match.group(0), match.end()
    if end < len(match.string) and text[-1:].isalnum() and match.string[end].isalnum():
        tail = _WORD_TAIL.match(match.string, end)
        text += tail.group(0) if tail else ""
    return _SPACE.sub(" ", text).strip()[:48]


def _light_stem(word: str) -> str:
    """Strip common English suffixes (twice), keep at most six letters."""
    w = word.lower()
    for _ in range(2):
        for suffix in SUFFIXES:
            if w.endswith(suffix) and len(w) - len(suffix) >= 4:
                w = w[: -len(suffix)]
                break
        else:
            break
    return w[:6]


#: Stem -> the stem standing for its synonym group (words.txt [synonyms]).
_CANON = {_light_stem(w): _light_stem(group[0]) for group in SYNONYMS for w in group}


@functools.lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """A light stem (common suffixes stripped, six letters kept), synonyms made one."""
    w = _light_stem(word)
    return _CANON.get(w, w)


def stems(text: str) -> set[str]:
    """Stems of the content words of a text (stop words left out)."""
    return {stem(t) for t in TOKEN.findall(text) if t.lower() not in STOP}


def words(text: str) -> list[str]:
    """The words of a text, lower-cased, apostrophes kept ("i'm")."""
    return [w.lower() for w in _WORDS.findall(text)]


def normalise(sentence: str) -> str:
    """A sentence reduced to its words, for spotting repeats."""
    return " ".join(words(sentence))
