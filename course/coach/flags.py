"""The coach's flags: their order, plain-English labels and tips (wording in data/messages.txt)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from course.coach import vocab

#: Every flag the coach can raise, in reporting order.
FLAGS: tuple[str, ...] = tuple(vocab.FLAG_LABELS)
#: What each flag means, in plain English for a learner (shown as "Watch out for: ...").
FLAG_LABELS: Mapping[str, str] = vocab.FLAG_LABELS
#: What to do instead, one tip per flag.
TIPS: Mapping[str, str] = vocab.TIPS
#: A hint per criterion, given when it scores below 3 and no flag already explains why.
CRITERION_TIPS: Mapping[str, str] = vocab.CRITERION_TIPS
#: Flags that mark a draft written for a keyword counter (gaming.py caps its score).
GAMING: tuple[str, ...] = ("repetition", "keyword_list", "echo_prompt", "no_first_person")

#: Which flags already explain a weak criterion (so its generic hint is not repeated).
COVERED_BY: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "aspiration": ("no_aspiration", *GAMING),
        "alignment": ("generic_no_company", *GAMING),
        "relevance": (
            "salary_focus",
            "exit_plan",
            "wants_interviewer_job",
            "personal_life",
            "negativity",
            *GAMING,
        ),
        "confidence": (
            "hedging",
            "apologetic",
            "implausible_claim",
            "wants_interviewer_job",
            *GAMING,
        ),
        "authenticity": ("cliche", "implausible_claim", *GAMING),
        "concision": ("too_short", "too_long", *GAMING),
    }
)
