"""Grade a workshop: every learner in submitted/ and on the roster, then the class's outputs.

`grade` holds the workshop's grading lock, unpacks a zip of submissions if given
(course.grader.intake), and hands the learners to an executor (course.grader.executors: one
after another, worker processes or a Dask cluster) that grades each with
course.grader.learner.grade_learner. Each finished learner's gradebook rows are merged into the
workshop's (course.grader.merge) and its record saved as results/<learner>.json; then grades.csv
(nbgrader's CSV export) and flags.json are written. It returns what happened as data
(`GradeRun`); the command line prints `summary(run)`.

Only the exercises the workshop sets count (`Workshop.exercises()`, `workshop init --exercises`):
they are graded, flagged, exported and totalled, each learner's total out of the sum of their
maxima, the same everywhere (`totals`). A hand-in that changed since it was last graded loses the
hand grades entered for its old version (`stale_hand_grades`), with a flag.

A learner folder in submitted/ whose name no roster gives (put there by hand) is graded all the
same, and flagged "not on the roster" with what to do (the intake's words,
course.grader.intake.not_on_roster) here, in the report and in the LMS export, until the folder
is renamed or a roster names them; once its folder is gone, such a learner leaves the gradebook.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from course.errors import KitError
from course.grader import merge
from course.grader.executors import Executor, make_executor
from course.grader.intake import Intake, match_learner, not_on_roster, take_in_workshop
from course.grader.options import GradeOptions
from course.grader.workshop import (
    LEARNER_ID,
    Workshop,
    add_learners,
    folder_learners,
    one_line,
    open_workshop,
    roster_entries,
    unlisted_learners,
)

__all__ = [
    "NOT_ON_ROSTER",
    "GradeRun",
    "Progress",
    "exclusive",
    "export_csv",
    "fingerprint",
    "grade",
    "maxima",
    "stale_hand_grades",
    "summary",
    "summary_table",
    "totals",
]

#: progress(learners done, learners in all, the learner just finished); first called with 0.
Progress = Callable[[int, int, str], None]

#: The flag of a learner graded from a folder no roster names (no id in it: the report hides ids).
NOT_ON_ROSTER = (
    "not on the roster: graded from their folder in submitted/ all the same; rename the folder "
    "to the learner's roster id, or add them with `python -m course workshop roster DIR "
    "--update CSV`, then grade again"
)


@dataclass
class GradeRun:
    """What one `grade` did: every learner's record and flags, how and how fast it ran."""

    root: Path
    assignments: list[str]
    records: list[dict[str, Any]]
    flags: dict[str, list[str]]
    how: str
    seconds: float
    unpacked: list[str] = field(default_factory=list)
    intake: Intake | None = None  # what `--from` took in, renamed and could not place
    maxima: dict[str, float] = field(default_factory=dict)  # points of each set exercise
    unset: list[str] = field(default_factory=list)  # exercises this workshop does not set
    unlisted: dict[str, str] = field(default_factory=dict)  # not on the roster: what to do
    dropped: list[str] = field(default_factory=list)  # not on the roster, their folder gone

    @property
    def flagged(self) -> list[str]:
        """The learners with at least one flag."""
        return [learner for learner, messages in self.flags.items() if messages]


#: nbgrader's CSV export: 4 fields before the names, 4 scores after (its column order).
_BEFORE_NAMES, _AFTER_NAMES = 4, 4
_NAME_COLUMNS = ["student_id", "last_name", "first_name", "email"]


def _plugin_rows(text: str, assignments: set[str]) -> list[list[str]]:
    """The rows of nbgrader's unquoted CSV export, fields split at every comma: a line that
    does not start with an assignment's name continues the row before it (a line break in a
    name, which nbgrader writes as it is)."""
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").removesuffix("\n").split("\n"):
        if lines and line.split(",", 1)[0] not in assignments:
            lines[-1] += "\n" + line
        else:
            lines.append(line)
    return [line.split(",") for line in lines]


def export_csv(workshop: Workshop, path: Path | None = None) -> Path:
    """grades.csv through nbgrader's own CSV export plugin (its columns, every roster learner),
    from the gradebook as it is now (hand grades included), the workshop's exercises only.

    The plugin joins fields with commas and quotes none, so a name or email with a comma in it
    ('Smith, Jr.') shifts that row's scores one column right (0 read as the score), and a line
    break in one splits the row. Each row's name fields are written again from the gradebook,
    on one line, quoted by the csv module."""
    from nbgrader.plugins import CsvExportPlugin  # nbgrader takes seconds to import

    path = path or workshop.root / "grades.csv"
    with workshop.gradebook() as gb:
        if not gb.assignments and path.is_file():
            return path  # an empty gradebook has nothing newer than the file
        CsvExportPlugin(to=str(path)).export(gb)
        names = {
            s.id: [one_line(text) for text in (s.last_name, s.first_name, s.email)]
            for s in gb.students
        }
        starts = {a.name for a in gb.assignments}
    # nbgrader writes in the locale's encoding; Excel reads UTF-8 only after a byte-order mark.
    with path.open(encoding="locale", newline="") as plugin:  # a lone \r in a name stays
        rows = _plugin_rows(plugin.read(), starts)
    known = rows and rows[0][_BEFORE_NAMES - 1 : -_AFTER_NAMES] == _NAME_COLUMNS
    for n, row in enumerate(rows[1:] if known else [], start=1):
        if len(row) >= _BEFORE_NAMES + _AFTER_NAMES and row[_BEFORE_NAMES - 1] in names:
            who = row[_BEFORE_NAMES - 1]
            rows[n] = [*row[:_BEFORE_NAMES], *names[who], *row[-_AFTER_NAMES:]]
    if rows and "assignment" in rows[0]:
        column, kept = rows[0].index("assignment"), set(workshop.exercises())
        rows = rows[:1] + [row for row in rows[1:] if len(row) > column and row[column] in kept]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    return path


def maxima(workshop: Workshop) -> dict[str, float]:
    """The points of each exercise the workshop sets, from the gradebook."""
    with workshop.gradebook() as gb:
        return {name: float(gb.find_assignment(name).max_score) for name in workshop.exercises()}


def totals(
    scores: dict[str, tuple[float, float] | None], most: dict[str, float]
) -> tuple[float, float]:
    """(total, out of) for one learner: scores of the set exercises handed in, out of the points
    of every set exercise (one not handed in counts 0 of its points). Screen, report and files
    all total this way."""
    total = sum(score[0] for name, score in scores.items() if score and name in most)
    return total, sum(most.values())


def summary_table(
    records: Iterable[dict[str, Any]],
    assignments: list[str],
    most: dict[str, float] | None = None,
) -> str:
    """A plain-text table: one row per learner, a score column per set exercise, the total out
    of every set exercise's points (`most`; else of those handed in), flags."""
    short = [name.split("-", 1)[0] for name in assignments]
    head = ["learner", *short, "total", "flags"]
    rows = [head]
    for record in records:
        cells = [record["learner"]]
        scores: dict[str, tuple[float, float] | None] = {}
        for name in assignments:
            entry = record["assignments"].get(name)
            if not entry or entry.get("status") == "missing":
                cells.append("-")
                scores[name] = None
                continue
            scores[name] = (entry.get("score", 0.0), entry.get("max_score", 0.0))
            mark = "*" if entry.get("pending_manual") else ""
            cells.append(f"{entry.get('score', 0):g}/{entry.get('max_score', 0):g}{mark}")
        known = most if most is not None else {n: s[1] for n, s in scores.items() if s}
        total, top = totals(scores, known)
        cells.append(f"{total:g}/{top:g}" if top else "-")
        cells.append(str(len(record["flags"])))
        rows.append(cells)
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("(* rubric cells still to grade by hand in the formgrader)")
    return "\n".join(lines)


def summary(run: GradeRun) -> str:
    """The table and the closing line `python -m course grade` prints."""
    count = len(run.records)
    flagged = run.flagged
    unset = (
        f"Not set in this workshop, so not graded: {', '.join(run.unset)} "
        "(python -m course workshop exercises DIR to change it).\n"
        if run.unset
        else ""
    )
    listed = "".join(
        f"  - {advice}\n"
        for advice in [*run.unlisted.values(), *(_dropped(learner) for learner in run.dropped)]
    )
    if listed:
        n = sum(1 for learner in run.unlisted if LEARNER_ID.match(learner))
        listed = (
            f"Not on the roster ({n} graded all the same, flagged; nothing is lost):\n{listed}"
            if n
            else f"Not on the roster:\n{listed}"
        )
    return (
        f"{summary_table(run.records, run.assignments, run.maxima or None)}\n{unset}{listed}\n"
        f"Graded {count} learner{'' if count == 1 else 's'} ({run.how}, {run.seconds:.0f} s): "
        f"grades.csv and flags.json in {run.root}. {len(flagged)} flagged"
        + (f": {', '.join(flagged)}" if flagged else ".")
    )


def _dropped(learner: str) -> str:
    return (
        f"{learner!r} was not on the roster and their folder is gone from submitted/: taken out "
        "of the gradebook (with any hand grades), grades.csv and the report"
    )


def _learners(workshop: Workshop) -> tuple[list[str], dict[str, str], list[str]]:
    """Everyone to grade: learner folders in submitted/ and the roster. Also those graded only
    from a folder no roster names, with what to do about each; and those of them whose folder is
    gone since (renamed as advised): taken out of the gradebook and results/."""
    submitted = workshop.submitted_learners()
    roster = set(workshop.roster())
    gone = sorted((folder_learners(workshop) & roster) - set(submitted))
    if gone:
        with workshop.gradebook() as gb:
            for learner in gone:
                gb.remove_student(learner)
                (workshop.results / f"{learner}.json").unlink(missing_ok=True)
        roster -= set(gone)
    new = [name for name in submitted if LEARNER_ID.match(name) and name not in roster]
    if new:
        add_learners(workshop, [{"id": name} for name in new], on_roster=False)
    learners = sorted(set(submitted) | roster)
    if not learners:
        raise KitError(f"nobody to grade: {workshop.submitted} is empty and the roster too")
    unlisted = folder_learners(workshop)
    listed = [entry for entry in roster_entries(workshop) if entry["id"] not in unlisted]
    # A folder named 'Jane Smith' is never graded (not a plain id): say whose it may be.
    odd = [name for name in submitted if not LEARNER_ID.match(name)] if listed else []
    advice = {}
    for learner in [*unlisted_learners(workshop), *odd]:
        found, _why = match_learner(learner, listed)
        advice[learner] = (
            (
                f"{learner!r} is not on the roster, but looks like {found!r} (name or email): "
                f"rename submitted/{learner}/ to submitted/{found}/"
                if found
                else not_on_roster(learner, listed, what=f"submitted/{learner}/")
            )
            + ", then grade again"
            + (
                " (not graded until then: a folder name must be a plain id)"
                if learner in odd
                else ""
            )
        )
    return learners, advice, gone


def fingerprint(folder: Path) -> str | None:
    """A checksum of a hand-in folder's files (names and contents); None when there is none."""
    if not folder.is_dir():
        return None
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.is_symlink():
            digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def graded_fingerprints(workshop: Workshop, learner: str) -> dict[str, str]:
    """The fingerprints of a learner's hand-ins when they were last graded (results/)."""
    try:
        record = json.loads((workshop.results / f"{learner}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found = record.get("fingerprints") if isinstance(record, dict) else None
    return dict(found) if isinstance(found, dict) else {}


def stale_hand_grades(workshop: Workshop, learners: Iterable[str]) -> dict[str, list[str]]:
    """Clear the hand grades of hand-ins changed since they were last graded; flag each.

    A grader scored the old version in the formgrader; those scores and comments would
    otherwise stay on the new one. Returns {learner: [flags]} for the learners affected.
    """
    from nbgrader.api import MissingEntry  # nbgrader takes seconds to import: only to grade

    changed: dict[str, list[str]] = {}
    with workshop.gradebook() as gb:
        for learner in learners:
            before = graded_fingerprints(workshop, learner)
            for name in workshop.exercises():
                now = fingerprint(workshop.submission(learner, name))
                if name not in before or now == before[name]:
                    continue
                try:
                    submission = gb.find_submission(name, learner)
                except MissingEntry:
                    continue
                cleared = 0
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        if grade.manual_score is not None or grade.extra_credit:
                            cleared += 1
                            grade.manual_score = None
                            grade.extra_credit = None
                            grade.needs_manual_grade = True
                    for comment in notebook.comments:
                        comment.manual_comment = None
                if cleared:
                    changed.setdefault(learner, []).append(
                        f"{name}: handed in again after hand grading; the {cleared} hand "
                        f"grade{'' if cleared == 1 else 's'} given to the old version "
                        f"{'was' if cleared == 1 else 'were'} cleared: grade it again in the "
                        "formgrader"
                    )
        gb.db.commit()
    return changed


@contextlib.contextmanager
def exclusive(workshop: Workshop) -> Iterator[None]:
    """Hold the workshop's grading lock: a second `course grade` on the same folder (another
    terminal, a double start) is refused at once instead of fighting over the gradebook and
    autograded/. A lock left by a killed run is free again: the OS releases it with the process.
    Scratch folders of earlier killed runs lose their gradebook copies (worker logs stay)."""
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


def grade(
    root: str | Path,
    options: GradeOptions | None = None,
    *,
    zip_path: str | Path | None = None,
    learner: str | None = None,
    progress: Progress | None = None,
) -> GradeRun:
    """Grade every learner of a workshop; write grades.csv, flags.json and results/.

    However `options` spread the learners (one process, worker processes, Dask), each worker has
    its own gradebook, merged into the workshop's as each learner finishes, and the outputs are
    those of grading one learner after another. `progress` is called as each learner finishes.
    """
    options = options or GradeOptions()
    workshop = open_workshop(root)
    with exclusive(workshop):
        started = time.monotonic()
        intake = take_in_workshop(workshop, zip_path, learner) if zip_path else None
        # Worker processes start now: each imports nbgrader (seconds) while this one does too.
        executor = make_executor(workshop, options, len(workshop.submitted_learners()))
        try:
            learners, unlisted, gone = _learners(workshop)
            stale = stale_hand_grades(workshop, learners)
            done = _run(workshop, executor, learners, progress)
        finally:
            executor.close(kill=True)  # a no-op after a run; stops the workers after an error
        records = [done["records"][learner] for learner in learners]
        graded_unlisted = {learner for learner in unlisted if LEARNER_ID.match(learner)}
        for learner in sorted({*stale, *graded_unlisted} & set(done["records"])):
            record = done["records"][learner]
            first = [NOT_ON_ROSTER] * (learner in graded_unlisted)
            record["flags"][:0] = first + stale.get(learner, [])
            _save_record(workshop, record)
        flags = {record["learner"]: record["flags"] for record in records}
        (workshop.root / "flags.json").write_text(
            json.dumps(flags, indent=1, ensure_ascii=False), encoding="utf-8"
        )
        export_csv(workshop)
        return GradeRun(
            root=workshop.root,
            assignments=workshop.exercises(),
            records=records,
            flags=flags,
            how=done["how"],
            seconds=time.monotonic() - started,
            unpacked=intake.learners if intake else [],
            intake=intake,
            maxima=maxima(workshop),
            unset=[n for n in workshop.assignments() if n not in workshop.exercises()],
            unlisted=unlisted,
            dropped=gone,
        )


def _save_record(workshop: Workshop, record: dict[str, Any]) -> None:
    """results/<learner>.json, with the fingerprints of the hand-ins as graded."""
    learner = record["learner"]
    if not LEARNER_ID.match(learner):
        return
    record["fingerprints"] = {
        name: digest
        for name in record.get("assignments", {})
        if (digest := fingerprint(workshop.submission(learner, name)))
    }
    path = workshop.results / f"{learner}.json"
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")


def _run(
    workshop: Workshop, executor: Executor, learners: list[str], progress: Progress | None
) -> dict[str, Any]:
    """Run the executor; merge, save and count each learner as it finishes."""
    records: dict[str, dict[str, Any]] = {}
    workshop.results.mkdir(exist_ok=True)

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
        records[learner] = record
        _save_record(workshop, record)
        if progress is not None:
            progress(len(records), len(learners), learner)

    if progress is not None:
        progress(0, len(learners), "")
    how = executor.run(learners, finished)
    return {"records": records, "how": how}
