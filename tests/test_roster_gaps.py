"""Two roster gaps a facilitator meets with a real class.

1. A learner folder put in submitted/ by hand, whose learner is on no roster, is graded (nothing
   is lost) but flagged "not on the roster" with what to do: in what `grade` returns and prints,
   in the class report and in the LMS export; the flag lasts until a roster names them or the
   folder is renamed, and then goes.
2. A name with a comma ("Smith, Jane" on the roster, "Smith, Jr." as a last name) keeps every
   score in its column: nbgrader's CSV export quotes nothing, so the row shifted and the LMS
   export read the late penalty (0) as the score.

The gradebook tests use a real nbgrader gradebook (no kernel); the last test grades for real.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from kit_tools import run_kit

from course.facilitator.export import read_grades, render
from course.grader.workshop import read_roster

ROOT = Path(__file__).resolve().parents[1]
A01 = "01-aspirations-vs-goals"
DATA = ROOT / "tests" / "data" / "lms"
ADD = "python -m course workshop roster DIR --update CSV"


def table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def gradebook_workshop(root: Path, learners: list[dict[str, str]], points: dict[str, float]):
    """A workshop folder with a real gradebook: exercise 01 (4 points), learners, their scores."""
    from course.grader.workshop import Workshop, add_learners

    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(root)!r}\n"
        f"c.CourseDirectory.source_directory = {str(ROOT / 'solutions')!r}\n",
        encoding="utf-8",
    )
    workshop = Workshop(root)
    with workshop.gradebook() as gb:
        gb.add_assignment(A01)
        gb.add_notebook(A01, A01)
        gb.add_grade_cell("statements", A01, A01, max_score=4, cell_type="code")
    add_learners(workshop, learners)
    with workshop.gradebook() as gb:
        for learner, score in points.items():
            for notebook in gb.add_submission(A01, learner).notebooks:
                for grade in notebook.grades:
                    grade.auto_score = score
        gb.db.commit()
    workshop.set_exercises([A01])
    return workshop


# --------------------------------------------------------------------------- names with commas


def test_a_last_comma_first_name_on_the_roster_is_read_as_first_and_last(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        'Name,Email\n"Smith, Jane",jane@example.org\nAnn Lee,ann@example.org\n"Ng, Bo",\n',
        encoding="utf-8",
    )
    learners = {entry["id"]: entry for entry in read_roster(roster)}
    assert learners["jane"]["first_name"] == "Jane" and learners["jane"]["last_name"] == "Smith"
    assert learners["ann"]["first_name"] == "Ann" and learners["ann"]["last_name"] == "Lee"
    assert learners["bo-ng"] == {"id": "bo-ng", "first_name": "Bo", "last_name": "Ng"}


def test_a_comma_in_a_name_keeps_every_score_in_its_column(tmp_path):
    """nbgrader writes 'Smith, Jr.' unquoted; grades.csv and every LMS file keep Jane's 3."""
    pytest.importorskip("nbgrader")
    from course.facilitator.export import export
    from course.grader.grading import export_csv

    learners = [
        {"id": "ann", "first_name": "Ann", "last_name": "Lee"},
        {"id": "jane", "first_name": "Jane", "last_name": "Smith, Jr.", "email": "j@example.org"},
        {"id": "kim", "first_name": "Kim, Lee", "last_name": 'O"Hara'},
    ]
    workshop = gradebook_workshop(tmp_path / "ws", learners, {"ann": 2, "jane": 3, "kim": 1})
    rows = {
        row["student_id"]: row
        for row in csv.DictReader(export_csv(workshop).read_text("utf-8-sig").splitlines())
    }
    assert [rows[who]["score"] for who in ("ann", "jane", "kim")] == ["2.0", "3.0", "1.0"]
    assert {rows[who]["max_score"] for who in rows} == {"4.0"}
    assert rows["jane"]["last_name"] == "Smith, Jr." and rows["jane"]["email"] == "j@example.org"
    assert rows["kim"]["first_name"] == "Kim, Lee" and rows["kim"]["last_name"] == 'O"Hara'
    assert all(None not in row for row in rows.values()), "no spilled columns"
    canvas = table(export(workshop.root, "canvas").read_text("utf-8"))
    assert canvas[3] == ["Smith, Jr., Jane", "", "jane", "j@example.org", "", "3"]
    moodle = table(export(workshop.root, "moodle").read_text("utf-8"))
    assert moodle[2] == ["j@example.org", "jane", "jane", "Jane", "Smith, Jr.", "3"]
    plain = table(export(workshop.root, "csv").read_text("utf-8"))
    assert plain[3] == ["kim", "Kim, Lee", 'O"Hara', "", "1", "1", "4"]


# --------------------------------------------------------------------------- not on the roster


def test_lms_files_leave_out_a_learner_not_on_the_roster_and_the_table_marks_them():
    roster = [{"id": "alice"}, {"id": "bob"}]  # chloé's grades are in grades.csv only
    book = read_grades(DATA / "grades.csv", roster)
    assert book.unlisted == ["chloe"]
    assert [row[2] for row in table(render(book, "canvas"))[2:]] == ["alice", "bob"]
    assert [row[1] for row in table(render(book, "moodle"))[1:]] == ["alice", "bob"]
    plain = table(render(book, "csv"))
    assert plain[0][-1] == "note" and [row[-1] for row in plain[1:]] == [
        "",
        "",
        "not on the roster",
    ]
    assert plain[3][:5] == ["chloe", "Chloé", "Martin", "chloe@example.org", "7.5"]
    assert read_grades(DATA / "grades.csv", None).unlisted == [], "no roster: nobody flagged"
    assert "note" not in table(render(read_grades(DATA / "grades.csv", None), "csv"))[0]


def test_the_intake_and_grading_say_the_same_thing_with_a_command_that_runs():
    from course.grader.grading import NOT_ON_ROSTER
    from course.grader.intake import match_learner

    found, why = match_learner("alcie", [{"id": "alice"}, {"id": "bob"}])
    assert found is None
    assert (
        why == f"'alcie' is not on the roster (did you mean 'alice'?): rename it to the "
        f"learner's roster id, or add them with `{ADD}`"
    )
    assert "rename the folder to the learner's roster id, or add them with" in NOT_ON_ROSTER
    assert ADD in NOT_ON_ROSTER


def test_folders_on_no_roster_are_kept_apart_until_a_roster_names_them(tmp_path):
    """grading._learners on a real gradebook: who is graded, who is flagged, who leaves."""
    pytest.importorskip("nbgrader")
    from course.grader.grading import _learners
    from course.grader.workshop import (
        unlisted_folders,
        unlisted_learners,
        update_roster,
    )

    roster = [
        {"id": "ann", "first_name": "Ann", "last_name": "Lee"},
        {"id": "jane", "first_name": "Jane", "last_name": "Smith", "email": "jsmith@example.org"},
    ]
    workshop = gradebook_workshop(tmp_path / "ws", roster, {})
    for folder in ("ann", "jdoe", "jsmith", "anne", "Jane Smith"):
        (workshop.submitted / folder / A01).mkdir(parents=True)
    learners, advice, gone = _learners(workshop)
    assert learners == ["Jane Smith", "ann", "anne", "jane", "jdoe", "jsmith"] and gone == []
    assert unlisted_learners(workshop) == ["anne", "jdoe", "jsmith"]
    assert advice["jdoe"] == (
        "'jdoe' is not on the roster: rename submitted/jdoe/ to the learner's roster id, or add "
        f"them with `{ADD}`, then grade again"
    )
    assert "(did you mean 'ann'?)" in advice["anne"]
    assert advice["jsmith"].startswith("'jsmith' is not on the roster, but looks like 'jane'")
    assert "rename submitted/jsmith/ to submitted/jane/" in advice["jsmith"]
    assert advice["Jane Smith"] == (
        "'Jane Smith' is not on the roster, but looks like 'jane' (name or email): rename "
        "submitted/Jane Smith/ to submitted/jane/, then grade again (not graded until then: a "
        "folder name must be a plain id)"
    )
    (workshop.submitted / "Jane Smith" / A01).rmdir()
    (workshop.submitted / "Jane Smith").rmdir()
    assert unlisted_folders(workshop) == ["anne", "jdoe", "jsmith"]
    # Graded again: still not on the roster (the gradebook has them now; workshop.json says why).
    assert _learners(workshop)[1].keys() == advice.keys() - {"Jane Smith"}
    # The facilitator follows the advice: jsmith renamed; anne and jdoe added by an id-only CSV.
    (workshop.submitted / "jsmith").rename(workshop.submitted / "jane")
    csv_roster = [*roster, {"id": "anne"}, {"id": "jdoe"}]
    _changes, lines = update_roster(workshop, csv_roster, dry_run=True)
    assert lines == ["+ add anne", "+ add jdoe"] and unlisted_learners(workshop) != []
    update_roster(workshop, csv_roster)
    learners, advice, gone = _learners(workshop)
    assert advice == {} and gone == ["jsmith"]
    assert learners == ["ann", "anne", "jane", "jdoe"]
    assert workshop.roster() == ["ann", "anne", "jane", "jdoe"], "jsmith left the gradebook"
    assert unlisted_learners(workshop) == [] and unlisted_folders(workshop) == []


def test_without_any_roster_the_folders_are_the_class_and_nobody_is_flagged(tmp_path):
    pytest.importorskip("nbgrader")
    from course.grader.grading import _learners
    from course.grader.workshop import unlisted_learners

    workshop = gradebook_workshop(tmp_path / "ws", [], {})
    for folder in ("ann", "bo", "Cy Li"):
        (workshop.submitted / folder / A01).mkdir(parents=True)
    assert _learners(workshop)[:2] == (["Cy Li", "ann", "bo"], {})
    assert _learners(workshop)[:2] == (["Cy Li", "ann", "bo"], {})
    assert unlisted_learners(workshop) == []


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A workshop with 01 set: ann and 'Smith, Jane' on the roster, jdoe's folder put by hand."""
    from course.facilitator import demo
    from course.grader import keys

    tmp = tmp_path_factory.mktemp("roster-gaps")
    workshop = tmp / "ws"
    roster = tmp / "roster.csv"
    roster.write_text(
        'ID,Name,Email\nann,Ann Lee,ann@example.org\njane,"Smith, Jane",jane@example.org\n',
        encoding="utf-8",
    )
    made = run_kit("workshop", "init", str(workshop), "--roster", str(roster), "--exercises", "01")
    assert made.returncode == 0, made.stderr
    release = workshop / "release" / A01 / f"{A01}.ipynb"
    answers = keys.solution_answers(ROOT / "solutions" / A01 / f"{A01}.ipynb")
    for learner in ("ann", "jane", "jdoe"):
        demo.simulate_submission(release, workshop / "submitted" / learner / A01, answers)
    first = run_kit("grade", "--workshop", str(workshop), "--jobs", "1", "--quiet")
    return {"workshop": workshop, "first": first, "roster": roster}


@pytest.mark.slow
def test_a_folder_put_by_hand_is_graded_flagged_reported_and_exported(graded):
    from course.grader.grading import NOT_ON_ROSTER

    workshop, first = graded["workshop"], graded["first"]
    assert first.returncode == 1, first.stdout + first.stderr  # flagged: look at it
    out = first.stdout
    assert "Not on the roster (1 graded all the same, flagged; nothing is lost):" in out
    assert "  - 'jdoe' is not on the roster: rename submitted/jdoe/ to the learner's" in out
    assert f"`{ADD}`, then grade again" in out
    assert "1 flagged: jdoe" in out
    flags = json.loads((workshop / "flags.json").read_text("utf-8"))
    assert flags == {"ann": [], "jane": [], "jdoe": [NOT_ON_ROSTER]}
    results = json.loads((workshop / "results" / "jdoe.json").read_text("utf-8"))
    assert results["assignments"][A01]["score"] == 12.0, "graded all the same"
    # Graded again: the gradebook has jdoe now, and jdoe is still not on the roster.
    again = run_kit("grade", "--workshop", str(workshop), "--jobs", "1", "--quiet")
    assert again.returncode == 1 and "'jdoe' is not on the roster" in again.stdout
    # grades.csv: 'Smith, Jane' is Jane Smith, and her score is in the score column.
    rows = list(csv.DictReader((workshop / "grades.csv").read_text("utf-8-sig").splitlines()))
    jane = next(row for row in rows if row["student_id"] == "jane")
    assert (jane["first_name"], jane["last_name"], jane["score"]) == ("Jane", "Smith", "12.0")
    # The report: jdoe counted apart and marked, the id hidden unless --names.
    assert run_kit("report", "--workshop", str(workshop)).returncode == 0
    page = (workshop / "report" / "index.html").read_text("utf-8")
    assert "2 learners on the roster and 1 not on it (graded from a folder in submitted/)" in page
    assert "<h2>Not on the roster</h2>" in page and "(not on the roster)</td>" in page
    assert "jdoe" not in page and "--names" in page
    assert "roster DIR --update CSV" in page
    # The LMS export: Canvas has nobody to match jdoe to; the table keeps and marks them.
    canvas = run_kit("export", "--workshop", str(workshop), "--format", "canvas")
    assert canvas.returncode == 0, canvas.stderr
    assert "Not on the roster (left out of this file: Canvas has no one to match them to" in (
        canvas.stdout
    )
    assert "'jdoe' is not on the roster: rename submitted/jdoe/" in canvas.stdout
    rows = table((workshop / "grades-canvas.csv").read_text("utf-8"))
    assert [row[2] for row in rows[2:]] == ["ann", "jane"]
    assert rows[3][0] == "Smith, Jane" and rows[3][-1] == "12"
    plain = run_kit("export", "--workshop", str(workshop), "--format", "csv")
    assert "in the table, marked 'not on the roster'" in plain.stdout
    rows = table((workshop / "grades-csv.csv").read_text("utf-8"))
    assert rows[0][-1] == "note" and rows[3][0] == "jdoe" and rows[3][-1] == "not on the roster"
    # The facilitator adds jdoe to the roster: the flag goes at the next grading.
    fixed = graded["roster"].parent / "fixed.csv"
    fixed.write_text(graded["roster"].read_text("utf-8") + "jdoe,Jo Doe,\n", encoding="utf-8")
    dry = run_kit("workshop", "roster", str(workshop), "--update", str(fixed), "--dry-run")
    assert "+ add jdoe (Jo Doe)" in dry.stdout, dry.stdout + dry.stderr
    assert "Hand-in folders not on the roster" in dry.stdout and "jdoe" in dry.stdout
    assert run_kit("workshop", "roster", str(workshop), "--update", str(fixed)).returncode == 0
    last = run_kit("grade", "--workshop", str(workshop), "--jobs", "1", "--quiet")
    assert last.returncode == 0, last.stdout + last.stderr
    assert "not on the roster" not in last.stdout
    assert json.loads((workshop / "flags.json").read_text("utf-8"))["jdoe"] == []


# --------------------------------------------------------------------------- the report's summary


def test_the_report_summary_counts_learners_not_on_the_roster(tmp_path):
    """A real gradebook (no kernel): jdoe graded from a folder is counted in the Summary, in the
    words the intake uses, and the Flagged column is no longer the only count beside them."""
    pytest.importorskip("nbgrader")
    from course.grader.intake import OFF_ROSTER
    from course.grader.report import write_report

    learners = [{"id": "ann"}, {"id": "bo"}, {"id": "jdoe"}]
    workshop = gradebook_workshop(tmp_path / "ws", learners, {"ann": 3, "jdoe": 2})
    settings = json.loads(workshop.settings_file.read_text("utf-8"))
    workshop.settings_file.write_text(
        json.dumps({**settings, "not_on_roster": ["jdoe"]}), encoding="utf-8"
    )
    page = write_report(workshop).read_text("utf-8")
    summary = page.split("<h2>Summary</h2>", 1)[1].split("<h2>", 1)[0]
    assert f"<b>{OFF_ROSTER.capitalize()}: 1</b>" in summary
    head, body = summary.split("</thead>", 1)
    assert head.count("<th>") == 8 and f"<th>{OFF_ROSTER.capitalize()}</th>" in head
    cells = body.split("<tr>", 1)[1].split("</tr>", 1)[0]
    # 01: two handed in, nobody flagged, one of them not on the roster
    assert cells.startswith(f'<td>{A01}</td><td class="num">2</td>')
    assert cells.endswith('<td class="num">0</td><td class="num">1</td>')
    assert "jdoe" not in page, "ids stay hidden without --names"
    # Everyone on the roster: the line still says so (0), and no extra column.
    workshop.settings_file.write_text(json.dumps(settings), encoding="utf-8")
    page = write_report(workshop).read_text("utf-8")
    summary = page.split("<h2>Summary</h2>", 1)[1].split("<h2>", 1)[0]
    assert f"<b>{OFF_ROSTER.capitalize()}: 0</b>." in summary
    assert summary.split("</thead>", 1)[0].count("<th>") == 7


# --------------------------------------------------------------------------- line breaks in names


def test_a_line_break_in_a_name_never_splits_grades_csv(tmp_path):
    """nbgrader writes a name with a line break as it is, over two lines; grades.csv keeps one
    row per learner with the score in its column, the name on one line (an older gradebook), and
    a roster read today never lets the line break in."""
    pytest.importorskip("nbgrader")
    from course.facilitator.export import export
    from course.grader.grading import export_csv

    learners = [
        {"id": "ana", "first_name": "Ana\nLópez", "last_name": "Ruiz\r", "email": "a@example.org"},
        {"id": "bo", "first_name": "Bo", "last_name": "Chen"},
        {"id": "layla", "first_name": "ليلى", "last_name": "حداد\r\nالأحمد"},
    ]
    workshop = gradebook_workshop(tmp_path / "ws", learners, {"ana": 3, "bo": 1, "layla": 4})
    text = export_csv(workshop).read_text("utf-8-sig")
    assert text.count("\n") == 4 and "\r" not in text, "a header and three rows, one line each"
    rows = {row["student_id"]: row for row in csv.DictReader(io.StringIO(text))}
    assert [rows[who]["score"] for who in ("ana", "bo", "layla")] == ["3.0", "1.0", "4.0"]
    assert (rows["ana"]["first_name"], rows["ana"]["last_name"]) == ("Ana López", "Ruiz")
    assert rows["ana"]["email"] == "a@example.org" and rows["bo"]["first_name"] == "Bo"
    assert (rows["layla"]["first_name"], rows["layla"]["last_name"]) == ("ليلى", "حداد الأحمد")
    assert all(None not in row and len(row) == 11 for row in rows.values()), "no spilled columns"
    canvas = table(export(workshop.root, "canvas").read_text("utf-8"))
    assert canvas[2:] == [
        ["Ruiz, Ana López", "", "ana", "a@example.org", "", "3"],
        ["Chen, Bo", "", "bo", "bo", "", "1"],
        ["حداد الأحمد, ليلى", "", "layla", "layla", "", "4"],
    ]
    roster = tmp_path / "roster.csv"
    roster.write_text('ID,Name\nana,"Ana\nLópez"\nlayla,"ليلى\r\nحداد"\n', encoding="utf-8")
    assert read_roster(roster) == [
        {"id": "ana", "first_name": "Ana", "last_name": "López"},
        {"id": "layla", "first_name": "ليلى", "last_name": "حداد"},
    ]
