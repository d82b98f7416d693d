"""Units of the grading workflow, without nbgrader runs: scoring, records, integrity, zips, PATH."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from course.errors import KitError
from course.grader import integrity, keys, procs
from course.grader.intake import MAX_FILE_BYTES, unpack_submissions
from course.learner import checks, graded
from course.learner.answers import AnswerStore

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
A01 = "01-aspirations-vs-goals"
RELEASE_01 = ROOT / "exercises" / A01 / f"{A01}.ipynb"
SOURCE_01 = ROOT / "solutions" / A01 / f"{A01}.ipynb"


def save(folder: Path, notebook: str, answers: dict) -> None:
    store = AnswerStore(notebook, folder)
    for key, value in answers.items():
        store.set(key, value)


# --------------------------------------------------------------------------- scoring


def test_result_scores_each_kind_from_the_answers_file(tmp_path):
    save(
        tmp_path,
        "nb",
        {
            "c": {"x": "goal", "y": "goal"},
            "q": {"q1": "b", "q2": "c"},
            "s": ["o1", "o3"],
            "company": "northwind-health",
            "draft": "Northwind is where I want to grow. " * 20,
        },
    )
    key = {"x": "goal", "y": "aspiration"}
    assert graded.result("classify", "nb", "c", key, folder=tmp_path).score == 1.0
    quiz = graded.result("quiz", "nb", "q", {"q1": "b", "q2": "a"}, labels="abc", folder=tmp_path)
    assert quiz.score == 1.0
    assert [i.given for i in quiz.items] == ["b", "c"]  # a wrong option is kept for the report
    choose = {"o1": True, "o2": True, "o3": False}
    assert graded.result("choose", "nb", "s", choose, folder=tmp_path).score == 1.0
    assert graded.points("speaking-time", "nb", "draft", folder=tmp_path) == 1.0
    assert graded.points("names-company", "nb", "draft", company="company", folder=tmp_path) == 1.0


def test_own_company_is_named_from_the_form(tmp_path):
    save(
        tmp_path,
        "nb",
        {"company": "own", "company-own": {"name": "Acme Robotics"}, "draft": "I love Acme."},
    )
    assert graded.points("names-company", "nb", "draft", folder=tmp_path) == 1.0
    save(tmp_path, "nb", {"draft": "I love robots."})
    assert graded.points("names-company", "nb", "draft", folder=tmp_path) == 0.0


def test_a_corrupt_answers_file_reads_as_nothing_and_is_never_moved(tmp_path):
    path = tmp_path / "nb.answers.json"
    path.write_text("{nope", encoding="utf-8")
    with graded.read_only():
        outcome = graded.result("classify", "nb", "c", {"x": "goal"}, folder=tmp_path)
    assert outcome.score == 0.0
    assert any("not valid JSON" in p for p in outcome.problems)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb.answers.json"]
    assert "NBGRADER_EXECUTION" not in os.environ


def test_wrong_types_are_reported_not_raised(tmp_path):
    save(tmp_path, "nb", {"c": ["x"], "draft": 42})
    outcome = graded.result("classify", "nb", "c", {"x": "goal"}, folder=tmp_path)
    assert outcome.score == 0.0 and outcome.problems
    assert graded.result("speaking-time", "nb", "draft", folder=tmp_path).problems


def test_shape_asserts_the_type_and_reports_progress(tmp_path, capsys):
    save(tmp_path, "nb", {"c": {"x": "goal"}, "bad": [1]})
    graded.shape("nb", "c", dict, items=3, folder=tmp_path)
    assert "1 of 3 answered" in capsys.readouterr().out
    with pytest.raises(AssertionError):
        graded.shape("nb", "bad", dict, folder=tmp_path)
    graded.shape("nb", "missing", dict, folder=tmp_path)  # nothing saved: no failure


def test_unknown_kind_is_a_clear_error(tmp_path):
    with pytest.raises(KitError, match="unknown kind"):
        graded.result("essay", "nb", "x", folder=tmp_path)


def test_mentions_name_needs_a_distinctive_word():
    assert checks.mentions_name("I want to join Solvane.", "Solvane Energy")
    assert checks.mentions_name("solvane energy is great", "Solvane Energy")
    assert not checks.mentions_name("I care about energy.", "Solvane Energy")
    assert not checks.mentions_name("anything", "")
    assert not checks.mentions_name("The group", "The Group Ltd")


def test_speaking_time_bounds_come_from_speaking_py():
    from course.speaking import STRONG_MAX_SECONDS, STRONG_MIN_SECONDS, words_for_seconds

    low = " ".join(["word"] * words_for_seconds(STRONG_MIN_SECONDS))
    high = " ".join(["word"] * (words_for_seconds(STRONG_MAX_SECONDS) + 5))
    check = checks.check_speaking_time
    assert check("d", low, STRONG_MIN_SECONDS, STRONG_MAX_SECONDS).score == 1.0
    assert check("d", high, STRONG_MIN_SECONDS, STRONG_MAX_SECONDS).score == 0.0
    assert not check("d", "", STRONG_MIN_SECONDS, STRONG_MAX_SECONDS).attempted


# --------------------------------------------------------------------------- records


def test_records_escape_learner_text():
    spec = graded.Spec("draft", "draft", "Your answer")
    html = graded._record_html(spec, "<script>alert(1)</script>\n\nSecond & last")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("<blockquote>") == 2
    spec = graded.Spec("classify", "c", "T", items=[("x", "<b>item</b>")], labels=["goal"])
    html = graded._record_html(spec, {"x": "goal"})
    assert "&lt;b&gt;item&lt;/b&gt;" in html and "your answer: <b>goal</b>" in html


def test_grader_view_shows_the_draft_escaped_with_a_pre_score(tmp_path):
    save(tmp_path, "nb", {"company": "northwind-health", "draft": "I <3 data at Northwind."})
    view = graded.grader_view(AnswerStore("nb", tmp_path), "alignment")
    assert "I &lt;3 data at Northwind." in view
    assert "Northwind Health Analytics" in view
    assert "pre-score" in view or "no coach" in view


def test_grading_kernel_imports_stay_light(tmp_path):
    """Under nbgrader the setup and exercise cells import neither ipywidgets nor heavy tools."""
    code = (
        "import sys\n"
        "from course.graded import Assignment, points, shape\n"
        "A = Assignment('nb', answers={'c': {'x': 'goal'}})\n"
        "A.classify('c', [('x', 'X')], ['goal', 'aspiration'])\n"
        "A.quiz('q', [('q1', 'Q', [('a', 'A')])])\n"
        "heavy = [m for m in ('ipywidgets', 'matplotlib', 'nbformat', 'nbgrader') "
        "if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    env = {**os.environ, "NBGRADER_EXECUTION": "autograde"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stdout
    assert done.stdout.count("HTML object") == 2  # a record per exercise, no widget
    assert not list(tmp_path.iterdir())  # nothing written while grading


# --------------------------------------------------------------------------- keys


def test_every_test_cell_of_the_solutions_has_a_parsable_scoring():
    for name in keys.assignments(ROOT / "solutions"):
        source = keys.source_notebook(ROOT / "solutions", name)
        notebook = keys.read_notebook(source)
        test_cells = {
            c["metadata"]["nbgrader"]["grade_id"]
            for c in notebook["cells"]
            if c["cell_type"] == "code" and c["metadata"].get("nbgrader", {}).get("grade")
        }
        scorings = keys.scorings(source)
        assert set(scorings) == test_cells, name
        for scoring in scorings.values():
            assert scoring.notebook == name
            if scoring.kind in ("classify", "quiz", "choose"):
                assert len(scoring.key) == scoring.max_points  # one point per item


def test_solution_answers_follow_the_keys():
    answers = keys.solution_answers(SOURCE_01)
    assert set(answers) == {"statements", "ideas"}
    assert len(answers["statements"]) == 8


# --------------------------------------------------------------------------- integrity


def test_integrity_names_what_changed():
    released = integrity.read(RELEASE_01)
    assert integrity.compare(released, integrity.read(RELEASE_01)) == []
    changed = integrity.read(RELEASE_01)
    tests = [c for c in changed.cells if c.metadata.get("nbgrader", {}).get("grade")]
    tests[0].source = "pass"
    setup = next(
        c for c in changed.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "setup"
    )
    changed.cells.remove(setup)
    changed.cells.remove(tests[1])
    import nbformat

    changed.cells.append(nbformat.v4.new_code_cell("import os"))
    messages = integrity.compare(released, changed)
    assert "changed test cell 'statements' (the original was graded)" in messages
    assert "deleted read-only cell 'setup'" in messages
    assert "deleted test cell 'ideas' (restored for grading)" in messages
    assert "added code cell: 'import os'" in messages


def test_an_unreadable_notebook_is_a_value_error(tmp_path):
    bad = tmp_path / "x.ipynb"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot be read"):
        integrity.read(bad)


# --------------------------------------------------------------------------- zips


def make_zip(path: Path, entries: dict[str, bytes], link: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = 0o120777 << 16
            archive.writestr(info, "/etc/passwd")
    return path


def test_a_zip_of_learner_folders_is_unpacked(tmp_path):
    good = make_zip(
        tmp_path / "ok.zip",
        {
            "submitted/ann/01-x/01-x.ipynb": b"{}",
            "submitted/ann/01-x/01-x.answers.json": b"{}",
            "submitted/bob/01-x/01-x.ipynb": b"{}",
        },
    )
    assert unpack_submissions(good, tmp_path / "sub") == ["ann", "bob"]
    assert (tmp_path / "sub" / "ann" / "01-x" / "01-x.answers.json").is_file()


@pytest.mark.parametrize(
    ("entries", "link", "message"),
    [
        ({"../evil/01/x.ipynb": b"x"}, None, "'..'"),
        ({"/abs/01/x.ipynb": b"x"}, None, "absolute"),
        ({"ann/01/x.ipynb": b"x"}, "ann/01/link", "links are refused"),
        ({"ann/x.ipynb": b"x"}, None, "expected <learner>/<assignment>/<file>"),
        ({"a nn/01/x.ipynb": b"x"}, None, "plain names"),
        ({"ann/01/big.bin": b"0" * (MAX_FILE_BYTES + 1)}, None, "limit for one file"),
    ],
)
def test_unsafe_zips_are_refused_whole(tmp_path, entries, link, message):
    bad = make_zip(tmp_path / "bad.zip", {"ok/01/x.ipynb": b"{}", **entries}, link)
    with pytest.raises(KitError, match=message.replace("(", r"\(").replace(")", r"\)")):
        unpack_submissions(bad, tmp_path / "sub")
    assert not (tmp_path / "sub").exists() or not any((tmp_path / "sub").iterdir())


def test_not_a_zip_is_a_clear_error(tmp_path):
    path = tmp_path / "x.zip"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(KitError, match="cannot open"):
        unpack_submissions(path, tmp_path / "sub")


# --------------------------------------------------------------------------- processes


def test_tools_env_puts_the_environment_bin_first():
    env = procs.tools_env({"PATH": "/usr/bin"})
    assert env["PATH"].split(os.pathsep)[0] == str(Path(sys.executable).parent)
    assert procs.tools_env(env)["PATH"] == env["PATH"]


HOLD_LOCK = (
    "import sys, filelock\n"
    "lock = filelock.FileLock(sys.argv[1]); lock.acquire(); print('held', flush=True)\n"
    "sys.stdin.read()\n"
)


def test_a_second_grading_run_on_the_same_workshop_is_refused(tmp_path):
    from course.grader.grading import exclusive
    from course.grader.workshop import Workshop

    workshop = Workshop(tmp_path)
    scratch = tmp_path / ".grading-old"
    scratch.mkdir()
    (scratch / "worker-1.db").write_bytes(b"a killed run's gradebook copy")
    (scratch / "worker-1.log").write_text("a crashed worker's log", encoding="utf-8")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(tmp_path / ".grading.lock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        refused = pytest.raises(KitError, match="another `python -m course grade` is running")
        with refused, exclusive(workshop):
            pass
        assert (scratch / "worker-1.db").exists()  # the running grader's files are left alone
    finally:
        holder.kill()  # a killed run leaves its lock file, but no lock
        holder.wait()
    with exclusive(workshop):
        assert not (scratch / "worker-1.db").exists()
        assert (scratch / "worker-1.log").exists()


class FakeApi:
    """Stands in for NbGraderAPI.autograde: hands out the given outcomes in turn."""

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.calls = 0

    def autograde(self, assignment, learner, force, create):
        self.calls += 1
        return self.outcomes.pop(0)


DIED = {"success": False, "log": "RuntimeError: Kernel died before replying to kernel_info"}
LEARNER_ERROR = {"success": False, "log": "ZeroDivisionError: division by zero"}


@pytest.mark.parametrize(
    ("outcomes", "calls", "success"),
    [
        ([DIED, {"success": True}], 2, True),  # a port race at kernel start: tried again
        ([DIED, DIED, DIED, {"success": True}], 3, False),  # it gives up after three starts
        ([LEARNER_ERROR, {"success": True}], 1, False),  # the notebook's own failure stands
        ([{"success": True}], 1, True),
    ],
)
def test_a_kernel_that_fails_to_start_is_started_again(outcomes, calls, success):
    from course.grader.learner import autograde_submission

    api = FakeApi(*outcomes)
    outcome, fired = autograde_submission(api, "a", "learner01", 60)
    assert (api.calls, bool(outcome["success"]), fired.is_set()) == (calls, success, False)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_watchdog_kills_a_kernel_that_ignores_interrupts():
    code = (
        "import signal, time\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "while True: time.sleep(0.1)\n"
    )
    started = time.monotonic()
    with procs.watchdog(1.0) as fired:
        # "ipykernel" in the command line makes it look like a kernel to the watchdog.
        proc = subprocess.Popen([sys.executable, "-c", code, "ipykernel"])
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)  # ignored
        proc.wait(timeout=20)
    assert fired.is_set()
    assert proc.returncode == -signal.SIGKILL
    assert time.monotonic() - started < 15


def test_watchdog_kills_leftover_kernels_at_the_end():
    proc = None
    with procs.watchdog(60) as fired:
        proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "ipykernel"])
        time.sleep(0.3)
    assert not fired.is_set()
    assert proc.wait(timeout=10) == -signal.SIGKILL


def test_answers_json_in_results_is_plain_data(tmp_path):
    # grade_learner's records are JSON-serialisable plain data (a worker can return them).
    from course.learner.checks import Result

    assert json.dumps(Result("x", 1.0, 2.0, True).to_dict())


# --------------------------------------------------------------------------- totals and feedback


def test_the_summary_totals_every_set_exercise_not_only_those_handed_in():
    from course.grader.grading import summary_table, totals

    names = ["01-aspirations-vs-goals", "05-draft-your-answer"]
    most = {names[0]: 12.0, names[1]: 20.0}
    records = [
        {
            "learner": "ann",
            "flags": [],
            "assignments": {
                names[0]: {"status": "graded", "score": 7.0, "max_score": 12.0},
                names[1]: {"status": "missing", "cells": {}},
            },
        }
    ]
    table = summary_table(records, names, most)
    row = next(line.split() for line in table.splitlines() if line.startswith("ann"))
    assert row == ["ann", "7/12", "-", "7/32", "0"]
    assert totals({names[0]: (7.0, 12.0), names[1]: None}, most) == (7.0, 32.0)
    from course.grader.grading import GradeRun, summary

    run = GradeRun(Path("/ws"), names, records, {"ann": []}, "one at a time", 1.0, maxima=most)
    assert "7/32" in summary(run) and "Not set" not in summary(run)
    run.unset = ["02-research-the-company"]
    assert "Not set in this workshop, so not graded: 02-research-the-company" in summary(run)
    # a score of an exercise not set never counts
    assert totals({names[0]: (7.0, 12.0), "02-x": (9.0, 10.0)}, {names[0]: 12.0}) == (7.0, 12.0)


def test_every_graded_item_of_01_to_04_has_an_explanation_hidden_with_its_key():
    import ast

    for name in keys.assignments(SOLUTIONS)[:4]:
        source = keys.source_notebook(SOLUTIONS, name)
        explained = keys.explanations(source)
        for scoring in keys.scorings(source).values():
            assert scoring.key and set(explained[scoring.exercise]) == set(scoring.key), name
            for text in scoring.explain.values():
                assert 60 <= len(text) <= 400 and text.endswith("."), text
        code = keys.hidden_code_lines(source)
        assert code and all(line.startswith("points(") for line in code)
        for line in code:
            ast.parse(line)
        hidden = keys.hidden_lines(source)
        assert len(hidden) > len(code)  # the explanations are hidden too (never released)
        released = (ROOT / "exercises" / name / f"{name}.ipynb").read_text("utf-8")
        for text in (t for e in explained.values() for t in e.values()):
            assert json.dumps(text, ensure_ascii=False)[1:-1] not in released


def test_a_feedback_page_has_no_script_no_link_out_and_no_code():
    import re

    from course.grader.feedback import _render

    page = _render(
        {"id": "ann", "first_name": "Ann <b>", "last_name": "Lee"},
        [
            {
                "name": "01-aspirations-vs-goals",
                "title": "Graded exercise: aspirations versus goals",
                "score": "1",
                "max_score": "2",
                "answers": {"company": "", "draft": ""},
                "rubric": [],
                "ungraded": 0,
                "parts": [
                    {
                        "title": "Part 1",
                        "score": "1",
                        "max_score": "2",
                        "keyed": True,
                        "items": [
                            {
                                "text": "<script>alert(1)</script>",
                                "given": "goal",
                                "status": "wrong",
                                "result": "Not right",
                                "right_answer": "aspiration",
                                "why": "Because 'someday' <i>is</i> open.",
                            },
                            {
                                "text": "Two",
                                "given": "goal",
                                "status": "correct",
                                "result": "Right",
                                "right_answer": None,
                                "why": None,
                            },
                        ],
                    }
                ],
            }
        ],
        draft=True,
        most={"01-aspirations-vs-goals": 2.0, "05-draft-your-answer": 20.0},
    )
    lowered = page.lower()
    assert "<script" not in lowered and "http" not in lowered and "<link" not in lowered
    assert not re.search(r"(src|href)\s*=", lowered)
    assert "&lt;script&gt;alert(1)" in page and "Ann &lt;b&gt;" in page
    assert "&lt;i&gt;is&lt;/i&gt;" in page
    assert "DRAFT" in page and "1 of 22 points" in page
    assert "Not handed in (0 points): 05-draft-your-answer" in page
    assert "You got 1 of 2 right." in page
