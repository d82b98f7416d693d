"""analyze(): read a draft sentence by sentence, score the six criteria, flag, and advise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from course.coach import criteria, gaming, movemodel, moves, profile, tips
from course.coach.criteria import Reading
from course.coach.flags import FLAGS
from course.coach.text import coerce, prepare, split_sentences, stems
from course.coach.vocab import OTHER
from course.speaking import STRONG_MAX_SECONDS, TOO_SHORT_SECONDS, count_words, seconds_for_words

#: The six rubric criteria, in the order every report uses (the ids of content/rubric.yaml).
CRITERIA: tuple[str, ...] = (
    "aspiration",
    "alignment",
    "relevance",
    "confidence",
    "authenticity",
    "concision",
)
NO_COMPANY_TIP = OTHER["no_company_tip"]


@dataclass(frozen=True)
class Feedback:
    """The coach's verdict on one draft: a level 1-3 per criterion, flags and tips."""

    aspiration: int
    alignment: int
    relevance: int
    confidence: int
    authenticity: int
    concision: int
    words: int
    seconds: float
    flags: tuple[str, ...]
    tips: tuple[str, ...]
    #: One short reason per criterion, in CRITERIA order.
    why: tuple[str, ...] = ()
    #: Each sentence with its move, the criterion it serves and the phrases behind it.
    sentences: tuple[dict[str, Any], ...] = ()

    @property
    def criteria(self) -> dict[str, int]:
        """Criterion -> level, in CRITERIA order."""
        return {name: getattr(self, name) for name in CRITERIA}

    @property
    def score(self) -> int:
        """Sum of the six levels, 6 to 18."""
        return sum(getattr(self, name) for name in CRITERIA)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: criteria, score, words, seconds, flags, tips, sentences."""
        return {
            "criteria": self.criteria,
            "score": self.score,
            "words": self.words,
            "seconds": self.seconds,
            "flags": list(self.flags),
            "tips": list(self.tips),
            "sentences": [dict(s) for s in self.sentences],
        }


def read(text: Any, company: Any = None, model: bool = True) -> Reading:
    """A draft read sentence by sentence, each sentence given its move (by the rules, then
    settled by the move model unless `model` is False: its training reads the rules alone)."""
    raw = coerce(text)
    words = count_words(raw)
    body = prepare(raw)
    try:
        prof = profile.read(company)
    except Exception:  # a profile we cannot read is treated as no profile
        prof = None
    sentences = [moves.read_sentence(s, prof) for s in split_sentences(body)]
    moves.assign_moves(sentences, prof)
    if model:
        movemodel.apply(sentences, lambda s: moves.explain(s, prof))
    return Reading(body, sentences, words, seconds_for_words(words), prof, stems(body))


def _score(r: Reading) -> tuple[dict[str, int], dict[str, str]]:
    """The six levels and a reason for each (all 1 when nothing is written yet)."""
    if not r.words:
        return {c: 1 for c in CRITERIA}, {c: "nothing written yet" for c in CRITERIA}
    found = {"aspiration": criteria.aspiration(r)}
    found["alignment"] = criteria.alignment(r)
    found["relevance"] = criteria.relevance(r)
    found["confidence"] = criteria.confidence(r)
    found["authenticity"] = criteria.authenticity(r)
    found["concision"] = criteria.concision(r, found["aspiration"][0])
    if found["aspiration"][0] == 1 and found["relevance"][0] <= 2 and found["authenticity"][0] == 3:
        # A detail from the past that backs no aim and never reaches this role's work is
        # believable, but it makes the answer no more the candidate's own (rubric level 2).
        found["authenticity"] = (2, "plausible, but your example backs no aim for this role")
    return {c: found[c][0] for c in CRITERIA}, {c: found[c][1] for c in CRITERIA}


def _flags(r: Reading, levels: dict[str, int]) -> set[str]:
    """The content flags: digressions, hedging, stock phrases, length, missing parts."""
    out = {f for s in r.sentences for f in s.digressions}
    if levels["aspiration"] == 1:
        out.add("no_aspiration")
    if levels["alignment"] == 1:
        out.add("generic_no_company")
    hedges = r.tally("hedges") + r.tally("undecided") + r.tally("soft_hedges")
    if hedges >= 2 or r.has("strong_hedges"):
        out.add("hedging")
    if r.has("implausible"):
        out.add("implausible_claim")
    if r.has("apologetic"):
        out.add("apologetic")
    if len(r.cliches) >= 2:
        out.add("cliche")
    if r.seconds < TOO_SHORT_SECONDS:
        out.add("too_short")
    if r.seconds > STRONG_MAX_SECONDS:
        out.add("too_long")
    return out


def _unique(r: Reading) -> Reading:
    """The reading with repeated sentences dropped (a repeat adds nothing to any criterion)."""
    repeats = {id(s) for s in gaming.repeated(r.sentences)}
    if not repeats:
        return r
    kept = [s for s in r.sentences if id(s) not in repeats]
    return Reading(r.text, kept, r.words, r.seconds, r.profile, r.stems)


#: Moves that a sentence should be cut for (a digression or a hedge), and the flags likewise.
CUT_MOVES = ("digression", "hedge")
CUT_FLAGS = ("implausible_claim", "hedging", "apologetic")


def keep_or_cut(sentence: str, company: Any = None) -> tuple[str, str]:
    """Whether one sentence belongs in an answer ("keep") or not ("cut"), and why, in words."""
    r = read(sentence, company)
    cut = [s for s in r.sentences if s.move in CUT_MOVES]
    if cut:
        return "cut", cut[0].label + (
            f": {', '.join(cut[0].digressions)}" if cut[0].digressions else ""
        )
    flags = _flags(r, {"aspiration": 3, "alignment": 3})
    found = [f for f in CUT_FLAGS if f in flags]
    if found:
        return "cut", found[0].replace("_", " ")
    moves = [s.label for s in r.sentences if s.move != "other"]
    return "keep", ", ".join(moves) or "context"


def analyze(text: str, company: Mapping[str, Any] | Any | None = None) -> Feedback:
    """Score a drafted answer on the six rubric criteria, with flags and tips that quote it.

    `company` is a profile (name, industry, role, values, plans, skills) as a mapping or an
    object with those attributes; without it alignment is judged on generic signals only.
    Never raises; hostile or huge input still returns a valid Feedback quickly.
    """
    r = read(text, company)
    levels, why = _score(_unique(r))
    flags = _flags(r, levels)
    gamed = gaming.flags(r.text, r.sentences, r.profile) if r.words else {}
    habits = gaming.habits(r.sentences) if r.words else {}
    flags |= set(gamed) | set(habits)
    if gamed:
        gaming.cap(levels, why, "; ".join(sorted(gamed)).replace("_", " "))
    ordered = tuple(f for f in FLAGS if f in flags)
    advice = [str(t) for t in tips.build(ordered, levels, r.sentences, {**habits, **gamed})]
    if r.profile is None:
        advice.append(NO_COMPANY_TIP)
    return Feedback(
        **levels,
        words=r.words,
        seconds=r.seconds,
        flags=ordered,
        tips=tuple(advice),
        why=tuple(why[c] for c in CRITERIA),
        sentences=tuple(s.to_dict() for s in r.sentences),
    )
