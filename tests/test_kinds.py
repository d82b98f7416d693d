"""The registry of exercise kinds: every consumer handles every registered kind.

Lessons and graded notebooks build each kind's widget through one path (`kinds.present`), the
grading host scores and records it, the class report labels it, the prep sheet renders its
practice sets, keys and the demo build its answers. A kind added without a sample here fails
the first test, which is the reminder that a new kind needs its tests.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import ipywidgets
import pytest

from course.errors import KitError
from course.facilitator import demo
from course.grader import keys, report
from course.learner import checks, graded, kinds, prepsheet_data
from course.learner.answers import AnswerStore
from course.learner.kinds import Spec
from course.learner.lesson import Lesson

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = "<script>alert(1)</script>"
REGISTERED = (
    *("classify", "choose", "quiz", "form", "pick", "matrix", "draft", "question-deck"),
    "rehearsal",
)

#: One exercise of each kind, with an answer to give it (None: the kind saves nothing).
SAMPLES: dict[str, tuple[Spec, Any]] = {
    "classify": (
        Spec(
            "classify", "cls", f"T {SCRIPT}", items=[("s1", SCRIPT), ("s2", "b")], labels=["x", "y"]
        ),
        {"s1": "x", "s2": "y"},
    ),
    "choose": (Spec("choose", "cho", "C", items=[("o1", SCRIPT), ("o2", "b")]), ["o1"]),
    "quiz": (
        Spec("quiz", "qz", "Q", questions=[("q1", SCRIPT, [("a", SCRIPT), ("b", "B")])]),
        {"q1": "a"},
    ),
    "form": (
        Spec("form", "frm", "F", fields=[("name", "Name"), ("role", "Role")]),
        {"name": SCRIPT},
    ),
    "pick": (Spec("pick", "pk", "P", items=[("n", SCRIPT), ("own", "Own")]), "n"),
    "matrix": (
        Spec("matrix", "mx", "M", items=[("r1", SCRIPT)], columns=[("c1", "values")]),
        {"r1": {"c1": 2}},
    ),
    "draft": (Spec("draft", "dr", "D"), f"I aspire to lead. {SCRIPT}\n\nSecond paragraph."),
    "question-deck": (
        Spec("question-deck", "deck", "Q", items=[("1", SCRIPT), ("2", "Why?")]),
        None,
    ),
    "rehearsal": (
        Spec("rehearsal", "reh", "R"),
        {"attempts": [{"transcript": SCRIPT, "seconds": 70, "wpm": 130, "fillers": 2}]},
    ),
}
#: The Lesson method that shows each kind.
LESSON_METHOD = {"question-deck": "deck", "rehearsal": "rehearse"}
#: A key earning every point of each sample, for the kinds a graded test cell scores.
KEYS = {
    "classify": {"s1": "x", "s2": "y"},
    "choose": {"o1": True, "o2": False},
    "quiz": {"q1": "a"},
}


@pytest.fixture(autouse=True)
def _not_grading(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)


@pytest.fixture
def shown(monkeypatch) -> list[Any]:
    """What IPython would display (the widget, or the HTML record while grading)."""
    out: list[Any] = []
    monkeypatch.setattr("IPython.display.display", lambda *objs, **_kw: out.extend(objs))
    return out


def test_the_registry_lists_every_kind_and_each_has_a_sample_here():
    names = tuple(kind.name for kind in kinds.all())
    assert names == REGISTERED
    assert set(SAMPLES) == set(names), "a new kind needs a sample (and its tests) in this file"
    assert graded.KINDS == ("classify", "choose", "quiz", "speaking-time", "names-company")
    with pytest.raises(KitError, match="unknown exercise kind"):
        kinds.get("nope")
    with pytest.raises(KitError):
        kinds.register(kinds.get("quiz"))  # a name is registered once


@pytest.mark.parametrize("name", REGISTERED)
def test_the_widget_is_named_not_imported_and_carries_the_kind(name):
    kind = kinds.get(name)
    assert ":" in kind.widget
    assert kind.widget_class().kind == name


def test_the_grading_host_never_imports_ipywidgets_or_matplotlib():
    code = (
        "import sys\n"
        "import course.learner.kinds, course.learner.graded, course.grader.keys\n"
        "import course.grader.report\n"
        "print([m for m in ('ipywidgets', 'matplotlib') if m in sys.modules])"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


@pytest.mark.parametrize("name", REGISTERED)
@pytest.mark.parametrize("mode", ["practice", "graded"])
def test_lesson_and_assignment_show_each_kind_through_one_path(tmp_path, shown, name, mode):
    spec, answer = SAMPLES[name]
    store = AnswerStore("nb", tmp_path)
    shown_by_id: dict[str, Any] = {}
    kind = kinds.get(name)
    extra = {"key": KEYS[name]} if name in KEYS and mode == "practice" else {}
    injected = {spec.id: answer} if answer is not None else {}
    widget = kinds.present(
        kind, spec, store, shown=shown_by_id, injected=injected, mode=mode, **extra
    )
    assert shown == [widget] and shown_by_id == {spec.id: widget}
    if answer is None:
        assert not store.path.exists()
        return
    assert store.get(spec.id) == kind.normalize(spec, answer)[0]
    saved = json.loads(store.path.read_text(encoding="utf-8"))
    assert saved["kinds"] == {spec.id: name}
    html = "".join(w.value for w in _html(widget.widget) if isinstance(w, ipywidgets.HTML))
    assert SCRIPT not in html, "learner text is escaped in every HTML the widget shows"


def _html(widget: Any) -> list[Any]:
    out = [widget]
    for child in getattr(widget, "children", ()):
        out += _html(child)
    return out


@pytest.mark.parametrize("name", REGISTERED)
def test_lesson_has_a_method_for_each_kind(name):
    method = LESSON_METHOD.get(name, name)
    assert callable(getattr(Lesson, method, None)), f"Lesson.{method} shows kind {name!r}"


@pytest.mark.parametrize("name", REGISTERED)
def test_under_nbgrader_each_kind_shows_its_record_escaped(tmp_path, shown, name):
    spec, answer = SAMPLES[name]
    store = AnswerStore("nb", tmp_path)
    if answer is not None:
        store.set(spec.id, answer, kind=name)
    kind = kinds.get(name)
    result = kinds.present(kind, spec, store, shown={}, injected={}, mode="graded", grading=True)
    assert result is None and len(shown) == 1
    html = shown[0].data
    assert html.startswith("<strong>") and SCRIPT not in html
    allowed = {"strong", "ul", "li", "b", "i", "blockquote"}
    assert set(_tags(html)) <= allowed, "only tags nbgrader's feedback sanitiser keeps"
    text = kind.record_text(spec, store.get(spec.id))
    assert text.splitlines()[0] == spec.title and "<" not in text.replace(SCRIPT, "")


def _tags(html: str) -> list[str]:
    import re

    return re.findall(r"</?([a-z]+)", html)


@pytest.mark.parametrize("name", [k for k in REGISTERED if kinds.get(k).checks])
def test_graded_scoring_and_keys_and_demo_handle_each_scored_kind(tmp_path, name):
    kind = kinds.get(name)
    spec = SAMPLES[name][0]
    store = AnswerStore("nb", tmp_path)
    if name == "draft":
        store.set("company", "own")
        store.set("company-own", {"name": "Acme"})
        store.set(spec.id, "I would love to help Acme grow. " * 30)
        assert graded.points("speaking-time", "nb", spec.id, folder=tmp_path) == 1.0
        assert graded.points("names-company", "nb", spec.id, folder=tmp_path) == 1.0
        assert kind.solution({}, None) is None
        assert kind.simulate(random.Random(1), 0.5, {}, {}, None) is None
        return
    key = KEYS[name]
    best = kind.solution(key, None)
    assert best is not None, "keys.solution_answers builds the full-marks answer from the key"
    store.set(spec.id, best, kind=name)
    outcome = graded.result(name, "nb", spec.id, key, folder=tmp_path, read_only=True)
    assert outcome.score == outcome.total == len(key)
    for skill in (0.0, 1.0):
        simulated = kind.simulate(random.Random(3), skill, key, {}, None)
        store.set(spec.id, simulated, kind=name)
        assert isinstance(graded.result(name, "nb", spec.id, key, folder=tmp_path), checks.Result)
    assert kind.simulate(random.Random(3), 1.0, key, {}, None) == best or name == "classify"


@pytest.mark.parametrize("name", REGISTERED)
def test_the_class_report_labels_each_kind(name):
    kind = kinds.get(name)
    for check in kind.checks:
        assert kinds.for_check(check) is kind
    entry = {"items": {"s1": "Statement one"}, "options": {"s1": {"a": "Option A"}}}
    label = kind.item_label(entry, "s1", report._short)
    assert label == ("Statement one" if kind.keyed else "s1")
    wrong = kind.choice_label(entry, "s1", "a", report._short)
    assert (wrong is not None) == kind.keyed
    assert kinds.for_check("not-a-check") is kinds.DEFAULT


def test_keys_read_every_graded_cell_as_a_registered_kind():
    for name in keys.assignments(ROOT / "solutions"):
        source = keys.source_notebook(ROOT / "solutions", name)
        for scoring in keys.scorings(source).values():
            assert kinds.for_check(scoring.kind) is not kinds.DEFAULT, (name, scoring.kind)
        answers = keys.solution_answers(source)
        simulated = demo.learner_answers(random.Random(1), 1.0, keys.scorings(source))
        assert set(simulated) <= set(answers)
        for exercise, entry in keys.exercise_texts(source).items():
            assert kinds.get(entry["kind"]).keyed and entry["items"], (name, exercise)


@pytest.mark.parametrize("name", REGISTERED)
def test_practice_sets_build_and_the_prep_sheet_renders_them(tmp_path, shown, name):
    kind = kinds.get(name)
    if kind.load is None:
        assert kind.set_ids() == ()
        with pytest.raises(KitError):
            kind.practice("anything")
        return
    assert kind.set_ids(), f"{name}: practice sets in course/content/{kind.content_file}.yaml"
    for set_id in kind.set_ids():
        spec, extra = kind.practice(set_id)
        assert type(kind.load(set_id)) in prepsheet_data.SHEET_VIEWS
        widget = kinds.present(
            kind, spec, AnswerStore("nb", tmp_path), shown={}, injected={}, mode="practice", **extra
        )
        if "key" in extra:
            best = kind.solution(extra["key"], None)
            widget.set_value(best)
            assert widget.result().score == widget.result().total
            assert prepsheet_data.describe(set_id, best) != prepsheet_data.value_node(best)


def test_adding_a_kind_is_one_module(tmp_path, shown, monkeypatch):
    """A Kind subclass registered once is found by name and shown through the one path."""
    assert "Adding a kind" in (kinds.__doc__ or "")

    class Note(kinds.Kind):
        name = "note-test"
        widget = "course.learner.widgets:Pick"

        def widget_args(self, spec: Spec) -> list[Any]:
            return [spec.items]

    registry = dict(kinds.base._KINDS)
    monkeypatch.setattr(kinds.base, "_KINDS", registry)
    kinds.register(Note())
    assert kinds.get("note-test").name == "note-test" and kinds.all()[-1].name == "note-test"
    spec = Spec("note-test", "n1", "Note", items=[("a", "A")])
    widget = kinds.present(
        kinds.get("note-test"),
        spec,
        AnswerStore("nb", tmp_path),
        shown={},
        injected={"n1": "a"},
        mode="practice",
    )
    assert widget.value == "a"
    assert "Note" in kinds.get("note-test").record_html(spec, "a")
