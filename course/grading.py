"""Grade a workshop: nbgrader autogrades each submission; the kit checks and recomputes.

For each learner, `grade_learner` (plain data in, plain data out, so that parallel workers can
map it over learners later):

1. compares each submitted notebook with its release (course.integrity: nbgrader's checksums)
   and flags changed or deleted read-only and test cells and added code cells;
2. runs nbgrader's own autograde (NbGraderAPI.autograde) with a per-cell time limit, under a
   wall-clock limit per learner that kills a kernel ignoring interrupts (course.procs);
3. recomputes every autograded cell outside the learner's kernel, from the answers file as
   handed in (snapshotted before nbgrader runs the notebook; put back if a cell rewrote it) and
   the key in the source notebook's hidden tests (course.keys), records the recomputed score
   in the gradebook and flags any disagreement: a cell the learner added can replace `course`
   inside the kernel, never here.

`grade` runs it for everyone in submitted/ and on the roster, then writes grades.csv (nbgrader's
CSV export), flags.json and results/<learner>.json, and prints a summary.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import KitError
from .workshop import CELL_TIMEOUT, LEARNER_ID, Workshop, open_workshop

__all__ = [
    "LEARNER_TIMEOUT",
    "export_csv",
    "grade",
    "grade_learner",
    "summary_table",
]

#: Default wall-clock limit for grading one learner's notebooks, in seconds.
LEARNER_TIMEOUT = 180
TIMEOUT_ERRORS = ("CellTimeoutError", "TimeoutError")


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


def _precheck(workshop: Workshop, learner: str, assignment: str) -> list[str]:
    """Integrity messages for one submission (never raises)."""
    from . import integrity

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
    workshop: Workshop,
    learner: str,
    assignment: str,
    scorings: dict[str, Any],
    folder: Path,
    db_url: str | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Recompute each autograded cell from the answers file in `folder`; record it in the
    gradebook.

    Returns ({grade_id: {"score", "max_score", "notebook_score", "exercise", "kind", "items"}},
    messages about disagreements and answer problems).
    """
    from nbgrader.api import MissingEntry

    cells: dict[str, Any] = {}
    messages: list[str] = []
    problems: list[str] = []
    with workshop.gradebook(db_url) as gb:
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
                    {"id": item.id, "status": item.status, "given": item.given}
                    for item in result.items
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


def _scores(
    workshop: Workshop, learner: str, assignment: str, db_url: str | None = None
) -> tuple[float, float, float]:
    """(score, max_score, needing-manual-grading count) of a submission from the gradebook."""
    from nbgrader.api import MissingEntry

    with workshop.gradebook(db_url) as gb:
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
    from . import keys
    from .procs import watchdog

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
                overrides: dict[str, Any] = {"Execute.timeout": int(cell_timeout)}
                if db_url:
                    overrides["CourseDirectory.db_url"] = db_url
                api = workshop.api(**overrides)
            with watchdog(remaining) as fired:
                outcome = api.autograde(assignment, learner, force=True, create=True)
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
        try:
            with tempfile.TemporaryDirectory(prefix="kit-answers-") as copy:
                for name, data in handed_in.items():
                    if name.endswith(".answers.json"):
                        (Path(copy) / name).write_bytes(data)
                entry["cells"], more = _reconcile(
                    workshop, learner, assignment, scorings, Path(copy), db_url
                )
            notes.extend(more)
        except Exception as exc:  # one bad submission never stops the batch
            notes.append(f"scores could not be recomputed ({exc.__class__.__name__}: {exc})")
        score, max_score, pending = _scores(workshop, learner, assignment, db_url)
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


def grade(
    root: str | Path,
    *,
    jobs: int = 1,
    zip_path: str | Path | None = None,
    cell_timeout: int = CELL_TIMEOUT,
    learner_timeout: float = LEARNER_TIMEOUT,
    progress: bool = True,
    out: Any = None,
) -> dict[str, Any]:
    """Grade every learner of a workshop; write grades.csv, flags.json, results/; print a summary.

    Returns {"records": [...], "flags": {learner: [...]}}. `jobs` is accepted for the parallel
    runner to come; learners are graded one after another for now.
    """
    from tqdm import tqdm

    from .workshop import add_learners

    out = out or sys.stdout
    if jobs < 1:
        raise KitError("--jobs must be 1 or more")
    workshop = open_workshop(root)
    if jobs > 1:
        print(
            "note: learners are graded one at a time for now (--jobs is kept for the parallel "
            "runner); grade_learner is the unit it will spread over workers.",
            file=out,
        )
    if zip_path is not None:
        from .intake import unpack_submissions

        unpacked = unpack_submissions(zip_path, workshop.submitted)
        print(f"Unpacked {len(unpacked)} learners from {zip_path}.", file=out)
    submitted = workshop.submitted_learners()
    roster = workshop.roster()
    add_learners(workshop, [{"id": name} for name in submitted if LEARNER_ID.match(name)])
    learners = sorted(set(submitted) | set(roster))
    if not learners:
        raise KitError(f"nobody to grade: {workshop.submitted} is empty and the roster too")
    api = workshop.api(**{"Execute.timeout": int(cell_timeout)})
    workshop.results.mkdir(exist_ok=True)
    records = []
    bar = tqdm(learners, desc="grading", unit="learner", disable=not progress, file=sys.stderr)
    for learner in bar:
        bar.set_postfix_str(learner)
        try:
            record = grade_learner(
                workshop,
                learner,
                cell_timeout=cell_timeout,
                learner_timeout=learner_timeout,
                api=api,
            )
        except Exception as exc:  # a bug or a broken gradebook row: flag, keep going
            record = {
                "learner": learner,
                "assignments": {},
                "flags": [f"grading failed: {exc.__class__.__name__}: {exc}"],
            }
        records.append(record)
        if LEARNER_ID.match(learner):
            path = workshop.results / f"{learner}.json"
            path.write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")
    flags = {record["learner"]: record["flags"] for record in records}
    (workshop.root / "flags.json").write_text(
        json.dumps(flags, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    export_csv(workshop)
    print(summary_table(records, workshop.assignments()), file=out)
    flagged = [learner for learner, messages in flags.items() if messages]
    print(
        f"\nGraded {len(records)} learner{'' if len(records) == 1 else 's'}: grades.csv and "
        f"flags.json in {workshop.root}. "
        f"{len(flagged)} flagged" + (f": {', '.join(flagged)}" if flagged else "."),
        file=out,
    )
    return {"records": records, "flags": flags}
