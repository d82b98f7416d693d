"""Matrix: rate every row against every column on a small scale (aspirations x values)."""

from __future__ import annotations

from typing import Any

from course.learner import checks
from course.learner.kinds.base import Kind, Record, Spec, register

#: The default scale of a matrix cell (the widget's MATRIX_LEVELS).
LEVELS = (0, 1, 2)


class Matrix(Kind):
    """Rows (spec.items) by columns (spec.columns); each cell holds one level."""

    name = "matrix"
    widget = "course.learner.widgets:Matrix"

    def widget_args(self, spec: Spec) -> list[Any]:
        return [spec.items, spec.columns]

    def normalize(self, spec: Spec, value: Any) -> tuple[Any, list[str]]:
        rows = [r for r, _ in spec.items]
        columns = [c for c, _ in spec.columns]
        return checks.normalize_ratings(value, rows, columns, LEVELS)

    def record_lines(self, spec: Spec, value: Any) -> Record:
        given, _ = self.normalize(spec, value)
        lines = []
        for row_id, row in spec.items:
            for col_id, col in spec.columns:
                level = given.get(row_id, {}).get(col_id)
                shown = ("b", str(level)) if level is not None else ("i", "not rated")
                lines.append((("", f"{row} \u00d7 {col}: "), shown))
        return Record(spec.title or spec.id, tuple(lines))


KIND = register(Matrix())
