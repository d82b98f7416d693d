"""The coach's editable data: phrase patterns, word lists and messages, read from data/*.txt."""

# Plain text, not YAML, so that importing the coach stays at the standard library (a lesson
# kernel runs it on every keystroke) and a facilitator can edit the files in any editor.

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

DATA = Path(__file__).resolve().parent / "data"
_HEADER = re.compile(r"^\[(=?[A-Za-z_]+)\](?: (case-sensitive))?$")
_FRAGMENT = re.compile(r"\{([A-Z_]+)\}")


def sections(name: str) -> dict[str, list[str]]:
    """The sections of one data file: header -> its non-empty, non-comment lines."""
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if m := _HEADER.match(line):
            key = m.group(1) + (" case-sensitive" if m.group(2) else "")
            current = out.setdefault(key, [])
        elif current is not None:
            current.append(line)
    return out


def _patterns() -> dict[str, re.Pattern[str]]:
    """Every pattern section compiled, fragments ({NAME}) substituted."""
    raw = sections("patterns.txt")
    fragments: dict[str, str] = {}

    def expand(text: str) -> str:
        return _FRAGMENT.sub(lambda m: fragments[m.group(1)], text)

    for key, lines in raw.items():
        if key.startswith("="):
            fragments[key[1:]] = expand("".join(lines))
    out = {}
    for key, lines in raw.items():
        if key.startswith("="):
            continue
        name, _, case = key.partition(" ")
        flags = 0 if case else re.IGNORECASE
        out[name] = re.compile(_alternatives([expand(p) for p in lines]), flags)
    return out


def _alternatives(parts: list[str]) -> str:
    """One pattern from alternatives; a word boundary they all start with is tested once
    (Python's re would otherwise try every alternative at every position: a third faster)."""
    if all(p.startswith("\\b") for p in parts):
        return "\\b(?:" + "|".join(f"(?:{p[2:]})" for p in parts) + ")"
    return "|".join(f"(?:{p})" for p in parts)


def _messages(section: str) -> Mapping[str, str]:
    """One section of messages.txt as id -> text, in file order."""
    lines = sections("messages.txt")[section]
    return MappingProxyType(
        {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    )


def _words(section: str) -> tuple[str, ...]:
    """One section of words.txt as a tuple of words, in file order."""
    return tuple(" ".join(sections("words.txt")[section]).split())


P: Mapping[str, re.Pattern[str]] = MappingProxyType(_patterns())
FLAG_LABELS = _messages("flag_labels")
TIPS = _messages("tips")
CRITERION_TIPS = _messages("criterion_tips")
OTHER = _messages("other")
MOVE_LABELS = _messages("move_labels")
MOVE_CRITERIA = _messages("move_criteria")
STOP = frozenset(_words("stop"))
SUFFIXES = _words("suffixes")
FUNCTION_WORDS = frozenset(_words("function"))
FIRST_PERSON = frozenset(_words("first_person"))
#: Groups of words that count as one for matching a company's values and plans (words.txt).
SYNONYMS: tuple[tuple[str, ...], ...] = tuple(
    tuple(line.split()) for line in sections("words.txt").get("synonyms", []) if line.split()
)
