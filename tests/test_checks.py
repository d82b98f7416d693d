"""checks.py: every exercise type scores known answers exactly and survives bad saved values."""

from __future__ import annotations

import pytest

from course.learner import checks

KEY = {"s1": "aspiration", "s2": "goal", "s3": "goal"}


def test_classify_all_right_all_wrong_partial_and_untouched():
    right = checks.check_classify("c", KEY, dict(KEY))
    assert (right.score, right.total, right.attempted) == (3, 3, True)
    assert right.summary() == "c: 3/3"
    wrong = {k: ("goal" if v == "aspiration" else "aspiration") for k, v in KEY.items()}
    assert checks.check_classify("c", KEY, wrong).summary() == "c: 0/3"
    partial = checks.check_classify("c", KEY, {"s1": "aspiration", "s2": "aspiration"})
    assert partial.score == 1
    assert [i.status for i in partial.items] == ["correct", "wrong", "missing"]
    untouched = checks.check_classify("c", KEY, None)
    assert not untouched.attempted and untouched.summary() == "c: not attempted (0/3)"


def test_classify_explains_each_item():
    result = checks.check_classify("c", KEY, {"s1": "goal"}, {"s1": "no deadline"})
    assert result.items[0].message == "no deadline"
    assert result.items[0].given == "goal"


@pytest.mark.parametrize(
    "bad",
    [["a list"], "text", 42, {"s1": 3}, {"s1": ["goal"]}, {"zz": "goal"}, {"s1": "dream"}],
)
def test_classify_reports_wrong_types_per_item_and_never_crashes(bad):
    result = checks.check_classify("c", KEY, bad)
    assert result.score == 0
    assert result.problems, "a wrong value is reported"


def test_choose_scores_each_option_and_blank_is_not_attempted():
    key = {"a": True, "b": False, "c": True}
    assert checks.check_choose("ch", key, ["a", "c"]).score == 3
    assert checks.check_choose("ch", key, ["b"]).score == 0
    assert checks.check_choose("ch", key, ["a"]).score == 2
    blank = checks.check_choose("ch", key, [])
    assert (blank.score, blank.attempted) == (0, False), "leaving it blank earns nothing"
    messy = checks.check_choose("ch", key, ["a", "a", 7, "zz"])
    assert messy.score == 2 and len(messy.problems) == 2
    assert checks.check_choose("ch", key, {"a": True}).problems


def test_quiz_scores_and_gives_feedback_for_the_chosen_option():
    key = {"q1": "a", "q2": "c"}
    feedback = {("q1", "b"): "b is tempting but wrong", ("q1", "a"): "yes"}
    options = {"q1": ["a", "b"], "q2": ["c", "d"]}
    result = checks.check_quiz("qz", key, {"q1": "b", "q2": "c"}, feedback, options)
    assert result.score == 1
    assert result.items[0].message == "b is tempting but wrong"
    assert checks.check_quiz("qz", key, {"q1": "nonsense"}, feedback, options).problems


def test_form_checks_completeness():
    fields = {"aspiration": True, "goal": True, "notes": False}
    full = checks.check_form("f", fields, {"aspiration": "lead a team", "goal": "finish course"})
    assert (full.score, full.total) == (2, 2)
    thin = checks.check_form("f", fields, {"aspiration": "lead"}, min_words=2)
    assert [i.status for i in thin.items] == ["partial", "missing"]
    bad = checks.check_form("f", fields, {"aspiration": 5})
    assert bad.score == 0 and bad.problems


def test_result_to_dict_is_plain_data():
    import json

    result = checks.check_classify("c", KEY, {"s1": "aspiration"})
    data = json.loads(json.dumps(result.to_dict()))
    assert data["score"] == 1 and data["items"][0]["status"] == "correct"
