"""Extra steps for nbgrader's pipelines, one small preprocessor each (named in the workshop config).

- RestoreMissingCells (autograde): nbgrader's OverwriteCells with `add_missing_cells`, fixed for
  notebooks where a test cell follows a read-only cell. nbgrader 0.9.6 puts a deleted grade cell
  back after the previous *grade or solution* cell and fails with a KeyError when the previous
  source cell is a read-only cell (our exercise cells are). Here it goes after the nearest
  earlier source cell still present.
- StripHiddenTests (feedback): hidden-test blocks removed from test cells, and their error
  tracebacks reduced to one line (nbgrader's own feedback keeps both: its issue #917).
- StripWidgetOutputs (feedback): widget outputs replaced by a plain note (a report has no live
  widgets; the recorded answers are shown as HTML by the graded exercises themselves).
- StripAddedCellOutputs (feedback): outputs of code cells the learner added are dropped: that
  code ran on the grader's machine and could print anything it can read there.
"""

from __future__ import annotations

from typing import Any

from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor, OverwriteCells

__all__ = [
    "RestoreMissingCells",
    "StripAddedCellOutputs",
    "StripHiddenTests",
    "StripWidgetOutputs",
]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _grade_id(cell: Any) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


class RestoreMissingCells(OverwriteCells):
    """OverwriteCells whose restored grade cells go after the nearest surviving source cell."""

    def add_missing_grade_cells(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        order = [cell.name for cell in source_nb.source_cells]
        sources = {cell.name: cell for cell in source_nb.source_cells}
        solutions = {cell.name for cell in source_nb.solution_cells}
        for grade_cell in source_nb.grade_cells:
            present = {_grade_id(cell): i for i, cell in enumerate(nb.cells) if _grade_id(cell)}
            if grade_cell.name in present or grade_cell.name not in sources:
                continue
            self.log.warning(
                "Missing grade cell %s encountered, adding to notebook", grade_cell.name
            )
            cell = self.missing_cell_transform(
                sources[grade_cell.name],
                grade_cell.max_score,
                is_solution=grade_cell.name in solutions,
            )
            cell["id"] = f"restored-{grade_cell.name}"[:64]
            position = 0
            for earlier in reversed(order[: order.index(grade_cell.name)]):
                if earlier in present:
                    position = present[earlier] + 1
                    break
            nb.cells.insert(position, cell)
        return nb, resources


class StripHiddenTests(ClearHiddenTests):
    """Remove hidden-test blocks from feedback, and every traceback of a cell that had one."""

    enforce_metadata = False

    def preprocess_cell(self, cell: Any, resources: Any, cell_index: int) -> tuple[Any, Any]:
        had_hidden = self._remove_hidden_test_region(cell)
        if cell.get("cell_type") == "code" and (had_hidden or utils.is_grade(cell)):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    # A traceback quotes the failing source line, hidden or not.
                    output["traceback"] = [
                        f"{output.get('ename', 'Error')}: this test did not pass"
                    ]
                    output["evalue"] = "this test did not pass"
        return cell, resources


class StripWidgetOutputs(NbGraderPreprocessor):
    """Replace widget outputs with a note; a report cannot show live widgets."""

    def preprocess_cell(self, cell: Any, resources: Any, cell_index: int) -> tuple[Any, Any]:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data and WIDGET_VIEW in data:
                output["data"] = {"text/plain": "(an interactive widget: not shown in this report)"}
        return cell, resources


class StripAddedCellOutputs(NbGraderPreprocessor):
    """Drop the outputs of code cells that are not part of the assignment (the learner's own)."""

    def preprocess_cell(self, cell: Any, resources: Any, cell_index: int) -> tuple[Any, Any]:
        if cell.get("cell_type") == "code" and not _grade_id(cell) and cell.get("outputs"):
            cell["outputs"] = [
                {
                    "output_type": "stream",
                    "name": "stdout",
                    "text": "(output of a cell you added: not included in feedback)\n",
                }
            ]
        return cell, resources
