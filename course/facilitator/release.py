"""Release: generate exercises/ from solutions/ with nbgrader, and tell when exercises/ is stale.

The repository root is an nbgrader course (nbgrader_config.py): solutions/ is the source,
exercises/ the release. Generation runs nbgrader's own GenerateAssignment without a gradebook
into a temporary folder; `release()` then replaces exercises/, `stale()` compares the two by
notebook content (never by timestamps). nbgrader is imported inside the functions.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from course.errors import KitError
from course.grader.keys import assignments
from course.grader.procs import tools_on_path
from course.paths import KIT_ROOT

__all__ = ["KIT_ROOT", "answers_files", "generate", "kit_config", "release", "stale"]

#: The repository (the kit's nbgrader course root).


def answers_files(*folders: str | os.PathLike[str]) -> list[Path]:
    """Every answers file (or its lock, backup or temp file) under the folders."""
    found: list[Path] = []
    for folder in folders:
        root = Path(folder)
        if root.is_dir():
            found.extend(p for p in root.rglob("*") if ".answers.json" in p.name)
    return sorted(found)


def kit_config(root: str | os.PathLike[str] = KIT_ROOT) -> Any:
    """The kit's nbgrader configuration (its nbgrader_config.py), as a traitlets Config."""
    from traitlets.config.loader import PyFileConfigLoader

    path = Path(root) / "nbgrader_config.py"
    if not path.is_file():
        raise KitError(f"{path} not found: is {root} the kit's repository?")
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def generate(out: str | os.PathLike[str], root: str | os.PathLike[str] = KIT_ROOT) -> list[str]:
    """Generate every assignment of `root`/solutions into `out` (no gradebook); return them."""
    from nbgrader.apps import NbGraderAPI  # nbgrader takes seconds to import: only to release

    tools_on_path()
    root = Path(root).resolve()
    config = kit_config(root)
    source = root / config.CourseDirectory.source_directory
    stray = answers_files(source)
    if stray:
        names = ", ".join(str(p.relative_to(root)) for p in stray)
        raise KitError(
            f"answers files found in the source folder ({names}): nbgrader would copy them over "
            "every submission at grading time. Delete them and release again."
        )
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.release_directory = str(Path(out).resolve())
    config.GenerateAssignment.no_database = True  # nbgrader's --no-db: no gradebook at all
    config.SaveCells.enabled = False
    api = NbGraderAPI(config=config)
    names = assignments(source)
    if not names:
        raise KitError(f"no assignments found in {source}")
    for name in names:
        outcome = api.generate_assignment(name, force=True, create=False)
        if not outcome.get("success"):
            detail = outcome.get("error") or outcome.get("log") or "no detail"
            raise KitError(f"nbgrader could not generate {name}:\n{detail}")
    return names


def _normalised(path: Path) -> Any:
    """A file's content for comparison: notebooks as parsed JSON, other files as bytes."""
    if path.suffix == ".ipynb":
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return path.read_bytes()
    return path.read_bytes()


def _tree(folder: Path) -> dict[str, Any]:
    if not folder.is_dir():
        return {}
    return {
        str(p.relative_to(folder)): _normalised(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts
    }


def _release_dir(root: Path) -> Path:
    return root / kit_config(root).CourseDirectory.release_directory


def stale(root: str | os.PathLike[str] = KIT_ROOT) -> list[str]:
    """What differs between exercises/ and a fresh release of solutions/ (empty: up to date)."""
    root = Path(root).resolve()
    with tempfile.TemporaryDirectory(prefix="kit-release-") as tmp:
        generate(tmp, root)
        fresh, current = _tree(Path(tmp)), _tree(_release_dir(root))
    problems = []
    for name in sorted(set(fresh) | set(current)):
        if name not in current:
            problems.append(f"missing from exercises/: {name}")
        elif name not in fresh:
            problems.append(f"not generated from solutions/: exercises/{name}")
        elif fresh[name] != current[name]:
            problems.append(f"differs from a fresh release: exercises/{name}")
    return problems


def release(root: str | os.PathLike[str] = KIT_ROOT) -> list[str]:
    """Regenerate exercises/ from solutions/; return the assignments written."""
    root = Path(root).resolve()
    target = _release_dir(root)
    with tempfile.TemporaryDirectory(prefix="kit-release-") as tmp:
        names = generate(tmp, root)
        target.mkdir(parents=True, exist_ok=True)
        for old in target.iterdir():
            if old.is_dir() and old.name not in names:
                shutil.rmtree(old)
        for name in names:
            dest = target / name
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(Path(tmp) / name, dest)
    return names
