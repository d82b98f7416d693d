"""One small workshop graded for real (nbgrader, kernels), then checked from every side.

The module fixture builds a workshop with a handful of learners: the solutions' answers (from
papermill runs of temporary copies of solutions/), an untouched release, a partial learner, and
hostile submissions derived from the partial learner's honest work. It grades them once with
`python -m course grade`, writes feedback and the report, and the tests read the results.
"""

from __future__ import annotations

import csv
import json
import shutil
from concurrent.futures import ThreadPoolExecutor
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
A05 = "05-draft-your-answer"
CELL_TIMEOUT = 3
LEARNER_TIMEOUT = 25
NBGRADER_CSV_COLUMNS = [
    "assignment",
    "duedate",
    "timestamp",
    "student_id",
    "last_name",
    "first_name",
    "email",
    "raw_score",
    "late_submission_penalty",
    "score",
    "max_score",
]

#: The partial learner's honest work on 01: statements a1-a5 right, a6-a8 wrong (5 of 8);
#: ideas q1 and q2 right, q3 wrong, q4 unanswered (2 of 4). 7 points of 12.
PARTIAL_01 = {
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
HONEST_01 = {"statements": 5.0, "ideas": 2.0}
#: 05: long enough (about 55 s) but about Brightpath while Northwind was chosen: 1 of 2.
PARTIAL_05 = {
    "company": "northwind-health",
    "draft": (
        "In the long run I want to help people keep learning for the rest of their lives. "
        "Brightpath's plan to add tutoring to its product fits that, and the customer success "
        "role would teach me how learners really use the product and where they get stuck. "
        "I have run onboarding sessions for new volunteers at my library before, and I enjoy "
        "turning what people tell me into changes that help them. I am ready to take on "
        "responsibility early and to learn fast, and I would like to grow with the team as it "
        "enters new markets and partners with community colleges. Over the next year my goal "
        "is to become the person customers trust most when something goes wrong."
    ),
}
#: The full learner answers 05 for a company of their own, typed in the exercise itself.
FULL_05 = {
    "company": "own",
    "company-own": {"name": "Acme Robotics", "role": "Junior Engineer"},
    "draft": (
        "In the long run I want to become an engineer who makes robots that people trust in "
        "their homes. Acme Robotics is where I would like to grow toward that: your plan to "
        "bring assistive robots to care homes is exactly the work I care about. As a junior "
        "engineer I would learn how products are tested and shipped, which is the next step for "
        "me. At university I led a team of four that built a robot arm for a local charity, and "
        "I delivered it on time. I welcome responsibility, and I am ready to take on new "
        "challenges from the first day."
    ),
}
STANDIN = """# <script>alert("x")</script> a learner's own cell
import sys, types

fake = types.ModuleType("course.graded")
fake.points = lambda kind, nb, exercise, *a, **k: {"statements": 8.0, "ideas": 4.0}[exercise]
fake.shape = lambda *a, **k: None
fake.Assignment = sys.modules["course.graded"].Assignment
package = types.ModuleType("course")
package.graded = fake
sys.modules["course"] = package
sys.modules["course.graded"] = fake"""
#: A cell that rewrites the learner's own handed-in answers file while nbgrader runs it (the
#: keys could be read from the grader's disk; here they are simply written out).
REWRITER = """import json, pathlib
here = pathlib.Path.cwd()
name = here.name + ".answers.json"
target = here.parents[2] / "submitted" / here.parent.name / here.name / name
perfect = {"statements": {"a1": "aspiration", "a2": "goal", "a3": "goal", "a4": "aspiration",
           "a5": "goal", "a6": "goal", "a7": "aspiration", "a8": "aspiration"},
           "ideas": {"q1": "b", "q2": "a", "q3": "c", "q4": "c"}}
for path in (target, here / name):
    path.write_text(json.dumps({"schema": 1, "notebook": here.name, "answers": perfect}))"""
STUBBORN = """import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass"""


# --------------------------------------------------------------------------- building learners


def release_nb(workshop: Path, assignment: str) -> dict[str, Any]:
    path = workshop / "release" / assignment / f"{assignment}.ipynb"
    return json.loads(path.read_text(encoding="utf-8"))


def hand_in(workshop: Path, learner: str, assignment: str, notebook: dict | None = None) -> Path:
    """submitted/<learner>/<assignment>/ with the (possibly altered) released notebook."""
    folder = workshop / "submitted" / learner / assignment
    folder.mkdir(parents=True, exist_ok=True)
    notebook = notebook or release_nb(workshop, assignment)
    (folder / f"{assignment}.ipynb").write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return folder


def write_answers(folder: Path, assignment: str, answers: dict[str, Any]) -> None:
    """Save answers exactly as the widgets do: through AnswerStore."""
    store = AnswerStore(assignment, folder)
    for exercise, value in answers.items():
        store.set(exercise, value)
    for lock in folder.glob("*.lock"):
        lock.unlink()


def code_cell(source: str, cell_id: str) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": cell_id,
        "metadata": {},
        "outputs": [],
        "source": source,
    }


def grade_id(cell: dict) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def test_cell_ids(notebook: dict) -> list[str]:
    return [
        grade_id(c)
        for c in notebook["cells"]
        if c.get("metadata", {}).get("nbgrader", {}).get("grade")
    ]


test_cell_ids.__test__ = False  # a helper, not a test


def solution_runs(tmp: Path, submitted: Path) -> dict[str, Any]:
    """Run temporary copies of solutions/ with the solutions' answers (papermill, real kernels),
    in the full learner's folders; return {assignment: executed notebook}."""
    from notebook_tools import execute_notebook

    executed = {}
    for assignment in keys.assignments(SOLUTIONS):
        source = keys.source_notebook(SOLUTIONS, assignment)
        answers = keys.solution_answers(source)
        if assignment == A05:
            answers = FULL_05
        folder = submitted / "full" / assignment
        folder.mkdir(parents=True, exist_ok=True)
        copy = tmp / "solution-copies" / f"{assignment}.ipynb"
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, copy)
        out = execute_notebook(copy, {"answers": answers}, cwd=folder)
        executed[assignment] = out
        for lock in folder.glob("*.lock"):
            lock.unlink()
    return executed


#: The learners handed in below besides full (tests/test_roster_gaps.py tests folders on no roster).
ON_ROSTER = {
    "blank",
    "partial",
    "edited",
    "deleted",
    "standin",
    "loop",
    "stubborn",
    "rewriter",
    "badjson",
    "wrongtypes",
    "noanswers",
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("grading")
    workshop = tmp / "workshop"
    roster = tmp / "roster.csv"
    roster.write_text(
        "id,first_name,last_name\nfull,Full,Marks\nabsent,Absent,Learner\n"
        + "".join(f"{learner}\n" for learner in sorted(ON_ROSTER))  # none is "not on the roster"
    )
    # The workshop is made while the solutions run in kernels (init keeps what is in submitted/).
    with ThreadPoolExecutor(max_workers=1) as pool:
        init = pool.submit(
            run_kit,
            *("workshop", "init", str(workshop), "--roster", str(roster)),
            *("--timeout", str(CELL_TIMEOUT)),
        )
        submitted = workshop / "submitted"
        executed = solution_runs(tmp, submitted)
        done = init.result()
    assert done.returncode == 0, done.stderr
    names = keys.assignments(SOLUTIONS)
    for assignment in names:
        hand_in(workshop, "full", assignment)
        hand_in(workshop, "blank", assignment)  # an untouched release, nothing answered
    write_answers(hand_in(workshop, "partial", A01), A01, PARTIAL_01)
    write_answers(hand_in(workshop, "partial", A05), A05, PARTIAL_05)

    released = release_nb(workshop, A01)
    tests = set(test_cell_ids(released))

    edited = json.loads(json.dumps(released))
    for cell in edited["cells"]:
        if grade_id(cell) in tests:
            cell["source"] = "pass"
    write_answers(hand_in(workshop, "edited", A01, edited), A01, PARTIAL_01)

    deleted = json.loads(json.dumps(released))
    deleted["cells"] = [c for c in deleted["cells"] if grade_id(c) not in tests]
    write_answers(hand_in(workshop, "deleted", A01, deleted), A01, PARTIAL_01)

    def with_cell(source: str, extra: int = 0) -> dict:
        notebook = json.loads(json.dumps(released))
        at = next(i for i, c in enumerate(notebook["cells"]) if grade_id(c) == "setup") + 1
        added = [code_cell(source, "added-0")]
        added += [code_cell("pass", f"added-{n}") for n in range(1, extra + 1)]
        notebook["cells"][at:at] = added
        return notebook

    write_answers(hand_in(workshop, "standin", A01, with_cell(STANDIN)), A01, PARTIAL_01)
    write_answers(
        hand_in(workshop, "loop", A01, with_cell("while True:\n    pass")), A01, PARTIAL_01
    )
    write_answers(hand_in(workshop, "stubborn", A01, with_cell(STUBBORN)), A01, PARTIAL_01)
    rewriter = hand_in(workshop, "rewriter", A01, with_cell(REWRITER))
    write_answers(rewriter, A01, PARTIAL_01)
    graded_bytes = (rewriter / f"{A01}.answers.json").read_bytes()
    (hand_in(workshop, "badjson", A01) / f"{A01}.answers.json").write_text("{not json", "utf-8")
    (hand_in(workshop, "wrongtypes", A01) / f"{A01}.answers.json").write_text(
        json.dumps(
            {
                "schema": 1,
                "notebook": A01,
                "answers": {
                    "statements": ["a1", "a2"],
                    "ideas": {"q1": "b", "q2": 5, "q3": "c", "q9": "a"},
                },
            }
        ),
        "utf-8",
    )
    hand_in(workshop, "noanswers", A01)

    done = run_kit(
        "grade",
        "--workshop",
        str(workshop),
        "--timeout",
        str(CELL_TIMEOUT),
        "--learner-timeout",
        str(LEARNER_TIMEOUT),
        "--quiet",
    )
    results = {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in (workshop / "results").glob("*.json")
    }
    return {
        "workshop": workshop,
        "grade": done,
        "results": results,
        "flags": json.loads((workshop / "flags.json").read_text(encoding="utf-8")),
        "executed": executed,
        "names": names,
        "rewriter_bytes": graded_bytes,
    }


def cells(graded: dict, learner: str, assignment: str = A01) -> dict[str, float]:
    entry = graded["results"][learner]["assignments"][assignment]
    return {gid: cell["score"] for gid, cell in entry["cells"].items()}


def flags_of(graded: dict, learner: str) -> str:
    return "\n".join(graded["flags"][learner])


def gradebook_scores(workshop: Path, learner: str, assignment: str) -> dict[str, Any]:
    from course.grader.workshop import open_workshop

    with open_workshop(workshop).gradebook() as gb:
        submission = gb.find_submission(assignment, learner)
        return {
            "score": submission.score,
            "grades": {
                g.name: (g.auto_score, g.manual_score, g.needs_manual_grade)
                for nb in submission.notebooks
                for g in nb.grades
            },
        }


# --------------------------------------------------------------------------- the batch


def test_the_batch_completes_and_exits_1_because_learners_were_flagged(graded):
    done = graded["grade"]
    assert done.returncode == 1, done.stdout + done.stderr
    expected = {
        "full",
        "blank",
        "partial",
        "edited",
        "deleted",
        "standin",
        "loop",
        "stubborn",
        "badjson",
        "wrongtypes",
        "noanswers",
        "rewriter",
        "absent",
    }
    assert set(graded["flags"]) == expected
    assert set(graded["results"]) == expected
    assert "learner" in done.stdout and "total" in done.stdout  # the summary table
    for learner in expected - {"absent"}:
        assert learner in done.stdout


def test_grades_csv_has_nbgrader_export_columns_and_every_learner(graded):
    path = graded["workshop"] / "grades.csv"
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == NBGRADER_CSV_COLUMNS
    learners = {row["student_id"] for row in rows}
    assert {"full", "blank", "absent", "standin"} <= learners
    assert len(rows) == len(learners) * len(graded["names"])
    absent = [row for row in rows if row["student_id"] == "absent"]
    assert {float(row["score"]) for row in absent} == {0.0}


# --------------------------------------------------------------------------- honest learners


def test_solutions_answers_score_full_marks_in_the_solution_notebooks(graded):
    """The papermill runs of solutions/ copies: each test cell's result is its points."""
    for assignment, notebook in graded["executed"].items():
        for cell in notebook.cells:
            meta = cell.metadata.get("nbgrader", {})
            if not meta.get("grade") or cell.cell_type != "code":
                continue
            results = [o for o in cell.outputs if o.output_type == "execute_result"]
            errors = [o for o in cell.outputs if o.output_type == "error"]
            assert not errors, (assignment, meta["grade_id"], errors)
            assert float(results[-1]["data"]["text/plain"]) == float(meta["points"]), (
                assignment,
                meta["grade_id"],
            )


def test_solutions_answers_get_full_autograded_marks(graded):
    assert graded["flags"]["full"] == []
    for assignment in graded["names"]:
        entry = graded["results"]["full"]["assignments"][assignment]
        assert entry["status"] == "graded"
        for gid, cell in entry["cells"].items():
            assert cell["score"] == cell["max_score"] > 0, (assignment, gid)
            assert cell["notebook_score"] == cell["max_score"], (assignment, gid)
    book = gradebook_scores(graded["workshop"], "full", A05)
    rubric = {k: v for k, v in book["grades"].items() if k.startswith("rubric-")}
    assert len(rubric) == 6
    assert all(auto is None and manual is None and needs for auto, manual, needs in rubric.values())
    assert book["score"] == 2.0  # the autograded basics; 18 rubric points wait for a grader


def test_an_untouched_release_scores_0_without_crashing(graded):
    record = graded["results"]["blank"]
    for assignment in graded["names"]:
        entry = record["assignments"][assignment]
        assert entry["status"] == "graded"
        assert entry["score"] == 0.0
        assert all(cell["score"] == 0.0 for cell in entry["cells"].values())
    assert all("no answers file" in f for f in record["flags"])


def test_a_partial_learner_gets_exactly_the_expected_score(graded):
    assert cells(graded, "partial") == HONEST_01
    assert cells(graded, "partial", A05) == {"speaking-time": 1.0, "names-company": 0.0}
    assert graded["results"]["partial"]["assignments"][A01]["score"] == 7.0
    assert graded["results"]["partial"]["assignments"][A05]["score"] == 1.0
    assert gradebook_scores(graded["workshop"], "partial", A01)["score"] == 7.0
    flags = flags_of(graded, "partial")
    assert "02-research-the-company: not handed in" in flags
    assert "disagree" not in flags and "notebook scored" not in flags


def test_per_item_verdicts_are_recorded_for_the_report(graded):
    entry = graded["results"]["partial"]["assignments"][A01]["cells"]["statements"]
    statuses = {item["id"]: item["status"] for item in entry["items"]}
    assert statuses == {f"a{n}": "correct" if n <= 5 else "wrong" for n in range(1, 9)}
    ideas = graded["results"]["partial"]["assignments"][A01]["cells"]["ideas"]["items"]
    assert {i["id"]: i["given"] for i in ideas} == {"q1": "b", "q2": "a", "q3": "a", "q4": None}


# --------------------------------------------------------------------------- hostile learners


@pytest.mark.parametrize(
    ("learner", "expected_flag"),
    [
        ("edited", "changed test cell 'statements'"),
        ("deleted", "deleted test cell 'statements' (restored for grading)"),
        ("standin", "added code cell"),
        ("loop", f"ran past the {CELL_TIMEOUT} s limit"),
        ("stubborn", "A cell timed out"),
        ("rewriter", "the submission's files changed while it was graded"),
    ],
)
def test_tampering_never_scores_above_the_honest_work_and_is_flagged(
    graded, learner, expected_flag
):
    assert cells(graded, learner) == HONEST_01
    assert graded["results"][learner]["assignments"][A01]["score"] == 7.0
    assert gradebook_scores(graded["workshop"], learner, A01)["score"] == 7.0
    assert expected_flag in flags_of(graded, learner)


def test_a_stand_in_course_fools_the_kernel_but_not_the_recomputation(graded):
    entry = graded["results"]["standin"]["assignments"][A01]["cells"]
    assert entry["statements"]["notebook_score"] == 8.0  # the stand-in's answer, in the kernel
    assert entry["statements"]["score"] == 5.0  # what the answers file earns
    assert "the notebook scored 8 but the answers file earns 5" in flags_of(graded, "standin")


def test_a_cell_rewriting_its_answers_file_gains_nothing_and_the_file_is_put_back(graded):
    entry = graded["results"]["rewriter"]["assignments"][A01]["cells"]
    assert entry["statements"]["notebook_score"] == 8.0  # the kernel read the rewritten file
    folder = graded["workshop"] / "submitted" / "rewriter" / A01
    assert (folder / f"{A01}.answers.json").read_bytes() == graded["rewriter_bytes"]


def test_deleted_test_cells_were_restored_and_run(graded):
    entry = graded["results"]["deleted"]["assignments"][A01]
    assert entry["status"] == "graded"
    assert {c["notebook_score"] for c in entry["cells"].values()} == {5.0, 2.0}


def test_an_interrupt_ignoring_kernel_is_stopped_and_the_batch_goes_on(graded):
    # nbclient gives up on a kernel that ignores the interrupt (no IOPub reply) and nbgrader
    # fails the notebook; the kit recomputes from the answers file and flags it.
    entry = graded["results"]["stubborn"]["assignments"][A01]
    assert entry["status"] == "failed"
    assert "nbgrader could not grade it (CellTimeoutError" in flags_of(graded, "stubborn")
    assert graded["results"]["stubborn"]["seconds"] < LEARNER_TIMEOUT
    assert graded["results"]["wrongtypes"]["assignments"]  # learners after it were graded


def test_an_unreadable_answers_file_scores_0_and_is_flagged(graded):
    assert cells(graded, "badjson") == {"statements": 0.0, "ideas": 0.0}
    assert "not valid JSON" in flags_of(graded, "badjson")
    # The submission was read, never changed: no backup, the bad file still there.
    folder = graded["workshop"] / "submitted" / "badjson" / A01
    assert sorted(p.name for p in folder.iterdir()) == [f"{A01}.answers.json", f"{A01}.ipynb"]


def test_answers_of_the_wrong_types_count_only_where_valid(graded):
    # statements was a list (ignored); ideas: q1 and q3 right, q2 held a number, q9 unknown.
    assert cells(graded, "wrongtypes") == {"statements": 0.0, "ideas": 2.0}
    flags = flags_of(graded, "wrongtypes")
    assert "not a mapping" in flags
    assert "unknown item 'q9'" in flags


def test_no_answers_file_scores_0_and_is_flagged(graded):
    assert cells(graded, "noanswers") == {"statements": 0.0, "ideas": 0.0}
    assert "no answers file" in flags_of(graded, "noanswers")


def test_a_roster_learner_without_a_folder_is_flagged(graded):
    assert graded["flags"]["absent"] == [
        "no submission: on the roster, but no folder in submitted/"
    ]
    assert graded["results"]["absent"]["assignments"] == {}


def test_regrading_a_learner_is_idempotent_and_keeps_manual_grades(graded):
    from course.grader.learner import grade_learner
    from course.grader.options import GradeOptions
    from course.grader.procs import tools_on_path
    from course.grader.workshop import open_workshop

    tools_on_path()
    workshop = open_workshop(graded["workshop"])
    with workshop.gradebook() as gb:  # a grader scored one rubric cell in the formgrader
        grade = gb.find_grade("rubric-alignment", A05, A05, "partial")
        grade.manual_score = 2.0
        grade.needs_manual_grade = False
        gb.db.commit()
    options = GradeOptions(cell_timeout=CELL_TIMEOUT)
    again = grade_learner(graded["workshop"], "partial", options=options)
    before = graded["results"]["partial"]["assignments"]
    for assignment in (A01, A05):
        assert again["assignments"][assignment]["cells"] == before[assignment]["cells"]
    assert again["assignments"][A01]["score"] == before[A01]["score"] == 7.0
    assert again["assignments"][A05]["score"] == before[A05]["score"] + 2.0
    assert again["flags"] == graded["flags"]["partial"]
    assert gradebook_scores(graded["workshop"], "partial", A01)["score"] == 7.0
    book = gradebook_scores(graded["workshop"], "partial", A05)
    assert book["grades"]["rubric-alignment"][1] == 2.0  # the grader's score survives
    assert book["score"] == 3.0


# --------------------------------------------------------------------------- feedback and report


@pytest.fixture(scope="module")
def feedback(graded) -> dict[str, Any]:
    withheld = run_kit("feedback", "--workshop", str(graded["workshop"]))
    assert withheld.returncode == 1, withheld.stdout + withheld.stderr
    assert f"full: 6 rubric cells of {A05} still to grade by hand" in withheld.stdout
    done = run_kit("feedback", "--workshop", str(graded["workshop"]), "--draft")
    assert done.returncode == 0, done.stdout + done.stderr
    pages = {
        (p.parts[-3], p.parts[-2]): p.read_text(encoding="utf-8")
        for p in (graded["workshop"] / "feedback").glob("*/*/*.html")
    }
    return pages


def test_feedback_never_shows_a_hidden_test_line(graded, feedback):
    import html

    hidden = [
        line
        for name in graded["names"]
        for line in keys.hidden_lines(keys.source_notebook(SOLUTIONS, name))
    ]
    assert hidden
    handed_in = {
        (p.parts[-2], p.parts[-1])
        for p in (graded["workshop"] / "submitted").glob("*/*")
        if p.is_dir()
    }
    assert set(feedback) == handed_in  # a page for every hand-in, graded by nbgrader or not
    for where, page in feedback.items():
        for line in hidden:
            assert line not in page and line not in html.unescape(page), (where, line)
        assert "HIDDEN TESTS" not in page, where


def test_feedback_shows_recorded_answers_readably_never_widget_reprs(feedback):
    page = feedback[("full", A01)]
    assert '<span class="label">Your answer:</span> aspiration.' in page
    assert "Someday I want to be the person new analysts come to" in page
    for page in feedback.values():
        assert "VBox(" not in page and "ToggleButtons(" not in page
        assert "widget-view+json" not in page
    draft = feedback[("full", A05)]
    assert "Acme Robotics" in draft and "DRAFT: not your final feedback" in draft


def test_feedback_pages_hold_no_code_output_traceback_or_script(feedback):
    for where, page in feedback.items():
        lowered = page.lower()
        assert "<script" not in lowered and "http" not in lowered and "<pre" not in lowered
        assert "Traceback" not in page and "Error" not in page, where
    assert "alert" not in feedback[("standin", A01)]  # a cell the learner added: never shown
    assert "import sys" not in feedback[("standin", A01)]
    loop = feedback[("loop", A01)]
    assert "KeyboardInterrupt" not in loop and "while True" not in loop
    wrong_types = feedback[("wrongtypes", A01)]  # only the valid answers count, in words
    assert "You got 0 of 8 right." in wrong_types and "You got 2 of 4 right." in wrong_types


def test_report_hides_ids_escapes_text_and_records_provenance(graded):
    from course import __version__

    done = run_kit("report", "--workshop", str(graded["workshop"]))
    assert done.returncode == 0, done.stderr
    report = graded["workshop"] / "report"
    page = (report / "index.html").read_text(encoding="utf-8")
    for learner in ("standin", "wrongtypes", "stubborn", "noanswers", "partial"):
        assert learner not in page
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert __version__ in page
    for name in graded["names"]:
        assert name in page
    figures = sorted(report.glob("*.png"))
    assert [p.name for p in figures] == [
        "item-difficulty.png",
        "misconceptions.png",
        "rubric-criteria.png",
        "score-distribution.png",
    ]
    for png in figures:
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
    provenance = json.loads((report / "provenance.json").read_text(encoding="utf-8"))
    assert provenance["kit_version"] == __version__
    assert set(provenance["exercises"]) == set(graded["names"])
    assert all(c["same"] for c in provenance["exercises"].values())


def test_report_with_names_shows_learner_ids(graded):
    from course.grader.report import write_report
    from course.grader.workshop import open_workshop

    page = write_report(open_workshop(graded["workshop"]), names=True).read_text("utf-8")
    assert "standin" in page and "absent" in page
