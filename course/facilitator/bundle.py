"""The learners' bundle of a graded workshop: lessons, exercises, a wheel of `course`, a README.

Learners of a graded workshop get this zip, never the repository (solutions/ holds the keys).
It starts in one step: start.sh (macOS, Linux) or start.bat (Windows) makes a virtual
environment inside the folder, installs the wheel there (the lessons' packages only, no
grading tools) and opens the lessons; README.txt is written for someone who never opened a
terminal, hand-in included.
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
import time
import zipfile
from pathlib import Path

from course.errors import KitError
from course.facilitator.release import KIT_ROOT, answers_files
from course.grader import keys
from course.grader.procs import tools_env
from course.paths import TEMPLATES_DIR

__all__ = [
    "INSTALL_MB",
    "build_bundle",
    "build_wheel",
    "bundle_text",
    "leaks",
    "start_command",
    "without_outputs",
]

#: The learner install's size in a fresh venv, MB: 444 measured with `du -sm` after
#: `python3 -m venv v && v/bin/pip install career_aspirations_kit-*.whl` (108 packages; the
#: full set before the split: 512 MB, 117), plus about 40 MB for the speech extra
#: (pocketsphinx's English model) the start scripts install. They and README.txt say it first.
INSTALL_MB = 490
#: The bundle's own files, from course/templates/bundle/ (start.sh executable in the zip).
START_FILES = ("README.txt", "start.sh", "start.bat")


#: The command the start scripts run: the learner app (course/cli/app.py), no code shown.
START_COMMAND = "app"


def start_command() -> str:
    """The command the bundle's start scripts run (`python -m course app`)."""
    return START_COMMAND


def bundle_text(name: str, wheel: str) -> str:
    """A start script or README.txt of the bundle, filled in for this wheel."""
    text = (TEMPLATES_DIR / "bundle" / name).read_text(encoding="utf-8")
    for key, value in {
        "@WHEEL@": wheel,
        "@SIZE_MB@": str(INSTALL_MB),
        "@COMMAND@": start_command(),
    }.items():
        text = text.replace(key, value)
    return text


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
    # Someone's live answers refuse the bundle; the scratch files of the answers store (backups
    # that `course reset` keeps, locks, temp files) are simply never shipped.
    stray = [p for p in answers_files(exercises) if p.name.endswith(".answers.json")]
    if stray:
        where = stray[0].relative_to(root)
        notebook = where.with_name(where.name.replace(".answers.json", ".ipynb"))
        raise KitError(
            f"answers in exercises/ ({where}): someone tried the exercise here; clear them "
            f"with `python -m course reset {notebook}` (a backup is kept) and bundle again"
        )
    # The lessons only: never the answers files of whoever ran them here, never their outputs.
    lessons = sorted((root / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="kit-bundle-") as tmp:
        wheel = build_wheel(tmp, root)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in START_FILES:
                info = zipfile.ZipInfo(f"learners/{name}", time.localtime()[:6])
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (0o755 if name.endswith(".sh") else 0o644) << 16
                text = bundle_text(name, wheel.name)
                archive.writestr(
                    info,
                    text.replace("\r\n", "\n").replace("\n", "\r\n")
                    if name.endswith((".bat", ".txt"))
                    else text,
                )
            archive.write(wheel, f"learners/{wheel.name}")
            for path in lessons:
                archive.writestr(f"learners/notebooks/{path.name}", without_outputs(path))
            for path in sorted(exercises.rglob("*")):
                if (
                    path.is_file()
                    and "__pycache__" not in path.parts
                    and (".ipynb_checkpoints" not in path.parts)
                    and ".answers.json" not in path.name
                ):
                    archive.write(path, f"learners/exercises/{path.relative_to(exercises)}")
    data = buffer.getvalue()
    found = leaks(data, root)
    if found:
        raise KitError("the bundle would hold graded keys; nothing written:\n" + "\n".join(found))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out
