"""The executor protocol without nbgrader: one stand-in grader, run serially and by worker
processes that speak the real worker protocol; both report the same records to on_done."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from course.grader import executors
from course.grader.options import GradeOptions
from course.grader.workshop import Workshop

LEARNERS = ["ann", "bo", "cy", "dee", "ed"]


def fake_record(learner: str) -> dict[str, Any]:
    """What the stand-in grader gives a learner: a score that depends on the name."""
    return {
        "learner": learner,
        "assignments": {"01": {"status": "graded", "score": float(len(learner)), "cells": {}}},
        "flags": [f"01: checked {learner}"] if learner.startswith("b") else [],
        "seconds": 0.0,
    }


#: A worker process: the real protocol (ready, then one JSON line per learner) with the
#: stand-in grader; CRASH names a learner whose first attempt kills the worker.
FAKE_WORKER = """
import json, os, sys
sys.path.insert(0, {tests!r})
from test_executors import fake_record
crash = os.environ.get("FAKE_WORKER_CRASH")
print(json.dumps({{"ready": True, "pid": os.getpid()}}), flush=True)
for line in sys.stdin:
    task = json.loads(line)
    if task["learner"] == crash and task["attempt"] == 1:
        os._exit(9)
    out = {{"learner": task["learner"], "record": fake_record(task["learner"]), "gradebook": None}}
    print(json.dumps(out), flush=True)
"""


@pytest.fixture
def workshop(tmp_path: Path) -> Workshop:
    sqlite3.connect(tmp_path / "gradebook.db").close()  # the pool copies it for each worker
    for learner in LEARNERS:
        (tmp_path / "submitted" / learner / "01").mkdir(parents=True)
    return Workshop(tmp_path)


def collect(executor: executors.Executor, learners: list[str]) -> tuple[str, dict, list]:
    done: dict[str, Any] = {}
    order: list[str] = []

    def on_done(learner: str, record: dict[str, Any], data: dict[str, Any] | None) -> None:
        assert data is None
        done[learner] = record
        order.append(learner)

    try:
        how = executor.run(learners, on_done)
    finally:
        executor.close()
    return how, done, order


def serial(workshop: Workshop, monkeypatch: pytest.MonkeyPatch) -> executors.SerialExecutor:
    monkeypatch.setattr(executors, "grading_api", lambda *args, **kwargs: "api")
    seen: list[Any] = []

    def grade(workshop: Workshop, learner: str, **kwargs: Any) -> dict[str, Any]:
        seen.append(kwargs["api"])
        return fake_record(learner)

    monkeypatch.setattr(executors, "grade_learner_safely", grade)
    executor = executors.SerialExecutor(workshop, GradeOptions())
    executor.seen = seen  # type: ignore[attr-defined]
    return executor


def local(workshop: Workshop, jobs: int = 2) -> executors.LocalExecutor:
    script = workshop.root / "fake_worker.py"
    script.write_text(FAKE_WORKER.format(tests=str(Path(__file__).parent)), encoding="utf-8")

    class FakeWorkers(executors.LocalExecutor):
        worker_command = (sys.executable, str(script))

    return FakeWorkers(workshop, GradeOptions(jobs=jobs))


def test_serial_grades_in_order_with_one_api_for_everyone(workshop, monkeypatch):
    executor = serial(workshop, monkeypatch)
    how, done, order = collect(executor, LEARNERS)
    assert how == "one at a time"
    assert order == LEARNERS
    assert done == {learner: fake_record(learner) for learner in LEARNERS}
    assert executor.seen == ["api"] * len(LEARNERS)


def test_worker_processes_report_what_serial_grading_reports(workshop, monkeypatch):
    _how, expected, _order = collect(serial(workshop, monkeypatch), LEARNERS)
    how, done, order = collect(local(workshop), LEARNERS)
    assert how == "2 worker processes"
    assert done == expected
    assert sorted(order) == LEARNERS
    assert not list(workshop.root.glob(".grading-*")), "the scratch folder is removed"


def test_a_worker_that_dies_loses_nobody(workshop, monkeypatch):
    monkeypatch.setenv("FAKE_WORKER_CRASH", "cy")
    how, done, _order = collect(local(workshop), LEARNERS)
    assert "1 crashed" in how
    assert done["cy"]["flags"][0].startswith("grading worker crashed while grading this learner")
    assert done["cy"]["flags"][0].endswith("; graded again")
    assert done["cy"]["assignments"] == fake_record("cy")["assignments"]
    assert {k: v for k, v in done.items() if k != "cy"} == {
        learner: fake_record(learner) for learner in LEARNERS if learner != "cy"
    }


def test_make_executor_picks_by_the_options(workshop, monkeypatch):
    started: list[int] = []
    monkeypatch.setattr(
        executors.LocalExecutor, "__init__", lambda self, ws, options, jobs: started.append(jobs)
    )
    pick = executors.make_executor
    assert isinstance(pick(workshop, GradeOptions(jobs=1), 5), executors.SerialExecutor)
    assert isinstance(pick(workshop, GradeOptions(jobs=4), 1), executors.SerialExecutor)
    assert isinstance(pick(workshop, GradeOptions(jobs=4), 3), executors.LocalExecutor)
    assert started == [3], "never more workers than learners who handed in"
    dask = pick(workshop, GradeOptions(jobs=2, dask="local"), 5)
    assert isinstance(dask, executors.DaskExecutor)


def test_jobs_below_one_are_refused():
    from course.errors import KitError

    with pytest.raises(KitError, match="--jobs must be 1 or more"):
        GradeOptions(jobs=0)


def test_records_cross_the_pipe_unchanged():
    record = fake_record("bo")
    assert json.loads(json.dumps(record)) == record
