"""Per-learner feedback that is safe to send: the kit's own page, no code, no script, no CDN.

For each learner and each exercise the workshop sets (`Workshop.exercises()`), a page built
from plain data, never from the graded notebook: the learner's answers and each item's result
in words; for the keyed items of 01 to 04 the right answer and why it is right (the `explain`
mappings in the source notebooks' hidden tests, read by course.grader.keys); for 05 the draft,
its two autograded checks and each rubric criterion with the hand grade and the grader's
comment. Scores come from the gradebook as it is now, hand grades included (grades.csv is
written again from it first). The page is course/templates/feedback/page.html.j2 with its CSS
inlined and autoescape on: no code cell, no script, no link out.

Nothing stale or unfinished goes out:
- a learner whose set exercises still have rubric cells without a hand grade gets no page
  (withheld, with the count), unless `draft=True`: then every page says DRAFT at the top;
- a hand-in changed since it was graded (its files differ from the fingerprint results/ keeps)
  gets no page until it is graded again;
- a learner's earlier pages are deleted before new ones are written, so an exercise no longer
  set, or a withheld learner, leaves nothing behind.

Pages go to feedback/<learner>/<assignment>/<assignment>.html (where nbgrader's
release_feedback looks) and feedback/<learner>/index.html (every exercise on one page);
`zip=True` also writes feedback-to-send/<learner>.zip holding that one page. As a last guard
every page is searched for the hidden test code of the source notebooks; one that holds any is
deleted and reported.
"""

from __future__ import annotations

import html
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course.grader import keys
from course.grader.grading import (
    export_csv,
    fingerprint,
    graded_fingerprints,
    maxima,
    totals,
)
from course.grader.workshop import Workshop, roster_entries
from course.learner.scoring import company_choice, open_store

__all__ = ["Outcome", "generate", "leaked_lines", "pending_hand_grades"]

#: An item's status in words, as a learner reads it.
STATUS = {
    "correct": "Right",
    "wrong": "Not right",
    "missing": "Not answered",
    "partial": "Partly right",
}


@dataclass
class Outcome:
    """What `generate` did: pages written, zips made, and who got none, with why."""

    written: list[Path] = field(default_factory=list)
    zips: list[Path] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)  # "learner: why" (ungraded, stale)
    skipped: list[str] = field(default_factory=list)  # "learner/assignment: why" (not graded)
    problems: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)  # learners whose pages say DRAFT

    def __getitem__(self, name: str) -> Any:  # the old dict form: outcome["written"]
        return getattr(self, name)


def leaked_lines(text: str, hidden: list[str]) -> list[str]:
    """The hidden lines (of meaningful length) that appear in `text`."""
    return [line for line in hidden if len(line) >= 12 and line in text]


def _whole(text: Any, limit: int = 0) -> str:
    """A label in full: feedback pages never clip what the learner chose or should have."""
    return str(text)


def _words(value: Any) -> str:
    """An answer value as words (never a Python repr)."""
    if value is None or value == "":
        return "no answer"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_words(v) for v in value) or "none"
    return str(value)


def _title(notebook: dict[str, Any], fallback: str) -> str:
    """The notebook's first heading ("Graded exercise: aspirations versus goals")."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = "".join(cell.get("source", []))
            match = re.search(r"^#\s+(.+)$", source, re.M)
            if match:
                return match.group(1).strip()
    return fallback


def _describe(cell: dict[str, Any]) -> str:
    """A test cell's own one-line description ("speaking time 45 to 120 seconds ...")."""
    source = "".join(cell.get("source", []))
    first = source.split("\n", 1)[0]
    text = re.sub(r"^#\s*(Autograder test:\s*)?", "", first).strip()
    text = re.sub(r"\s*\(\d+ points?\)\.?$", "", text)  # the score is shown beside it
    return text[:1].upper() + text[1:]


def _grades(gb: Any, assignment: str, learner: str) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """(submission or None, {grade id: Grade}, {cell id: Comment}) from the gradebook."""
    from nbgrader.api import MissingEntry

    try:
        submission = gb.find_submission(assignment, learner)
    except MissingEntry:
        return None, {}, {}
    grades, comments = {}, {}
    for notebook in submission.notebooks:
        grades.update({g.name: g for g in notebook.grades})
        comments.update({c.name: c for c in notebook.comments})
    return submission, grades, comments


def _ungraded(grades: dict[str, Any]) -> list[str]:
    """Cells graded by hand only (no autograder score) that have no hand grade yet."""
    return sorted(
        name for name, g in grades.items() if g.auto_score is None and g.manual_score is None
    )


def pending_hand_grades(workshop: Workshop, learner: str) -> dict[str, list[str]]:
    """{assignment: [cells still to grade by hand]} over the exercises the workshop sets."""
    pending = {}
    with workshop.gradebook() as gb:
        for name in workshop.exercises():
            _, grades, _ = _grades(gb, name, learner)
            if _ungraded(grades):
                pending[name] = _ungraded(grades)
    return pending


def _items(
    scoring: keys.Scoring, result: Any, texts: dict[str, Any], kind: Any
) -> list[dict[str, Any]]:
    """Each item of a keyed cell: what it asked, the learner's answer, the result in words,
    and when it was not right, the right answer and why."""
    entry = texts.get(scoring.exercise, {})
    key = dict(scoring.key or {})
    order = list(entry.get("items", {}))
    verdicts = sorted(
        result.items, key=lambda i: order.index(i.id) if i.id in order else len(order)
    )
    rows = []
    for verdict in verdicts:
        item = str(verdict.id)

        def said(value: Any, item: str = item) -> str:
            if value is None:
                return "no answer"
            words = kind.choice_label(entry, item, value, _whole) if kind else None
            return _words(words if words is not None else value).rstrip(".")

        right = verdict.status == "correct"
        rows.append(
            {
                "text": kind.item_label(entry, item, _whole) if kind else item,
                "given": said(verdict.given),
                "status": verdict.status,
                "result": STATUS.get(verdict.status, verdict.status),
                "right_answer": None if right or item not in key else said(key[item]),
                "why": None if right else scoring.explain.get(item),
            }
        )
    return rows


def _rubric(grades: dict[str, Any], comments: dict[str, Any]) -> list[dict[str, Any]]:
    """Each rubric criterion: the hand grade in words and the grader's comment."""
    from course.learner import content

    rubric = content.rubric()
    rows = []
    for criterion in rubric.criteria:
        grade = grades.get(f"rubric-{criterion.id}")
        if grade is None:
            continue
        score = grade.manual_score if grade.manual_score is not None else grade.auto_score
        level = int(score) if score is not None and float(score).is_integer() else None
        described = (
            f"{rubric.level_names[level - 1].capitalize()}: {criterion.levels[level - 1]}"
            if level and 1 <= level <= 3
            else None
        )
        comment = comments.get(f"rubric-{criterion.id}")
        rows.append(
            {
                "name": criterion.name,
                "question": criterion.question,
                "score": None if score is None else f"{float(score):g}",
                "max_score": f"{float(grade.max_score):g}",
                "level": described,
                "comment": (comment.manual_comment or "").strip() if comment else "",
            }
        )
    return rows


def _answers(workshop: Workshop, learner: str, assignment: str) -> dict[str, str]:
    """The free-text answers of an exercise as the learner saved them (05's company and draft)."""
    folder = workshop.submission(learner, assignment)
    store = open_store(assignment, folder, read_only=True)
    draft = store.get("draft")
    return {
        "company": company_choice(store)[0],
        "draft": draft.strip() if isinstance(draft, str) else "",
    }


def exercise_page(
    workshop: Workshop, gb: Any, learner: str, assignment: str
) -> dict[str, Any] | None:
    """Everything one exercise's feedback shows, as plain data (None: not in the gradebook)."""
    from course.learner import kinds

    submission, grades, comments = _grades(gb, assignment, learner)
    if submission is None:
        return None
    source = workshop.source_notebook(assignment)
    notebook = keys.read_notebook(source)
    texts = keys.exercise_texts(source)
    cells = {
        str(c.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")): c
        for c in notebook.get("cells", [])
    }
    folder = workshop.submission(learner, assignment)
    parts = []
    for grade_id, scoring in keys.scorings(source).items():
        grade = grades.get(grade_id)
        result = scoring.result(folder)
        kind = kinds.for_check(scoring.kind)
        keyed = bool(getattr(kind, "keyed", False))
        score = grade.score if grade is not None else result.score
        entry = texts.get(scoring.exercise, {})
        parts.append(
            {
                "title": entry.get("title") or _describe(cells.get(grade_id, {})),
                "score": f"{float(score):g}",
                "max_score": f"{scoring.max_points:g}",
                "items": _items(scoring, result, texts, kind if keyed else None)
                if keyed
                else [
                    {
                        "text": _describe(cells.get(grade_id, {})),
                        "given": "",
                        "status": i.status,
                        "result": STATUS.get(i.status, i.status)
                        + (f": {i.message}" if getattr(i, "message", "") else ""),
                        "right_answer": None,
                        "why": None,
                    }
                    for i in result.items
                ],
                "keyed": keyed,
            }
        )
    return {
        "name": assignment,
        "title": _title(notebook, assignment),
        "score": f"{float(submission.score):g}",
        "max_score": f"{float(submission.max_score):g}",
        "parts": parts,
        "answers": _answers(workshop, learner, assignment),
        "rubric": _rubric(grades, comments),
        "ungraded": len(_ungraded(grades)),
    }


def _render(
    learner: dict[str, str],
    exercises: list[dict[str, Any]],
    draft: bool,
    most: dict[str, float] | None = None,
) -> str:
    """One page: these exercises; with `most` (every set exercise's points), the total too,
    out of every set exercise as on screen and in the report."""
    from course.learner import pages

    name = " ".join(filter(None, (learner.get("first_name"), learner.get("last_name"))))
    scores = {e["name"]: (float(e["score"]), float(e["max_score"])) for e in exercises}
    total, out_of = totals({n: scores.get(n) for n in most or {}}, most or {})
    return pages.render(
        "feedback/page.html.j2",
        learner=name or learner["id"],
        exercises=exercises,
        draft=draft,
        total=f"{total:g}" if most else None,
        out_of=f"{out_of:g}",
        missing=[n for n in most or {} if n not in scores],
    )


def generate(
    workshop: Workshop,
    learners: list[str] | None = None,
    *,
    draft: bool = False,
    zip: bool = False,
) -> Outcome:
    """Write the feedback pages of `learners` (default: everyone graded); see the module doc."""
    export_csv(workshop)  # grades.csv as the gradebook is now, hand grades included
    outcome = Outcome()
    names = workshop.exercises()
    hidden = sorted(
        {line for n in names for line in keys.hidden_code_lines(workshop.source_notebook(n))}
    )
    roster = {e["id"]: e for e in roster_entries(workshop)}
    most = maxima(workshop)
    everyone = sorted(set(roster) | set(workshop.submitted_learners()))
    chosen = [x for x in everyone if learners is None or x in learners]
    for missing in sorted(set(learners or []) - set(everyone)):
        outcome.problems.append(f"{missing}: not on the roster and no hand-in folder")
    sending = workshop.root / "feedback-to-send"
    for learner in chosen:
        folder = workshop.feedback / learner
        if folder.is_dir():
            shutil.rmtree(folder)  # nothing stale: pages of an earlier run go first
        (sending / f"{learner}.zip").unlink(missing_ok=True)
        graded_as = graded_fingerprints(workshop, learner)
        pending = pending_hand_grades(workshop, learner)
        why = _withheld(workshop, learner, names, graded_as, pending, draft)
        if why:
            outcome.withheld.append(f"{learner}: {why}")
            continue
        exercises = _exercise_pages(workshop, learner, names, graded_as, outcome)
        if not exercises:
            if not any(note.startswith(f"{learner}/") for note in outcome.skipped):
                outcome.skipped.append(f"{learner}: nothing handed in for the exercises set")
            continue
        if pending:
            outcome.drafts.append(learner)
        person = roster.get(learner, {"id": learner})
        pages = [
            (folder / page["name"] / f"{page['name']}.html", _render(person, [page], bool(pending)))
            for page in exercises
        ]
        index = folder / "index.html"
        pages.append((index, _render(person, exercises, bool(pending), most)))
        kept = _write_pages(learner, pages, hidden, outcome)
        if zip and index in kept:
            sending.mkdir(exist_ok=True)
            target = sending / f"{learner}.zip"
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
                bundle.write(index, f"feedback-{learner}.html")
            outcome.zips.append(target)
    return outcome


def _withheld(
    workshop: Workshop,
    learner: str,
    names: list[str],
    graded_as: dict[str, str],
    pending: dict[str, list[str]],
    draft: bool,
) -> str:
    """Why a learner's feedback must wait (a hand-in changed since grading, hand grades due)."""
    stale = [
        n
        for n in names
        if n in graded_as and fingerprint(workshop.submission(learner, n)) != graded_as[n]
    ]
    if stale:
        return (
            f"{', '.join(stale)} handed in again since grading; grade again first "
            "(python -m course grade)"
        )
    if pending and not draft:
        count = sum(len(v) for v in pending.values())
        return (
            f"{count} rubric cell{'' if count == 1 else 's'} of {', '.join(pending)} "
            "still to grade by hand"
        )
    return ""


def _exercise_pages(
    workshop: Workshop, learner: str, names: list[str], graded_as: dict[str, str], outcome: Outcome
) -> list[dict[str, Any]]:
    """The page data of each graded exercise of a learner; what cannot be shown is noted."""
    exercises = []
    with workshop.gradebook() as gb:
        for name in names:
            if not workshop.submission(learner, name).is_dir():
                continue
            if name not in graded_as and not (workshop.autograded / learner / name).is_dir():
                outcome.skipped.append(f"{learner}/{name}: not graded yet (run grade)")
                continue
            try:
                page = exercise_page(workshop, gb, learner, name)
            except Exception as exc:  # one bad hand-in never stops the others
                outcome.problems.append(
                    f"{learner}/{name}: feedback failed ({exc.__class__.__name__}: {exc})"
                )
                continue
            if page is None:
                outcome.skipped.append(f"{learner}/{name}: not graded yet (run grade)")
                continue
            exercises.append(page)
    return exercises


def _write_pages(
    learner: str, pages: list[tuple[Path, str]], hidden: list[str], outcome: Outcome
) -> list[Path]:
    """Write each page unless it holds a line of hidden test code; return the paths written."""
    kept = []
    for path, text in pages:
        if leaked_lines(text, hidden) or leaked_lines(html.unescape(text), hidden):
            outcome.problems.append(
                f"{learner}/{path.parent.name}: the page held hidden test code; not written"
            )
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        kept.append(path)
    outcome.written.extend(kept)
    return kept
