"""The learner's profile across lessons: the company researched in 02 and the alignment of 03.

Lesson 02 saves a research worksheet (or the choice of a shipped fictional company); lesson 03,
the coach in 05 and the prep sheet read it back through `company_from_answers`. Everything here
reads answers files through AnswerStore and returns plain data, trimmed to a sane size, because
the files hold whatever a learner typed.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

from course.learner import content
from course.learner.answers import AnswerStore
from course.learner.safe import clip, isolate

__all__ = [
    "ALIGN_LESSON",
    "ASPIRATIONS_FORM",
    "CHOICE",
    "MATRIX",
    "OWN",
    "PROFILE_FORM",
    "RESEARCH_LESSON",
    "alignment_from_answers",
    "alignment_grid",
    "choice_options",
    "company_from_answers",
    "earlier_aspiration",
    "item_id",
    "matrix_columns",
    "matrix_rows",
    "profile_from_form",
    "profile_html",
    "split_lines",
    "timeline_entries",
]

GOALS_LESSON = "01-aspirations-vs-goals"
STEPPING_STONE_FORM = "stepping-stone"
DRAFTED_ASPIRATION = "drafted-aspiration"
RESEARCH_LESSON = "02-research-the-company"
#: The research worksheet (forms.yaml) and the pick between it and a shipped company.
PROFILE_FORM = "company-profile"
CHOICE = "company-choice"
OWN = "own"
ALIGN_LESSON = "03-align-your-aspirations"
ASPIRATIONS_FORM = "my-aspirations"
MATRIX = "alignment-matrix"

TEXT_FIELDS = ("name", "industry", "role")
LIST_FIELDS = ("values", "plans", "skills")
#: A profile keeps at most this many entries per list and characters per entry: the answers
#: file holds whatever was typed (even 1 MB), and every later lesson shows the profile.
MAX_ITEMS = 12
MAX_CHARS = 200
_BULLETS = "-*\u2022\u00b7\u2013\u2014 \t"


def split_lines(text: Any) -> list[str]:
    """One entry per line: bullets and blank lines dropped, duplicates removed, sizes capped."""
    if not isinstance(text, str):
        return []
    entries: list[str] = []
    for line in text.splitlines():
        entry = clip(line.strip().lstrip(_BULLETS), MAX_CHARS)
        if entry and entry not in entries:
            entries.append(entry)
        if len(entries) == MAX_ITEMS:
            break
    return entries


def profile_from_form(values: Any) -> dict[str, Any] | None:
    """The company profile in a research worksheet's answer, or None when it is empty.

    Returns the profile format the coach reads: name, industry, role (text) and values, plans,
    skills (lists, one entry per line of the worksheet). Fields left blank stay blank.
    """
    if not isinstance(values, Mapping):
        return None
    profile: dict[str, Any] = {}
    for field in TEXT_FIELDS:
        text = values.get(field)
        profile[field] = clip(text, MAX_CHARS) if isinstance(text, str) else ""
    for field in LIST_FIELDS:
        profile[field] = split_lines(values.get(field))
    if not any(profile.values()):
        return None
    return profile


def choice_options() -> list[tuple[str, str]]:
    """The options of the company choice in lesson 02: own research, or a shipped company."""
    options = [(OWN, "My own target company (the research worksheet below)")]
    for company_id, company in content.companies().items():
        options.append((company_id, f"{company.name}: {company.role} (fictional, for practice)"))
    return options


def company_from_answers(folder: str | os.PathLike[str] = ".") -> dict[str, Any] | None:
    """The company the learner prepares for, from lesson 02's answers file in `folder`.

    A shipped fictional company when the learner picked one; otherwise the research worksheet;
    None when neither holds anything yet.
    """
    store = AnswerStore(RESEARCH_LESSON, folder)
    choice = store.get(CHOICE)
    if isinstance(choice, str) and choice != OWN and choice in content.companies():
        return content.company(choice).as_mapping()
    return profile_from_form(store.get(PROFILE_FORM))


def profile_html(company: Mapping[str, Any] | None) -> str:
    """A company profile as safe HTML (every entry escaped), or a note when there is none."""
    if not company:
        return (
            '<div class="cak-note">No company profile yet: pick a practice company or fill in '
            "the research worksheet above, then run this cell again.</div>"
        )

    name = isolate(company.get("name") or "Your company (no name yet)")
    parts = [f'<div style="overflow-wrap:anywhere"><h4>{name}</h4><dl>']
    for field in ("industry", "role"):
        if company.get(field):
            parts.append(f"<dt>{field.capitalize()}</dt><dd>{isolate(company[field])}</dd>")
    for field in LIST_FIELDS:
        entries = company.get(field) or []
        items = "".join(f"<li>{isolate(e)}</li>" for e in entries) or "<li><i>none yet</i></li>"
        parts.append(f"<dt>{field.capitalize()}</dt><dd><ul>{items}</ul></dd>")
    parts.append("</dl></div>")
    return "".join(parts)


# --------------------------------------------------------------------------- lesson 01

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def timeline_entries(stepping_stone: Any) -> list[dict[str, Any]]:
    """Lesson 01's worksheet as entries for plots.timeline (the learner's own, marked mine).

    The deadline is the first number in the "months" field ("6", "about 18 months");
    without one the goal is drawn without a deadline.
    """
    if not isinstance(stepping_stone, Mapping):
        return []
    entries: list[dict[str, Any]] = []
    aspiration = stepping_stone.get("aspiration")
    if isinstance(aspiration, str) and aspiration.strip():
        entries.append({"text": clip(aspiration, MAX_CHARS), "kind": "aspiration", "mine": True})
    goal = stepping_stone.get("goal")
    if isinstance(goal, str) and goal.strip():
        months_text = stepping_stone.get("months")
        match = _NUMBER.search(months_text[:200]) if isinstance(months_text, str) else None
        months = float(match[0].replace(",", ".")) if match else None
        entries.append(
            {"text": clip(goal, MAX_CHARS), "kind": "goal", "months": months, "mine": True}
        )
    return entries


def earlier_aspiration(folder: str | os.PathLike[str] = ".") -> str:
    """The aspiration the learner wrote in lesson 01 ('' if none), trimmed.

    The stepping-stone worksheet's aspiration first; else the one-sentence draft of "find an
    aspiration of your own".
    """
    store = AnswerStore(GOALS_LESSON, folder)
    value = store.get(STEPPING_STONE_FORM)
    text = value.get("aspiration") if isinstance(value, Mapping) else None
    if not isinstance(text, str) or not text.strip():
        text = store.get(DRAFTED_ASPIRATION)
    return clip(text, MAX_CHARS) if isinstance(text, str) and text.strip() else ""


# --------------------------------------------------------------------------- alignment


def item_id(kind: str, text: str) -> str:
    """A stable id for a row or column of the alignment matrix, derived from its text.

    Ratings belong to the exact text they were given for: edit an aspiration or switch company
    and the cells concerned start blank instead of carrying over to different text.
    """
    digest = hashlib.sha256(" ".join(str(text).split()).encode("utf-8")).hexdigest()[:10]
    return f"{kind}-{digest}"


def matrix_rows(aspirations: Any) -> list[tuple[str, str]]:
    """(id, text) for each aspiration in lesson 03's aspirations form, in field order."""
    if not isinstance(aspirations, Mapping):
        return []
    rows: list[tuple[str, str]] = []
    for key in sorted(aspirations, key=str):
        if not str(key).startswith("aspiration"):
            continue  # other fields of the form (e.g. evidence) are not rows
        text = aspirations[key]
        if not isinstance(text, str) or not text.strip():
            continue
        row = (item_id("aspiration", text), clip(text, MAX_CHARS))
        if row not in rows:
            rows.append(row)
    return rows[:MAX_ITEMS]


def matrix_columns(company: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """(id, label) for each value, plan and skill of a company profile (lesson 03's columns)."""
    if not isinstance(company, Mapping):
        return []
    columns = []
    for field, kind in (("values", "value"), ("plans", "plan"), ("skills", "skill")):
        entries = company.get(field) or []
        if not isinstance(entries, Sequence) or isinstance(entries, str):
            continue
        for entry in entries[:MAX_ITEMS]:
            if isinstance(entry, str) and entry.strip():
                columns.append((item_id(kind, entry), f"{kind}: {clip(entry, MAX_CHARS)}"))
    return columns


def alignment_grid(
    rows: Sequence[tuple[str, str]],
    columns: Sequence[tuple[str, str]],
    ratings: Any,
) -> list[list[int | None]]:
    """Ratings as a rows x columns list (None where not rated), ready for a heatmap."""
    from course.learner.checks import normalize_ratings

    given, _problems = normalize_ratings(
        ratings, [r for r, _ in rows], [c for c, _ in columns], (0, 1, 2)
    )
    return [[given.get(r, {}).get(c) for c, _ in columns] for r, _ in rows]


def alignment_from_answers(
    folder: str | os.PathLike[str] = ".", company: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Lesson 03's alignment as plain data: aspirations, company columns and the rating grid.

    `company` defaults to `company_from_answers(folder)`. Returns {"company": name or "",
    "aspirations": [text], "columns": [label], "grid": [[0-2 or None]]}.
    """
    if company is None:
        company = company_from_answers(folder)
    store = AnswerStore(ALIGN_LESSON, folder)
    rows = matrix_rows(store.get(ASPIRATIONS_FORM))
    columns = matrix_columns(company)
    return {
        "company": (company or {}).get("name", ""),
        "aspirations": [text for _, text in rows],
        "columns": [label for _, label in columns],
        "grid": alignment_grid(rows, columns, store.get(MATRIX)),
    }
