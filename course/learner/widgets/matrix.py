"""The rating-matrix widget (rows x columns on a small scale, e.g. aspirations x values)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as W

from course.learner import checks
from course.learner.answers import AnswerStore
from course.learner.widgets.base import PRACTICE, Exercise, _para, escape

# --------------------------------------------------------------------------- Matrix

#: Learner text may be one long unbroken word (or right-to-left): let it wrap anywhere.
_WRAP = "overflow-wrap:anywhere"

#: The default scale of a Matrix cell: how strongly a row supports a column.
MATRIX_LEVELS: tuple[tuple[int, str], ...] = ((0, "none"), (1, "some"), (2, "strong"))
#: The first option of every Matrix cell: nothing chosen yet (never saved). Its value is a
#: sentinel, not None: ipywidgets turns a None value into "no option selected" (a blank select).
NOT_RATED = "not rated"
_UNRATED = ""


class Matrix(Exercise):
    """Rate every row against every column on a small scale (aspirations x company values).

    Each cell is a drop-down under its column's label, grouped by row, so the widget reads top
    to bottom and needs no wide screen. A native <select> announces its chosen level and is
    named for screen readers by its row and column ("Aspiration 2 x value: safety"), one Tab
    stop per cell, the arrow keys to change it. With a key (a fictional case) Check scores each
    cell; without one it reports how many are rated.
    """

    kind = "matrix"

    def __init__(
        self,
        store: AnswerStore,
        exercise_id: str,
        rows: Sequence[tuple[str, str]],
        columns: Sequence[tuple[str, str]],
        *,
        levels: Sequence[tuple[int, str]] = MATRIX_LEVELS,
        key: Mapping[str, Mapping[str, int]] | None = None,
        row_heading: str = "Row",
        column_heading: str = "Column",
        empty_message: str = "Nothing to rate yet.",
        **kwargs: Any,
    ):
        self.rows = [(str(i), str(t)) for i, t in rows]
        self.columns = [(str(i), str(t)) for i, t in columns]
        self.levels = [(int(n), str(name)) for n, name in levels]
        self.key = {r: dict(c) for r, c in key.items()} if key else None
        self.row_heading = row_heading
        self.column_heading = column_heading
        self.empty_message = empty_message
        super().__init__(store, exercise_id, **kwargs)

    def _build(self) -> list[W.Widget]:
        # Toggle buttons exposed no chosen state and showed it at 1.62:1 contrast
        # (docs/accessibility.md, finding 3): a drop-down shows the chosen level as text.
        self.cells: dict[tuple[str, str], W.Dropdown] = {}
        if not self.rows or not self.columns:
            return [W.HTML(value=f'<div class="cak-miss">{escape(self.empty_message)}</div>')]
        sections = []
        for r, (row_id, row_text) in enumerate(self.rows, start=1):
            parts: list[W.Widget] = [
                W.HTML(
                    value=f'<div class="cak-title" style="{_WRAP}">{escape(self.row_heading)} '
                    f"{r}: <bdi>{escape(row_text)}</bdi></div>"
                )
            ]
            for c, (col_id, col_text) in enumerate(self.columns, start=1):
                cell = W.Dropdown(
                    options=[(NOT_RATED, _UNRATED)]
                    + [(f"{n} {name}", n) for n, name in self.levels],
                    value=_UNRATED,
                    description=self.cell_name(r, c, col_text),
                    style={"description_width": "initial"},
                    layout=W.Layout(width="auto", min_width="10em", max_width="16em"),
                )
                # The name is for screen readers; sighted learners read the column label above
                # and the row's title above that.
                cell.add_class("cak-sr-label")
                # A 3:1 border and a focus ring (ipywidgets sets `outline: none !important`).
                cell.add_class("cak-cell")
                cell.observe(self._changed, names="value")
                self.cells[(row_id, col_id)] = cell
                label = W.HTML(
                    value=f'<div style="{_WRAP}">{self._column_label(c, col_text)}</div>'
                )
                parts.append(W.VBox([label, cell]))
            section = W.VBox(parts)
            section.add_class("cak-item")
            sections.append(section)
        return sections

    def _column_label(self, number: int, text: str) -> str:
        prefix = f"{self.column_heading} {number}:" if self.column_heading else f"{number}."
        return f"{escape(prefix)} <bdi>{escape(text)}</bdi>"

    def cell_name(self, row: int, column: int, column_text: str) -> str:
        """A cell's accessible name: its row by number, its column by label (plain text)."""
        col = f"{self.column_heading} {column}: " if self.column_heading else ""
        return f"{self.row_heading} {row} \u00d7 {col}{column_text}"

    @property
    def row_ids(self) -> list[str]:
        return [r for r, _ in self.rows]

    @property
    def column_ids(self) -> list[str]:
        return [c for c, _ in self.columns]

    def _normalize(self, value: Any) -> tuple[dict[str, dict[str, int]], list[str]]:
        return checks.normalize_ratings(
            value, self.row_ids, self.column_ids, [n for n, _ in self.levels]
        )

    def _apply(self, value: Mapping[str, Mapping[str, int]]) -> None:
        for (row_id, col_id), cell in self.cells.items():
            level = value.get(row_id, {}).get(col_id)
            cell.value = _UNRATED if level is None else level

    @property
    def value(self) -> dict[str, dict[str, int]]:
        result: dict[str, dict[str, int]] = {}
        for (row_id, col_id), cell in self.cells.items():
            if cell.value != _UNRATED:
                result.setdefault(row_id, {})[col_id] = cell.value
        return result

    def grid(self) -> list[list[int | None]]:
        """The ratings as a rows x columns list (None where not rated), e.g. for a heatmap."""
        value = self.value
        return [[value.get(r, {}).get(c) for c in self.column_ids] for r in self.row_ids]

    def item_label(self, item_id: str) -> str:
        row_id, _, col_id = item_id.partition("/")
        row = dict(self.rows).get(row_id, row_id)
        col = dict(self.columns).get(col_id, col_id)
        return f"{row} \u00d7 {col}"

    def result(self) -> checks.Result:
        return checks.check_matrix(
            self.id,
            self.row_ids,
            self.column_ids,
            self.value,
            [n for n, _ in self.levels],
            self.key,
        )

    def check(self) -> checks.Result | None:
        # Without a key a matrix is never wrong, only incomplete: Check works in any mode.
        if self.key is None or self.mode == PRACTICE:
            result = self.result()
            self.feedback.value = self.render(result)
            return result
        return super().check()

    def render(self, result: checks.Result) -> str:
        if self.key is not None:
            return super().render(result)
        if not result.total:
            return _para(self.empty_message)
        rated = int(result.score)
        total = int(result.total)
        note = "every cell is rated" if rated == total else f"{total - rated} still to rate"
        return _para(f"{rated} of {total} cells rated: {note}. Each rating is saved when chosen.")

    def summary(self) -> str:
        return self.result().summary()
