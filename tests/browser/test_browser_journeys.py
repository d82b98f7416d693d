"""Learner journeys in a real JupyterLab: answer by clicking and typing, survive a restart."""

from __future__ import annotations

import re

import pytest
from labkit import (
    LabPage,
    button,
    chosen,
    classify_rows,
    exercise,
    expect,
    expect_text,
    lesson_path,
    read_answers,
    toggle,
    wait_for,
)

pytestmark = pytest.mark.browser

CLASSIFY = "classify-statements"
LESSON_01 = "01-aspirations-vs-goals"
LESSON_05 = "05-draft-your-answer"
LESSON_06 = "06-practice-and-reflect"
ENCLOSING_EXERCISE = "xpath=ancestor::div[contains(concat(' ', @class, ' '), ' cak-ex ')][1]"


def test_classify_is_scored_saved_and_restored_after_a_kernel_restart(lab: LabPage, lab_root):
    from course.learner import content

    spec = content.classify_set(CLASSIFY)
    path = lesson_path(lab_root, LESSON_01)
    answers_file = lab_root / "notebooks" / f"{LESSON_01}.answers.json"
    panel = lab.open(path)
    try:
        lab.run_all(path)
        widget = exercise(panel, spec.prompt)
        rows = classify_rows(widget, spec.items)
        assert len(rows) == len(spec.items), "every statement is shown once"

        wrong = 3  # the first three answered the other way: a score short of full marks
        picked = {}
        for n, (row, item) in enumerate(rows):
            expect(chosen(row)).to_have_count(0)  # nothing is chosen before the learner does
            label = item.label if n >= wrong else next(x for x in spec.labels if x != item.label)
            toggle(row, label).click()
            expect(toggle(row, label)).to_be_checked()
            picked[item.id] = label
        saved = wait_for(lambda: read_answers(answers_file).get(CLASSIFY) == picked)
        assert saved, f"the answers file holds {read_answers(answers_file)}, not {picked}"

        button(widget, "Check").click()
        total = len(spec.items)
        expect(widget.locator(".cak-title", has_text="Score:")).to_have_text(
            f"Score: {total - wrong} of {total}"
        )
        expect(widget.locator(".cak-bad")).to_have_count(wrong)
        lab.snapshot(widget, f"{LESSON_01}-checked")

        lab.restart_and_run_all(path)
        widget = exercise(panel, spec.prompt)
        for row, item in classify_rows(widget, spec.items):
            expect(chosen(row)).to_have_count(1)
            expect(chosen(row)).to_have_accessible_name(
                re.compile(rf"^\s*{picked[item.id]}\s*$", re.I)
            )
        assert read_answers(answers_file).get(CLASSIFY) == picked, "a re-run changes nothing"
    finally:
        lab.close_and_shutdown(path)


def draft_box(panel):
    """The Draft widget's text area: the tallest text area of the lesson (Form fields are short)."""
    areas = panel.locator(".cak-ex textarea")
    assert areas.count(), "the lesson shows no text area to draft in"
    rows = areas.evaluate_all("ns => ns.map(n => n.rows || 0)")
    return areas.nth(rows.index(max(rows)))


def test_draft_feedback_updates_live_while_typing(lab: LabPage, lab_root):
    path = lesson_path(lab_root, LESSON_05)
    answers_file = lab_root / "notebooks" / f"{LESSON_05}.answers.json"
    panel = lab.open(path)
    try:
        lab.run_all(path)
        box = draft_box(panel)
        widget = box.locator(ENCLOSING_EXERCISE)
        short = "I want to lead a team."
        box.click()
        box.press_sequentially(short, delay=15)
        expect_text(widget, r"(?<!\d)\b6 words\b")
        expect_text(widget, r"too short|say more")

        longer = " ".join(
            [short]
            + ["In five years I hope to help my team ship work that people rely on every day."] * 8
        )
        box.fill(longer)
        words = len(re.findall(r"[^\W_]+(?:['\u2019-][^\W_]+)*", longer))
        expect_text(widget, rf"(?<!\d)\b{words} words\b")
        expect_text(widget, r"too short", present=False)
        lab.page.wait_for_timeout(1000)  # the chart redraws after the analysis
        saved = wait_for(lambda: longer in read_answers(answers_file).values())
        assert saved, f"the draft is saved as typed: {read_answers(answers_file)}"

        # Check says where the draft stands: the coach's score and what to work on first.
        button(widget, "Check").click()
        feedback = expect_text(widget, r"Checked at \d\d:\d\d:\d\d")
        assert re.search(r"Coach score \d+ of 18\.", feedback), feedback
        assert re.search(r"Work on \w+ first|Every criterion is at 3", feedback), feedback
        lab.snapshot(widget, f"{LESSON_05}-typed")
    finally:
        lab.close_and_shutdown(path)


def test_draft_chart_redraws_after_a_pause_in_typing(lab: LabPage, lab_root):
    """The radar chart appears while typing (an Output filled from the debounce timer).

    `with output:` captures nothing from an async callback (ipywidgets issues #2567, #3993), so
    the chart must be set through the Output's `outputs`; only a real front end shows the
    difference.
    """
    path = lesson_path(lab_root, LESSON_05)
    panel = lab.open(path)
    try:
        lab.run_all(path)
        box = draft_box(panel)
        widget = box.locator(ENCLOSING_EXERCISE)
        if not widget.locator(".widget-output").count():
            pytest.skip("this lesson's Draft has no chart")
        box.click()
        box.press_sequentially("I want to lead a team that builds tools people rely on.", delay=10)
        expect_text(widget, r"(?<!\d)\b12 words\b")
        expect(widget.locator(".widget-output img, .widget-output svg").first).to_be_visible(
            timeout=10_000
        )
    finally:
        lab.close_and_shutdown(path)


def test_prep_sheet_button_in_lesson_06_writes_the_sheet_and_links_it(lab: LabPage, lab_root):
    """The button keeps its own width; its result links are real links, resolved by JupyterLab
    to files/<path> (an HTML widget left them as plain text), and a click opens the sheet."""
    path = lesson_path(lab_root, LESSON_06)
    sheet = lab_root / "notebooks" / "prep-sheet.html"
    sheet.unlink(missing_ok=True)
    panel = lab.open(path)
    opened = "notebooks/prep-sheet.html"
    try:
        lab.run_all(path)
        make = panel.get_by_role("button", name=re.compile(r"Make my prep sheet"))
        expect(make).to_have_count(1)  # shown once
        cell_width = make.locator("xpath=..").bounding_box()["width"]
        width = make.bounding_box()["width"]
        assert width < cell_width / 2, f"the button stretches: {width} of {cell_width} px"
        make.click()
        link = panel.get_by_role("link", name="prep-sheet.html")
        expect(link).to_be_visible(timeout=15_000)
        assert wait_for(sheet.exists), "the button writes prep-sheet.html beside the notebook"
        expect(link).to_have_attribute("href", re.compile(r"/files/notebooks/prep-sheet\.html"))
        archive = panel.get_by_role("link", name="prep-sheet.zip")
        expect(archive).to_have_attribute("href", re.compile(r"/files/notebooks/prep-sheet\.zip"))
        expect(archive).to_have_attribute("download", "")
        look = link.evaluate(
            """a => { const s = getComputedStyle(a), p = getComputedStyle(a.parentElement);
                     return {link: s.color, text: p.color, cursor: s.cursor,
                             underline: s.textDecorationLine.includes('underline')}; }"""
        )
        assert look["link"] != look["text"] or look["underline"], f"looks like plain text: {look}"
        lab.snapshot(make.locator("xpath=.."), f"{LESSON_06}-prep-sheet")
        # Opened in a browser tab of its own (right-click, Open link in new tab) it is served
        # and its Print button runs (JupyterLab's own tab runs no scripts).
        tab = lab.page.context.new_page()
        try:
            response = tab.goto(link.get_attribute("href"))
            assert response.ok, f"{response.status} for {response.url}"
            tab.evaluate("() => { window.print = () => { window.printed = true; }; }")
            tab.get_by_role("button", name=re.compile(r"Print")).click()
            assert tab.evaluate("() => window.printed === true"), "the Print button did nothing"
        finally:
            tab.close()
        link.click()  # a plain click: JupyterLab opens the sheet in a tab of its own
        found = (
            "(path) => Array.from(window.jupyterapp.shell.widgets('main'))"
            ".some(w => w.context && w.context.path === path)"
        )
        lab.page.wait_for_function(found, arg=opened, timeout=15_000)
    finally:
        lab.page.evaluate(
            "(path) => { for (const w of Array.from(window.jupyterapp.shell.widgets('main')))"
            " if (w.context && w.context.path === path) w.dispose(); }",
            opened,
        )
        lab.close_and_shutdown(path)
        sheet.unlink(missing_ok=True)
        sheet.with_suffix(".zip").unlink(missing_ok=True)
