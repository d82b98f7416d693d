"""Finding an aspiration (lesson 01): does a drafted sentence read as an aspiration, and why.

The learner sorts cards (what matters to them), notes what they are good at and want more of,
then drafts one sentence. The coach's `classify` labels it; this module turns the label and its
reasons into plain advice, shown live under the text box and again on Check. A goal is not
wrong, only a stepping stone: the advice asks what it leads toward.
"""

from __future__ import annotations

from typing import Any

from course.learner import content
from course.learner.safe import escape
from course.learner.widgets import Draft
from course.speaking import count_words

__all__ = [
    "CARDS",
    "CARD_COLUMN",
    "CARD_LEVELS",
    "MIN_WORDS",
    "AspirationDraft",
    "advice_html",
    "assess",
    "card_rows",
]

#: Fewer words than this is a fragment ("help people"), not yet a direction to judge.
MIN_WORDS = 4
#: An aspiration is a sentence or two: only this much of a (possibly huge) draft is classified.
MAX_CHARS = 2000
#: The card sort: its cards are the fields of this set in forms.yaml, rated on one column.
CARDS = "what-matters"
CARD_COLUMN = (("matters", "How much this matters to me"),)
CARD_LEVELS = ((0, "hardly"), (1, "somewhat"), (2, "a lot"))


def card_rows() -> list[tuple[str, str]]:
    """(id, text) for each card of the card sort, in the order forms.yaml lists them."""
    return [(field.id, field.label) for field in content.form(CARDS).fields]


def assess(text: Any) -> dict[str, Any]:
    """Plain data about a drafted aspiration: words, the coach's label and reasons, a verdict.

    verdict is "empty", "short" (under MIN_WORDS words), "aspiration" or "goal".
    """
    from course import coach  # the coach is stdlib-only; imported when first needed

    text = text if isinstance(text, str) else ""
    words = count_words(text)
    if not words:
        return {"words": 0, "verdict": "empty", "label": None, "reasons": []}
    result = coach.classify(text[:MAX_CHARS])
    label = str(result.label)
    reasons = [str(r) for r in result.reasons]
    verdict = "short" if words < MIN_WORDS else label
    return {"words": words, "verdict": verdict, "label": label, "reasons": reasons}


def _reasons_html(reasons: list[str]) -> str:
    if not reasons:
        return ""
    items = "".join(f"<li>{escape(r)}</li>" for r in reasons)
    return f'<div class="cak-note">What the coach noticed:</div><ul>{items}</ul>'


def advice_html(assessment: Any) -> str:
    """Safe HTML advice for an assess() result (the learner's words appear only escaped)."""
    if not isinstance(assessment, dict):
        return ""
    verdict = assessment.get("verdict")
    reasons = list(assessment.get("reasons") or [])
    if verdict == "empty":
        return (
            '<div class="cak-note">Write one sentence: the direction you want your work to '
            "take, built from the cards you rated highest.</div>"
        )
    if verdict == "short":
        return (
            '<div class="cak-warn">Keep going: a few words are not yet a direction. Say what '
            "kind of work, or what difference, you want to grow toward (for example: "
            "\u201cI want to become someone who ...\u201d).</div>"
        )
    if verdict == "goal":
        return (
            '<div class="cak-warn"><b>This reads as a goal, not an aspiration.</b> It has a '
            "set time frame or a measurable target, so it is a stepping stone. Ask yourself "
            "what it is a step toward, and write that direction with no date or number. Keep "
            "this goal for the worksheet below: it fits there.</div>" + _reasons_html(reasons)
        )
    return (
        '<div class="cak-ok"><b>This reads as an aspiration:</b> a long-term direction with '
        "room for more than one outcome. Check that it is true to you; then turn it into a "
        "stepping-stone goal below.</div>" + _reasons_html(reasons)
    )


class AspirationDraft(Draft):
    """A one-sentence draft whose live feedback says whether it reads as an aspiration."""

    kind = "draft"

    def __init__(self, store: Any, exercise_id: str, **kwargs: Any):
        kwargs.setdefault("rows", 3)
        kwargs.setdefault("placeholder", "e.g. I want to grow into someone who ...")
        super().__init__(store, exercise_id, analyser=assess, renderer=advice_html, **kwargs)

    def check_html(self, analysis: Any) -> str:
        """On Check: the same advice as the live feedback (not the answer-length verdict)."""
        return advice_html(analysis)

    def summary(self) -> str:
        """One line for headless runs, e.g. 'drafted-aspiration: reads as an aspiration'."""
        verdict = assess(self.value)["verdict"]
        said = {
            "empty": "not attempted",
            "short": "too short to judge",
            "aspiration": "reads as an aspiration",
            "goal": "reads as a goal",
        }.get(verdict, "not checked")
        return f"{self.id}: {said}"
