"""Every lesson in a real JupyterLab: Run All from the menu, no errors, every widget rendered."""

from __future__ import annotations

import pytest
from labkit import LESSONS, WIDGET_FAILURES, LabPage, lesson_path

pytestmark = pytest.mark.browser

#: Lessons that quote a (fictional) company page in a Choose exercise.
WITH_COMPANY_PAGE = ("02-research-the-company", "03-align-your-aspirations")
#: Line height over font size of each paragraph of a quoted page (about 1.6 reads as normal;
#: ipywidgets' 28 px line height on 13 px text is 2.15, which reads as double-spaced).
LINE_SPACING = """ns => ns.map(n => {
  const s = getComputedStyle(n);
  return {text: n.textContent.slice(0, 40), breaks: n.querySelectorAll('br').length,
          ratio: parseFloat(s.lineHeight) / parseFloat(s.fontSize)};
})"""


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_runs_clean_in_jupyterlab(lab: LabPage, lab_root, lesson: str):
    path = lesson_path(lab_root, lesson)
    panel = lab.open(path)
    page_errors = len(lab.page_errors)
    try:
        state = lab.run_all(path)
        shown = lab.rendered(path)
        picture = lab.screenshot(panel, lesson)
        print(f"screenshot: {picture}")
        problems = [f"cell {e['cell']} {e['kind']}: {e['text'][:300]}" for e in state["errors"]]
        problems += [f"stderr rendered: {text[:300]}" for text in shown["stderr"]]
        assert not problems, f"{lesson} shows errors after Run All:\n" + "\n".join(problems)
        assert not state["notRun"], f"{lesson}: code cells {state['notRun']} did not run"
        failures = [text for text in WIDGET_FAILURES if text in shown["text"]]
        assert not failures, f"{lesson}: a widget did not render ({failures})"
        assert shown["widgets"] == state["widgetViews"], (
            f"{lesson}: the kernel sent {state['widgetViews']} widget views, "
            f"the page shows {shown['widgets']}"
        )
        assert not state["shownTwice"], (
            f"{lesson}: {len(state['shownTwice'])} widget(s) displayed twice: a cell that ends "
            "with L.quiz(...)/L.classify(...) shows the returned exercise again (end it with ';')"
        )
        if lesson != LESSONS[0]:
            assert shown["boxes"] >= 1, f"{lesson} shows no widget at all"
        spacing = panel.locator(".cak-context p").evaluate_all(LINE_SPACING)
        if lesson in WITH_COMPANY_PAGE:
            assert spacing, f"{lesson} shows no quoted company page"
        double = [s for s in spacing if s["ratio"] > 1.8 or s["breaks"]]
        assert not double, f"{lesson}: the quoted page is double-spaced: {double[:2]}"
        assert not lab.page_errors[page_errors:], f"JavaScript errors: {lab.page_errors}"
    finally:
        lab.close_and_shutdown(path)
