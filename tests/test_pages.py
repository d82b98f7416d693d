"""Pages from templates (learner.pages) and the one figure style (learner.style)."""

from __future__ import annotations

import subprocess
import sys

from course.learner import pages, plots, style

HOSTILE = '<script>alert("x")</script> & "quotes" \u202eevil'


def report_page(**changes: object) -> str:
    context: dict[str, object] = {
        "names": False,
        "learners": [
            {"label": HOSTILE, "scores": ["3/4", "-"], "total": "3/8", "flags": [HOSTILE]},
            {"label": "Learner 2", "scores": ["-", "-"], "total": "0/8", "flags": []},
        ],
        "handed_in": 1,
        "columns": ["01", "02"],
        "exercises": ["01-x", "02-y"],
        "unset": ["03-z"],
        "summary": [{"name": "01-x", "handed_in": 1, "figures": ["75%"] * 4, "flagged": 1}],
        "rubric_ungraded": 2,
        "figures": [{"file": "a.png", "title": "A", "description": HOSTILE}],
        "misconceptions": [],
        "provenance": {
            "kit_version": "1",
            "git_commit": "abc",
            "generated": "now",
            "exercises": {"01-x": {"release": "f" * 64, "same": False}},
        },
    }
    context.update(changes)
    return pages.render("report/index.html.j2", **context)


def test_the_report_template_escapes_every_value():
    page = report_page()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'alt="&lt;script&gt;alert(&#34;x&#34;)' in page  # attributes too
    assert "DIFFERENT from the kit exercises/" in page
    assert "Exercises set in this workshop: 01-x, 02-y." in page
    assert "Not set, so not counted: 03-z." in page
    assert "2 rubric cells are still to be graded by hand" in page
    assert "body {font-family" in page, "the CSS beside the template is inlined"
    assert "Learner ids are hidden" in page


def test_the_report_template_says_when_nobody_was_flagged():
    quiet = [{"label": "Learner 1", "scores": ["-", "-"], "total": "-", "flags": []}]
    page = report_page(learners=quiet, rubric_ungraded=0)
    assert "No learner was flagged." in page and "still to be graded" not in page


def test_pages_and_style_load_neither_jinja2_nor_matplotlib_until_used():
    code = (
        "import sys, course.learner.pages, course.learner.style, course.learner.plots\n"
        "print([m for m in ('jinja2', 'matplotlib') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


def test_plots_and_the_report_share_one_palette():
    from course.grader import report

    assert plots.OKABE_ITO is style.OKABE_ITO
    assert set(style.SERIES) <= set(style.OKABE_ITO.values())
    assert report.style is style
    assert style.series_colour(["a", "b"], "b") == style.SERIES[1]
    assert style.series_colour(["a"], "z") == style.NEUTRAL
    assert min(v for k, v in style.rc().items() if k.endswith("size")) >= style.MIN_FONT_SIZE
