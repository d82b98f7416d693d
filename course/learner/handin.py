"""A learner's hand-in: their graded exercises and answers files in one zip, ready to send.

The zip holds one folder per graded exercise the learner worked on, as `grade --from ZIP
--learner ID` takes one learner's work:

    01-aspirations-vs-goals/01-aspirations-vs-goals.ipynb
    01-aspirations-vs-goals/01-aspirations-vs-goals.answers.json
    ...

An exercise counts as worked on when its answers file exists (answers are saved on every
change). Backups (`.bak-*`), lock files and anything else in the folder stay out. Standard
library only: this runs in a lesson kernel and in the app's server.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

from course.errors import KitError
from course.learner.answers import SUFFIX

__all__ = [
    "HAND_IN_NAME",
    "HandInError",
    "build_zip",
    "find_root",
    "handin_files",
    "write_zip",
]

#: The file name a learner saves and sends.
HAND_IN_NAME = "my-work.zip"
#: An exercise folder: `NN-name`, as `course release` writes them (and intake expects).
_EXERCISE = re.compile(r"^[0-9]{2}-[a-z0-9-]+$")
#: Fixed timestamps: the same answers always make the same zip (and zip has no time zones).
_STAMP = (2020, 1, 1, 0, 0, 0)


class HandInError(KitError):
    """The hand-in cannot be made; the message says why in plain words."""


def find_root(start: str | os.PathLike[str] | None = None) -> Path:
    """The kit folder (the one holding exercises/) at or above `start` (default: here).

    A lesson kernel runs in notebooks/ and an exercise's in exercises/NN-name/, so the folder
    is found by walking up.
    """
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "exercises").is_dir():
            return folder
    raise HandInError(
        f"could not find the exercises folder in {here} or above it: open the lessons from "
        "the kit folder (the one holding notebooks/ and exercises/)"
    )


def handin_files(root: str | os.PathLike[str]) -> list[tuple[Path, str]]:
    """(file, name in the zip) for each graded exercise with an answers file, in order."""
    exercises = Path(root) / "exercises"
    files: list[tuple[Path, str]] = []
    if not exercises.is_dir():
        return files
    for folder in sorted(p for p in exercises.iterdir() if p.is_dir()):
        name = folder.name
        notebook, answers = folder / f"{name}.ipynb", folder / f"{name}{SUFFIX}"
        if not _EXERCISE.match(name) or not answers.is_file():
            continue
        if notebook.is_file():
            files.append((notebook, f"{name}/{notebook.name}"))
        files.append((answers, f"{name}/{answers.name}"))
    return files


def build_zip(root: str | os.PathLike[str]) -> bytes:
    """The hand-in zip of the learner whose kit folder is `root`, as bytes."""
    files = handin_files(root)
    if not files:
        raise HandInError(
            "there is nothing to hand in yet: answer at least one graded exercise "
            "(in the exercises folder) first"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, name in files:
            info = zipfile.ZipInfo(name, date_time=_STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16  # a plain file (intake refuses anything else)
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def write_zip(root: str | os.PathLike[str], dest: str | os.PathLike[str] | None = None) -> Path:
    """Write the hand-in zip (default: my-work.zip in the kit folder); return its path."""
    data = build_zip(root)
    target = Path(dest) if dest is not None else Path(root) / HAND_IN_NAME
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    except OSError as exc:
        raise HandInError(f"could not save {target}: {exc.strerror or exc}") from None
    return target
