"""Carry what parallel workers graded into the workshop's gradebook, through nbgrader's API objects.

Each parallel worker grades into its own copy of the workshop's gradebook (one SQLite writer per
file, no lock contention between workers). After grading a learner, the worker reads that
learner's submissions back as plain data (`export`: JSON-safe, so it crosses a pipe or a Dask
result), and the process that runs the class writes them into the workshop's gradebook
(`absorb`). nbgrader has no merge of its own; this one uses its Gradebook, Student,
SubmittedAssignment, SubmittedNotebook, Grade and Comment objects, never SQL.

What comes from the worker is what autograding decides: the submission's timestamp, each
notebook's late-submission penalty, each grade's auto_score and needs_manual_grade, each
comment's auto_comment. What people decide stays as the workshop's gradebook has it: manual
scores, extra credit, manual comments, flagged notebooks, extensions (a grader may be scoring
rubric cells in the formgrader while the class is graded). A submission the workshop's gradebook
does not hold yet is created whole, as nbgrader's autograde would create it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["absorb", "copy_gradebook", "export"]

STUDENT_FIELDS = ("first_name", "last_name", "email", "lms_user_id")


def copy_gradebook(source: str | os.PathLike[str], dest: str | os.PathLike[str]) -> Path:
    """A consistent copy of a SQLite gradebook (SQLite's backup API: safe while it is in use)."""
    dest = Path(dest)
    dest.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{Path(source)}?mode=ro", uri=True)
    try:
        out = sqlite3.connect(dest)
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()
    return dest


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export(gb: Any, learner: str, assignments: Iterable[str]) -> dict[str, Any]:
    """A learner's submissions of `assignments` in gradebook `gb`, as plain data for `absorb`.

    {"student": {"id", "first_name", ...}, "submissions": [{"assignment", "timestamp",
    "notebooks": {name: {"late_submission_penalty", "flagged", "grades": {cell: {...}},
    "comments": {cell: {...}}}}}]}. Assignments without a submission are left out.
    """
    from nbgrader.api import MissingEntry

    student = gb.find_student(learner)
    data: dict[str, Any] = {
        "student": {"id": learner, **{k: getattr(student, k) for k in STUDENT_FIELDS}},
        "submissions": [],
    }
    for assignment in assignments:
        try:
            submission = gb.find_submission(assignment, learner)
        except MissingEntry:
            continue
        notebooks = {}
        for notebook in submission.notebooks:
            notebooks[notebook.name] = {
                "late_submission_penalty": notebook.late_submission_penalty,
                "flagged": notebook.flagged,
                "grades": {
                    grade.name: {
                        "auto_score": grade.auto_score,
                        "manual_score": grade.manual_score,
                        "needs_manual_grade": grade.needs_manual_grade,
                    }
                    for grade in notebook.grades
                },
                "comments": {
                    comment.name: {"auto_comment": comment.auto_comment}
                    for comment in notebook.comments
                },
            }
        data["submissions"].append(
            {
                "assignment": assignment,
                "timestamp": _when(submission.timestamp),
                "notebooks": notebooks,
            }
        )
    return data


def _needs_manual_grade(grade: Any, graded: dict[str, Any]) -> bool:
    """The worker's verdict, unless a grader changed the manual score while the worker graded:
    then nbgrader's own rule (SaveAutoGrades) on the score the workshop's gradebook holds now."""
    if grade.manual_score == graded.get("manual_score"):
        return bool(graded["needs_manual_grade"])
    return grade.manual_score is not None or graded.get("auto_score") is None


def absorb(gb: Any, data: dict[str, Any]) -> int:
    """Write one learner's exported submissions into gradebook `gb`; return how many.

    Commits once at the end (one transaction per learner).
    """
    from nbgrader.api import MissingEntry
    from nbgrader.utils import parse_utc

    info = dict(data["student"])
    learner = info.pop("id")
    try:
        gb.find_student(learner)
    except MissingEntry:
        gb.add_student(learner, **{k: v for k, v in info.items() if v is not None})
    count = 0
    for entry in data["submissions"]:
        assignment = entry["assignment"]
        timestamp = entry["timestamp"]
        try:
            submission = gb.find_submission(assignment, learner)
            created = False
        except MissingEntry:
            extra = {"timestamp": timestamp} if timestamp else {}
            submission = gb.add_submission(assignment, learner, **extra)
            created = True
        submission.timestamp = parse_utc(timestamp) if timestamp else None
        for notebook in submission.notebooks:
            graded = entry["notebooks"].get(notebook.name)
            if graded is None:
                continue
            notebook.late_submission_penalty = graded["late_submission_penalty"]
            if created:
                notebook.flagged = graded["flagged"]
            for grade in notebook.grades:
                cell = graded["grades"].get(grade.name)
                if cell is not None:
                    grade.needs_manual_grade = _needs_manual_grade(grade, cell)
                    grade.auto_score = cell["auto_score"]
            for comment in notebook.comments:
                cell = graded["comments"].get(comment.name)
                if cell is not None:
                    comment.auto_comment = cell["auto_comment"]
        count += 1
    gb.db.commit()
    return count
