"""Accessibility of the exercise widgets in a real JupyterLab: keyboard, names, contrast.

What these tests cannot check (a screen reader's actual speech, zoom, reflow) is listed with the
findings in docs/accessibility.md. Known gaps are strict xfails: fixing one turns its test red
("XPASS(strict)"), so the marker and the note in docs/accessibility.md go in the same change.
(One is open: finding 7, the arrow keys on a drop-down.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

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

LESSON = "01-aspirations-vs-goals"
CLASSIFY = "classify-statements"
#: What the STYLE comment in course/learner/widgets.py promises for light backgrounds (WCAG AAA).
AAA = 7.0
#: WCAG AA for normal text: the least any theme may give.
AA = 4.5

CONTRAST = """
(nodes) => {
  const parse = (c) => {
    const p = (c.match(/rgba?\\(([^)]+)\\)/) || [null, '0,0,0,0'])[1].split(/[ ,\\/]+/)
      .filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  return nodes.filter(n => n.textContent.trim()).map(n => {
    const fg = parse(getComputedStyle(n).color);
    let el = n, bg = null;
    while (el && !bg) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.a > 0.5) bg = c;
      el = el.parentElement;
    }
    bg = bg || {r: 255, g: 255, b: 255, a: 1};
    // Translucent text (JupyterLab's rgba(0, 0, 0, 0.87)) is blended over its background.
    const seen = {r: fg.a * fg.r + (1 - fg.a) * bg.r, g: fg.a * fg.g + (1 - fg.a) * bg.g,
                  b: fg.a * fg.b + (1 - fg.a) * bg.b};
    const [hi, lo] = [lum(seen), lum(bg)].sort((x, y) => y - x);
    return {css: n.className, text: n.textContent.trim().slice(0, 50),
            color: getComputedStyle(n).color, background: `rgb(${bg.r}, ${bg.g}, ${bg.b})`,
            ratio: Math.round((hi + 0.05) / (lo + 0.05) * 100) / 100};
  });
}
"""
FEEDBACK = ".cak-ok, .cak-bad, .cak-miss, .cak-warn, .cak-note, .cak-title"


@pytest.fixture(scope="module")
def classify(lab: LabPage, lab_root) -> Iterator[dict[str, Any]]:
    """Lesson 01 run once for this module: its Classify widget, rows and answers file."""
    from course.learner import content

    spec = content.classify_set(CLASSIFY)
    path = lesson_path(lab_root, LESSON)
    panel = lab.open(path)
    try:
        lab.run_all(path)
        widget = exercise(panel, spec.prompt)
        yield {
            "spec": spec,
            "panel": panel,
            "widget": widget,
            "rows": classify_rows(widget, spec.items),
            "answers": lab_root / "notebooks" / f"{LESSON}.answers.json",
        }
    finally:
        lab.close_and_shutdown(path)


def focused(lab: LabPage) -> dict[str, Any]:
    """What has the keyboard focus: its tag, type, text (a form control's label), state."""
    return lab.page.evaluate(
        """() => {
          const e = document.activeElement, s = getComputedStyle(e);
          const label = e.labels && e.labels.length ? e.labels[0].textContent : e.textContent;
          return {tag: e.tagName, type: e.type || '', text: label.trim(), title: e.title,
                  checked: !!e.checked,
                  outline: s.outlineStyle !== 'none' && s.outlineWidth !== '0px',
                  shadow: s.boxShadow !== 'none'};
        }"""
    )


def notebook_mode(lab: LabPage, panel) -> dict[str, Any]:
    return panel.locator(".jp-Notebook").first.evaluate(
        "n => ({command: n.classList.contains('jp-mod-commandMode'),"
        " cells: n.querySelectorAll('.jp-Cell').length})"
    )


def test_classify_check_and_hint_work_from_the_keyboard(lab: LabPage, classify):
    spec, widget, rows = classify["spec"], classify["widget"], classify["rows"]
    answers = classify["answers"]
    panel = classify["panel"]
    before = notebook_mode(lab, panel)
    first_label, second_label = (label.capitalize() for label in spec.labels[:2])

    (row0, item0), (row1, item1) = rows[0], rows[1]
    toggle(row0, spec.labels[0]).focus()
    lab.page.keyboard.press("Tab")
    now = focused(lab)
    assert (now["type"], now["text"]) == ("radio", second_label), f"Tab went to {now}"
    assert now["outline"] or now["shadow"], f"the focused radio shows no focus ring: {now}"
    lab.page.keyboard.press("Space")
    assert wait_for(lambda: read_answers(answers).get(CLASSIFY) == {item0.id: spec.labels[1]})
    expect(toggle(row0, spec.labels[1])).to_be_checked()

    lab.page.keyboard.press("Tab")
    now = focused(lab)
    assert (now["type"], now["text"]) == ("radio", first_label), f"Tab went to {now}"
    assert row1.evaluate("row => row.contains(document.activeElement)"), "Tab reaches row 2"
    lab.page.keyboard.press("Space")
    want = {item0.id: spec.labels[1], item1.id: spec.labels[0]}
    assert wait_for(lambda: read_answers(answers).get(CLASSIFY) == want)

    last_row, _ = rows[-1]
    toggle(last_row, spec.labels[-1]).focus()
    lab.page.keyboard.press("Tab")
    assert focused(lab)["text"] == "Check", f"after the last statement Tab reaches {focused(lab)}"
    lab.page.keyboard.press("Enter")
    expect_text(widget, rf"Score: \d+ of {len(spec.items)}")
    lab.page.keyboard.press("Tab")
    assert focused(lab)["text"] == "Hint"
    lab.page.keyboard.press("Space")
    expect_text(widget, r"Hint:")

    after = notebook_mode(lab, panel)
    assert after == before == {"command": True, "cells": before["cells"]}, (
        "Space and Enter on the widgets must not reach JupyterLab's notebook shortcuts "
        f"(before {before}, after {after})"
    )


def test_every_control_has_a_name(classify):
    spec, widget, rows = classify["spec"], classify["widget"], classify["rows"]
    for row, _item in rows:
        for label in spec.labels:
            expect(toggle(row, label)).to_have_count(1)  # a radio, named by its label
    for name in ("Check", "Hint", "Reset"):
        expect(button(widget, name)).to_have_accessible_name(re.compile(rf"\b{name}\b"))


def test_each_statement_shows_its_number_once(classify):
    """No lone "1." line between a statement and its answers (the old toggle description)."""
    for n, (row, _item) in enumerate(classify["rows"], start=1):
        lines = [line.strip() for line in row.inner_text().splitlines() if line.strip()]
        assert lines[0].startswith(f"{n}. "), lines
        assert f"{n}." not in lines[1:], f"statement {n} shows its number twice: {lines}"


def test_the_chosen_answer_is_exposed_to_assistive_technology(classify):
    """A native radio's checked state is in the accessibility tree (ToggleButtons had none)."""
    spec, rows = classify["spec"], classify["rows"]
    row, _item = rows[2]
    first, second = spec.labels[:2]
    toggle(row, first).click()
    expect(toggle(row, first)).to_be_checked()
    expect(toggle(row, second)).not_to_be_checked()
    expect(chosen(row)).to_have_accessible_name(re.compile(rf"^\s*{first}\s*$", re.I))
    toggle(row, second).click()
    expect(chosen(row)).to_have_count(1)
    expect(chosen(row)).to_have_accessible_name(re.compile(rf"^\s*{second}\s*$", re.I))


def test_form_fields_are_named_by_their_visible_labels(classify):
    """Each field's title is a <label for> of its input: its accessible name, shown above it."""
    from course.learner import content

    panel = classify["panel"]
    spec = content.form("stepping-stone")
    for field in spec.fields:
        box = panel.get_by_role("textbox", name=field.label, exact=True)
        expect(box).to_have_count(1)
        label = panel.locator("label.widget-label", has_text=field.label).first
        expect(label).to_be_visible()
        above = label.bounding_box()["y"] + 2 <= box.bounding_box()["y"]
        assert above, f"the label of {field.id} is not above its input"
        width = label.evaluate("n => n.scrollWidth <= n.clientWidth + 1")
        assert width, f"the label of {field.id} is cut off"


def test_text_areas_use_the_notebook_font_for_prose(classify):
    panel = classify["panel"]
    areas = panel.locator(".cak-ex textarea")
    assert areas.count(), "lesson 01 shows multi-line fields"
    fonts = areas.evaluate_all(
        """ns => ns.map(n => ({area: getComputedStyle(n).fontFamily,
                              content: getComputedStyle(document.body)
                                .getPropertyValue('--jp-content-font-family').trim()}))"""
    )
    for font in fonts:
        assert "monospace" not in font["area"].lower(), font
        assert font["area"].replace(" ", "") == font["content"].replace(" ", ""), font


def test_feedback_colours_have_enough_contrast_in_the_light_theme(classify):
    spec, widget, rows = classify["spec"], classify["widget"], classify["rows"]
    for row, item in rows[3:6]:  # some right, one wrong, the rest left blank: every verdict
        toggle(row, item.label).click()
    row, item = rows[6]
    toggle(row, next(x for x in spec.labels if x != item.label)).click()
    button(widget, "Check").click()
    expect_text(widget, r"Score:")
    measured = widget.locator(FEEDBACK).evaluate_all(CONTRAST)
    kinds = {m["css"].split()[0] for m in measured}
    assert {"cak-ok", "cak-bad", "cak-miss", "cak-note"} <= kinds, kinds
    low = [m for m in measured if m["ratio"] < AAA]
    assert not low, f"feedback under {AAA}:1 contrast: {low}"


def test_feedback_stays_readable_in_the_dark_theme(lab: LabPage, classify):
    widget = classify["widget"]
    lab.command("apputils:change-theme", {"theme": "JupyterLab Dark"})
    try:
        lab.page.wait_for_function(
            "() => document.body.dataset.jpThemeLight === 'false'", timeout=15_000
        )
        lab.page.wait_for_timeout(500)
        measured = widget.locator(FEEDBACK).evaluate_all(CONTRAST)
    finally:
        lab.command("apputils:change-theme", {"theme": "JupyterLab Light"})
        lab.page.wait_for_function(
            "() => document.body.dataset.jpThemeLight === 'true'", timeout=15_000
        )
    low = [m for m in measured if m["ratio"] < AA]
    assert not low, f"feedback under {AA}:1 contrast in the dark theme: {low}"


# --------------------------------------------------------------------------- lesson 03's Matrix

LESSON_03 = "03-align-your-aspirations"
#: The cell value the page shows before the learner rates (course.learner.widgets.NOT_RATED).
NOT_RATED = "not rated"
#: The text of a select's chosen option (ipywidgets writes its spaces as no-break spaces).
SELECTED = (
    "s => s.selectedOptions.length"
    " ? s.selectedOptions[0].textContent.replace(/\\u00a0/g, ' ').trim() : ''"
)


ASPIRATIONS = {
    "aspiration-1": "Lead analytics work that helps hospitals prevent illness",
    "aspiration-2": "Teach clinicians to read data with confidence",
}


def open_matrix(lab: LabPage, lab_root) -> tuple[str, Any, Any]:
    """Lesson 03 run with two aspirations already written: (path, panel, the Matrix widget)."""
    from course.learner import profile
    from course.learner.answers import AnswerStore

    path = lesson_path(lab_root, LESSON_03)
    AnswerStore(LESSON_03, lab_root / "notebooks").set(profile.ASPIRATIONS_FORM, ASPIRATIONS)
    panel = lab.open(path)
    lab.run_all(path)
    return path, panel, exercise(panel, "Alignment matrix")


def test_matrix_cells_are_named_keyboard_operable_and_show_their_state(lab: LabPage, lab_root):
    """Each cell is a native drop-down named by its row and column, one Tab stop each; Space
    opens it, the arrow keys and Enter rate it, Home and End too; the chosen level shows as text
    (docs/accessibility.md, finding 3). A plain arrow key on a closed drop-down is JupyterLab's
    "next cell" shortcut (finding 7), so the keyboard path opens the list first."""
    from course.learner import profile

    answers = lab_root / "notebooks" / f"{LESSON_03}.answers.json"
    path, panel, widget = open_matrix(lab, lab_root)
    try:
        cells = widget.get_by_role("combobox")
        count = cells.count()
        assert count >= 2 * 3 and count % 2 == 0, f"two rows of cells expected, found {count}"
        names = [cells.nth(n).evaluate("s => s.labels[0].textContent") for n in range(count)]
        half = count // 2
        assert all(name.startswith("Aspiration 1 \u00d7 ") for name in names[:half]), names
        assert all(name.startswith("Aspiration 2 \u00d7 ") for name in names[half:]), names
        assert len(set(names)) == count, "every cell has its own name"
        first, second = cells.nth(0), cells.nth(1)
        expect(first).to_have_accessible_name(names[0])
        shown = [cells.nth(n).evaluate(SELECTED) for n in range(count)]
        assert shown == [NOT_RATED] * count, shown

        before = notebook_mode(lab, panel)
        first.focus()
        for key in ("Space", "ArrowDown", "ArrowDown", "Enter"):  # open, "0 none", "1 some"
            lab.page.keyboard.press(key)
        assert wait_for(lambda: first.evaluate(SELECTED) == "1 some"), first.evaluate(SELECTED)
        assert first.evaluate("s => s === document.activeElement"), "focus stays on the cell"
        row_id = profile.matrix_rows(ASPIRATIONS)[0][0]
        saved = wait_for(lambda: read_answers(answers).get(profile.MATRIX))
        assert saved and list(saved) == [row_id] and list(saved[row_id].values()) == [1], saved
        col_id = next(iter(saved[row_id]))

        lab.page.keyboard.press("Tab")  # one Tab stop per cell
        assert second.evaluate("s => s === document.activeElement"), "Tab reaches the next cell"
        lab.page.keyboard.press("End")  # "2 strong"
        assert wait_for(lambda: second.evaluate(SELECTED) == "2 strong")
        assert wait_for(lambda: len(read_answers(answers)[profile.MATRIX][row_id]) == 2)
        assert read_answers(answers)[profile.MATRIX][row_id][col_id] == 1
        after = notebook_mode(lab, panel)
        assert after == before == {"command": True, "cells": before["cells"]}, (
            f"the keys reached JupyterLab's notebook shortcuts (before {before}, after {after})"
        )

        measured = cells.evaluate_all(CONTRAST)
        low = [m for m in measured if m["ratio"] < AAA]
        assert not low, f"a cell's text is under {AAA}:1: {low}"
        # The control's edge (WCAG 1.4.11: 3:1) and a focus ring that is not just a colour shift.
        edges = cells.evaluate_all(
            CONTRAST.replace("getComputedStyle(n).color", "getComputedStyle(n).borderTopColor")
        )
        assert all(e["ratio"] >= 3 for e in edges), f"a cell's border is under 3:1: {edges[:2]}"
        now = focused(lab)
        assert now["tag"] == "SELECT" and now["outline"], f"no focus ring on the cell: {now}"
        button(widget, "Check").click()
        expect_text(widget, rf"2 of {count} cells rated")
        lab.snapshot(widget, f"{LESSON_03}-matrix")
    finally:
        lab.close_and_shutdown(path)


@pytest.mark.xfail(
    strict=True,
    reason="finding 7: in command mode JupyterLab takes a plain arrow key on a drop-down "
    "(or a radio) as 'move to the next cell'",
)
def test_a_plain_arrow_key_changes_a_matrix_cell(lab: LabPage, lab_root):
    path, _panel, widget = open_matrix(lab, lab_root)
    try:
        cell = widget.get_by_role("combobox").first
        cell.focus()
        lab.page.keyboard.press("ArrowDown")
        assert wait_for(lambda: cell.evaluate(SELECTED) == "0 none", timeout=3)
    finally:
        lab.close_and_shutdown(path)
