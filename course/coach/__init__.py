"""Answer coach: reads a drafted answer sentence by sentence and scores it on the rubric.

Everything is a rule a learner can be told about: each sentence's move (aspiration, goal, tie
to the company, how the role builds skills, evidence, contribution, digression, hedge) with
the phrases behind it, the six criteria computed from those moves and their order, and tips
that quote the sentence they are about. Standard library only, so it runs on every keystroke;
the phrase patterns, word lists and messages are data files in course/coach/data/.

Modules: text (cleaning, splitting), vocab (the data files), profile (a company profile),
moves (each sentence's move), criteria (the six levels), gaming (repeats, keyword lists,
echoes), flags and tips (what to say), pipeline (analyze), statements (classify: aspiration
or goal), rubric (the rubric's words from content/rubric.yaml, loaded on first use).
"""

from __future__ import annotations

from typing import Any

from course.coach.criteria import SHAPE_ADVICE
from course.coach.flags import CRITERION_TIPS, FLAG_LABELS, FLAGS, TIPS
from course.coach.moves import MOVES
from course.coach.pipeline import CRITERIA, NO_COMPANY_TIP, Feedback, analyze, keep_or_cut, read
from course.coach.statements import Classification, classify
from course.coach.text import MAX_ANALYSED_CHARS
from course.coach.vocab import MOVE_LABELS

__all__ = [
    "CRITERIA",
    "CRITERION_TIPS",
    "FLAGS",
    "FLAG_LABELS",
    "LEVEL_NAMES",
    "MAX_ANALYSED_CHARS",
    "MOVES",
    "MOVE_LABELS",
    "NO_COMPANY_TIP",
    "RUBRIC",
    "SHAPE_ADVICE",
    "TIPS",
    "Classification",
    "Feedback",
    "analyze",
    "classify",
    "keep_or_cut",
    "read",
]


def __getattr__(name: str) -> Any:
    """RUBRIC and LEVEL_NAMES come from content/rubric.yaml, read on first use."""
    import importlib

    rubric = importlib.import_module("course.coach.rubric")
    if name == "RUBRIC":
        return rubric.rubric()
    if name == "LEVEL_NAMES":
        return rubric.level_names()
    raise AttributeError(f"module 'course.coach' has no attribute {name!r}")
