"""LMS export: the workshop's grades in Canvas's and Moodle's gradebook import layouts.

tests/data/lms/ holds nbgrader's grades.csv of a class of three (bob handed nothing in, chloé's
name is accented), its roster, and the file each format must produce.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from course.errors import KitError
from course.facilitator.export import export, read_grades, render

DATA = Path(__file__).parent / "data" / "lms"
ROSTER = [
    {"id": "alice", "first_name": "Alice", "last_name": "Smith", "email": "alice@example.org"},
    {"id": "bob", "first_name": "Bob", "last_name": "Jones", "email": "bob@example.org"},
    {"id": "chloe", "first_name": "Chloé", "last_name": "Martin", "email": "chloe@example.org"},
]


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.parametrize("format", ["canvas", "moodle", "csv"])
def test_each_format_matches_its_sample(format: str) -> None:
    book = read_grades(DATA / "grades.csv", ROSTER)
    expected = (DATA / f"expected-{format}.csv").read_bytes().decode("utf-8")
    assert "\ufeff" + render(book, format) == expected


def test_canvas_layout_maps_the_roster_to_canvas_identifiers() -> None:
    rows = _rows(render(read_grades(DATA / "grades.csv", ROSTER), "canvas"))
    header, points, *learners = rows
    assert header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert header[5:] == ["01-aspirations-vs-goals", "02-research-the-company"]
    assert points[0].strip() == "Points Possible" and points[5:] == ["12", "10"]
    by_sis = {row[2]: row for row in learners}
    assert by_sis["chloe"][0] == "Martin, Chloé"
    assert by_sis["chloe"][3] == "chloe@example.org"
    assert by_sis["chloe"][5:] == ["7.5", "0"]  # a zero is a score, not a blank
    assert by_sis["bob"][5:] == ["", ""]  # on the roster, nothing handed in: left blank


def test_moodle_rows_are_keyed_by_email_username_and_idnumber() -> None:
    header, *learners = _rows(render(read_grades(DATA / "grades.csv", ROSTER), "moodle"))
    assert header[:3] == ["Email address", "Username", "ID number"]
    assert [row[:3] for row in learners] == [
        ["alice@example.org", "alice", "alice"],
        ["bob@example.org", "bob", "bob"],
        ["chloe@example.org", "chloe", "chloe"],
    ]


def test_a_learner_graded_but_not_on_the_roster_keeps_the_gradebook_names() -> None:
    book = read_grades(DATA / "grades.csv", ROSTER[:1])
    ids = [learner["id"] for learner in book.learners]
    assert ids == ["alice", "chloe"]
    assert book.learners[1]["first_name"] == "Chloé"


def test_grades_saved_by_excel_in_windows_encoding_still_read(tmp_path: Path) -> None:
    text = (DATA / "grades.csv").read_text(encoding="utf-8-sig")
    path = tmp_path / "grades.csv"
    path.write_bytes(text.encode("cp1252"))
    book = read_grades(path, [])
    assert book.score("chloe", "01-aspirations-vs-goals") == 7.5
    assert {e["first_name"] for e in book.learners} == {"Alice", "Chloé"}


def test_unknown_format_and_missing_grades_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(KitError, match="choose one of canvas, moodle, csv"):
        render(read_grades(DATA / "grades.csv", ROSTER), "blackboard")
    with pytest.raises(KitError, match="grade the workshop first"):
        read_grades(tmp_path / "grades.csv", ROSTER)


def test_export_reads_the_workshop_roster_and_writes_utf8_with_a_bom(tmp_path: Path) -> None:
    """A real nbgrader gradebook holds the roster; the file goes where -o says."""
    pytest.importorskip("nbgrader")
    from course.grader.workshop import COURSE_ID, Workshop, add_learners

    root = tmp_path / "ws"
    root.mkdir()
    (root / "nbgrader_config.py").write_text("c = get_config()\n", encoding="utf-8")
    workshop = Workshop(root)
    from nbgrader.api import Gradebook

    with Gradebook(workshop.db_url, COURSE_ID):
        pass
    add_learners(workshop, ROSTER)
    shutil.copy(DATA / "grades.csv", root / "grades.csv")
    out = export(root, "canvas", tmp_path / "to-canvas.csv")
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data == (DATA / "expected-canvas.csv").read_bytes()
    default = export(root, "moodle")
    assert default == root / "grades-moodle.csv"


LAYLA = {  # Layla Haddad al-Ahmad, right to left; the roster of an older workshop broke a line
    "canvas": ["حداد الأحمد, ليلى", "", "layla", "layla", "", "4", "3"],
    "moodle": ["", "layla", "layla", "ليلى", "حداد الأحمد", "4", "3"],
    "csv": ["layla", "ليلى", "حداد الأحمد", "", "4", "3", "7", "8"],
}


@pytest.mark.parametrize("format", ["canvas", "moodle", "csv"])
def test_a_line_break_in_a_name_never_splits_a_row(tmp_path: Path, format: str) -> None:
    """Names from an older roster, or in grades.csv: one row per learner on one line, and a
    right-to-left name kept as written (the csv module quotes whatever needs it)."""
    grades = tmp_path / "grades.csv"
    grades.write_text(
        "assignment,duedate,timestamp,student_id,last_name,first_name,email,raw_score,"
        "late_submission_penalty,score,max_score\n"
        '01-x,,,ana,"López\r",Ana,ana@example.org,3.0,0.0,3.0,4.0\n'
        '01-x,,,layla,"حداد\nالأحمد",ليلى,,4.0,0.0,4.0,4.0\n'
        "02-y,,,ana,López,Ana,ana@example.org,4.0,0.0,4.0,4.0\n"
        '02-y,,,layla,"حداد\nالأحمد",ليلى,,3.0,0.0,3.0,4.0\n',
        encoding="utf-8",
    )
    roster = [
        {
            "id": "ana",
            "first_name": "Ana\nMaría",
            "last_name": "López\r",
            "email": "ana@example.org",
        },
        {"id": "layla", "first_name": "ليلى", "last_name": "حداد\u2028الأحمد"},
    ]
    for given in (roster, None):
        text = render(read_grades(grades, given), format)
        assert "\n" not in text.replace("\r\n", "") and "\r" not in text.replace("\r\n", "")
        rows = _rows(text)
        assert len(rows) == text.count("\r\n") == (4 if format == "canvas" else 3)
        assert rows[-1] == LAYLA[format]
    ana = _rows(render(read_grades(grades, roster), "csv"))[1]
    assert ana == ["ana", "Ana María", "López", "ana@example.org", "3", "4", "7", "8"]
