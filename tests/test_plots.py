"""Figures (learner.plots) and the coach's view (learner.coach_view): data in, figure out."""

from __future__ import annotations

import subprocess
import sys

import pytest

from course import coach, speaking
from course.learner import coach_view, content, plots
from course.learner.answers import AnswerStore
from course.learner.lesson import Lesson

SCRIPT = '<script>alert("pwned")</script>'
MATHS = r"$x^2$ \frac{a}{b} 50% of $5"

ENTRIES = [
    {"text": "Lead a hospital ward known for training nurses", "kind": "aspiration", "mine": True},
    {"text": "Mentor two new nurses", "kind": "goal", "months": 12, "mine": True},
    {"text": "Pass the CFA level 1 exam", "kind": "goal", "months": 6},
    {"text": "Become head of marketing", "kind": "goal", "months": 60},
    {"text": "Write the handbook", "kind": "goal"},
]


def texts(fig) -> list:
    """Every visible Text artist of a figure."""
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def assert_legible(fig) -> None:
    small = [(t.get_text(), t.get_fontsize()) for t in texts(fig) if t.get_fontsize() < 12]
    assert not small, f"text under 12 pt: {small[:3]}"


def assert_png(fig) -> None:
    data = plots.png_bytes(fig)
    assert data.startswith(b"\x89PNG") and len(data) > 5000


@pytest.fixture(autouse=True)
def _not_grading(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)


def test_importing_plots_does_not_import_matplotlib():
    code = (
        "import sys, course.learner.plots, course.learner.coach_view; "
        "import course.learner.profile; "
        "sys.exit('matplotlib' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --------------------------------------------------------------------------- timeline


def test_timeline_labels_its_axes_and_describes_every_entry():
    fig, description = plots.timeline(ENTRIES)
    ax = fig.axes[0]
    assert "Time" in ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1].startswith("You: Lead a hospital ward"), "first entry drawn at the top"
    assert any("CFA" in label for label in labels)
    assert description.startswith("Time line of 4 goals and 1 aspiration")
    assert "your aspiration \u201cLead a hospital ward" in description
    assert "\u201cPass the CFA level 1 exam\u201d (due in 6 months)" in description
    assert "(due in 5 years)" in description and "no deadline yet" in description
    assert description.index("your goal") < description.index("CFA"), "the learner's first"
    assert_legible(fig)
    assert_png(fig)


def test_timeline_uses_the_colour_blind_safe_palette_and_marks_late_goals():
    from matplotlib.colors import to_hex

    fig, _ = plots.timeline(ENTRIES)
    ax = fig.axes[0]
    colours = {to_hex(line.get_color()).upper() for line in ax.get_lines() if line.get_xdata().size}
    assert plots.GOAL_COLOUR in colours
    assert colours <= set(plots.OKABE_ITO.values())
    assert "later" in [t.get_text() for t in ax.texts], "a goal past the dated zone says so"


def test_timeline_draws_any_text_literally():
    fig, description = plots.timeline(
        [{"text": MATHS, "kind": "goal", "months": 3}, {"text": SCRIPT, "kind": "aspiration"}]
    )
    assert_png(fig)  # "$" and "\frac" would break mathtext if it were on
    assert MATHS[:10] in description and SCRIPT in description  # plain text; escaped on display


def test_timeline_of_nothing_still_draws():
    fig, description = plots.timeline([])
    assert_png(fig)
    assert description == "Time line of 0 goals and 0 aspirations."


# --------------------------------------------------------------------------- heatmap

ROWS = ["Change how patients are cared for", "Lead public-health data projects"]
COLUMNS = ["value: patient privacy comes first", "plan: publish open dashboards"]


def test_heatmap_labels_rows_columns_and_every_cell():
    fig, description = plots.alignment_heatmap(ROWS, COLUMNS, [[0, 2], [1, None]])
    ax = fig.axes[0]
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    assert [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()] == COLUMNS
    assert "Change how patients are cared" in ax.get_yticklabels()[0].get_text().replace("\n", " ")
    cells = sorted(t.get_text() for t in ax.texts)
    assert cells == ["0", "1", "2", "?"], "each cell shows its number, not colour alone"
    colorbar = fig.axes[1]
    assert [t.get_text() for t in colorbar.get_yticklabels()] == ["0 none", "1 some", "2 strong"]
    assert "2 aspirations against 2 company values, plans and skills, 3 of 4 rated" in description
    assert "Strongest overall: \u201cChange how patients are cared for\u201d (2 of 4" in description
    assert "with \u201cplan: publish open dashboards\u201d" in description
    assert_legible(fig)
    assert_png(fig)


def test_heatmap_treats_bad_ratings_as_unrated():
    fig, description = plots.alignment_heatmap(ROWS[:1], COLUMNS, [[True, "2"]])
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["?", "?"]
    assert "0 of 2 rated" in description


def test_heatmap_without_data_says_so():
    fig, description = plots.alignment_heatmap([], COLUMNS, [])
    assert "nothing to show yet" in description
    assert_png(fig)


@pytest.mark.parametrize("rows, columns", [([], COLUMNS), (ROWS, []), ([], [])])
def test_an_empty_heatmap_is_a_clean_placeholder_without_axes(rows, columns):
    fig, _description = plots.alignment_heatmap(rows, columns, [])
    (ax,) = fig.axes
    assert not ax.axison, "no frame, ticks or axis labels around the message"
    shown = [t.get_text() for t in texts(fig)]
    assert len(shown) == 1 and shown[0].startswith("Nothing to show yet"), shown
    assert_legible(fig)


# --------------------------------------------------------------------------- radar

CRITERIA = [c.name for c in content.rubric().criteria]


def test_radar_names_every_criterion_and_level():
    fig, description = plots.rubric_radar(CRITERIA, [3, 2, 3, 1, 2, 3])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == CRITERIA
    assert [t.get_text() for t in ax.get_yticklabels()] == ["1", "2", "3"]
    legend = ax.get_legend()
    assert "1 developing, 2 competent, 3 strong" in legend.get_title().get_text()
    assert description.startswith("Radar chart of the draft, 14 of 18:")
    assert "Confidence 1 (developing)" in description and "Concision 3 (strong)" in description
    assert_legible(fig)
    assert_png(fig)


def test_radar_reports_missing_levels_instead_of_inventing_them():
    _fig, description = plots.rubric_radar(CRITERIA, [3, None, 0, 4, True, 2])
    assert description.count("not rated") == 4
    assert "Radar chart of the draft, 5 of 18" in description


# --------------------------------------------------------------------------- show


def test_show_sends_the_png_and_an_escaped_description(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: shown.append(obj))
    fig, _ = plots.timeline(ENTRIES[:1])
    plots.show(fig, f"A description with {SCRIPT}")
    image, caption = shown
    assert image["text/plain"].startswith("[Figure] A description")
    import base64

    assert base64.b64decode(image["image/png"]).startswith(b"\x89PNG")
    assert "&lt;script&gt;" in caption["text/html"] and "<script>" not in caption["text/html"]


# --------------------------------------------------------------------------- coach view

FEEDBACK = {
    "criteria": {
        "aspiration": 3,
        "alignment": 1,
        "relevance": 2,
        "confidence": 3,
        "authenticity": 2,
        "concision": 3,
    },
    "score": 14,
    "words": 150,
    "seconds": 69.2,
    "flags": ["generic_no_company"],
    "tips": ["Tie it to a value."],
}


def test_render_feedback_shows_score_levels_descriptors_flags_and_tips():
    rubric = content.rubric()
    html = coach_view.render_feedback(FEEDBACK, rubric)
    assert "Coach score: 14 of 18" in html
    assert "150 words" in html
    for criterion in rubric.criteria:
        level = FEEDBACK["criteria"][criterion.id]
        assert criterion.levels[level - 1].replace("'", "&#x27;") in html
    assert "1 developing" in html and "3 strong" in html
    assert "Tie it to a value." in html
    # Flags in plain English, never their ids made pretty.
    assert "<li>Nothing ties it to this company</li>" in html
    assert "Generic no company" not in html


def test_every_flag_is_shown_by_its_label():
    html = coach_view.render_feedback({**FEEDBACK, "flags": list(coach.FLAGS)})
    for flag in coach.FLAGS:
        label = coach.FLAG_LABELS[flag]
        assert f"<li>{coach_view.escape(label[:1].upper() + label[1:])}</li>" in html, flag
        assert flag not in html and f"<li>{flag.replace('_', ' ').capitalize()}</li>" not in html


def test_a_criterion_below_3_shows_the_coachs_reason_not_a_contradicting_descriptor():
    rubric = content.rubric()
    concision = next(c for c in rubric.criteria if c.id == "concision")
    why = dict.fromkeys(coach.CRITERIA, "a reason")
    why["concision"] = f"a good length, but {coach.SHAPE_ADVICE}"
    html = coach_view.render_feedback(
        {**FEEDBACK, "criteria": {**FEEDBACK["criteria"], "concision": 2}, "why": why}, rubric
    )
    assert "69 s spoken" in html and "a good length" in html
    assert "Why:</b> A good length, but add a clear shape: aspiration, then how this role " in html
    assert concision.levels[1] not in html, "'somewhat short or long' contradicts a good length"
    # Level 3 rows keep the rubric's descriptor; so does any row the coach gave no reason for.
    aspiration = next(c for c in rubric.criteria if c.id == "aspiration")
    assert aspiration.levels[2].replace("'", "&#x27;") in html
    assert concision.levels[1] in coach_view.render_feedback(
        {**FEEDBACK, "criteria": {**FEEDBACK["criteria"], "concision": 2}}, rubric
    )


def test_the_coach_analyser_passes_its_reasons_to_the_screen():
    company = content.company("northwind-health").as_mapping()
    analysis = coach_view.coach_analyser(company)("I want to lead a team. " * 20)
    assert set(analysis["why"]) == set(coach.CRITERIA)
    html = coach_view.render_feedback(analysis)
    weakest = [c for c, level in analysis["criteria"].items() if level < 3]
    assert weakest and all(
        coach_view.escape(coach_view._sentence(analysis["why"][c])) in html for c in weakest
    )


def test_render_feedback_escapes_everything_and_survives_bad_data():
    bad = {
        "criteria": {"aspiration": SCRIPT, "alignment": 7, "relevance": True},
        "score": SCRIPT,
        "words": 3,
        "seconds": 1.0,
        "flags": [SCRIPT, 5],
        "tips": [SCRIPT, None],
    }
    html = coach_view.render_feedback(bad)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Coach score: ? of 18" in html
    assert html.count("not rated") == 6
    assert "No feedback" in coach_view.render_feedback(None)  # type: ignore[arg-type]
    assert "Start typing" in coach_view.render_feedback({**FEEDBACK, "words": 0})


def test_rubric_table_comes_from_the_rubric_file():
    html = coach_view.rubric_html()
    for criterion in content.rubric().criteria:
        assert criterion.name in html
        for text in criterion.levels:
            assert text.replace("'", "&#x27;") in html


def test_length_advice_is_computed_from_the_speaking_constants(monkeypatch):
    text = coach_view.length_advice_markdown()
    words = speaking.words_for_seconds(speaking.ADVISED_MAX_SECONDS)
    assert f"{speaking.ADVISED_MIN_SECONDS} to {speaking.ADVISED_MAX_SECONDS} seconds" in text
    assert f"to {words} words" in text
    monkeypatch.setattr(speaking, "ADVISED_MAX_SECONDS", 100)
    assert "to 100 seconds" in coach_view.length_advice_markdown()


@pytest.fixture
def lesson(tmp_path):
    return Lesson("05-draft-your-answer", folder=tmp_path)


def chart_of(draft) -> tuple[str, str]:
    """(PNG base64, caption HTML) shown in the draft's chart, or ('', '')."""
    outputs = draft.chart.outputs
    if not outputs:
        return "", ""
    image, caption = (o["data"] for o in outputs)
    return image["image/png"], caption["text/html"]


def test_coach_draft_gives_live_feedback_saves_and_redraws_the_radar(lesson):
    import base64

    company = content.company("northwind-health").as_mapping()
    draft = coach_view.coach_draft(lesson, "draft-answer", company, title="Your answer")
    assert draft.chart is not None and draft.chart in draft.widget.children
    assert chart_of(draft) == ("", ""), "no chart of an empty draft"
    text = (
        "In the long run I want to become an analyst whose work changes how patients are cared "
        "for. At Northwind I would grow into preventive-care analytics, working with clinicians."
    )
    draft.text.value = text  # what typing does (no event loop here: analysed at once)
    assert "Coach score:" in draft.live.value and "Alignment" in draft.live.value
    png, caption = chart_of(draft)
    assert base64.b64decode(png).startswith(b"\x89PNG")
    assert "Figure:</i> Radar chart of the draft" in caption
    assert AnswerStore("05-draft-your-answer", lesson.store.folder).get("draft-answer") == text
    summary = draft.summary()
    assert summary.startswith("draft-answer: ") and "coach score" in summary
    draft.text.value = "   "
    assert chart_of(draft) == ("", ""), "clearing the draft clears the chart"


def test_coach_draft_check_gives_the_score_and_what_to_work_on_first(lesson):
    company = content.company("northwind-health").as_mapping()
    draft = coach_view.coach_draft(lesson, "draft-answer", company, chart=False)
    draft.check_button.click()
    assert "Nothing to check yet" in draft.feedback.value
    draft.set_value("I want to lead a team. " * 12)
    draft.check_button.click()
    shown = draft.feedback.value
    analysis = draft.last_analysis
    assert f"Coach score {analysis['score']} of 18." in shown
    lowest = min(analysis["criteria"].values())
    first = next(c for c in content.rubric().criteria if analysis["criteria"][c.id] == lowest)
    assert f"Work on <b>{first.name}</b> first (level {lowest} of 3)" in shown
    assert coach_view.escape(coach_view._sentence(analysis["why"][first.id])) in shown
    assert coach_view.escape(coach.CRITERION_TIPS[first.id]) in shown


def test_coach_draft_escapes_hostile_drafts(lesson):
    draft = coach_view.coach_draft(lesson, "draft-answer", {"name": SCRIPT, "values": [SCRIPT]})
    draft.set_value(SCRIPT * 20 + " \U0001f600 مرحبا")
    assert "<script>" not in draft.live.value and "Coach score" in draft.live.value
    assert "<script>" not in chart_of(draft)[1]


def test_no_chart_under_nbgrader(lesson, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    draft = coach_view.coach_draft(lesson, "draft-answer", None)
    assert draft.chart is None
    assert not any(type(w).__name__ == "Output" for w in draft.widget.children)


def test_an_empty_draft_reads_not_attempted(lesson):
    draft = coach_view.coach_draft(lesson, "draft-answer", None, chart=False)
    assert draft.summary() == "draft-answer: not attempted (0 words)"


def test_emoji_and_other_missing_glyphs_draw_without_warnings():
    import warnings

    emoji = "Lead \U0001f680 projects \U0001f600"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fig, _ in (
            plots.timeline([{"text": emoji, "kind": "aspiration"}]),
            plots.alignment_heatmap([emoji], [emoji], [[1]]),
            plots.rubric_radar([emoji] * 3, [1, 2, 3]),
        ):
            assert_png(fig)
