"""Tips that quote the sentence they are about, so the learner knows what to change."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from course.coach.flags import COVERED_BY, CRITERION_TIPS, TIPS
from course.coach.moves import Sentence
from course.coach.vocab import P

_QUOTE_CHARS = 90


@dataclass(frozen=True)
class Tip:
    """One tip: what it is about (a flag or a criterion), the sentence quoted, the advice."""

    about: str
    quote: str
    advice: str

    def __str__(self) -> str:
        return f'About "{self.quote}": {self.advice}' if self.quote else self.advice


def clip(text: str) -> str:
    """A sentence short enough to quote in a tip."""
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 1].rstrip() + "\u2026"


def _first(sentences: Iterable[Sentence], test: object) -> str:
    """The first sentence passing a test, clipped, or ''."""
    for s in sentences:
        if test(s):  # type: ignore[operator]
            return clip(s.text)
    return ""


def _has(key: str) -> object:
    return lambda s: P[key].search(s.text) is not None


#: For each flag or criterion, which sentence a tip about it quotes.
_WHICH = {
    "no_aspiration": lambda s: s.future in ("vague", "title", "goal"),
    "generic_no_company": lambda s: s.move == "aspiration",
    "hedging": lambda s: any(P[k].search(s.text) for k in ("hedges", "soft_hedges", "undecided")),
    "apologetic": _has("apologetic"),
    "cliche": _has("cliches"),
    "implausible_claim": _has("implausible"),
    "aspiration": lambda s: s.move == "aspiration" or s.future in ("vague", "title", "goal"),
    "alignment": lambda s: s.move == "aspiration",
    "relevance": lambda s: s.move == "other",
    "confidence": lambda s: s.move in ("hedge", "aspiration"),
    "authenticity": lambda s: s.move in ("aspiration", "contribution"),
}


def build(
    flags: tuple[str, ...],
    levels: dict[str, int],
    sentences: list[Sentence],
    about: dict[str, list[Sentence]],
) -> list[Tip]:
    """One tip per flag, then one per weak criterion no flag explains; each quotes its sentence."""
    tips = []
    for flag in flags:
        if about.get(flag):
            quote = clip(about[flag][0].text)
        elif flag in _WHICH:
            quote = _first(sentences, _WHICH[flag])
        else:  # a digression flag: the sentence that digresses
            quote = _first(sentences, lambda s, f=flag: f in s.digressions)
        tips.append(Tip(flag, quote, TIPS[flag]))
    for criterion, level in levels.items():
        if level < 3 and not set(flags) & set(COVERED_BY[criterion]):
            which = _WHICH.get(criterion)
            quote = _first(sentences, which) if which else ""
            tips.append(Tip(criterion, quote, CRITERION_TIPS[criterion]))
    return tips
