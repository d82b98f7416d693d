"""Grade a workshop: nbgrader autogrades each submission; the kit checks and recomputes.

For each learner, `grade_learner` (plain data in, plain data out, so that parallel workers can
map it over learners later):

1. compares each submitted notebook with its release (course.grader.integrity: nbgrader's checksums)
   and flags changed or deleted read-only and test cells and added code cells;
2. runs nbgrader's own autograde (NbGraderAPI.autograde) with a per-cell time limit, under a
   wall-clock limit per learner that kills a kernel ignoring interrupts (course.grader.procs);
3. recomputes every autograded cell outside the learner's kernel, from the answers file as
   handed in (snapshotted before nbgrader runs the notebook; put back if a cell rewrote it) and
   the key in the source notebook's hidden tests (course.grader.keys), records the recomputed score
   in the gradebook and flags any disagreement: a cell the learner added can replace `course`
   inside the kernel, never here.

`grade` runs it for everyone in submitted/ and on the roster: one learner after another, or
spread over worker processes or a Dask cluster (course.grader.parallel), each worker with its own
gradebook merged into the workshop's as learners finish (course.grader.merge). Then it writes
grades.csv (nbgrader's CSV export), flags.json and results/<learner>.json, and prints a summary.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from course.errors import KitError
from course.grader.workshop import CELL_TIMEOUT, LEARNER_ID, Workshop, open_workshop

log = logging.getLogger(__name__)

__all__ = [
    "LEARNER_TIMEOUT",
    "export_csv",
    "failed_record",
    "grade",
    "grade_learner",
    "grading_api",
    "summary_table",
]

#: Default wall-clock limit for grading one learner's notebooks, in seconds.
LEARNER_TIMEOUT = 180
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
    import re

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
    text = f"{outcome.get('log') or ''}\n{outcome.get('error') or ''}"
    return not outcome.get("success") and any(s in text for s in KERNEL_START_FAILURES)


def autograde_submission(
    api: Any, assignment: str, learner: str, seconds: float
) -> tuple[dict, Any]:
    """nbgrader autograde of one submission under a watchdog of `seconds`.

    A kernel that failed to start is started again (up to START_ATTEMPTS in all) while time
    remains; returns nbgrader's outcome and the watchdog's fired event.
    """
    from course.grader.procs import watchdog

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
    from course.grader import integrity

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
    from nbgrader.api import MissingEntry

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
    from nbgrader.api import MissingEntry

    try:
        submission = gb.find_submission(assignment, learner)
    except MissingEntry:
        return 0.0, float(gb.find_assignment(assignment).max_score), 0.0
    pending = sum(1 for nb in submission.notebooks for g in nb.grades if g.needs_manual_grade)
    return float(submission.score), float(submission.max_score), float(pending)


def grade_learner(
    workshop: Workshop | str | Path,
    learner: str,
    *,
    cell_timeout: int = CELL_TIMEOUT,
    learner_timeout: float = LEARNER_TIMEOUT,
    api: Any = None,
    db_url: str | None = None,
) -> dict[str, Any]:
    """Grade one learner's submissions; return plain data (also saved as results/<learner>.json).

    {"learner", "seconds", "flags": [...], "assignments": {name: {"status", "score",
    "max_score", "pending_manual", "cells": {...}}}}. Never raises for a bad submission.
    `db_url` points nbgrader and the kit at another gradebook (a parallel worker's own copy,
    merged after); `api` reuses an NbGraderAPI across learners (it takes seconds to import).
    """
    from course.grader import keys

    workshop = workshop if isinstance(workshop, Workshop) else open_workshop(workshop)
    started = time.monotonic()
    record: dict[str, Any] = {"learner": learner, "flags": [], "assignments": {}}
    flags: list[str] = record["flags"]
    names = workshop.assignments()
    if not LEARNER_ID.match(learner):
        flags.append("learner folder name is not a plain id (letters, digits, . _ @ -): skipped")
        names = []
    elif not (workshop.submitted / learner).is_dir():
        flags.append("no submission: on the roster, but no folder in submitted/")
        names = []
    for assignment in names:
        entry: dict[str, Any] = {"status": "graded", "cells": {}}
        record["assignments"][assignment] = entry
        folder = workshop.submission(learner, assignment)
        if not folder.is_dir():
            entry["status"] = "missing"
            flags.append(f"{assignment}: not handed in")
            continue
        notes = _precheck(workshop, learner, assignment)
        handed_in = _snapshot(folder)
        remaining = learner_timeout - (time.monotonic() - started)
        if remaining <= 1:
            entry["status"] = "time limit"
            notes.append(
                f"not run: this learner's {learner_timeout:g} s grading time was used up; "
                "scores recomputed from the answers file"
            )
        elif (folder / f"{assignment}.ipynb").is_file():
            if api is None:
                api = grading_api(workshop, cell_timeout, db_url)
            outcome, fired = autograde_submission(api, assignment, learner, remaining)
            if fired.is_set():
                entry["status"] = "killed"
                notes.append(
                    f"grading stopped after {learner_timeout:g} s (a kernel ignored the "
                    "interrupt); scores recomputed from the answers file"
                )
            elif not outcome.get("success"):
                entry["status"] = "failed"
                notes.append(
                    f"nbgrader could not grade it ({_error_line(outcome)}); scores recomputed "
                    "from the answers file"
                )
            autograded = workshop.autograded / learner / assignment / f"{assignment}.ipynb"
            slow = _timeouts(autograded) if outcome.get("success") else 0
            if slow:
                notes.append(f"{slow} cell(s) ran past the {cell_timeout} s limit and were stopped")
        if _restore(folder, handed_in):
            notes.append(
                "the submission's files changed while it was graded (a cell wrote to them); "
                "the handed-in files were put back and graded"
            )
        scorings = keys.scorings(workshop.source_notebook(assignment))
        # One gradebook session per submission, opened only after nbgrader is done with it (an
        # open SQLite read would block nbgrader's writes).
        with workshop.gradebook(db_url) as gb:
            try:
                with tempfile.TemporaryDirectory(prefix="kit-answers-") as copy:
                    for name, data in handed_in.items():
                        if name.endswith(".answers.json"):
                            (Path(copy) / name).write_bytes(data)
                    entry["cells"], more = _reconcile(gb, learner, assignment, scorings, Path(copy))
                notes.extend(more)
            except Exception as exc:  # one bad submission never stops the batch
                gb.db.rollback()
                notes.append(f"scores could not be recomputed ({exc.__class__.__name__}: {exc})")
            score, max_score, pending = _scores(gb, learner, assignment)
        entry.update(score=score, max_score=max_score, pending_manual=pending)
        flags.extend(f"{assignment}: {note}" for note in notes)
    record["seconds"] = round(time.monotonic() - started, 1)
    return record


def export_csv(workshop: Workshop, path: Path | None = None) -> Path:
    """grades.csv through nbgrader's own CSV export plugin (its columns, every roster learner)."""
    from nbgrader.plugins import CsvExportPlugin

    path = path or workshop.root / "grades.csv"
    with workshop.gradebook() as gb:
        CsvExportPlugin(to=str(path)).export(gb)
    return path


def summary_table(records: Iterable[dict[str, Any]], assignments: list[str]) -> str:
    """A plain-text table: one row per learner, a score column per assignment, flags."""
    short = [name.split("-", 1)[0] for name in assignments]
    head = ["learner", *short, "total", "flags"]
    rows = [head]
    for record in records:
        cells = [record["learner"]]
        total = top = 0.0
        for name in assignments:
            entry = record["assignments"].get(name)
            if not entry or entry.get("status") == "missing":
                cells.append("-")
                continue
            total += entry.get("score", 0.0)
            top += entry.get("max_score", 0.0)
            mark = "*" if entry.get("pending_manual") else ""
            cells.append(f"{entry.get('score', 0):g}/{entry.get('max_score', 0):g}{mark}")
        cells.append(f"{total:g}/{top:g}" if top else "-")
        cells.append(str(len(record["flags"])))
        rows.append(cells)
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("(* rubric cells still to grade by hand in the formgrader)")
    return "\n".join(lines)


def failed_record(learner: str, message: str) -> dict[str, Any]:
    """The record of a learner whose grading did not finish (flagged, nothing graded)."""
    return {"learner": learner, "assignments": {}, "flags": [message], "seconds": 0.0}


def _learners(workshop: Workshop) -> list[str]:
    """Everyone to grade: learner folders in submitted/ (added to the roster) and the roster."""
    from course.grader.workshop import add_learners

    submitted = workshop.submitted_learners()
    roster = workshop.roster()
    add_learners(workshop, [{"id": name} for name in submitted if LEARNER_ID.match(name)])
    learners = sorted(set(submitted) | set(roster))
    if not learners:
        raise KitError(f"nobody to grade: {workshop.submitted} is empty and the roster too")
    return learners


def grade(
    root: str | Path,
    *,
    jobs: int = 1,
    dask: str | None = None,
    zip_path: str | Path | None = None,
    cell_timeout: int = CELL_TIMEOUT,
    learner_timeout: float = LEARNER_TIMEOUT,
    progress: bool = True,
    out: Any = None,
) -> dict[str, Any]:
    """Grade every learner of a workshop; write grades.csv, flags.json, results/; print a summary.

    `jobs` > 1 grades learners in that many worker processes (course.grader.parallel),
    `dask` on a Dask cluster ("local" or a scheduler address); either way each worker has its own
    gradebook, merged into the workshop's as each learner finishes, and the outputs are those of
    grading one learner after another. Returns {"records": [...], "flags": {learner: [...]}}.
    """
    if jobs < 1:
        raise KitError("--jobs must be 1 or more")
    workshop = open_workshop(root)
    with exclusive(workshop):
        return _grade(
            workshop,
            jobs=jobs,
            dask=dask,
            zip_path=zip_path,
            cell_timeout=cell_timeout,
            learner_timeout=learner_timeout,
            progress=progress,
            out=out or sys.stdout,
        )


@contextlib.contextmanager
def exclusive(workshop: Workshop) -> Iterator[None]:
    """Hold the workshop's grading lock: a second `course grade` on the same folder (another
    terminal, a double start) is refused at once instead of fighting over the gradebook and
    autograded/. A lock left by a killed run is free again: the OS releases it with the process.
    Scratch folders of earlier killed runs lose their gradebook copies (worker logs stay)."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(workshop.root / ".grading.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise KitError(
            f"another `python -m course grade` is running on {workshop.root}; wait for it to "
            "finish (or stop it) and run this again"
        ) from None
    try:
        for stale in workshop.root.glob(".grading-*/*.db"):
            stale.unlink(missing_ok=True)
        yield
    finally:
        lock.release()


def _grade(
    workshop: Workshop,
    *,
    jobs: int,
    dask: str | None,
    zip_path: str | Path | None,
    cell_timeout: int,
    learner_timeout: float,
    progress: bool,
    out: Any,
) -> dict[str, Any]:
    """grade() once it holds the workshop's lock."""
    from tqdm import tqdm

    from course.grader import merge

    started = time.monotonic()
    if zip_path is not None:
        from course.grader.intake import unpack_submissions

        unpacked = unpack_submissions(zip_path, workshop.submitted)
        print(f"Unpacked {len(unpacked)} learners from {zip_path}.", file=out)
    pool = None
    expected = len(workshop.submitted_learners())
    if not dask and jobs > 1 and expected > 1:
        from course.grader.parallel import LocalPool

        # The workers start now: each imports nbgrader (seconds) while this process does too.
        pool = LocalPool(
            workshop,
            jobs=min(jobs, expected),
            cell_timeout=cell_timeout,
            learner_timeout=learner_timeout,
        )
    try:
        learners = _learners(workshop)
    except BaseException:
        if pool is not None:
            pool.close(kill=True)
        raise
    workshop.results.mkdir(exist_ok=True)
    done: dict[str, dict[str, Any]] = {}
    bar = tqdm(
        total=len(learners), desc="grading", unit="learner", disable=not progress, file=sys.stderr
    )

    def finished(learner: str, record: dict[str, Any], data: dict[str, Any] | None) -> None:
        """One learner done (in this process or a worker): merge, save, count."""
        if data is not None:
            try:
                with workshop.gradebook() as gb:
                    merge.absorb(gb, data)
            except Exception as exc:  # the record stays; the gradebook lacks this learner
                record["flags"].append(
                    f"grading worker's gradebook could not be merged ({exc.__class__.__name__}: "
                    f"{exc}); grade this learner again"
                )
        done[learner] = record
        if LEARNER_ID.match(learner):
            path = workshop.results / f"{learner}.json"
            path.write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")
        bar.set_postfix_str(learner)
        bar.update(1)

    options = {"cell_timeout": cell_timeout, "learner_timeout": learner_timeout}
    try:
        if dask:
            from course.grader.parallel import run_dask

            how = run_dask(workshop, learners, dask, jobs=jobs, on_done=finished, **options)
        elif pool is not None:
            how = pool.run(learners, finished)
        else:
            how = _run_serial(workshop, learners, on_done=finished, **options)
    finally:
        bar.close()
        if pool is not None:
            pool.close(kill=True)  # a no-op after a run; stops the workers after an error
    records = [done[learner] for learner in learners]
    flags = {record["learner"]: record["flags"] for record in records}
    (workshop.root / "flags.json").write_text(
        json.dumps(flags, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    export_csv(workshop)
    print(summary_table(records, workshop.assignments()), file=out)
    flagged = [learner for learner, messages in flags.items() if messages]
    print(
        f"\nGraded {len(records)} learner{'' if len(records) == 1 else 's'} ({how}, "
        f"{time.monotonic() - started:.0f} s): grades.csv and flags.json in {workshop.root}. "
        f"{len(flagged)} flagged" + (f": {', '.join(flagged)}" if flagged else "."),
        file=out,
    )
    return {"records": records, "flags": flags}


def _run_serial(
    workshop: Workshop,
    learners: list[str],
    *,
    on_done: Any,
    cell_timeout: int,
    learner_timeout: float,
) -> str:
    """Grade learners one after another in this process, with one NbGraderAPI for all."""
    api = grading_api(workshop, cell_timeout)
    for learner in learners:
        record = grade_learner_safely(
            workshop, learner, cell_timeout=cell_timeout, learner_timeout=learner_timeout, api=api
        )
        on_done(learner, record, None)
    return "one at a time"


def grade_learner_safely(workshop: Workshop, learner: str, **kwargs: Any) -> dict[str, Any]:
    """grade_learner, but a bug or a broken gradebook row becomes a flag, never an exception."""
    try:
        return grade_learner(workshop, learner, **kwargs)
    except Exception as exc:  # one learner must never stop the batch
        return failed_record(learner, f"grading failed: {exc.__class__.__name__}: {exc}")
