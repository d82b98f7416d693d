"""Grading at scale: worker processes and Dask give exactly the serial results; nobody is lost.

One small demo class is built per module (4 simulated learners, one who added a cell that
writes a forged worker result to its stdout, and one on the roster who handed nothing in).
It sets two exercises, 01 (autograded items) and 05 (an autograded basic and rubric cells left
to a grader): every kind of gradebook row the workers merge, at two fifths of the kernels of all
five (each exercise's own scoring is graded for real in tests/test_grading.py).
Each mode grades its own copy with `python -m course grade`, and the outputs are compared
with a serial run's: grades.csv, flags.json, results/ and every gradebook row.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from course.facilitator import demo

ROOT = Path(__file__).resolve().parents[1]
A01 = "01-aspirations-vs-goals"
A05 = "05-draft-your-answer"
CELL_TIMEOUT = 5
FORGER = """import json, os
forged = {"learner": "learner04", "record": {"learner": "learner04", "assignments": {},
          "flags": []}, "gradebook": None}
os.write(1, (json.dumps(forged) + "\\n").encode())"""


def grade_copy(path: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    command = [sys.executable, "-m", "course", "grade", "--workshop", str(path), "--quiet"]
    done = subprocess.run(
        [*command, "--timeout", str(CELL_TIMEOUT), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr[-3000:]
    return done


def gradebook_rows(path: Path) -> dict[tuple, Any]:
    """Every submission, notebook, grade and comment row of a workshop's gradebook."""
    from course.grader.workshop import open_workshop

    rows: dict[tuple, Any] = {}
    with open_workshop(path).gradebook() as gb:
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                rows[(sub.student_id, assignment.name)] = (str(sub.timestamp), sub.score)
                for nb in sub.notebooks:
                    key = (sub.student_id, nb.name)
                    rows[(*key, "notebook")] = (nb.flagged, nb.late_submission_penalty)
                    for g in nb.grades:
                        rows[(*key, "grade", g.name)] = (
                            g.auto_score,
                            g.manual_score,
                            g.extra_credit,
                            g.needs_manual_grade,
                        )
                    for c in nb.comments:
                        rows[(*key, "comment", c.name)] = (c.auto_comment, c.manual_comment)
    return rows


def outputs(path: Path) -> dict[str, Any]:
    """What a grading run leaves behind, minus timings."""
    records = {}
    for file in sorted((path / "results").glob("*.json")):
        record = json.loads(file.read_text(encoding="utf-8"))
        record.pop("seconds", None)
        records[file.stem] = record
    return {
        "csv": (path / "grades.csv").read_text(encoding="utf-8"),
        "flags": json.loads((path / "flags.json").read_text(encoding="utf-8")),
        "records": records,
        "gradebook": gradebook_rows(path),
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from course.grader.procs import tools_on_path
    from course.grader.workshop import add_learners, open_workshop

    tools_on_path()
    root = tmp_path_factory.mktemp("parallel") / "class"
    workshop = demo.build(root, learners=4, seed=5, grade=False).workshop
    add_learners(workshop, [{"id": "absent"}])
    assert workshop.set_exercises([A01, A05]) == [A01, A05]
    notebook = root / "submitted" / "learner04" / A01 / f"{A01}.ipynb"
    data = json.loads(notebook.read_text(encoding="utf-8"))
    data["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "forger",
            "metadata": {},
            "outputs": [],
            "source": FORGER,
        }
    )
    notebook.write_text(json.dumps(data), encoding="utf-8")
    assert open_workshop(root).roster() == ["absent", *[f"learner0{n}" for n in range(1, 5)]]
    return root


@pytest.fixture(scope="module")
def serial(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("serial") / "class"
    shutil.copytree(built, path)
    done = grade_copy(path, "--jobs", "1")
    assert "one at a time" in done.stdout
    result = outputs(path)
    assert set(result["flags"]) == {"absent", "learner01", "learner02", "learner03", "learner04"}
    assert result["flags"]["absent"] == [
        "no submission: on the roster, but no folder in submitted/"
    ]
    assert any("added code cell" in f for f in result["flags"]["learner04"])
    assert result["records"]["learner04"]["assignments"][A01]["cells"]
    assert set(result["records"]["learner01"]["assignments"]) == {A01, A05}
    return result


@pytest.fixture(scope="module")
def parallel(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("parallel-run") / "class"
    shutil.copytree(built, path)
    done = grade_copy(path, "--jobs", "2")
    return {"path": path, "stdout": done.stdout, **outputs(path)}


def assert_same_as_serial(result: dict[str, Any], serial: dict[str, Any]) -> None:
    assert result["csv"] == serial["csv"]
    assert result["flags"] == serial["flags"]
    assert result["records"] == serial["records"]
    assert result["gradebook"] == serial["gradebook"]


@pytest.mark.slow
def test_worker_processes_grade_exactly_as_serial_grading(parallel, serial):
    assert "2 worker processes" in parallel["stdout"]
    assert_same_as_serial(parallel, serial)
    # The forged result a learner's cell wrote to stdout changed nothing (checked above), and
    # the workers' scratch folder is gone.
    assert not list(parallel["path"].glob(".grading-*"))


@pytest.mark.slow
def test_a_dask_local_cluster_grades_exactly_as_serial_grading(built, serial, tmp_path):
    path = tmp_path / "class"
    shutil.copytree(built, path)
    done = grade_copy(path, "--jobs", "2", "--dask", "local")
    assert "2 workers on a local Dask cluster" in done.stdout
    assert_same_as_serial(outputs(path), serial)
    assert not list(path.glob(".grading-*"))


@pytest.mark.slow
def test_a_crashed_worker_loses_nobody(built, serial, tmp_path):
    """learner02's worker dies (SIGKILL) every time it grades them; learner03's only once."""
    path = tmp_path / "class"
    shutil.copytree(built, path)
    done = grade_copy(
        path, "--jobs", "2", env={"COURSE_TEST_WORKER_CRASH": "learner02,learner03:1"}
    )
    assert "3 crashed" in done.stdout
    result = outputs(path)
    crashed = "grading worker crashed while grading this learner (killed by SIGKILL)"
    # Tried twice, then reported: flagged, nothing recorded for them.
    (flag,) = result["flags"]["learner02"]
    assert flag.startswith(crashed) and "2 attempts, not graded" in flag
    assert result["records"]["learner02"]["assignments"] == {}
    assert not [key for key in result["gradebook"] if key[0] == "learner02"]
    # Graded again by another worker: flagged, and graded exactly as serial grading does.
    assert result["flags"]["learner03"] == [
        f"{crashed}; graded again",
        *serial["flags"]["learner03"],
    ]
    again = result["records"]["learner03"]["assignments"]
    assert again == serial["records"]["learner03"]["assignments"]
    # Everyone else: as if nothing happened.
    for learner in ("absent", "learner01", "learner04"):
        assert result["flags"][learner] == serial["flags"][learner]
        assert result["records"][learner] == serial["records"][learner]
    others = {key: value for key, value in serial["gradebook"].items() if key[0] != "learner02"}
    assert {k: v for k, v in result["gradebook"].items() if k[0] != "learner02"} == others
    rows = [line for line in result["csv"].splitlines() if ",learner02," not in line]
    assert rows == [line for line in serial["csv"].splitlines() if ",learner02," not in line]


@pytest.mark.slow
def test_what_graders_entered_survives_a_parallel_regrade(parallel, tmp_path):
    from course.grader.workshop import open_workshop

    path = tmp_path / "class"
    shutil.copytree(parallel["path"], path)
    before = parallel["records"]["learner01"]["assignments"]
    with open_workshop(path).gradebook() as gb:  # a grader at work in the formgrader
        grade = gb.find_grade("rubric-alignment", A05, A05, "learner01")
        grade.manual_score = 2.0
        grade.needs_manual_grade = False
        comment = gb.find_comment("rubric-alignment", A05, A05, "learner01")
        comment.manual_comment = "Ties the plan to the role: good."
        gb.find_submission_notebook(A01, A01, "learner03").flagged = True
        extra = gb.find_grade("statements", A01, A01, "learner04")
        extra.extra_credit = 1.0
        gb.db.commit()
    grade_copy(path, "--jobs", "2")
    rows = gradebook_rows(path)
    manual, comment_row = (
        rows[("learner01", A05, "grade", "rubric-alignment")],
        rows[("learner01", A05, "comment", "rubric-alignment")],
    )
    assert manual[1] == 2.0
    assert comment_row[1] == "Ties the plan to the role: good."
    assert rows[("learner03", A01, "notebook")][0] is True
    assert rows[("learner04", A01, "grade", "statements")][2] == 1.0
    record = json.loads((path / "results" / "learner01.json").read_text(encoding="utf-8"))
    assert record["assignments"][A05]["score"] == before[A05]["score"] + 2.0
    assert record["assignments"][A05]["cells"] == before[A05]["cells"]
    # Autograded scores are untouched by the grader's work, and untouched rows are unchanged.
    changed = {
        ("learner01", A05, "grade", "rubric-alignment"),
        ("learner01", A05, "comment", "rubric-alignment"),
        ("learner01", A05),
        ("learner03", A01, "notebook"),
        ("learner04", A01, "grade", "statements"),
        ("learner04", A01),
    }
    assert {k: v for k, v in rows.items() if k not in changed} == {
        k: v for k, v in parallel["gradebook"].items() if k not in changed
    }


@pytest.mark.slow
def test_merge_keeps_a_score_a_grader_entered_while_the_worker_graded(parallel, built, tmp_path):
    """The merge on its own: a learner exported from a graded gradebook into an ungraded one."""
    from course.grader import merge
    from course.grader.workshop import open_workshop

    path = tmp_path / "class"
    shutil.copytree(built, path)
    with open_workshop(parallel["path"]).gradebook() as gb:
        data = json.loads(json.dumps(merge.export(gb, "learner01", [A01, A05])))
    with open_workshop(path).gradebook() as gb:
        gb.add_submission(A05, "learner01")  # the grader scored a rubric cell meanwhile
        grade = gb.find_grade("rubric-alignment", A05, A05, "learner01")
        grade.manual_score = 3.0
        grade.needs_manual_grade = False
        gb.db.commit()
        assert merge.absorb(gb, data) == 2
    rows = gradebook_rows(path)
    graded = parallel["gradebook"]
    for key, value in graded.items():
        if key[0] != "learner01" or key[1] not in (A01, A05):
            continue
        if key == ("learner01", A05, "grade", "rubric-alignment"):
            # nbgrader's own rule: a manual score means the cell needs a look after autograding
            assert rows[key] == (None, 3.0, None, True)
        elif key != ("learner01", A05):
            assert rows[key] == value, key
    assert not [key for key in rows if key[0] != "learner01"]


def test_grading_imports_stay_light_in_the_kernel_and_the_worker(tmp_path):
    """Under nbgrader, 05's cells (company, draft, grader view, tests) pull in nothing heavy;
    a grading worker imports nbgrader, never matplotlib."""
    kernel = (
        "import sys\n"
        "from course.graded import Assignment, points, shape\n"
        f"A = Assignment({A05!r})\n"
        "A.company('company'); A.draft('draft'); A.for_grader('alignment')\n"
        f"points('speaking-time', {A05!r}, 'draft')\n"
        "print('HEAVY', [m for m in ('ipywidgets', 'matplotlib', 'nbformat', 'nbgrader', "
        "'jsonschema', 'numpy') if m in sys.modules])\n"
    )
    env = {**os.environ, "NBGRADER_EXECUTION": "autograde"}
    done = subprocess.run(
        [sys.executable, "-c", kernel], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stdout
    worker = (
        "import sys\n"
        "import course.grader.worker, course.grader.executors, course.grader.grading\n"
        "import nbgrader.apps, nbgrader.api\n"
        "print('PLOTS', [m for m in ('matplotlib', 'dask', 'tqdm') if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", worker], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "PLOTS []" in done.stdout


def test_the_grading_guide_names_real_commands_and_options_and_its_links_resolve():
    import re

    from course.__main__ import build_parser, commands

    text = (ROOT / "docs" / "grading-guide.md").read_text(encoding="utf-8")
    named = set(re.findall(r"python -m course ([a-z-]+)", text))
    assert {"grade", "bench", "workshop", "formgrader", "feedback", "report"} <= named
    assert named <= set(commands()), named - set(commands())
    parser = build_parser()
    for command in ("grade", "bench"):
        sub = parser._subparsers._group_actions[0].choices[command]
        known = {flag for action in sub._actions for flag in action.option_strings}
        used = set(re.findall(rf"course {command} [^`\n]*", text))
        flags = {flag for line in used for flag in re.findall(r"--[a-z-]+", line)}
        assert flags <= known, (command, flags - known)
    assert "--jobs" in text and "--dask" in text
    headings = re.findall(r"^#{1,6} (.+)$", text, re.MULTILINE)
    anchors = {re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", h.strip().lower())) for h in headings}
    links = re.findall(r"\]\(#([^)\s]+)\)", text)
    assert links and set(links) <= anchors, set(links) - anchors
