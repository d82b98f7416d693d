"""What goes on the prep sheet, as plain data: the learner's answers gathered into sections.

`sheet(folder)` reads every `*.answers.json` under a folder (through AnswerStore) and returns
the sheet's sections as dicts, lists and strings; course/templates/prep-sheet/ draws them and
course.learner.prepsheet writes the page. Nothing here builds HTML: learner text stays plain
text until the template escapes it. An answer the sheet has no section for is described as a
small tree of nodes (`describe`, `value_node`), so nothing a learner wrote is left out.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from course.errors import KitError
from course.learner import content, kinds, profile
from course.learner.answers import SUFFIX, AnswerStore

__all__ = [
    "SHEET_VIEWS",
    "AnswersFile",
    "PrepSheetError",
    "describe",
    "gather",
    "sheet",
    "value_node",
]

GOALS = "01-aspirations-vs-goals"
RESEARCH = "02-research-the-company"
ALIGN = "03-align-your-aspirations"
DRAFT = "05-draft-your-answer"
PRACTICE = "06-practice-and-reflect"
#: Exercise ids with a section of their own (lesson, exercise id); the rest go to "More".
KNOWN = {
    (GOALS, "stepping-stone"),
    (RESEARCH, "company-choice"),
    (RESEARCH, "company-profile"),
    (ALIGN, "my-aspirations"),
    (ALIGN, "alignment-matrix"),
    (DRAFT, "draft-answer"),
    (DRAFT, "model-answer-picked"),  # which model answer was on screen: not the learner's work
    (PRACTICE, "peer-feedback"),
    (PRACTICE, "reflection"),
}
#: The final answer: lesson 06's revision when there is one, else lesson 05's draft.
DRAFT_IDS = ((PRACTICE, "revised-answer"), (PRACTICE, "final-answer"), (DRAFT, "draft-answer"))
#: Longest text shown for one answer (a 1 MB paste must not make a 1 MB page).
MAX_TEXT = 4000
#: Longest text shown for a value nested deeper than MAX_DEPTH (as JSON).
MAX_NESTED = 500
MAX_ITEMS = 60
MAX_DEPTH = 5
#: Most strong overlaps listed to lead with, and most coach tips shown.
MAX_OVERLAPS = 8
MAX_TIPS = 6
LEVEL_NAMES = {0: "none", 1: "some", 2: "strong"}
#: Folders never searched for answers files (environments, caches, checkpoints).
PRUNE = {"__pycache__", "node_modules", "site-packages"}

#: A node of the "value" tree the template draws (see prep-sheet/values.html.j2).
Node = dict[str, Any]


class PrepSheetError(KitError):
    """The prep sheet cannot be made (no such folder, output not writable)."""


@dataclass
class AnswersFile:
    """One answers file found under the learner's folder."""

    path: Path
    relative: str
    notebook: str
    answers: dict[str, Any]
    saved: datetime | None
    messages: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- gathering


def _answers_files(root: Path) -> list[Path]:
    """Every answers file under `root`, hidden folders and environments left out (not walked)."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in PRUNE)
        found += [Path(folder) / name for name in files if name.endswith(SUFFIX)]
    return sorted(found)


def gather(folder: str | os.PathLike[str]) -> list[AnswersFile]:
    """Every answers file under `folder`, read through AnswerStore: lessons first, in order."""
    root = Path(folder)
    if not root.is_dir():
        raise PrepSheetError(f"{root} is not a folder: give the folder holding your notebooks")
    found = []
    for path in _answers_files(root):
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            store = AnswerStore(path.name, path.parent)
        found.append(
            AnswersFile(
                path=path,
                relative=path.relative_to(root).as_posix(),
                notebook=store.notebook,
                answers=store.all(),
                saved=datetime.fromtimestamp(path.stat().st_mtime) if path.exists() else None,
                messages=list(store.messages),
            )
        )
    # A lesson's own answers (the shallowest file of that name) come first, in lesson order.
    order = {lesson.id: i for i, lesson in enumerate(content.lessons())}
    found.sort(key=lambda f: (f.relative.count("/"), order.get(f.notebook, 99), f.relative))
    return found


def _lesson_files(files: list[AnswersFile]) -> dict[str, AnswersFile]:
    """The answers file of each lesson notebook: the shallowest one of that name."""
    chosen: dict[str, AnswersFile] = {}
    for f in files:
        chosen.setdefault(f.notebook, f)
    return chosen


# --------------------------------------------------------------------------- answer values

EMPTY: Node = {"node": "empty"}


def humanize(key: Any) -> str:
    """'strength-what' -> 'Strength what' (for ids without a label)."""
    words = str(key).replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else "(no name)"


def _text(text: Any) -> Node:
    """Learner text as a block that keeps its line breaks, or the empty node."""
    if not isinstance(text, str) or not text.strip():
        return EMPTY
    return {"node": "text", "text": text.strip(), "limit": MAX_TEXT}


def _more(count: int) -> int:
    """How many entries past MAX_ITEMS are left off."""
    return max(count - MAX_ITEMS, 0)


def value_node(value: Any, depth: int = 0) -> Node:
    """Any answer value as a node: text, list, pairs (a mapping), plain (numbers, yes/no)."""
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return {"node": "plain", "text": "yes" if value else "no"}
    if isinstance(value, int | float):
        return {"node": "plain", "text": str(value)}
    if isinstance(value, str):
        return _text(value)
    if depth >= MAX_DEPTH:
        return {"node": "text", "text": json.dumps(value, ensure_ascii=False), "limit": MAX_NESTED}
    if isinstance(value, list):
        if not value:
            return EMPTY
        items = [value_node(v, depth + 1) for v in value[:MAX_ITEMS]]
        return {"node": "list", "entries": items, "more": _more(len(value))}
    if isinstance(value, Mapping):
        if not value:
            return EMPTY
        rows = [(humanize(k), value_node(v, depth + 1)) for k, v in list(value.items())[:MAX_ITEMS]]
        return {"node": "pairs", "rows": rows, "more": _more(len(value))}
    return {"node": "plain", "text": str(value)}


def _labelled(value: Any, labels: Mapping[str, str]) -> Node:
    """A form's answer with its field labels, in the form's order, extra keys after."""
    if not isinstance(value, Mapping):
        return value_node(value)
    rows = [
        (labels.get(key, humanize(key)), value_node(value[key], 1))
        for key in [*labels, *(k for k in value if k not in labels)]
        if key in value and value[key] not in ("", None)
    ]
    return {"node": "pairs", "rows": rows, "more": 0} if rows else EMPTY


def _as_form(spec: content.FormSpec, value: Any) -> Node | None:
    """A form's answer under the form's own field labels."""
    if not isinstance(value, Mapping):
        return None
    return _labelled(value, {f.id: f.label for f in spec.fields})


def _as_classify(spec: content.ClassifySet, value: Any) -> Node | None:
    """A sort: each statement's text beside the group it was put in."""
    if not isinstance(value, Mapping):
        return None
    texts = {item.id: item.text for item in spec.items}
    rows = [(texts.get(k, humanize(k)), str(v)) for k, v in list(value.items())[:MAX_ITEMS]]
    return {"node": "table", "rows": rows}


def _as_quiz(spec: content.Quiz, value: Any) -> Node | None:
    """A quiz: each question beside the text of the option chosen."""
    if not isinstance(value, Mapping):
        return None
    rows = []
    for q in spec.questions:
        if q.id in value:
            options = {o.id: o.text for o in q.options}
            chosen = value[q.id]
            answer = options.get(chosen, chosen) if isinstance(chosen, str) else chosen
            rows.append((q.text, value_node(answer, 1)))
    return {"node": "pairs", "rows": rows, "more": 0} if rows else None


def _as_choose(spec: content.ChooseSet, value: Any) -> Node | None:
    """A pick of several: the texts of the options picked."""
    if not isinstance(value, list):
        return None
    texts = {o.id: o.text for o in spec.options}
    items = [str(texts.get(v, v)) for v in value[:MAX_ITEMS]]
    return {"node": "picked", "entries": items} if items else None


#: How the sheet shows an answer, by the type of the practice set its kind's content loader
#: returns (course.learner.kinds: each kind names its loader).
SHEET_VIEWS: dict[type, Callable[[Any, Any], Node | None]] = {
    content.ClassifySet: _as_classify,
    content.ChooseSet: _as_choose,
    content.Quiz: _as_quiz,
    content.FormSpec: _as_form,
}


def describe(exercise_id: str, value: Any) -> Node:
    """An answer as a node, with what the course content knows about its exercise, if anything."""
    for kind in kinds.all():
        if kind.load is None:
            continue
        try:
            found = kind.load(exercise_id)
            node = SHEET_VIEWS[type(found)](found, value)
        except (KeyError, KitError, TypeError, AttributeError, ValueError):
            node = None
        if node is not None:
            return node
    return value_node(value)


# --------------------------------------------------------------------------- sections


@dataclass
class _Sheet:
    """What the sections need: the lesson answers files and the parts already shown."""

    files: list[AnswersFile]
    lessons: dict[str, AnswersFile]
    shown: set[tuple[str, str]] = field(default_factory=set)

    def get(self, lesson: str, exercise_id: str) -> Any:
        """A lesson's answer to `exercise_id` (None if missing), marked as shown."""
        f = self.lessons.get(lesson)
        if f is None or exercise_id not in f.answers:
            return None
        self.shown.add((f.relative, exercise_id))
        return f.answers[exercise_id]

    def folder(self, lesson: str) -> Path | None:
        """The folder of a lesson's answers file, None when the lesson has none."""
        f = self.lessons.get(lesson)
        return f.path.parent if f else None


def _field(value: Any, key: str) -> str | None:
    """A non-blank text field of a form's answer, else None."""
    if isinstance(value, Mapping):
        text = value.get(key)
        if isinstance(text, str) and text.strip():
            return text
    return None


def _aspiration(sheet: _Sheet) -> dict[str, Any]:
    """Lesson 01's aspiration, lesson 03's other aspirations (no repeat) and their evidence."""
    stone = sheet.get(GOALS, "stepping-stone")
    mine = sheet.get(ALIGN, "my-aspirations")
    main = _field(stone, "aspiration")
    others = []
    if isinstance(mine, Mapping):
        for key in sorted(k for k in mine if str(k).startswith("aspiration")):
            text = _field(mine, key)
            if text and text.strip() != (main or "").strip():
                others.append(_text(text))
    return {
        "main": _text(main) if main else None,
        "others": others,
        "evidence": _text(_field(mine, "evidence")) if _field(mine, "evidence") else None,
    }


def _goal(sheet: _Sheet) -> list[tuple[str, Node]]:
    """Lesson 01's stepping-stone goal as (label, text) rows; [] when there is no goal."""
    stone = sheet.get(GOALS, "stepping-stone")
    if not _field(stone, "goal"):
        return []
    labels = (("goal", "Goal"), ("months", "Within (months)"), ("measure", "How you will know"))
    return [(label, _text(_field(stone, key))) for key, label in labels if _field(stone, key)]


def _company(sheet: _Sheet) -> tuple[dict[str, Any] | None, bool]:
    """The learner's company profile and whether it is a shipped fictional one."""
    choice = sheet.get(RESEARCH, "company-choice")
    form = sheet.get(RESEARCH, "company-profile")
    folder = sheet.folder(RESEARCH)
    if folder is not None:
        try:
            company = profile.company_from_answers(folder)
        except Exception:  # an odd answers file must not stop the sheet: the section says so
            company = None
        shipped = isinstance(choice, str) and choice in content.companies()
        return company, shipped
    if isinstance(form, Mapping):
        return dict(form), False
    return None, False


def _entries(entries: Any) -> list[str]:
    """A profile list (or lines of text) as at most MAX_ITEMS strings."""
    if isinstance(entries, str):
        entries = [line for line in entries.splitlines() if line.strip()]
    if not isinstance(entries, list):
        return []
    return [str(e) for e in entries[:MAX_ITEMS]]


def _research(
    sheet: _Sheet, company: Mapping[str, Any] | None, shipped: bool
) -> dict[str, Any] | None:
    """Lesson 02's company: name, role and industry, its values, plans and skills, sources."""
    form = sheet.get(RESEARCH, "company-profile")
    if not company:
        return None
    lists = (
        ("values", "Values and culture"),
        ("plans", "Plans for the future"),
        ("skills", "Skills the role asks for"),
    )
    sources = _field(form, "sources") if not shipped else None
    return {
        "name": str(company.get("name") or "Your company (no name yet)"),
        "shipped": shipped,
        "facts": [
            (label, str(company[key]))
            for key, label in (("role", "Role"), ("industry", "Industry"))
            if company.get(key)
        ],
        "lists": [(label, _entries(company.get(key))) for key, label in lists],
        "sources": _text(sources) if sources else None,
    }


def _alignment(sheet: _Sheet, company: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Lesson 03's matrix: columns, each aspiration's levels by name, the strong overlaps."""
    sheet.get(ALIGN, "alignment-matrix")  # shown here, whatever its shape
    folder = sheet.folder(ALIGN)
    data = None
    if folder is not None:
        try:
            data = profile.alignment_from_answers(folder, company=company)
        except Exception:  # an odd answers file must not stop the sheet: the section says so
            data = None
    if not data or not data.get("aspirations") or not data.get("columns"):
        return None
    rows, strong = [], []
    for aspiration, ratings in zip(data["aspirations"], data["grid"], strict=False):
        levels = []
        for column, rating in zip(data["columns"], ratings, strict=False):
            levels.append(LEVEL_NAMES.get(rating, "") if rating is not None else "")
            if rating == 2:
                strong.append((aspiration, column))
        rows.append((aspiration, levels))
    return {"columns": data["columns"], "rows": rows, "strong": strong[:MAX_OVERLAPS]}


def _coach(text: str, company: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The coach's analysis as plain data, or None where the coach trips over odd input."""
    # Imported here: the coach's rules take a while to load, and only a sheet with a draft uses it.
    from course.coach import analyze

    try:
        return analyze(text, company=company).to_dict()
    except Exception:  # the sheet must still be made if the coach trips over odd input
        try:
            return analyze(text).to_dict()
        except Exception:  # nor can it without a company: the sheet shows the draft alone
            return None


def _coach_view(analysis: Mapping[str, Any], with_company: bool) -> dict[str, Any]:
    """What the sheet shows of the coach's analysis: score, length, a chip per criterion, tips."""
    rubric = content.rubric()
    names = dict(zip((1, 2, 3), rubric.level_names, strict=True))
    criteria = analysis.get("criteria") or {}
    chips = [
        (criterion.name, criteria[criterion.id], names[criteria[criterion.id]])
        for criterion in rubric.criteria
        if isinstance(criteria.get(criterion.id), int) and criteria[criterion.id] in names
    ]
    score = analysis.get("score")
    words, seconds = analysis.get("words"), analysis.get("seconds")
    notes = []
    if isinstance(words, int) and isinstance(seconds, int | float):
        notes.append(f"{words} words ≈ {round(seconds)} s spoken")
    if not with_company:
        notes.append("(no company profile: alignment judged on general signals)")
    tips = analysis.get("tips") or []
    return {
        "score": score if isinstance(score, int) else None,
        "out_of": 3 * len(rubric.criteria),
        "notes": notes,
        "chips": chips,
        "tips": [t for t in tips[:MAX_TIPS] if isinstance(t, str)],
    }


def _answer(sheet: _Sheet, company: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The final answer (lesson 06's revision, else lesson 05's draft) and the coach's view."""
    for lesson, exercise_id in DRAFT_IDS:
        value = sheet.get(lesson, exercise_id)
        if isinstance(value, str) and value.strip():
            analysis = _coach(value, company)
            return {
                "text": _text(value),
                "coach": _coach_view(analysis, company is not None) if analysis else None,
                "source": "lesson 06 (revised)" if lesson == PRACTICE else "lesson 05",
            }
    return None


def _practice(sheet: _Sheet) -> list[tuple[str, Node]]:
    """Lesson 06's triad feedback and reflection, as (heading, node)."""
    notes = []
    for exercise_id, title in (
        ("peer-feedback", "Feedback from your triad"),
        ("reflection", "Your reflection"),
    ):
        value = sheet.get(PRACTICE, exercise_id)
        if value:
            notes.append((title, describe(exercise_id, value)))
    return notes


def _notebook_title(stem: str) -> str:
    """'01 Aspirations versus goals' for a lesson's notebook, else the stem made readable."""
    try:
        lesson = content.lesson(stem)
    except KeyError:
        return humanize(stem)
    return f"{stem[:2]} {lesson.title}"


def _more_work(sheet: _Sheet) -> list[dict[str, Any]]:
    """Every answer no section showed, by answers file: new exercises, graded notebooks."""
    blocks = []
    for f in sheet.files:
        is_lesson_file = sheet.lessons.get(f.notebook) is f
        entries = [
            (humanize(exercise_id), exercise_id, describe(exercise_id, value))
            for exercise_id, value in f.answers.items()
            if not (is_lesson_file and (f.notebook, exercise_id) in KNOWN)
            and (f.relative, exercise_id) not in sheet.shown
        ]
        if entries:
            path = f.relative if f.relative != f"{f.notebook}{SUFFIX}" else None
            blocks.append({"title": _notebook_title(f.notebook), "path": path, "entries": entries})
    return blocks


def _for_role(company: Mapping[str, Any] | None) -> str:
    """'Junior Data Analyst at Northwind' (either part alone when the other is blank)."""
    if not company:
        return ""
    bits = [company.get("role") or "", company.get("name") or ""]
    return " at ".join(str(b) for b in bits if b)


def sheet(folder: str | os.PathLike[str], now: datetime | None = None) -> dict[str, Any]:
    """The prep sheet for the answers under `folder`, as the context its template draws."""
    files = gather(folder)
    found = _Sheet(files, _lesson_files(files))
    company, shipped = _company(found)
    # In page order: each section marks what it shows, so "More" lists only the rest.
    sections = {
        "aspiration": _aspiration(found),
        "goal": _goal(found),
        "company": _research(found, company, shipped),
        "alignment": _alignment(found, company),
        "answer": _answer(found, company),
        "practice": _practice(found),
    }
    sections["more"] = _more_work(found)
    return {
        **sections,
        "files": [(f.relative, f"{f.saved:%d %b %Y %H:%M}" if f.saved else "") for f in files],
        "problems": [m for f in files for m in f.messages],
        "role": _for_role(company),
        "made": (now or datetime.now()).strftime("%d %B %Y, %H:%M"),
    }
