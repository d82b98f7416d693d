"""Run notebooks for tests: papermill with injected parameters, in a real kernel."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def execute_notebook(
    path: Path,
    parameters: dict[str, Any] | None = None,
    cwd: Path | None = None,
    timeout: int = 120,
) -> Any:
    """Execute `path` top to bottom (output saved as *.out.ipynb beside it); return the notebook."""
    import papermill

    out = path.with_name(path.stem + ".out.ipynb")
    return papermill.execute_notebook(
        str(path),
        str(out),
        parameters=parameters or {},
        cwd=str(cwd or path.parent),
        kernel_name="python3",
        progress_bar=False,
        log_output=False,
        execution_timeout=timeout,
    )


def cell_text(nb: Any) -> str:
    """All stream and text/plain output of a notebook, joined (what a headless run printed)."""
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                parts.append(output.get("text", ""))
            elif "data" in output and "text/plain" in output["data"]:
                parts.append(output["data"]["text/plain"])
    return "".join(parts)


def error_outputs(nb: Any) -> list[dict]:
    """Every error output of a notebook."""
    return [
        output
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
