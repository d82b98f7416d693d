"""A workshop's grades in an LMS's gradebook import format: Canvas, Moodle, or a plain table.

Reads DIR/grades.csv (nbgrader's CSV export: one row per learner and assignment, written by
`python -m course grade` and written again here from the gradebook, so hand grades entered since
are in it; only the exercises the workshop sets) and the roster in the gradebook, and writes one
row per learner:

- canvas: Canvas's gradebook CSV: Student ("Last, First"), ID, SIS User ID, SIS Login ID,
  Section, then one column per assignment, and its "Points Possible" row. Canvas matches a row
  by SIS User ID (the roster's id) or SIS Login ID (the email, else the id); ID (Canvas's own
  number) is left blank. Import: Grades > Import.
- moodle: Moodle's grade import CSV: Email address, Username, ID number, First name, Last name,
  then one column per grade item. Import: Grades > Import > CSV file, "Map from" Email address
  (or Username / ID number) to the same field.
- csv: learner id, first name, last name, email, one column per assignment, total, out of.

Every file is UTF-8 with a byte-order mark, so Excel shows 'Chloé' as written.

A learner graded only from a folder in submitted/ that no roster names is not on the roster: the
LMS has no one to match them to, so the Canvas and Moodle files leave them out, the csv table
keeps them with "not on the roster" in a last column, and `export_grades` says who and what to
do (the words `grade` prints). Their grades stay in grades.csv and the gradebook.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course.errors import KitError
from course.grader.intake import OFF_ROSTER
from course.grader.workshop import one_line

__all__ = ["FORMATS", "Exported", "Gradebook", "export", "export_grades", "read_grades", "render"]

FORMATS = ("canvas", "moodle", "csv")


class Gradebook:
    """Scores by learner and assignment, maxima by assignment, and the roster's details."""

    def __init__(
        self,
        learners: list[dict[str, str]],
        assignments: list[str],
        scores: dict[tuple[str, str], float],
        maxima: dict[str, float],
        unlisted: Iterable[str] = (),
    ):
        self.learners = learners
        self.assignments = assignments
        self.scores = scores
        self.maxima = maxima
        self.unlisted = sorted(unlisted)  # graded, but not on the roster

    def listed(self) -> list[dict[str, str]]:
        """The learners on the roster: the ones an LMS can match."""
        return [learner for learner in self.learners if learner["id"] not in self.unlisted]

    def score(self, learner: str, assignment: str) -> float | None:
        return self.scores.get((learner, assignment))


def _number(text: str) -> float | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _shown(value: float | None) -> str:
    """A score as an LMS reads it: '7', '7.5', blank when none (dot decimals, no thousands)."""
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def read_grades(
    grades_csv: str | os.PathLike[str], roster: Iterable[dict[str, str]] | None = None
) -> Gradebook:
    """The grades of nbgrader's CSV export (any encoding Excel leaves), with the roster's names.

    A learner on the roster with no row gets blanks; a learner in grades.csv not on the roster
    keeps the names grades.csv gives, and is listed as not on it (when a roster is given).
    """
    path = Path(grades_csv)
    if not path.is_file():
        raise KitError(
            f"{path} does not exist: grade the workshop first "
            f"(python -m course grade --workshop {path.parent})"
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    rows = list(csv.DictReader(io.StringIO(text)))
    needed = {"assignment", "student_id", "score", "max_score"}
    if rows and not needed <= set(rows[0]):
        raise KitError(f"{path}: not nbgrader's grades export (columns {sorted(needed)} needed)")
    learners: dict[str, dict[str, str]] = {}
    for entry in roster or []:
        learners[entry["id"]] = {k: one_line(v) for k, v in entry.items()}
    assignments: list[str] = []
    scores: dict[tuple[str, str], float] = {}
    maxima: dict[str, float] = {}
    for row in rows:
        learner, assignment = row["student_id"].strip(), row["assignment"].strip()
        if not learner or not assignment:
            continue
        if assignment not in assignments:
            assignments.append(assignment)
        learners.setdefault(
            learner,
            {
                "id": learner,
                **{k: one_line(row.get(k)) for k in ("first_name", "last_name", "email")},
            },
        )
        score, most = _number(row["score"]), _number(row["max_score"])
        if score is not None:
            scores[(learner, assignment)] = score
        if most is not None:
            maxima[assignment] = max(most, maxima.get(assignment, 0.0))
    ordered = [learners[k] for k in sorted(learners)]
    listed = {entry["id"] for entry in roster or []}
    unlisted = [k for k in learners if listed and k not in listed]
    return Gradebook(ordered, sorted(assignments), scores, maxima, unlisted)


def _canvas(book: Gradebook) -> list[list[str]]:
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *book.assignments]
    points = [
        "    Points Possible",
        "",
        "",
        "",
        "",
        *(_shown(book.maxima.get(a)) for a in book.assignments),
    ]
    rows = [header, points]
    for learner in book.listed():
        first, last = learner.get("first_name", ""), learner.get("last_name", "")
        student = f"{last}, {first}" if first and last else (first or last or learner["id"])
        rows.append(
            [
                student,
                "",
                learner["id"],
                learner.get("email") or learner["id"],
                learner.get("section", ""),
                *(_shown(book.score(learner["id"], a)) for a in book.assignments),
            ]
        )
    return rows


def _moodle(book: Gradebook) -> list[list[str]]:
    header = ["Email address", "Username", "ID number", "First name", "Last name"]
    rows = [header + list(book.assignments)]
    for learner in book.listed():
        rows.append(
            [
                learner.get("email", ""),
                learner["id"],
                learner["id"],
                learner.get("first_name", ""),
                learner.get("last_name", ""),
                *(_shown(book.score(learner["id"], a)) for a in book.assignments),
            ]
        )
    return rows


def _plain(book: Gradebook) -> list[list[str]]:
    header = ["learner", "first name", "last name", "email", *book.assignments, "total", "out of"]
    note = ["note"] if book.unlisted else []  # a column only when someone needs it
    rows = [header + note]
    most = sum(book.maxima.get(a, 0.0) for a in book.assignments)
    for learner in book.learners:
        got = [book.score(learner["id"], a) for a in book.assignments]
        rows.append(
            [
                learner["id"],
                learner.get("first_name", ""),
                learner.get("last_name", ""),
                learner.get("email", ""),
                *(_shown(g) for g in got),
                _shown(sum(g for g in got if g is not None)),
                _shown(most),
                *([OFF_ROSTER if learner["id"] in book.unlisted else ""] if note else []),
            ]
        )
    return rows


def render(book: Gradebook, format: str) -> str:
    """The file's text (without the byte-order mark) in `format`: canvas, moodle or csv."""
    builders = {"canvas": _canvas, "moodle": _moodle, "csv": _plain}
    if format not in builders:
        raise KitError(f"unknown format {format!r}: choose one of {', '.join(FORMATS)}")
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(builders[format](book))
    return out.getvalue()


@dataclass
class Exported:
    """What `export_grades` wrote, and the learners not on the roster with what to do."""

    path: Path
    format: str
    unlisted: dict[str, str] = field(default_factory=dict)  # id -> what to do

    def notes(self) -> list[str]:
        """Plain lines for the terminal: who is not on the roster, where they went, what to do."""
        if not self.unlisted:
            return []
        where = (
            f"in the table, marked '{OFF_ROSTER}'"
            if self.format == "csv"
            else f"left out of this file: {self.format.capitalize()} has no one to match them to"
        )
        lines = [f"{OFF_ROSTER.capitalize()} ({where}; their grades stay in grades.csv):"]
        return lines + [
            f"  - {advice}, then grade and export again" for advice in self.unlisted.values()
        ]


def export_grades(
    root: str | os.PathLike[str], format: str, output: str | os.PathLike[str] | None = None
) -> Exported:
    """Write the workshop's grades for an LMS (default DIR/grades-FORMAT.csv); say what it did."""
    from course.grader.grading import export_csv
    from course.grader.intake import not_on_roster
    from course.grader.workshop import folder_learners, open_workshop, roster_entries

    workshop = open_workshop(root)
    # grades.csv again from the gradebook as it is now (hand grades included), set exercises only
    export_csv(workshop)
    unlisted = folder_learners(workshop)
    roster = [entry for entry in roster_entries(workshop) if entry["id"] not in unlisted]
    book = read_grades(workshop.root / "grades.csv", roster)
    path = Path(output) if output else workshop.root / f"grades-{format}.csv"
    path.write_text("\ufeff" + render(book, format), encoding="utf-8", newline="")
    advice = {
        learner: not_on_roster(learner, roster, what=f"submitted/{learner}/")
        for learner in book.unlisted
    }
    return Exported(path, format, advice)


def export(
    root: str | os.PathLike[str], format: str, output: str | os.PathLike[str] | None = None
) -> Path:
    """Write the workshop's grades for an LMS; return the file (default DIR/grades-FORMAT.csv)."""
    return export_grades(root, format, output).path


def summary(book: Gradebook) -> dict[str, Any]:
    return {"learners": len(book.learners), "assignments": book.assignments}
