"""Compare a submitted notebook with its release before grading: what did the learner change?

Uses nbgrader's own checksum (nbgrader.utils.compute_checksum) against the checksum nbgrader
stored in each released cell. Reports changed read-only and test cells (nbgrader puts the
originals back when it grades), deleted test or rubric cells (restored for grading), deleted
read-only cells, and added code cells (they run during grading and can run anything). Returns
plain messages; changes nothing.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["compare", "read"]


def read(path: str | os.PathLike[str]) -> Any:
    """A notebook as nbformat's NotebookNode (version 4), or raise ValueError."""
    import nbformat

    try:
        return nbformat.read(str(path), as_version=4)
    except Exception as exc:  # nbformat raises several types for a broken file
        raise ValueError(f"the notebook cannot be read ({exc.__class__.__name__})") from None


def _meta(cell: Any) -> dict[str, Any]:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def _what(meta: dict[str, Any]) -> str:
    if meta.get("task"):
        return "rubric cell"
    if meta.get("grade"):
        return "test cell"
    return "read-only cell"


def _first_line(cell: Any) -> str:
    lines = [line.strip() for line in str(cell.get("source", "")).splitlines() if line.strip()]
    text = lines[0] if lines else "(empty)"
    return text if len(text) <= 60 else text[:57] + "..."


def compare(released: Any, submitted: Any) -> list[str]:
    """Messages describing how `submitted` departs from `released` (both NotebookNodes)."""
    from nbgrader.utils import compute_checksum

    messages = []
    tracked = {}
    for cell in released.cells:
        meta = _meta(cell)
        if meta.get("grade_id") and (meta.get("locked") or meta.get("grade") or meta.get("task")):
            tracked[meta["grade_id"]] = cell
    seen = set()
    added: list[str] = []
    released_sources = {str(cell.get("source", "")) for cell in released.cells}
    for cell in submitted.cells:
        meta = _meta(cell)
        grade_id = meta.get("grade_id")
        if grade_id in tracked:
            if grade_id in seen:
                messages.append(f"duplicated {_what(_meta(tracked[grade_id]))} {grade_id!r}")
                continue
            seen.add(grade_id)
            original = tracked[grade_id]
            expected = _meta(original).get("checksum")
            try:
                changed = compute_checksum(cell) != expected or cell.cell_type != original.cell_type
            except (KeyError, ValueError, TypeError, AttributeError):
                changed = True
            if changed:
                messages.append(
                    f"changed {_what(_meta(original))} {grade_id!r} (the original was graded)"
                )
        elif cell.get("cell_type") == "code" and str(cell.get("source", "")) not in (
            released_sources
        ):
            added.append(_first_line(cell))
    if len(added) == 1:
        messages.append(f"added code cell: {added[0]!r}")
    elif added:
        messages.append(f"added {len(added)} code cells (the first: {added[0]!r})")
    for grade_id, cell in tracked.items():
        if grade_id not in seen:
            meta = _meta(cell)
            if meta.get("grade") or meta.get("task"):
                messages.append(f"deleted {_what(meta)} {grade_id!r} (restored for grading)")
            else:
                messages.append(f"deleted read-only cell {grade_id!r}")
    return messages
