"""classify(): is a statement a long-term aspiration or a short-term goal, and why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from course.coach.text import coerce, prepare, snippet
from course.coach.vocab import P

# The signals are weighed: a set time frame is the strongest mark of a goal (CONTENT.md), a
# long horizon the strongest of an aspiration; ties go to "aspiration" (the open reading).
_GOAL_SIGNALS = (
    ("deadline", 2.5, "has a deadline"),
    ("measure", 2.0, "a measurable target"),
    ("deliverable", 1.0, "a specific deliverable"),
)
_ASPIRATION_SIGNALS = (
    ("horizon", 2.0, "a long-term horizon"),
    ("open", 1.5, "an open-ended outcome"),
    ("asp_word", 1.0, "aspirational wording"),
)


@dataclass(frozen=True)
class Classification:
    """Whether a statement reads as a long-term aspiration or a short-term goal, and why."""

    label: str
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: label and reasons."""
        return {"label": self.label, "reasons": list(self.reasons)}


def _weigh(body: str, signals: tuple[tuple[str, float, str], ...]) -> tuple[float, list[str]]:
    """The total weight of the signals found, and a reason for each."""
    total, reasons = 0.0, []
    for key, weight, name in signals:
        if m := P[key].search(body):
            total += weight
            reasons.append(name if key == "open" else f"{name}: {snippet(m)}")
    return total, reasons


def classify(text: str) -> Classification:
    """Label a statement as a long-term "aspiration" or a short-term "goal", with the reasons.

    A goal has a set time frame and a specific, measurable outcome; an aspiration has a long or
    open horizon and leaves room for different outcomes. Without any time frame or measure a
    statement is read as an aspiration (its timeline is open).
    """
    body = prepare(coerce(text))
    goal, goal_reasons = _weigh(body, _GOAL_SIGNALS)
    asp, asp_reasons = _weigh(body, _ASPIRATION_SIGNALS)
    if goal > asp:
        return Classification("goal", tuple(goal_reasons + asp_reasons))
    if not goal_reasons:
        asp_reasons.append("no set time frame or measurable target")
    return Classification("aspiration", tuple(asp_reasons + goal_reasons))
