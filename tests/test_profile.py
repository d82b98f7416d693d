"""The learner's profile across lessons (course.learner.profile), and the widgets that collect it.

Lesson 02 saves a company profile (or the choice of a practice company) that lesson 03, the
coach and the prep sheet read back; lesson 03 rates aspirations against it in a Matrix.
"""

from __future__ import annotations

import json

import pytest

from course.learner import checks, content, profile
from course.learner import widgets as w
from course.learner.answers import AnswerFileWarning, AnswerStore

SCRIPT = '<script>alert("pwned")</script>'

WORKSHEET = {
    "name": "Kestrel Transit",
    "industry": "public transport",
    "role": "Junior Operations Planner",
    "values": "- passengers first\n\n* open data\n\u2022 passengers first\n",
    "plans": "launch an electric fleet\r\nopen a passenger app",
    "skills": "SQL",
    "sources": "values page",
}


@pytest.fixture(autouse=True)
def _not_grading(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)


def research(folder, **answers):
    store = AnswerStore(profile.RESEARCH_LESSON, folder)
    for exercise_id, value in answers.items():
        store.set(exercise_id, value)
    return store


# --------------------------------------------------------------------------- company profile


def test_a_worksheet_becomes_a_profile_one_entry_per_line():
    result = profile.profile_from_form(WORKSHEET)
    assert result == {
        "name": "Kestrel Transit",
        "industry": "public transport",
        "role": "Junior Operations Planner",
        "values": ["passengers first", "open data"],  # bullets, blanks and repeats dropped
        "plans": ["launch an electric fleet", "open a passenger app"],
        "skills": ["SQL"],
    }
    # The coach reads this format, and so does the content validator.
    assert content.parse_company(result, "test", "kestrel").plans == tuple(result["plans"])


def test_an_empty_or_broken_worksheet_is_no_profile():
    assert profile.profile_from_form(None) is None
    assert profile.profile_from_form("Kestrel") is None
    assert profile.profile_from_form({"name": "   ", "values": "\n\n"}) is None
    partial = profile.profile_from_form({"name": "Kestrel", "values": 42})
    assert partial == {
        "name": "Kestrel",
        "industry": "",
        "role": "",
        "values": [],
        "plans": [],
        "skills": [],
    }


def test_huge_input_is_trimmed_to_a_profile_of_sane_size():
    huge = {"name": "x" * 1_000_000, "values": "\n".join(f"value {i}" for i in range(1000))}
    result = profile.profile_from_form(huge)
    assert len(result["name"]) == profile.MAX_CHARS and result["name"].endswith("\u2026")
    assert len(result["values"]) == profile.MAX_ITEMS


def test_no_answers_file_means_no_company(tmp_path):
    assert profile.company_from_answers(tmp_path) is None


def test_the_learners_own_research_is_read_back(tmp_path):
    research(tmp_path, **{profile.CHOICE: profile.OWN, profile.PROFILE_FORM: WORKSHEET})
    assert profile.company_from_answers(tmp_path)["name"] == "Kestrel Transit"


def test_a_practice_company_can_be_picked_instead(tmp_path):
    research(tmp_path, **{profile.CHOICE: "solvane-energy", profile.PROFILE_FORM: WORKSHEET})
    assert profile.company_from_answers(tmp_path) == content.company("solvane-energy").as_mapping()


def test_an_unknown_choice_falls_back_to_the_worksheet(tmp_path):
    research(tmp_path, **{profile.CHOICE: "../../etc/passwd", profile.PROFILE_FORM: WORKSHEET})
    assert profile.company_from_answers(tmp_path)["name"] == "Kestrel Transit"
    research(tmp_path, **{profile.CHOICE: ["not", "text"]})
    assert profile.company_from_answers(tmp_path)["name"] == "Kestrel Transit"


def test_a_corrupt_answers_file_reads_as_no_company_and_is_kept(tmp_path):
    path = tmp_path / "02-research-the-company.answers.json"
    path.write_text("{ not json", encoding="utf-8")
    with pytest.warns(AnswerFileWarning):
        assert profile.company_from_answers(tmp_path) is None
    assert list(tmp_path.glob("*.bak-*")), "the unreadable file is kept aside"


def test_the_choice_offers_own_research_and_every_practice_company():
    options = profile.choice_options()
    assert options[0][0] == profile.OWN
    assert [o for o, _ in options[1:]] == list(content.companies())
    assert all("fictional" in label for _, label in options[1:])


def test_profile_html_escapes_every_entry():
    html = profile.profile_html(
        {"name": SCRIPT, "industry": "x", "role": "", "values": [SCRIPT], "plans": [], "skills": []}
    )
    assert "<script>" not in html and html.count("&lt;script&gt;") == 2
    assert "none yet" in html
    assert "No company profile yet" in profile.profile_html(None)


# --------------------------------------------------------------------------- lesson 01


def test_the_stepping_stone_worksheet_becomes_time_line_entries():
    entries = profile.timeline_entries(
        {"aspiration": "Lead a ward", "goal": "Mentor two nurses", "months": "about 18 months"}
    )
    assert entries == [
        {"text": "Lead a ward", "kind": "aspiration", "mine": True},
        {"text": "Mentor two nurses", "kind": "goal", "months": 18.0, "mine": True},
    ]
    no_number = profile.timeline_entries({"goal": "Mentor", "months": "soon"})
    assert no_number == [{"text": "Mentor", "kind": "goal", "months": None, "mine": True}]
    assert profile.timeline_entries({"months": "6"}) == []
    assert profile.timeline_entries(["not", "a", "mapping"]) == []


def test_the_aspiration_from_lesson_01_is_found(tmp_path):
    assert profile.earlier_aspiration(tmp_path) == ""
    AnswerStore(profile.GOALS_LESSON, tmp_path).set(
        "stepping-stone", {"aspiration": " Lead  a ward "}
    )
    assert profile.earlier_aspiration(tmp_path) == "Lead a ward"


# --------------------------------------------------------------------------- alignment

COMPANY = {"values": ["safety", "craft"], "plans": ["offshore wind"], "name": "Solvane"}
ASPIRATIONS = {"aspiration-1": "Lead community energy", "aspiration-2": "", "evidence": "solar"}


def test_rows_and_columns_come_from_the_learners_text():
    rows = profile.matrix_rows(ASPIRATIONS)
    assert [text for _, text in rows] == ["Lead community energy"], "blanks and evidence skipped"
    columns = profile.matrix_columns(COMPANY)
    assert [label for _, label in columns] == [
        "value: safety",
        "value: craft",
        "plan: offshore wind",
    ]
    assert profile.matrix_columns(None) == [] and profile.matrix_rows("text") == []


def test_item_ids_follow_the_exact_text():
    assert profile.item_id("value", "safety first") == profile.item_id("value", " safety   first ")
    assert profile.item_id("value", "safety first") != profile.item_id("value", "safety last")
    assert profile.item_id("value", "x") != profile.item_id("plan", "x")


def test_alignment_is_read_back_as_a_grid(tmp_path):
    rows = profile.matrix_rows(ASPIRATIONS)
    columns = profile.matrix_columns(COMPANY)
    store = AnswerStore(profile.ALIGN_LESSON, tmp_path)
    store.set(profile.ASPIRATIONS_FORM, ASPIRATIONS)
    store.set(profile.MATRIX, {rows[0][0]: {columns[0][0]: 2, columns[2][0]: 0}})
    result = profile.alignment_from_answers(tmp_path, company=COMPANY)
    assert result == {
        "company": "Solvane",
        "aspirations": ["Lead community energy"],
        "columns": ["value: safety", "value: craft", "plan: offshore wind"],
        "grid": [[2, None, 0]],
    }


# --------------------------------------------------------------------------- check_matrix


def test_check_matrix_without_a_key_counts_rated_cells():
    result = checks.check_matrix("m", ["a", "b"], ["x", "y"], {"a": {"x": 0, "y": 2}})
    assert result.summary() == "m: 2/4"
    assert [i.status for i in result.items] == ["correct", "correct", "missing", "missing"]


def test_check_matrix_with_a_key_scores_each_cell():
    key = {"a": {"x": 2, "y": 0}}
    result = checks.check_matrix("m", ["a"], ["x", "y"], {"a": {"x": 2, "y": 1}}, key=key)
    assert result.summary() == "m: 1/2"


def test_check_matrix_reports_bad_values_and_ignores_unknown_ids():
    value = {"a": {"x": True, "y": "2", "gone": 1}, "b": [1], "old-row": {"x": 1}}
    result = checks.check_matrix("m", ["a", "b"], ["x", "y"], value)
    assert result.summary() == "m: not attempted (0/4)"
    assert len(result.problems) == 3  # True, "2", and a row that is not a mapping
    assert checks.check_matrix("m", ["a"], ["x"], "text").problems


# --------------------------------------------------------------------------- widgets


@pytest.fixture
def store(tmp_path):
    return AnswerStore("nb", tmp_path)


def saved(store):
    return json.loads(store.path.read_text(encoding="utf-8"))["answers"]


def html_of(widget) -> str:
    out = []

    def walk(node):
        if isinstance(node, w.W.HTML):
            out.append(node.value)
        for child in getattr(node, "children", ()):
            walk(child)

    walk(widget)
    return "\n".join(out)


def make_matrix(store, **kw):
    return w.Matrix(
        store,
        "matrix",
        [("r1", f"Lead {SCRIPT}"), ("r2", "Teach")],
        [("c1", "value: safety"), ("c2", f"plan: {SCRIPT}")],
        title="Alignment",
        row_heading="Aspiration",
        **kw,
    )


def test_matrix_click_saves_restores_and_reports(store, tmp_path):
    matrix = make_matrix(store)
    matrix.cells[("r1", "c2")].value = 2  # a click
    assert saved(store) == {"matrix": {"r1": {"c2": 2}}}
    assert matrix.grid() == [[None, 2], [None, None]]
    matrix.check_button.click()
    assert "1 of 4 cells rated" in matrix.feedback.value
    assert matrix.summary() == "matrix: 1/4"
    again = make_matrix(AnswerStore("nb", tmp_path))  # a restarted kernel
    assert again.cells[("r1", "c2")].value == 2 and again.value == {"r1": {"c2": 2}}


def test_matrix_labels_are_escaped_and_every_cell_is_labelled(store):
    matrix = make_matrix(store)
    html = html_of(matrix.widget)
    assert "<script>" not in html and html.count("&lt;script&gt;") >= 2
    assert "Aspiration 1: <bdi>Lead" in html and "Column 1: <bdi>value: safety</bdi>" in html
    cell = matrix.cells[("r2", "c1")]
    assert [label for label, _ in cell.options] == ["not rated", "0 none", "1 some", "2 strong"]
    # Named for screen readers by row and column (a plain-text <label for>, never HTML).
    assert cell.description == "Aspiration 2 \u00d7 Column 1: value: safety"
    assert not cell.description_allow_html
    assert matrix.cells[("r1", "c2")].description == f"Aspiration 1 \u00d7 Column 2: plan: {SCRIPT}"


def test_matrix_cells_expose_their_state_and_start_not_rated(store, tmp_path):
    """Each cell is a native drop-down (its chosen level is announced as text), not toggle
    buttons (no checked state, 1.62:1 contrast: docs/accessibility.md, finding 3)."""
    matrix = make_matrix(store)
    for cell in matrix.cells.values():
        assert isinstance(cell, w.W.Dropdown)
        assert cell.label == "not rated" and matrix.value == {}
        assert "cak-sr-label" in cell._dom_classes  # the column label shows above instead
    matrix.cells[("r2", "c2")].value = 0  # "0 none" is a rating, kept apart from not rated
    assert saved(store) == {"matrix": {"r2": {"c2": 0}}}
    matrix.cells[("r2", "c2")].index = 0  # back to "not rated": nothing saved for the cell
    assert saved(store) == {"matrix": {}}
    store.set("matrix", {"r1": {"c1": 1}})
    again = make_matrix(AnswerStore("nb", tmp_path))
    assert again.cells[("r1", "c1")].label == "1 some"
    assert again.cells[("r2", "c1")].label == "not rated"
    again.reset_button.click()
    again.confirm_button.click()  # Reset asks first
    assert all(cell.label == "not rated" for cell in again.cells.values())


def test_matrix_with_a_key_scores_and_with_no_rows_explains(store):
    matrix = make_matrix(store, key={"r1": {"c1": 2}})
    matrix.set_value({"r1": {"c1": 2, "c2": 0}})
    assert matrix.summary() == "matrix: 1/4"
    empty = w.Matrix(store, "empty", [], [("c1", "x")], empty_message="Write an aspiration first.")
    assert "Write an aspiration first." in html_of(empty.widget)
    assert empty.summary() == "empty: not attempted (0/0)"


def test_matrix_shows_bad_saved_values_and_reset_keeps_a_backup(store, tmp_path):
    store.set("matrix", {"r1": {"c1": "lots"}})
    matrix = make_matrix(AnswerStore("nb", tmp_path))
    assert "not one of the levels" in matrix.status.value
    matrix.cells[("r1", "c1")].value = 1
    matrix.reset_button.click()
    matrix.confirm_button.click()  # Reset asks first
    assert matrix.value == {} and "matrix" not in saved(store)
    assert list(tmp_path.glob("nb.answers.json.bak-*"))


def test_pick_saves_one_choice_and_refuses_others(store, tmp_path):
    options = [("own", "My own company"), ("solvane-energy", f"Solvane {SCRIPT}")]
    pick = w.Pick(store, "choice", options, title="Which company?")
    assert pick.summary() == "choice: not chosen"
    pick.radio.value = "solvane-energy"
    assert saved(store) == {"choice": "solvane-energy"}
    pick.check_button.click()
    assert "You chose: Solvane &lt;script&gt;" in pick.feedback.value
    assert pick.summary() == "choice: solvane-energy"
    other = w.Pick(AnswerStore("nb", tmp_path), "choice", options)
    assert other.value == "solvane-energy"
    other.set_value(SCRIPT)
    assert (
        "is not one of the options" in other.status.value and "<script>" not in other.status.value
    )
    assert saved(store) == {"choice": "solvane-energy"}


def test_question_deck_shows_each_question_once_before_repeating():
    questions = ["Why here?", "What next?", SCRIPT]
    deck = w.QuestionDeck(questions, title="Follow-up", seed=1)
    for _ in range(5):
        deck.next_button.click()
    assert sorted(deck.shown[:3]) == sorted(questions), "every question before any repeat"
    assert all(a != b for a, b in zip(deck.shown, deck.shown[1:], strict=False))
    while deck.current != SCRIPT:
        deck.next()
    assert "<script>" not in deck.question.value and "&lt;script&gt;" in deck.question.value
