"""The learners' bundle of a graded workshop: lessons, exercises, a wheel of `course`, a README.

Learners of a graded workshop get this zip, never the repository (solutions/ holds the keys).
The wheel is built from the package by pip (`pip wheel --no-deps`) in a clean copy of it. Before
the zip is written, every file in it (the wheel's files included) is searched for the hidden
lines of solutions/; a bundle that would hold any is refused.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from course.errors import KitError
from course.facilitator.release import KIT_ROOT, answers_files
from course.grader import keys
from course.grader.procs import tools_env

__all__ = ["README", "build_bundle", "build_wheel", "leaks", "without_outputs"]

README = """Career Aspirations Workshop: lessons and graded exercises
=========================================================

What you need: Python 3.11 or newer.

1. Install the course package (once), from this folder:

       python -m pip install {wheel}

2. Open JupyterLab here (it opens on the first lesson):

       python -m course lab

3. The lessons are in notebooks/, from 00-start-here to 06-practice-and-reflect. They
   are practice: check your answers as often as you like.

4. The graded exercises are in exercises/NN-name/NN-name.ipynb: run its cells and
   answer in the widgets. Every answer is saved as you click in NN-name.answers.json,
   next to the notebook, so closing the notebook or restarting loses nothing.

5. Hand in each exercise folder as your facilitator asks: the notebook AND its
   .answers.json file. Do not edit or delete cells; the grader checks them.

Exercise 05 asks you to draft your own answer. Points are listed at the top of each
exercise. Questions? Ask your facilitator.
"""


def build_wheel(dest: str | os.PathLike[str], root: str | os.PathLike[str] = KIT_ROOT) -> Path:
    """Build the `course` package's wheel into `dest` from a clean copy; return its path."""
    root, dest = Path(root), Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kit-wheel-") as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(
            root / "course",
            src / "course",
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.answers.json*"),
        )
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(root / name, src / name)
        base = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dest)]
        # Offline first (the environment's setuptools); pip's isolated build as a fallback.
        for extra in (["--no-build-isolation"], []):
            done = subprocess.run(
                [*base, *extra, str(src)], capture_output=True, text=True, env=tools_env()
            )
            if done.returncode == 0:
                break
        else:
            raise KitError(f"pip could not build the wheel:\n{done.stderr[-2000:]}")
    wheels = sorted(dest.glob("*.whl"), key=lambda p: p.stat().st_mtime)
    if not wheels:
        raise KitError("pip reported success but wrote no wheel")
    return wheels[-1]


def without_outputs(path: Path) -> str:
    """A notebook's JSON with every output and execution count cleared (nbformat-free)."""
    import json

    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = notebook["cells"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KitError(f"{path}: not a readable notebook ({exc})") from exc
    for cell in cells:
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def _texts(zip_bytes: bytes, prefix: str = "") -> list[tuple[str, str]]:
    """(name, text) of every file in a zip, descending into wheels."""
    found = []
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            name = prefix + info.filename
            if info.filename.endswith((".whl", ".zip")):
                found.extend(_texts(data, name + "!"))
            else:
                found.append((name, data.decode("utf-8", errors="replace")))
    return found


def leaks(zip_bytes: bytes, root: str | os.PathLike[str] = KIT_ROOT) -> list[str]:
    """Files of a zip that hold a hidden-test line of solutions/ ("name: line")."""
    source = Path(root) / "solutions"
    hidden = [
        line
        for name in keys.assignments(source)
        for line in keys.hidden_lines(keys.source_notebook(source, name))
        if len(line) >= 12
    ]
    return [
        f"{name}: {line[:60]}"
        for name, text in _texts(zip_bytes)
        for line in hidden
        if line in text
    ]


def build_bundle(out: str | os.PathLike[str], root: str | os.PathLike[str] = KIT_ROOT) -> Path:
    """Write the learners' zip to `out`; return its path. Never includes solutions/."""
    root, out = Path(root), Path(out)
    exercises = root / "exercises"
    if not keys.assignments(exercises):
        raise KitError(f"no exercises in {exercises}: run `python -m course release` first")
    stray = answers_files(exercises)
    if stray:
        raise KitError(f"answers files in exercises/ ({stray[0].name}...): remove them first")
    # The lessons only: never the answers files of whoever ran them here, never their outputs.
    lessons = sorted((root / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="kit-bundle-") as tmp:
        wheel = build_wheel(tmp, root)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("learners/README.txt", README.format(wheel=wheel.name))
            archive.write(wheel, f"learners/{wheel.name}")
            for path in lessons:
                archive.writestr(f"learners/notebooks/{path.name}", without_outputs(path))
            for path in sorted(exercises.rglob("*")):
                if (
                    path.is_file()
                    and "__pycache__" not in path.parts
                    and (".ipynb_checkpoints" not in path.parts)
                ):
                    archive.write(path, f"learners/exercises/{path.relative_to(exercises)}")
    data = buffer.getvalue()
    found = leaks(data, root)
    if found:
        raise KitError("the bundle would hold graded keys; nothing written:\n" + "\n".join(found))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out
