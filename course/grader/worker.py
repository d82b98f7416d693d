"""A grading worker process: `python -m course.grader.worker`, started by LocalExecutor.

Learners come in on stdin, one JSON line each; each result goes out on stdout as one JSON line
({"learner", "record", "gradebook"}: course.grader.learner.grade_and_export). Anything else
that writes to stdout (nbgrader, a kernel this process starts, a learner's cell) goes to
stderr, the worker's log, so a learner cannot forge a result.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from course.grader.learner import grade_and_export, grading_api
from course.grader.options import GradeOptions
from course.grader.procs import tools_on_path
from course.grader.workshop import open_workshop

__all__ = ["CRASH_HOOK", "main"]

#: Tests only: learners whose worker dies (SIGKILL) after grading them, before it reports
#: ("ann,bo:1": every attempt at ann, only the first at bo).
CRASH_HOOK = "COURSE_TEST_WORKER_CRASH"


def _crash_hook(learner: str, attempt: int) -> None:
    """Die like a killed worker when CRASH_HOOK names this learner (tests only)."""
    for item in filter(None, os.environ.get(CRASH_HOOK, "").split(",")):
        name, _, times = item.partition(":")
        if name == learner and (not times or attempt <= int(times)):
            if hasattr(signal, "SIGKILL"):
                os.kill(os.getpid(), signal.SIGKILL)
            os._exit(70)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m course.grader.worker",
        description="a grading worker, started by `python -m course grade --jobs N`",
    )
    parser.add_argument("--workshop", required=True)
    parser.add_argument("--gradebook", required=True, help="this worker's own gradebook file")
    parser.add_argument("--cell-timeout", type=int, required=True)
    parser.add_argument("--learner-timeout", type=float, required=True)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Grade the learners read from stdin, one result line each on the protocol pipe."""
    args = _arguments(argv)
    # Keep the two pipes for the protocol (os.dup: not inherited by kernels); whatever else
    # writes to stdout (nbgrader, a kernel this process starts) goes to stderr, the log.
    results = os.fdopen(os.dup(1), "w", encoding="utf-8")
    tasks = os.fdopen(os.dup(0), "r", encoding="utf-8")
    os.dup2(2, 1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)

    def send(message: dict[str, Any]) -> None:
        results.write(json.dumps(message, ensure_ascii=False) + "\n")
        results.flush()

    tools_on_path()
    workshop = open_workshop(args.workshop)
    options = GradeOptions(cell_timeout=args.cell_timeout, learner_timeout=args.learner_timeout)
    db_url = "sqlite:///" + str(Path(args.gradebook).resolve())
    api = grading_api(workshop, options.cell_timeout, db_url)
    send({"ready": True, "pid": os.getpid()})
    while line := tasks.readline():
        task = json.loads(line)
        result = grade_and_export(
            workshop, task["learner"], options=options, api=api, db_url=db_url
        )
        _crash_hook(task["learner"], task["attempt"])
        send(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
