"""Run the kit's command line for tests: `python -m course ...` in a real subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_kit(*args: str, cwd: Path | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    """`python -m course ARGS` from the project root (or `cwd`), output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "course", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
