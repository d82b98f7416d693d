"""Shared fixtures: a temporary copy of the repository's notebooks, and a papermill runner."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

# Every process the kit starts (kernels, nbgrader's alembic) finds the environment's tools.
os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A throwaway copy of notebooks/, exercises/ and solutions/ (never the real folders)."""
    for name in ("notebooks", "exercises", "solutions"):
        src = ROOT / name
        if src.exists():
            shutil.copytree(
                src,
                tmp_path / name,
                ignore=shutil.ignore_patterns("*.answers.json*", ".ipynb_checkpoints"),
            )
    return tmp_path
