"""A workshop folder is a complete nbgrader course: init, plain nbgrader, zips, usage errors."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from course.facilitator import demo
from course.grader import keys
from course.grader.workshop import open_workshop

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
A01 = "01-aspirations-vs-goals"


def run_kit(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "course", *args], cwd=cwd, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("workshop")
    roster = tmp / "roster.csv"
    roster.write_text("id,first_name,last_name,email\nann,Ann,Lee,ann@example.org\nbo,Bo,,\n")
    done = run_kit("workshop", "init", str(tmp / "ws"), "--roster", str(roster))
    assert done.returncode == 0, done.stderr
    return tmp / "ws"


def test_init_makes_a_complete_nbgrader_course(workshop):
    ws = open_workshop(workshop)
    assert ws.roster() == ["ann", "bo"]
    assert ws.assignments() == keys.assignments(ROOT / "solutions")
    assert ws.source == (ROOT / "solutions").resolve()
    for name in ws.assignments():
        released = ws.release_notebook(name).read_bytes()
        assert released == (ROOT / "exercises" / name / f"{name}.ipynb").read_bytes()
    assert (workshop / "submitted").is_dir()
    config = (workshop / "nbgrader_config.py").read_text(encoding="utf-8")
    assert "add_missing_cells = True" in config and "StripHiddenTests" in config
    with ws.gradebook() as gb:
        assert gb.find_student("ann").email == "ann@example.org"
        assert {a.name for a in gb.assignments} == set(ws.assignments())


def test_plain_nbgrader_autograde_works_inside_the_workshop(workshop):
    ws = open_workshop(workshop)
    answers = keys.solution_answers(ws.source_notebook(A01))
    demo.simulate_submission(ws.release_notebook(A01), ws.submission("ann", A01), answers)
    assert sorted(p.name for p in ws.submission("ann", A01).iterdir()) == [
        f"{A01}.answers.json",
        f"{A01}.ipynb",
    ]
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", A01],
        cwd=workshop,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    with ws.gradebook() as gb:
        assert gb.find_submission(A01, "ann").score == 12.0


def test_grade_from_a_zip_of_learner_folders(workshop, tmp_path):
    ws = open_workshop(workshop)
    archive = tmp_path / "class.zip"
    notebook = ws.release_notebook(A01).read_bytes()
    answers = {
        "schema": 1,
        "notebook": A01,
        "answers": {"statements": {"a1": "aspiration", "a2": "goal"}},
    }
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr(f"zed/{A01}/{A01}.ipynb", notebook)
        out.writestr(f"zed/{A01}/{A01}.answers.json", json.dumps(answers))
    done = run_kit("grade", "--workshop", str(workshop), "--from", str(archive), "--quiet")
    assert done.returncode == 1, done.stderr[-2000:]  # bo handed nothing in: flagged
    assert "Unpacked 1 learners" in done.stdout
    record = json.loads((workshop / "results" / "zed.json").read_text(encoding="utf-8"))
    assert record["assignments"][A01]["score"] == 2.0
    assert "zed" in ws.roster()  # imported into the gradebook
    flags = json.loads((workshop / "flags.json").read_text(encoding="utf-8"))
    assert flags["bo"] == ["no submission: on the roster, but no folder in submitted/"]
    assert flags["ann"] and all("not handed in" in f for f in flags["ann"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["grade", "--workshop", "{tmp}/nowhere"], "is not a workshop folder"),
        (["grade", "--workshop", "{ws}", "--jobs", "0"], "--jobs must be 1 or more"),
        (["grade", "--workshop", "{ws}", "--from", "{tmp}/evil.zip"], "'..' in a path"),
        (["report", "--workshop", "{tmp}/nowhere"], "is not a workshop folder"),
        (["workshop", "init", "{tmp}/w2", "--roster", "{tmp}/bad.csv"], "line 3"),
    ],
)
def test_usage_errors_exit_2_with_a_clear_message(workshop, tmp_path, args, message):
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as out:
        out.writestr("../escape/01/x.ipynb", "{}")
    (tmp_path / "bad.csv").write_text("id\nann\nnot ok/../x\n", encoding="utf-8")
    filled = [a.format(tmp=tmp_path, ws=workshop) for a in args]
    done = run_kit(*filled)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr
    assert not (tmp_path / "escape").exists()


def test_formgrader_answers_on_the_workshop(workshop):
    done = run_kit("formgrader", "--workshop", str(workshop), "--check", "--port", "18931")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "formgrader answered" in done.stdout
