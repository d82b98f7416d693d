"""A short workshop (01 and 05 set) graded for real, then fed back, reported and exported.

Two learners: ann hands in 01 (half right), 05 (a draft) and 02, which this workshop does not
set; bob hands in 01 only. The module fixture grades them once; the tests then follow what a
facilitator does: feedback (refused while the rubric is ungraded, or --draft), hand grades,
feedback again, --zip, the report and the LMS export; then ann hands in 05 again after it was
hand graded, and the stale hand grades are flagged and cleared.
"""

from __future__ import annotations

import csv
import html
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from kit_tools import run_kit

from course.grader import keys
from course.learner.answers import AnswerStore

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
A01 = "01-aspirations-vs-goals"
A02 = "02-research-the-company"
A05 = "05-draft-your-answer"
UNSET = ("02-research-the-company", "03-align-your-aspirations", "04-keep-it-relevant")
#: ann's 01: a1-a5 right, a6-a8 wrong (5 of 8); q1, q2 right, q3 wrong, q4 unanswered (2 of 4).
ANN_01 = {
    "statements": {
        "a1": "aspiration",
        "a2": "goal",
        "a3": "goal",
        "a4": "aspiration",
        "a5": "goal",
        "a6": "aspiration",
        "a7": "goal",
        "a8": "goal",
    },
    "ideas": {"q1": "b", "q2": "a", "q3": "a"},
}
DRAFT = (
    "In the long run I want to become an engineer who makes robots that people trust in their "
    "homes. Acme Robotics is where I would like to grow toward that: your plan to bring "
    "assistive robots to care homes is exactly the work I care about. As a junior engineer I "
    "would learn how products are tested and shipped, which is the next step for me. At "
    "university I led a team of four that built a robot arm for a local charity <script>x"
    "</script>, and I delivered it on time. I welcome responsibility, and I am ready to take "
    "on new challenges from the first day."
)
ANN_05 = {
    "company": "own",
    "company-own": {"name": "Acme Robotics", "role": "Junior Engineer"},
    "draft": DRAFT,
}
COMMENT = "Name one plan of <Acme> & say how you would help."


def hand_in(workshop: Path, learner: str, assignment: str, answers: dict[str, Any]) -> Path:
    folder = workshop / "submitted" / learner / assignment
    folder.mkdir(parents=True, exist_ok=True)
    release = workshop / "release" / assignment / f"{assignment}.ipynb"
    (folder / f"{assignment}.ipynb").write_bytes(release.read_bytes())
    store = AnswerStore(assignment, folder)
    for exercise, value in answers.items():
        store.set(exercise, value)
    for lock in folder.glob("*.lock"):
        lock.unlink()
    return folder


def open_ws(path: Path) -> Any:
    from course.grader.procs import tools_on_path
    from course.grader.workshop import open_workshop

    tools_on_path()
    return open_workshop(path)


def grades_csv(workshop: Path) -> list[dict[str, str]]:
    return list(csv.DictReader((workshop / "grades.csv").read_text("utf-8-sig").splitlines()))


def hand_grade(workshop: Path, learner: str, score: float = 2.0) -> None:
    """A grader scores every rubric cell of 05 in the formgrader and comments on one."""
    with open_ws(workshop).gradebook() as gb:
        submission = gb.find_submission(A05, learner)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if grade.name.startswith("rubric-"):
                    grade.manual_score = score
                    grade.needs_manual_grade = False
            for comment in notebook.comments:
                if comment.name == "rubric-alignment":
                    comment.manual_comment = COMMENT
        gb.db.commit()


def pages_of(workshop: Path, learner: str) -> dict[str, str]:
    folder = workshop / "feedback" / learner
    return {str(p.relative_to(folder)): p.read_text("utf-8") for p in folder.rglob("*.html")}


def assert_safe_page(page: str) -> None:
    """No script, no link out (CDN or otherwise), no code or test code: a page to send."""
    lowered = page.lower()
    assert "<script" not in lowered and "<iframe" not in lowered and "<link" not in lowered
    assert not re.search(r"(src|href)\s*=", lowered)
    assert "http://" not in lowered and "https://" not in lowered and "mathjax" not in lowered
    for marker in ("In&nbsp;[", "In [", "Out[", "<pre", "<code", "import ", "points(", "shape("):
        assert marker not in page, marker
    for name in (A01, A05):
        for line in keys.hidden_code_lines(keys.source_notebook(SOLUTIONS, name)):
            assert line not in page and line not in html.unescape(page)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("feedback")
    workshop = tmp / "ws"
    roster = tmp / "roster.csv"
    roster.write_text("id,first_name,last_name\nann,Ann,Lee\nbob,Bob,Ray\n", encoding="utf-8")
    made = run_kit(
        "workshop", "init", str(workshop), "--roster", str(roster), "--exercises", "01,05"
    )
    assert made.returncode == 0, made.stderr
    hand_in(workshop, "ann", A01, ANN_01)
    hand_in(workshop, "ann", A05, ANN_05)
    hand_in(workshop, "ann", A02, {"sources": {"r1": "a"}})  # not set in this workshop
    hand_in(workshop, "bob", A01, {"statements": {"a1": "aspiration"}})
    graded = run_kit("grade", "--workshop", str(workshop), "--jobs", "1", "--quiet")
    return {"workshop": workshop, "grade": graded}


def test_only_the_set_exercises_are_graded_flagged_and_totalled(ws):
    done, workshop = ws["grade"], ws["workshop"]
    assert done.returncode == 1, done.stdout + done.stderr  # bob did not hand in 05
    flags = json.loads((workshop / "flags.json").read_text("utf-8"))
    assert flags["bob"] == [f"{A05}: not handed in"]
    assert not any(name in flag for name in UNSET for msgs in flags.values() for flag in msgs)
    results = json.loads((workshop / "results" / "ann.json").read_text("utf-8"))
    assert set(results["assignments"]) == {A01, A05}
    # one total, out of the two set exercises' points (12 + 20), for both learners
    rows = {line.split()[0]: line.split() for line in done.stdout.splitlines() if line}
    assert rows["learner"][:4] == ["learner", "01", "05", "total"]
    assert rows["ann"][1] == "7/12" and rows["ann"][3].endswith("/32")
    assert rows["bob"][2] == "-" and rows["bob"][3] == "1/32"
    assert {r["assignment"] for r in grades_csv(workshop)} == {A01, A05}
    assert f"Not set in this workshop, so not graded: {', '.join(UNSET)}" in done.stdout


def test_feedback_is_withheld_while_the_rubric_is_ungraded_or_written_as_a_draft(ws):
    workshop = ws["workshop"]
    refused = run_kit("feedback", "--workshop", str(workshop))
    assert refused.returncode == 1
    assert "ann: 6 rubric cells of 05-draft-your-answer still to grade by hand" in refused.stdout
    assert "--draft" in refused.stdout and "formgrader" in refused.stdout
    assert pages_of(workshop, "ann") == {}
    assert set(pages_of(workshop, "bob")) == {"index.html", f"{A01}/{A01}.html"}
    draft = run_kit("feedback", "--workshop", str(workshop), "--draft")
    assert draft.returncode == 0, draft.stdout + draft.stderr
    assert "DRAFT pages" in draft.stdout and "ann" in draft.stdout
    pages = pages_of(workshop, "ann")
    assert set(pages) == {"index.html", f"{A01}/{A01}.html", f"{A05}/{A05}.html"}
    assert all("DRAFT: not your final feedback" in page for page in pages.values())
    assert "DRAFT" not in pages_of(workshop, "bob")["index.html"]


def test_feedback_teaches_wrong_items_with_the_right_answer_and_why(ws):
    workshop = ws["workshop"]
    assert run_kit("feedback", "--workshop", str(workshop), "--draft").returncode == 0
    page = pages_of(workshop, "ann")[f"{A01}/{A01}.html"]
    assert_safe_page(page)
    explain = keys.explanations(keys.source_notebook(SOLUTIONS, A01))
    assert "Earn my project management certificate within the next twelve months." in page
    assert html.escape(explain["statements"]["a6"]) in page  # wrong: why goal is right
    assert html.escape(explain["statements"]["a1"]) not in page  # right: no lecture
    assert html.escape(explain["ideas"]["q4"]) in page  # unanswered
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    text = " ".join(text.split())
    assert "Your answer: aspiration. Not right. The right answer: goal." in text
    assert "Your answer: no answer. Not answered." in text
    assert "You got 5 of 8 right." in text and "(7 of 12 points)" in text
    option = "Give three client presentations by June and ask each client for feedback"
    assert f"The right answer: {option}." in text  # the option in full, never a letter


def test_hand_grades_reach_feedback_grades_csv_the_report_and_the_export(ws):
    workshop = ws["workshop"]
    hand_grade(workshop, "ann", 2.0)
    sent = run_kit("feedback", "--workshop", str(workshop), "--zip")
    assert sent.returncode == 0, sent.stdout + sent.stderr
    page = pages_of(workshop, "ann")["index.html"]
    assert_safe_page(page)
    assert "DRAFT" not in page
    assert html.escape(COMMENT) in page and "<Acme>" not in page
    assert "&lt;script&gt;x" in page  # the learner's draft, escaped
    assert "Competent: " in page  # the hand grade in words (level 2)
    score_05 = {
        r["student_id"]: float(r["score"]) for r in grades_csv(workshop) if r["assignment"] == A05
    }
    assert score_05["ann"] == 2.0 + 12.0  # the two autograded points and six hand grades of 2
    zips = sorted((workshop / "feedback-to-send").glob("*.zip"))
    assert [z.name for z in zips] == ["ann.zip", "bob.zip"]
    for path in zips:
        with zipfile.ZipFile(path) as bundle:
            names = bundle.namelist()
            assert names == [f"feedback-{path.stem}.html"]
            assert_safe_page(bundle.read(names[0]).decode("utf-8"))
    done = run_kit("report", "--workshop", str(workshop))
    assert done.returncode == 0, done.stderr
    report = (workshop / "report" / "index.html").read_text("utf-8")
    assert "Not set, so not counted: " + ", ".join(UNSET) in report
    from course.grader.report import collect, fig_difficulty

    data = collect(open_ws(workshop))
    assert data.assignments == [A01, A05]
    assert {item.assignment for item in data.items} == {A01, A05}  # none of 02-04
    totals = sorted(row["max_total"] for row in data.learners)
    assert totals == [32.0, 32.0]
    ann = next(r for r in data.learners if r["total"] > 10)
    assert ann["total"] == 7.0 + 14.0
    _, described = fig_difficulty(data, workshop / "report" / "check.png")
    assert "Research" not in described and "research" not in described
    exported = run_kit("export", "--workshop", str(workshop), "--format", "csv")
    assert exported.returncode == 0, exported.stderr
    table = list(csv.reader((workshop / "grades-csv.csv").read_text("utf-8-sig").splitlines()))
    assert table[0][4:] == [A01, A05, "total", "out of"]
    assert table[1][0] == "ann" and table[1][-2:] == ["21", "32"]


def test_a_hand_in_changed_after_hand_grading_is_flagged_and_keeps_nothing_stale(ws):
    workshop = ws["workshop"]
    hand_grade(workshop, "ann", 3.0)
    assert run_kit("feedback", "--workshop", str(workshop)).returncode == 0
    assert pages_of(workshop, "ann")
    changed = dict(ANN_05, draft=DRAFT.replace("robot arm", "robot hand"))
    hand_in(workshop, "ann", A05, changed)  # ann sends a new version
    held = run_kit("feedback", "--workshop", str(workshop), "--zip", "--draft")
    assert held.returncode == 1
    assert f"ann: {A05} handed in again since grading" in held.stdout
    assert pages_of(workshop, "ann") == {}  # her old pages are gone
    assert not (workshop / "feedback-to-send" / "ann.zip").exists()
    again = run_kit("grade", "--workshop", str(workshop), "--jobs", "1", "--quiet")
    flags = json.loads((workshop / "flags.json").read_text("utf-8"))["ann"]
    assert any(
        f.startswith(f"{A05}: handed in again after hand grading; the 6 hand grades") for f in flags
    ), flags
    assert again.returncode == 1, again.stdout + again.stderr
    with open_ws(workshop).gradebook() as gb:
        submission = gb.find_submission(A05, "ann")
        rubric = [g for nb in submission.notebooks for g in nb.grades if g.name.startswith("rub")]
        comments = [c.manual_comment for nb in submission.notebooks for c in nb.comments]
    assert len(rubric) == 6 and all(g.manual_score is None for g in rubric)
    assert not any(comments)
    refused = run_kit("feedback", "--workshop", str(workshop))
    assert "ann: 6 rubric cells" in refused.stdout  # to be graded again, not sent stale


def test_changing_the_exercises_later_changes_what_counts(ws):
    workshop = ws["workshop"]
    changed = run_kit("workshop", "exercises", str(workshop), "01")
    assert changed.returncode == 0, changed.stderr
    done = run_kit("grade", "--workshop", str(workshop), "--jobs", "1", "--quiet")
    assert done.returncode == 0, done.stdout + done.stderr  # bob is no longer missing 05
    assert json.loads((workshop / "flags.json").read_text("utf-8"))["bob"] == []
    assert {r["assignment"] for r in grades_csv(workshop)} == {A01}
    rows = {line.split()[0]: line.split() for line in done.stdout.splitlines() if line}
    assert rows["ann"][-2] == "7/12"
    sent = run_kit("feedback", "--workshop", str(workshop))
    assert sent.returncode == 0, sent.stdout
    assert set(pages_of(workshop, "ann")) == {"index.html", f"{A01}/{A01}.html"}
