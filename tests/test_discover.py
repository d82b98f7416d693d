"""Lesson 01's "find an aspiration": the card sort's cards, and the drafted sentence's feedback."""

from __future__ import annotations

import json

import pytest

from course.learner import discover
from course.learner.answers import AnswerStore

SCRIPT = '<script>alert("pwned")</script>'


@pytest.fixture(autouse=True)
def _not_grading(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)


@pytest.fixture
def store(tmp_path):
    return AnswerStore("01-aspirations-vs-goals", tmp_path)


def test_the_cards_come_from_the_content_with_unique_ids():
    rows = discover.card_rows()
    assert len(rows) >= 8
    assert len({card_id for card_id, _ in rows}) == len(rows)
    assert all(text.strip() for _, text in rows)


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("help people", "short"),
        ("I want to grow into someone small businesses trust with their money", "aspiration"),
        ("One day I would like to lead a team that trains new nurses", "aspiration"),
        ("Finish my accounting certificate by March", "goal"),
        ("Be head of marketing within five years", "goal"),
    ],
)
def test_a_draft_is_read_as_aspiration_or_goal(text, verdict):
    assert discover.assess(text)["verdict"] == verdict


def test_a_goal_is_explained_with_the_coachs_reasons_and_a_next_step():
    html = discover.advice_html(discover.assess("Finish my accounting certificate by March"))
    assert "reads as a goal" in html
    assert "stepping stone" in html and "what it is a step toward" in html
    assert "by March" in html  # the reason names what made it a goal


def test_advice_escapes_the_reasons_which_quote_learner_text():
    html = discover.advice_html({"verdict": "goal", "reasons": [f"has a deadline: {SCRIPT}"]})
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert discover.advice_html("not a dict") == ""


def test_the_widget_saves_typing_and_gives_live_and_check_feedback(store):
    draft = discover.AspirationDraft(store, "drafted-aspiration", title="Your aspiration")
    assert "Write one sentence" in draft.live.value
    draft.text.value = "Pass the CFA level 1 exam within 12 months"
    draft.analyse_now()
    assert "reads as a goal" in draft.live.value
    saved = json.loads(store.path.read_text(encoding="utf-8"))["answers"]
    assert saved == {"drafted-aspiration": "Pass the CFA level 1 exam within 12 months"}
    draft.text.value = "I want to become an engineer whose designs towns rely on"
    draft.check()
    assert "reads as an aspiration" in draft.feedback.value
    assert "words" not in draft.feedback.value  # not the answer-length verdict of lesson 05
    assert draft.summary() == "drafted-aspiration: reads as an aspiration"


def test_a_restored_draft_shows_its_feedback_again(store):
    store.set("drafted-aspiration", "Finish my accounting certificate by March")
    draft = discover.AspirationDraft(store, "drafted-aspiration")
    assert "reads as a goal" in draft.live.value


def test_lesson_03_recalls_the_drafted_aspiration_when_the_worksheet_has_none(store, tmp_path):
    from course.learner import profile

    assert profile.earlier_aspiration(tmp_path) == ""
    store.set("drafted-aspiration", "  I want to help towns run on clean energy ")
    assert profile.earlier_aspiration(tmp_path) == "I want to help towns run on clean energy"
    store.set("stepping-stone", {"aspiration": "Lead a ward"})
    assert profile.earlier_aspiration(tmp_path) == "Lead a ward"
