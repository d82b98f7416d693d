"""A workshop folder is a complete nbgrader course: init, plain nbgrader, zips, usage errors."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from kit_tools import run_kit

from course.facilitator import demo
from course.grader import keys
from course.grader.workshop import open_workshop

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
A01 = "01-aspirations-vs-goals"


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
    assert (workshop / ".gitignore").read_text().splitlines()[-1] == "*", "keys never committed"
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


def test_grade_from_a_wrapped_class_zip_with_names_and_system_files(workshop, tmp_path):
    ws = open_workshop(workshop)
    archive = tmp_path / "class.zip"
    notebook = ws.release_notebook(A01).read_bytes()
    answers = {
        "schema": 1,
        "notebook": A01,
        "answers": {"statements": {"a1": "aspiration", "a2": "goal"}},
    }
    with zipfile.ZipFile(archive, "w") as out:  # as a Mac zips a folder of hand-ins
        out.writestr(f"class/Ann Lee/{A01}/{A01}.ipynb", notebook)
        out.writestr(f"class/Ann Lee/{A01}/{A01}.answers.json", json.dumps(answers))
        out.writestr(f"class/Ann Lee/{A01}/.DS_Store", b"\0")
        out.writestr("__MACOSX/class/._Ann Lee", b"\0")
    done = run_kit("grade", "--workshop", str(workshop), "--from", str(archive), "--quiet")
    assert done.returncode == 1, done.stderr[-2000:]  # bo handed nothing in: flagged
    record = json.loads((workshop / "results" / "ann.json").read_text(encoding="utf-8"))
    assert record["assignments"][A01]["score"] == 2.0
    assert "class" not in ws.roster() and not (workshop / "submitted" / "class").exists()
    flags = json.loads((workshop / "flags.json").read_text(encoding="utf-8"))
    assert flags["bo"] == ["no submission: on the roster, but no folder in submitted/"]
    grades = (workshop / "grades.csv").read_bytes()
    assert grades.startswith(b"\xef\xbb\xbf"), "a byte-order mark: Excel reads it as UTF-8"


def test_a_hand_in_from_someone_not_on_the_roster_is_refused_and_listed(workshop, tmp_path):
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr(f"zed/{A01}/{A01}.ipynb", "{}")
    done = run_kit("grade", "--workshop", str(workshop), "--from", str(archive), "--quiet")
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Not taken in" in done.stdout and "'zed' is not on the roster" in done.stdout
    assert "roster DIR --update" in done.stdout
    assert "zed" not in open_workshop(workshop).roster()
    assert not (workshop / "submitted" / "zed").exists()


def test_one_learners_own_zip_with_learner(workshop, tmp_path):
    ws = open_workshop(workshop)
    archive = tmp_path / "handin.zip"
    with zipfile.ZipFile(archive, "w") as out:  # the learner zipped their exercises folder
        out.writestr(f"exercises/{A01} (1)/{A01}.ipynb", ws.release_notebook(A01).read_bytes())
        out.writestr(f"exercises/{A01} (1)/{A01} (1).answers.json", "{}")
    # one at a time: two learners' notebooks are graded sooner than two workers start
    args = ("grade", "--workshop", str(workshop), "--from", str(archive), "--quiet", "--jobs", "1")
    refused = run_kit(*args)
    assert "--learner ID" in refused.stdout
    done = run_kit(*args, "--learner", "bo")
    assert "Took in 1 learner from" in done.stdout, done.stdout + done.stderr[-2000:]
    assert f"folder '{A01} (1)' taken as {A01}" in done.stdout
    assert (workshop / "submitted" / "bo" / A01 / f"{A01}.answers.json").is_file()
    flags = json.loads((workshop / "flags.json").read_text(encoding="utf-8"))
    assert not any("no submission" in f for f in flags["bo"])


def test_roster_update_adds_renames_and_removes_with_a_dry_run_first(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_bytes("ID;First name;Last name\nalcie;Alice;Smith\nzed;Zed;Old\n".encode("cp1252"))
    ws_dir = tmp_path / "ws"
    made = run_kit("workshop", "init", str(ws_dir), "--roster", str(roster), "--exercises", "1,04")
    assert made.returncode == 0, made.stderr
    assert "Exercises that count: 01-aspirations-vs-goals, 04-keep-it-relevant." in made.stdout
    changed = run_kit("workshop", "exercises", str(ws_dir), "01")
    assert changed.returncode == 0 and open_workshop(ws_dir).exercises() == [A01]
    wrong = run_kit("workshop", "exercises", str(ws_dir), "09")
    assert wrong.returncode == 2 and "no exercise '09'" in wrong.stderr
    (ws_dir / "submitted" / "alcie" / A01).mkdir(parents=True)
    (ws_dir / "submitted" / "zed").mkdir()
    fixed = tmp_path / "fixed.csv"
    fixed.write_bytes("ID;First name;Last name\nalice;Alice;Smith\nchloé;;\n".encode("cp1252"))
    dry = run_kit("workshop", "roster", str(ws_dir), "--update", str(fixed), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    for line in ("+ add chloe (chloé)", "~ rename alcie -> alice", "- remove zed"):
        assert line in dry.stdout, dry.stdout
    assert open_workshop(ws_dir).roster() == ["alcie", "zed"], "a dry run changes nothing"
    done = run_kit("workshop", "roster", str(ws_dir), "--update", str(fixed))
    assert done.returncode == 0, done.stderr
    assert open_workshop(ws_dir).roster() == ["alice", "chloe"]
    assert (ws_dir / "submitted" / "alice" / A01).is_dir()
    assert (ws_dir / "removed" / "zed").is_dir() and not (ws_dir / "submitted" / "zed").exists()
    again = run_kit("workshop", "roster", str(ws_dir), "--update", str(fixed))
    assert "nothing to change" in again.stdout


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


def test_a_workshop_whose_config_names_the_old_module_paths_still_grades(workshop, tmp_path):
    """Workshops written before the layers moved name `course.preprocessors.*`: still graded."""
    import shutil

    old = tmp_path / "old-ws"
    shutil.copytree(workshop, old)
    config = old / "nbgrader_config.py"
    text = config.read_text(encoding="utf-8")
    assert "course.grader.preprocessors." in text
    config.write_text(text.replace("course.grader.preprocessors.", "course.preprocessors."))
    ws = open_workshop(old)
    answers = keys.solution_answers(ws.source_notebook(A01))
    shutil.rmtree(old / "submitted", ignore_errors=True)
    demo.simulate_submission(ws.release_notebook(A01), ws.submission("bo", A01), answers)
    done = run_kit("grade", "--workshop", str(old), "--quiet")
    record = json.loads((old / "results" / "bo.json").read_text(encoding="utf-8"))
    assert record["assignments"][A01]["score"] == 12.0, done.stdout + done.stderr[-2000:]
    flags = json.loads((old / "flags.json").read_text(encoding="utf-8"))
    assert not any(A01 in f for f in flags.get("bo", [])), flags["bo"]
