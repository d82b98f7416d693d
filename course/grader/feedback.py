"""Per-learner feedback: nbgrader's generate_feedback with hidden tests stripped, then checked.

The workshop's config puts the kit's preprocessors in nbgrader's feedback pipeline (hidden
tests and their tracebacks removed, widget outputs and added cells' outputs replaced by notes;
see course.grader.preprocessors). Each report shows the learner's recorded answers as the graded
exercises printed them while grading. As a last guard every written report is searched for the
source notebooks' hidden lines, and one that holds any is deleted and reported.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from course.grader import keys
from course.grader.workshop import Workshop

__all__ = ["generate", "leaked_lines"]


def leaked_lines(text: str, hidden: list[str]) -> list[str]:
    """The hidden lines (of meaningful length) that appear in `text`."""
    return [line for line in hidden if len(line) >= 12 and line in text]


def generate(workshop: Workshop, learners: list[str] | None = None) -> dict[str, Any]:
    """Write feedback/<learner>/<assignment>/<assignment>.html for every autograded submission.

    Returns {"written": [paths], "problems": [messages], "skipped": [messages]}: a
    submission nbgrader could not grade has no autograded notebook, so no feedback.
    """
    api = workshop.api()
    written: list[Path] = []
    problems: list[str] = []
    for assignment in workshop.assignments():
        hidden = keys.hidden_lines(workshop.source_notebook(assignment))
        folder = workshop.autograded
        graded = (
            sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir())
            if folder.is_dir()
            else []
        )
        for learner in graded:
            if learners is not None and learner not in learners:
                continue
            outcome = api.generate_feedback(assignment, learner, force=True)
            report = workshop.feedback / learner / assignment / f"{assignment}.html"
            if not outcome.get("success") or not report.is_file():
                problems.append(f"{learner}/{assignment}: nbgrader could not write feedback")
                continue
            text = report.read_text(encoding="utf-8")
            if leaked_lines(text, hidden) or leaked_lines(html.unescape(text), hidden):
                report.unlink()
                problems.append(
                    f"{learner}/{assignment}: the feedback held a hidden test line; not written"
                )
                continue
            written.append(report)
    skipped = []
    for learner in workshop.submitted_learners():
        if learners is not None and learner not in learners:
            continue
        for folder in sorted((workshop.submitted / learner).iterdir()):
            if folder.is_dir() and not (workshop.autograded / learner / folder.name).is_dir():
                skipped.append(f"{learner}/{folder.name}: not autograded (see flags.json)")
    return {"written": written, "problems": problems, "skipped": skipped}
