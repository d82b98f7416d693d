"""Grade one learner: nbgrader autogrades each submission; the kit checks and recomputes.

For each of a learner's submissions, `grade_learner` (plain data in, plain data out, so that any
executor can run it, here or in a worker process):

1. compares the submitted notebook with its release (course.grader.integrity: nbgrader's
   checksums) and flags changed or deleted read-only and test cells and added code cells;
2. runs nbgrader's own autograde (NbGraderAPI.autograde) with a per-cell time limit, under a
   wall-clock limit per learner that kills a kernel ignoring interrupts (course.grader.procs);
3. recomputes every autograded cell outside the learner's kernel, from the answers file as
   handed in (snapshotted before nbgrader runs the notebook; put back if a cell rewrote it) and
   the key in the source notebook's hidden tests (course.grader.keys), records the recomputed
   score in the gradebook and flags any disagreement: a cell the learner added can replace
   `course` inside the kernel, never here.

Batch grading (course.grader.grading) and the executors (course.grader.executors) sit above it.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from course.grader import integrity, keys, merge
from course.grader.options import GradeOptions
from course.grader.procs import watchdog
from course.grader.workshop import LEARNER_ID, Workshop, open_workshop

log = logging.getLogger(__name__)

__all__ = [
    "autograde_submission",
    "failed_record",
    "grade_and_export",
    "grade_learner",
    "grade_learner_safely",
    "grading_api",
    "kernel_start_failed",
]

TIMEOUT_ERRORS = ("CellTimeoutError", "TimeoutError")


def grading_api(workshop: Workshop, cell_timeout: int, db_url: str | None = None) -> Any:
    """The NbGraderAPI the kit grades with: the workshop's config, the per-cell time limit, an
    optional gradebook of its own (a parallel worker's), and kernels stopped at once.

    nbgrader's default graceful shutdown waits for each kernel to run its exit handlers (a
    learner's cell can register some) before the next notebook: about 0.15 s a notebook for
    nothing, since every output is already collected.
    """
    overrides: dict[str, Any] = {
        "Execute.timeout": int(cell_timeout),
        "Execute.shutdown_kernel": "immediate",
    }
    if db_url:
        overrides["CourseDirectory.db_url"] = db_url
    return workshop.api(**overrides)


def _answers_file(folder: Path, assignment: str) -> Path:
    return folder / f"{assignment}.answers.json"


def _timeouts(notebook: Path) -> int:
    """How many cells of an autograded notebook hit the per-cell time limit."""
    try:
        data = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    count = 0
    for cell in data.get("cells", []):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") in TIMEOUT_ERRORS:
                count += 1
                break
    return count


def _error_line(outcome: dict[str, Any]) -> str:
    """The most telling line of a failed nbgrader run: its innermost exception."""
    text = f"{outcome.get('log') or ''}\n{outcome.get('error') or ''}"
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    pattern = re.compile(r"^([\w.]*(Error|Exception|Timeout)\w*): (.+)$")
    for line in reversed(lines):
        match = pattern.match(line)
        if match and "NbGraderException" not in match.group(1):
            return f"{match.group(1).rsplit('.', 1)[-1]}: {match.group(3)}"[:200]
    return lines[-1][:200] if lines else "no detail"


# A kernel that dies before it answers kernel_info never ran a line of the learner's code: with
# kernels starting side by side, two can pick the same free port (jupyter_client chooses ports
# before the kernel binds them). Such a start is tried again; any other failure is the notebook's.
KERNEL_START_FAILURES = (
    "Kernel died before replying to kernel_info",
    "Kernel didn't respond in",
    "Address already in use",
)
START_ATTEMPTS = 3


def kernel_start_failed(outcome: dict[str, Any]) -> bool:
    """Whether nbgrader failed because the kernel never started (worth one more try)."""
    text = f"{outcome.get('log') or ''}\n{outcome.get('error') or ''}"
    return not outcome.get("success") and any(s in text for s in KERNEL_START_FAILURES)


def autograde_submission(
    api: Any, assignment: str, learner: str, seconds: float
) -> tuple[dict, Any]:
    """nbgrader autograde of one submission under a watchdog of `seconds`.

    A kernel that failed to start is started again (up to START_ATTEMPTS in all) while time
    remains; returns nbgrader's outcome and the watchdog's fired event.
    """
    deadline = time.monotonic() + seconds
    for attempt in range(1, START_ATTEMPTS + 1):
        with watchdog(max(deadline - time.monotonic(), 1)) as fired:
            outcome = api.autograde(assignment, learner, force=True, create=True)
        if fired.is_set() or not kernel_start_failed(outcome) or attempt == START_ATTEMPTS:
            break
        if deadline - time.monotonic() <= 1:
            break
        log.warning("%s/%s: the kernel did not start; trying again", learner, assignment)
    return outcome, fired


def _precheck(workshop: Workshop, learner: str, assignment: str) -> list[str]:
    """Integrity messages for one submission (never raises)."""
    folder = workshop.submission(learner, assignment)
    notebook = folder / f"{assignment}.ipynb"
    messages = []
    if not notebook.is_file():
        messages.append("notebook missing from the submission")
    else:
        try:
            submitted = integrity.read(notebook)
            released = integrity.read(workshop.release_notebook(assignment))
        except ValueError as exc:
            messages.append(str(exc))
        else:
            messages.extend(integrity.compare(released, submitted))
    if not _answers_file(folder, assignment).is_file():
        messages.append("no answers file: nothing answered was handed in")
    return messages


def _reconcile(
    gb: Any,
    learner: str,
    assignment: str,
    scorings: dict[str, Any],
    folder: Path,
) -> tuple[dict[str, Any], list[str]]:
    """Recompute each autograded cell from the answers file in `folder`; record it in the
    open gradebook `gb`.

    Returns ({grade_id: {"score", "max_score", "notebook_score", "exercise", "kind", "items"}},
    messages about disagreements and answer problems).
    """
    from nbgrader.api import MissingEntry  # nbgrader takes seconds to import: only to grade

    cells: dict[str, Any] = {}
    messages: list[str] = []
    problems: list[str] = []
    try:
        gb.find_submission(assignment, learner)
    except MissingEntry:
        gb.update_or_create_submission(assignment, learner)
    for grade_id, scoring in scorings.items():
        result = scoring.result(folder)
        final = max(0.0, min(float(result.score), scoring.max_points))
        problems.extend(p for p in result.problems if p not in problems)
        try:
            grade = gb.find_grade(grade_id, assignment, assignment, learner)
        except MissingEntry:
            continue
        kernel = grade.auto_score
        if kernel is not None and abs(float(kernel) - final) > 1e-9:
            messages.append(
                f"test cell {grade_id!r}: the notebook scored {kernel:g} but the answers "
                f"file earns {final:g}; {final:g} recorded"
            )
        grade.auto_score = final
        grade.needs_manual_grade = grade.manual_score is not None
        cells[grade_id] = {
            "score": final,
            "max_score": scoring.max_points,
            "notebook_score": kernel,
            "kind": scoring.kind,
            "exercise": scoring.exercise,
            "items": [
                {"id": item.id, "status": item.status, "given": item.given} for item in result.items
            ],
        }
    gb.db.commit()
    messages.extend(f"answers: {p}" for p in problems)
    return cells, messages


def _plain_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def _snapshot(folder: Path) -> dict[str, bytes]:
    """The files of a submission folder as handed in (they are small)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if _plain_file(p)}


def _restore(folder: Path, snapshot: dict[str, bytes]) -> bool:
    """Put a submission folder back as handed in; return whether anything had changed.

    The learner's notebook runs with the grader's permissions while nbgrader grades it, so a
    cell could rewrite its own handed-in files (say, a perfect answers file).
    """
    changed = False
    for path in folder.iterdir():
        if _plain_file(path) and path.name not in snapshot:
            path.unlink()
            changed = True
    for name, data in snapshot.items():
        path = folder / name
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
            changed = True
    return changed


def _scores(gb: Any, learner: str, assignment: str) -> tuple[float, float, float]:
    """(score, max_score, needing-manual-grading count) of a submission in the open gradebook."""
    from nbgrader.api import MissingEntry  # nbgrader takes seconds to import: only to grade

    try:
        submission = gb.find_submission(assignment, learner)
    except MissingEntry:
        return 0.0, float(gb.find_assignment(assignment).max_score), 0.0
    pending = sum(1 for nb in submission.notebooks for g in nb.grades if g.needs_manual_grade)
    return float(submission.score), float(submission.max_score), float(pending)


class _Grader:
    """One learner's grading run: the workshop, the options, the clock and a lazy NbGraderAPI."""

    def __init__(
        self,
        workshop: Workshop,
        learner: str,
        options: GradeOptions,
        api: Any,
        db_url: str | None,
    ) -> None:
        self.workshop = workshop
        self.learner = learner
        self.options = options
        self.api = api
        self.db_url = db_url
        self.started = time.monotonic()

    def nbgrader(self) -> Any:
        """The NbGraderAPI, started on first use (it takes seconds)."""
        if self.api is None:
            self.api = grading_api(self.workshop, self.options.cell_timeout, self.db_url)
        return self.api

    def submission(self, assignment: str) -> tuple[dict[str, Any], list[str]]:
        """Grade one handed-in submission: ({"status", "cells", "score", ...}, notes)."""
        entry: dict[str, Any] = {"status": "graded", "cells": {}}
        folder = self.workshop.submission(self.learner, assignment)
        notes = _precheck(self.workshop, self.learner, assignment)
        handed_in = _snapshot(folder)
        entry["status"] = self._autograde(assignment, folder, notes)
        if _restore(folder, handed_in):
            notes.append(
                "the submission's files changed while it was graded (a cell wrote to them); "
                "the handed-in files were put back and graded"
            )
        self._record(assignment, handed_in, entry, notes)
        return entry, notes

    def _autograde(self, assignment: str, folder: Path, notes: list[str]) -> str:
        """Run nbgrader on the submission while time remains; return its status."""
        limit = self.options.learner_timeout
        remaining = limit - (time.monotonic() - self.started)
        if remaining <= 1:
            notes.append(
                f"not run: this learner's {limit:g} s grading time was used up; "
                "scores recomputed from the answers file"
            )
            return "time limit"
        if not (folder / f"{assignment}.ipynb").is_file():
            return "graded"
        outcome, fired = autograde_submission(self.nbgrader(), assignment, self.learner, remaining)
        status = "graded"
        if fired.is_set():
            status = "killed"
            notes.append(
                f"grading stopped after {limit:g} s (a kernel ignored the "
                "interrupt); scores recomputed from the answers file"
            )
        elif not outcome.get("success"):
            status = "failed"
            notes.append(
                f"nbgrader could not grade it ({_error_line(outcome)}); scores recomputed "
                "from the answers file"
            )
        autograded = self.workshop.autograded / self.learner / assignment / f"{assignment}.ipynb"
        slow = _timeouts(autograded) if outcome.get("success") else 0
        if slow:
            notes.append(
                f"{slow} cell(s) ran past the {self.options.cell_timeout} s limit and were stopped"
            )
        return status

    def _record(
        self, assignment: str, handed_in: dict[str, bytes], entry: dict[str, Any], notes: list[str]
    ) -> None:
        """Recompute the scores from the answers file as handed in; record them and the totals."""
        scorings = keys.scorings(self.workshop.source_notebook(assignment))
        # One gradebook session per submission, opened only after nbgrader is done with it (an
        # open SQLite read would block nbgrader's writes).
        with self.workshop.gradebook(self.db_url) as gb:
            try:
                with tempfile.TemporaryDirectory(prefix="kit-answers-") as copy:
                    for name, data in handed_in.items():
                        if name.endswith(".answers.json"):
                            (Path(copy) / name).write_bytes(data)
                    entry["cells"], more = _reconcile(
                        gb, self.learner, assignment, scorings, Path(copy)
                    )
                notes.extend(more)
            except Exception as exc:  # one bad submission never stops the batch
                gb.db.rollback()
                notes.append(f"scores could not be recomputed ({exc.__class__.__name__}: {exc})")
            score, max_score, pending = _scores(gb, self.learner, assignment)
        entry.update(score=score, max_score=max_score, pending_manual=pending)


def grade_learner(
    workshop: Workshop | str | Path,
    learner: str,
    *,
    options: GradeOptions | None = None,
    api: Any = None,
    db_url: str | None = None,
) -> dict[str, Any]:
    """Grade one learner's submissions; return plain data (also saved as results/<learner>.json).

    {"learner", "seconds", "flags": [...], "assignments": {name: {"status", "score",
    "max_score", "pending_manual", "cells": {...}}}}. Never raises for a bad submission.
    `db_url` points nbgrader and the kit at another gradebook (a parallel worker's own copy,
    merged after); `api` reuses an NbGraderAPI across learners (it takes seconds to import).
    """
    workshop = workshop if isinstance(workshop, Workshop) else open_workshop(workshop)
    grader = _Grader(workshop, learner, options or GradeOptions(), api, db_url)
    record: dict[str, Any] = {"learner": learner, "flags": [], "assignments": {}}
    flags: list[str] = record["flags"]
    names = workshop.exercises()  # only the exercises this workshop sets
    if not LEARNER_ID.match(learner):
        flags.append("learner folder name is not a plain id (letters, digits, . _ @ -): skipped")
        names = []
    elif not (workshop.submitted / learner).is_dir():
        flags.append("no submission: on the roster, but no folder in submitted/")
        names = []
    for assignment in names:
        if not workshop.submission(learner, assignment).is_dir():
            record["assignments"][assignment] = {"status": "missing", "cells": {}}
            flags.append(f"{assignment}: not handed in")
            continue
        record["assignments"][assignment], notes = grader.submission(assignment)
        flags.extend(f"{assignment}: {note}" for note in notes)
    record["seconds"] = round(time.monotonic() - grader.started, 1)
    return record


def failed_record(learner: str, message: str) -> dict[str, Any]:
    """The record of a learner whose grading did not finish (flagged, nothing graded)."""
    return {"learner": learner, "assignments": {}, "flags": [message], "seconds": 0.0}


def grade_learner_safely(workshop: Workshop, learner: str, **kwargs: Any) -> dict[str, Any]:
    """grade_learner, but a bug or a broken gradebook row becomes a flag, never an exception."""
    try:
        return grade_learner(workshop, learner, **kwargs)
    except Exception as exc:  # one learner must never stop the batch
        return failed_record(learner, f"grading failed: {exc.__class__.__name__}: {exc}")


def grade_and_export(
    workshop: Workshop, learner: str, *, options: GradeOptions, api: Any, db_url: str
) -> dict[str, Any]:
    """Grade one learner into the gradebook at `db_url`; {"learner", "record", "gradebook"}.

    "gradebook" is the learner's submissions as merge.export data (None when nothing was
    graded), for the process that runs the class to merge. Never raises for a bad submission.
    """
    record = grade_learner_safely(workshop, learner, options=options, api=api, db_url=db_url)
    graded = [name for name, e in record["assignments"].items() if e.get("status") != "missing"]
    data = None
    if graded:
        try:
            with workshop.gradebook(db_url) as gb:
                data = merge.export(gb, learner, graded)
        except Exception as exc:
            record["flags"].append(
                f"grading failed: the worker's gradebook could not be read "
                f"({exc.__class__.__name__}: {exc}); grade this learner again"
            )
    return {"learner": learner, "record": record, "gradebook": data}
