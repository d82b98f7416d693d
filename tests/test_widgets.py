"""Widgets without a browser: set values, click, read the feedback HTML and the answers file."""

from __future__ import annotations

import json

import pytest

from course.errors import KitError
from course.learner import widgets as w
from course.learner.answers import AnswerStore

SCRIPT = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'


@pytest.fixture(autouse=True)
def _not_grading(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)


@pytest.fixture
def store(tmp_path):
    return AnswerStore("nb", tmp_path)


def saved(store: AnswerStore) -> dict:
    return json.loads(store.path.read_text(encoding="utf-8"))["answers"]


def all_html(exercise) -> str:
    """Every HTML string the exercise shows (header, items, feedback, status)."""
    out = []

    def walk(widget):
        if isinstance(widget, w.W.HTML):
            out.append(widget.value)
        for child in getattr(widget, "children", ()):
            walk(child)

    walk(exercise.widget)
    return "\n".join(out)


ITEMS = [("s1", "I want to lead a design studio one day."), ("s2", "Pass the exam by May.")]
KEY = {"s1": "aspiration", "s2": "goal"}


def make_classify(store, **kw):
    kw.setdefault("key", KEY)
    return w.Classify(store, "cls", ITEMS, ["aspiration", "goal"], hint="dates", **kw)


def test_classify_click_saves_check_scores_and_explains(store):
    ex = make_classify(store, explanations={"s1": "open timeline", "s2": "set date"})
    ex.toggles["s1"].value = "aspiration"  # what a click does
    assert saved(store) == {"cls": {"s1": "aspiration"}}
    ex.check_button.click()
    html = ex.feedback.value
    assert "Score: 1 of 2" in html
    assert "open timeline" in html and "no answer" in html
    ex.toggles["s2"].value = "aspiration"
    ex.check_button.click()
    assert "Score: 1 of 2" in ex.feedback.value and "not quite" in ex.feedback.value
    assert ex.summary() == "cls: 1/2"


def test_classify_uses_native_radio_buttons_one_group_per_statement(store):
    """Radios announce their checked state (ToggleButtons have no aria-pressed)."""
    ex = make_classify(store)
    assert list(ex.toggles) == ["s1", "s2"]
    for toggle in ex.toggles.values():
        assert isinstance(toggle, w.W.RadioButtons)
        assert toggle.value is None, "nothing is chosen until the learner chooses"
        assert toggle.options == (("Aspiration", "aspiration"), ("Goal", "goal"))
        assert toggle.orientation == "horizontal" and "cak-inline" in toggle._dom_classes
        assert toggle.description == "", "the statement above carries the number, once"
    assert ".cak-inline .widget-radio-box {flex-direction: row" in w.STYLE
    html = all_html(ex)
    assert html.count("<b>1.</b>") == 1 and html.count("<b>2.</b>") == 1


def test_classify_restores_from_the_file_when_the_cell_runs_again(store, tmp_path):
    make_classify(store).set_value({"s1": "goal", "s2": "goal"})
    again = make_classify(AnswerStore("nb", tmp_path))  # a restarted kernel
    assert again.toggles["s1"].value == "goal" and again.toggles["s2"].value == "goal"
    assert again.value == {"s1": "goal", "s2": "goal"}


def test_untouched_exercise_reads_not_attempted(store):
    ex = make_classify(store)
    ex.check_button.click()
    assert "Not attempted yet" in ex.feedback.value
    assert ex.summary() == "cls: not attempted (0/2)"
    assert not store.path.exists(), "restoring writes nothing"


def test_wrong_types_in_the_file_are_reported_per_exercise(store, tmp_path):
    store.set("cls", ["not", "a", "mapping"])
    store.set("quiz", {"q1": {"deep": 1}})
    ex = make_classify(AnswerStore("nb", tmp_path))
    assert ex.value == {}
    assert "not a mapping" in ex.status.value


def test_hint_and_reset_keep_a_backup(store, tmp_path):
    ex = make_classify(store)
    ex.hint_button.click()
    assert "Hint: dates" in ex.feedback.value
    ex.set_value({"s1": "goal"})
    ex.reset_button.click()  # asks first: nothing is cleared yet
    assert ex.value == {"s1": "goal"} and ex.confirm.layout.display == "flex"
    ex.keep_button.click()
    assert ex.value == {"s1": "goal"} and ex.confirm.layout.display == "none"
    ex.reset_button.click()
    ex.confirm_button.click()
    assert ex.value == {} and saved(store) == {} and ex.confirm.layout.display == "none"
    backups = list(tmp_path.glob("nb.answers.json.bak-*"))
    assert len(backups) == 1 and "s1" in backups[0].read_text(encoding="utf-8")
    assert backups[0].name in ex.status.value


def test_graded_mode_holds_no_key_and_has_no_check_button(store):
    ex = w.Classify(store, "cls", ITEMS, ["aspiration", "goal"], mode="graded")
    assert ex.key is None and not hasattr(ex, "check_button")
    ex.set_value({"s1": "goal"})
    assert "Saved" in ex.status.value
    assert ex.check() is None
    assert ex.summary() == "cls: saved"
    with pytest.raises(KitError):
        w.Classify(store, "cls2", ITEMS, ["aspiration", "goal"])  # practice needs its key


def test_choose_saves_selection_and_scores(store):
    ex = w.Choose(
        store,
        "ch",
        [("a", "Their plan to expand abroad"), ("b", "The CEO's favourite food")],
        key={"a": True, "b": False},
        reasons={"a": "future plans matter", "b": "irrelevant"},
        context="Acme builds tools.",
    )
    ex.boxes["a"].value = True
    assert saved(store) == {"ch": ["a"]}
    result = ex.check()
    assert result.score == 2 and "future plans matter" in ex.feedback.value
    ex.boxes["b"].value = True
    assert ex.check().score == 1


def test_quiz_gives_feedback_per_option(store):
    ex = w.Quiz(
        store,
        "qz",
        [("q1", "Why ask?", [("a", "Fit"), ("b", "Small talk")])],
        key={"q1": "a"},
        feedback={("q1", "a"): "Yes, fit.", ("q1", "b"): "No, it is about fit."},
    )
    ex.radios["q1"].value = "b"
    assert saved(store) == {"qz": {"q1": "b"}}
    ex.check()
    assert "No, it is about fit." in ex.feedback.value and "Score: 0 of 1" in ex.feedback.value


def test_form_saves_fields_and_checks_completeness(store):
    ex = w.Form(store, "f", [("asp", "Your aspiration"), ("goal", "A stepping-stone goal")])
    ex.inputs["asp"].value = "Lead renewable energy projects"
    assert saved(store) == {"f": {"asp": "Lead renewable energy projects"}}
    result = ex.check()
    assert (result.score, result.total) == (1, 2)


def test_every_form_field_is_labelled_by_its_own_description(store):
    """ipywidgets renders `description` as a <label for=...> of the input: a real name."""
    from course.learner import content

    spec = content.form("my-aspirations")
    ex = w.Form(store, "f", spec.fields)
    for field in spec.fields:
        box = ex.inputs[field.id]
        assert box.description == field.label
        assert box.style.description_width == "initial", "the whole label shows, not '...'"
        assert box.layout.flex_flow == "column" and "cak-field" in box._dom_classes
    assert ".cak-field .widget-label" in w.STYLE
    assert "<label" not in all_html(ex), "no second, unattached label"


def test_a_form_field_without_a_label_is_refused(store):
    with pytest.raises(KitError, match="needs a label"):
        w.Form(store, "f", [("asp", "  ")])


def test_text_areas_use_the_notebook_font_for_prose(store):
    assert ".cak-ex .widget-textarea textarea" in w.STYLE
    rule = w.STYLE.split(".cak-ex .widget-textarea textarea")[1].split("}")[0]
    assert "font-family: var(--jp-content-font-family" in rule and "monospace" not in rule


def test_choose_context_is_shown_as_paragraphs_not_line_breaks(store):
    page = "Acme (fictional) - About us\nWe build tools.\n\nOur values: <care>."
    ex = w.Choose(store, "ch", [("a", "A")], key={"a": True}, context=page)
    html = all_html(ex)
    assert "<br>" not in html
    assert "<p>Acme (fictional) - About us</p><p>We build tools.</p>" in html
    assert "<p>Our values: &lt;care&gt;.</p>" in html
    # ipywidgets gives HTML widgets a 28px line height: the kit resets it for its exercises.
    assert ".cak-ex .widget-html > .widget-html-content {line-height:" in w.STYLE


def test_draft_shows_live_word_count_and_saves(store):
    ex = w.Draft(store, "draft")
    assert "Start typing" in ex.live.value
    ex.text.value = "word " * 20
    assert "20 words" in ex.live.value and "too short" in ex.live.value
    assert saved(store) == {"draft": "word " * 20}
    ex.text.value = "word " * 200
    assert "a good length" in ex.live.value


def test_speaking_time_uses_the_course_speaking_rate(store, monkeypatch):
    from course import speaking

    assert f"spoken at {speaking.WORDS_PER_MINUTE} words a minute" in w.render_speaking_time(
        {"words": 130, "seconds": 60.0}
    )
    monkeypatch.setattr(speaking, "WORDS_PER_MINUTE", 150)
    html = w.render_speaking_time({"words": 150, "seconds": 60.0})
    assert "spoken at 150 words a minute" in html and "130" not in html


def test_draft_check_says_where_the_draft_stands(store):
    ex = w.Draft(store, "draft")
    ex.check_button.click()
    assert "Nothing to check yet" in ex.feedback.value
    ex.text.value = "word " * 20
    ex.check_button.click()
    assert "Checked at" in ex.feedback.value
    assert "20 words" in ex.feedback.value and "too short" in ex.feedback.value
    assert "Say more" in ex.feedback.value
    ex.text.value = "word " * 150
    ex.check_button.click()
    assert "150 words" in ex.feedback.value and "a good length" in ex.feedback.value


def test_draft_text_area_is_named_for_screen_readers(store):
    ex = w.Draft(store, "draft", title="Your answer to the question")
    assert ex.text.description == "Your answer to the question"
    assert "cak-sr-label" in ex.text._dom_classes and ".cak-sr-label .widget-label" in w.STYLE
    assert w.Draft(store, "d2").text.description == "Your answer"


def test_draft_uses_a_pluggable_analyser_and_survives_its_errors(store):
    calls = []

    def analyser(text):
        calls.append(text)
        if "boom" in text:
            raise RuntimeError("analyser bug")
        return {"n": len(text)}

    ex = w.Draft(store, "draft", analyser=analyser, renderer=lambda r: f"<b>{r['n']}</b>")
    ex.text.value = "hello"
    assert ex.live.value == "<b>5</b>" and calls[-1] == "hello"
    ex.text.value = "boom"
    assert "Feedback unavailable" in ex.live.value
    assert saved(store) == {"draft": "boom"}, "the text is saved even when analysis fails"


def test_huge_paste_is_refused_with_a_message_and_keeps_the_old_answer(store, monkeypatch):
    from course.learner import answers

    monkeypatch.setattr(answers, "MAX_VALUE_BYTES", 1000)
    ex = w.Draft(store, "draft")
    ex.text.value = "short answer"
    ex.text.value = "x" * 5000
    assert "Not saved" in ex.status.value
    assert saved(store) == {"draft": "short answer"}


def test_one_megabyte_draft_round_trips(store, tmp_path):
    big = "aspiration " * 100_000
    w.Draft(store, "draft").set_value(big)
    assert w.Draft(AnswerStore("nb", tmp_path), "draft").value == big


@pytest.mark.parametrize("kind", ["classify", "choose", "quiz", "form", "draft"])
def test_learner_and_content_text_is_escaped_in_every_widget(store, kind):
    if kind == "classify":
        ex = w.Classify(
            store,
            "x",
            [("s1", SCRIPT)],
            ["a", "b"],
            key={"s1": "a"},
            explanations={"s1": SCRIPT},
            title=SCRIPT,
            prompt=SCRIPT,
            hint=SCRIPT,
        )
        ex.set_value({"s1": "b"})
    elif kind == "choose":
        ex = w.Choose(
            store,
            "x",
            [("o", SCRIPT)],
            key={"o": True},
            reasons={"o": SCRIPT},
            context=SCRIPT,
            title=SCRIPT,
        )
        ex.set_value(["o"])
    elif kind == "quiz":
        ex = w.Quiz(
            store,
            "x",
            [("q", SCRIPT, [("a", SCRIPT)])],
            key={"q": "a"},
            feedback={("q", "a"): SCRIPT},
            prompt=SCRIPT,
        )
        ex.set_value({"q": "a"})
    elif kind == "form":
        ex = w.Form(store, "x", [("f", SCRIPT)], title=SCRIPT)
        ex.set_value({"f": SCRIPT})
    else:
        ex = w.Draft(store, "x", analyser=lambda t: {"words": 3, "seconds": 1.0}, title=SCRIPT)
        ex.set_value(SCRIPT)
    ex.check()
    if hasattr(ex, "hint_button"):
        ex.hint_button.click()
        ex.check()
    html = all_html(ex)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert ex.value, "the hostile text was still saved as given"


def test_wrong_types_in_file_show_a_message_for_every_widget(store, tmp_path):
    store.set("f", "not a mapping")
    store.set("d", {"not": "text"})
    form = w.Form(AnswerStore("nb", tmp_path), "f", [("a", "A")])
    draft = w.Draft(AnswerStore("nb", tmp_path), "d")
    assert form.value == {} and "not a mapping" in form.status.value
    assert draft.value == "" and "not text" in draft.status.value


def test_feedback_colours_have_enough_contrast():
    """Each feedback text/background pair is at least 4.5:1 (WCAG AA for normal text)."""
    import re

    def luminance(hex_colour):
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    pairs = re.findall(r"background: (#[0-9a-f]{6}); color: (#[0-9a-f]{6})", w.STYLE)
    assert len(pairs) >= 4
    for bg, fg in pairs:
        hi, lo = sorted([luminance(bg), luminance(fg)], reverse=True)
        assert (hi + 0.05) / (lo + 0.05) >= 4.5, (bg, fg)


# --------------------------------------------------------------------------- shown order


def _quiz_questions():
    return [(f"q{n}", f"Question {n}", [("a", "A"), ("b", "B"), ("c", "C")]) for n in range(6)]


def test_shuffled_order_is_the_learners_own_and_stable_across_restarts(tmp_path):
    """Items and options in a per-learner order (a seed in the answers file); keys by id."""
    items = [(f"s{n}", f"Statement {n}") for n in range(10)]
    key = {i: ("aspiration" if n % 2 else "goal") for n, (i, _t) in enumerate(items)}
    orders = set()
    for seed in range(8):
        store = AnswerStore(f"nb{seed}", tmp_path, seed=seed)
        ex = w.Classify(store, "cls", items, ["aspiration", "goal"], key=key, shuffle=True)
        orders.add(tuple(i for i, _c in ex.shown_choices()))
        assert sorted(i for i, _c in ex.shown_choices()) == sorted(key)
    assert len(orders) > 1, "different learners see different orders"
    store = AnswerStore("me", tmp_path, seed=5)
    first = w.Quiz(
        store, "qz", _quiz_questions(), key={f"q{n}": "b" for n in range(6)}, shuffle=True
    )
    shown = first.shown_choices()
    first.set_value({q: "b" for q, _o in shown})  # answers by id, whatever the order
    assert first.result().score == 6
    assert json.loads(store.path.read_text(encoding="utf-8"))["seed"] == 5
    restarted = AnswerStore("me", tmp_path, seed=99)  # the file's seed wins
    again = w.Quiz(restarted, "qz", _quiz_questions(), key={}, mode="graded", shuffle=True)
    assert again.shown_choices() == shown and again.value == first.value
    assert "Q1." in again.item_label(shown[0][0])


def test_without_shuffle_items_show_in_authored_order(store):
    ex = make_classify(store)
    assert ex.shown_choices() == [("s1", ["aspiration", "goal"]), ("s2", ["aspiration", "goal"])]
    choose = w.Choose(store, "ch", [("o1", "One"), ("o2", "Two")], key={"o1": True})
    assert choose.shown_choices() == [("", ["o1", "o2"])]


def test_a_shuffled_choose_saves_its_selection_in_the_authored_order(tmp_path):
    options = [(f"o{n}", f"Option {n}") for n in range(8)]
    orders = set()
    for seed in range(6):
        store = AnswerStore(f"nb{seed}", tmp_path, seed=seed)
        key = {o: o in ("o1", "o6") for o, _t in options}
        ex = w.Choose(store, "ch", options, key=key, shuffle=True)
        orders.add(tuple(ex.shown_choices()[0][1]))
        for option_id in reversed(ex.shown_choices()[0][1]):
            ex.boxes[option_id].value = option_id in ("o6", "o1", "o3")
        assert saved(store) == {"ch": ["o1", "o3", "o6"]}
        assert ex.result().score == 7
    assert len(orders) > 1
