"""Graded keys, read from the source notebooks' hidden-test blocks when grading.

The `course` package holds no graded key (it ships to learners). A graded key exists only in a
test cell of solutions/, inside `### BEGIN HIDDEN TESTS` / `### END HIDDEN TESTS`, as the
literal arguments of the cell's `points(...)` call. This module reads those calls back so the
grading workflow can recompute each score outside the learner's kernel, tests can build the
solutions' answers, and the key-leak test can list every hidden line. Plain json and ast only.
"""

from __future__ import annotations

import ast
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course.errors import KitError
from course.learner import kinds
from course.learner.scoring import result as score_answers

__all__ = [
    "BEGIN",
    "END",
    "Scoring",
    "assignments",
    "exercise_texts",
    "explanations",
    "hidden_blocks",
    "hidden_code_lines",
    "hidden_lines",
    "read_notebook",
    "scorings",
    "solution_answers",
    "source_notebook",
]

BEGIN = "BEGIN HIDDEN TESTS"
END = "END HIDDEN TESTS"


@dataclass(frozen=True)
class Scoring:
    """How one autograder test cell scores: the `points(...)` call it ends with."""

    grade_id: str
    max_points: float
    kind: str
    notebook: str
    exercise: str
    key: Mapping[str, Any] | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    #: Why each keyed item's answer is right, by item id (the cell's hidden `explain = {...}`),
    #: shown in a learner's feedback after grading.
    explain: Mapping[str, str] = field(default_factory=dict)

    def result(self, folder: str | os.PathLike[str]) -> Any:
        """Recompute this cell's verdict from the answers file in `folder` (read-only)."""
        return score_answers(
            self.kind,
            self.notebook,
            self.exercise,
            self.key,
            folder=folder,
            read_only=True,
            **dict(self.options),
        )


def read_notebook(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A notebook file as plain JSON data."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise KitError(f"cannot read notebook {path}: {exc}") from None


def _source(cell: Mapping[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _nbgrader(cell: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, Mapping) else {}


def hidden_blocks(source: str) -> list[list[str]]:
    """The lines of each hidden-test block in a cell's source (delimiters excluded)."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in source.split("\n"):
        if BEGIN in line:
            current = []
        elif END in line:
            if current is not None:
                blocks.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def hidden_lines(path: str | os.PathLike[str]) -> list[str]:
    """Every non-blank line inside a hidden-test block of a notebook, stripped."""
    lines = []
    for cell in read_notebook(path).get("cells", []):
        for block in hidden_blocks(_source(cell)):
            lines.extend(line.strip() for line in block if line.strip())
    return lines


def _explain_spans(source: str) -> list[tuple[int, int]]:
    """Line spans (1-based, inclusive) of `explain = {...}` assignments in a cell's source."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [
        (node.lineno, node.end_lineno or node.lineno)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "explain" for t in node.targets)
    ]


def hidden_code_lines(path: str | os.PathLike[str]) -> list[str]:
    """Hidden lines that are test code (keys, calls), not the explanations shown after grading."""
    lines = []
    for cell in read_notebook(path).get("cells", []):
        source = _source(cell)
        spans = _explain_spans(source)
        inside = False
        for number, line in enumerate(source.split("\n"), start=1):
            if BEGIN in line:
                inside = True
            elif END in line:
                inside = False
            elif inside and line.strip() and not any(a <= number <= b for a, b in spans):
                lines.append(line.strip())
    return lines


def _call_name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _scoring(grade_id: str, max_points: float, source: str) -> Scoring | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    found = None
    explain: dict[str, str] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "explain" for t in statement.targets
        ):
            try:
                value = ast.literal_eval(statement.value)
            except ValueError:
                value = None
            if isinstance(value, dict):
                explain = {str(k): str(v) for k, v in value.items()}
        if (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Call)
            and _call_name(statement.value.func) == "points"
        ):
            found = statement.value
    if found is None:
        return None
    try:
        args = [ast.literal_eval(arg) for arg in found.args]
        kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in found.keywords if kw.arg}
    except ValueError:
        return None
    if len(args) < 3:
        return None
    kind, notebook, exercise = (str(a) for a in args[:3])
    key = args[3] if len(args) > 3 else kwargs.pop("key", None)
    kwargs.pop("folder", None)
    return Scoring(grade_id, max_points, kind, notebook, exercise, key, kwargs, explain)


def scorings(path: str | os.PathLike[str]) -> dict[str, Scoring]:
    """Each autograder test cell of a source notebook that ends with `points(...)`, by grade id."""
    found = {}
    for cell in read_notebook(path).get("cells", []):
        meta = _nbgrader(cell)
        if cell.get("cell_type") != "code" or not meta.get("grade") or meta.get("solution"):
            continue
        grade_id = str(meta.get("grade_id", ""))
        scoring = _scoring(grade_id, float(meta.get("points", 0)), _source(cell))
        if scoring is not None:
            found[grade_id] = scoring
    return found


def explanations(path: str | os.PathLike[str]) -> dict[str, dict[str, str]]:
    """Why each graded item's answer is right: {exercise: {item: explanation}} (hidden tests)."""
    found: dict[str, dict[str, str]] = {}
    for scoring in scorings(path).values():
        if scoring.explain:
            found.setdefault(scoring.exercise, {}).update(scoring.explain)
    return found


def solution_answers(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The answers that earn every keyed point of a source notebook, by exercise id."""
    answers: dict[str, Any] = {}
    for scoring in scorings(path).values():
        kind = kinds.for_check(scoring.kind)
        answer = kind.solution(dict(scoring.key or {}), answers.get(scoring.exercise))
        if answer is not None:
            answers[scoring.exercise] = answer
    return answers


def exercise_texts(path: str | os.PathLike[str]) -> dict[str, dict[str, Any]]:
    """The public text of each exercise shown by a notebook's `A.<kind>(id, items, ...)` cells.

    {exercise: {"kind", "title", "items": {item: text}, "options": {question: {option: text}}}}
    for reports (item labels, wrong choices in words). Cells that are not such calls are skipped.
    """
    found: dict[str, dict[str, Any]] = {}
    for cell in read_notebook(path).get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse(_source(cell))
        except SyntaxError:
            continue
        for statement in tree.body:
            call = statement.value if isinstance(statement, ast.Expr) else None
            if not isinstance(call, ast.Call) or len(call.args) < 2:
                continue
            kind = kinds.find(_call_name(call.func))
            if kind is None or not kind.keyed:
                continue
            try:
                exercise = ast.literal_eval(call.args[0])
                spec = ast.literal_eval(call.args[1])
                extra = {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg}
            except ValueError:
                continue
            entry: dict[str, Any] = {"kind": kind.name, "title": extra.get("title", exercise)}
            entry.update(kind.texts(spec) or {"items": {}, "options": {}})
            found[str(exercise)] = entry
    return found


def assignments(source_dir: str | os.PathLike[str]) -> list[str]:
    """The assignments of a source folder: each NN-name/ holding NN-name.ipynb, sorted."""
    root = Path(source_dir)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / f"{p.name}.ipynb").is_file())


def source_notebook(source_dir: str | os.PathLike[str], assignment: str) -> Path:
    """solutions/<assignment>/<assignment>.ipynb."""
    return Path(source_dir) / assignment / f"{assignment}.ipynb"
