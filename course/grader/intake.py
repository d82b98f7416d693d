"""Take submissions in from a zip of learner folders, refusing anything unsafe.

The zip holds `<learner>/<assignment>/<files>` (optionally under one `submitted/` folder).
Every entry is checked before anything is written: no absolute paths or `..`, no links, no
file over MAX_FILE_BYTES, no more than MAX_TOTAL_BYTES or MAX_FILES in all, learner ids that
are plain names. One bad entry refuses the whole zip with a message naming it.
"""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

from course.errors import KitError
from course.grader.workshop import LEARNER_ID

__all__ = ["MAX_FILES", "MAX_FILE_BYTES", "MAX_TOTAL_BYTES", "unpack_submissions"]

#: An answers file with a 1 MB draft, or a notebook with outputs, fits easily.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_FILES = 20_000


def _plan(archive: zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, PurePosixPath]]:
    entries = [info for info in archive.infolist() if not info.is_dir()]
    if len(entries) > MAX_FILES:
        raise KitError(f"the zip holds {len(entries)} files; at most {MAX_FILES} are accepted")
    names = [PurePosixPath(info.filename.replace("\\", "/")) for info in entries]
    strip = bool(names) and all(n.parts[:1] == ("submitted",) for n in names)
    plan, total = [], 0
    for info, name in zip(entries, names, strict=True):
        where = f"zip entry {info.filename!r}"
        if name.is_absolute() or info.filename.startswith(("/", "\\")) or ":" in name.parts[0]:
            raise KitError(f"{where}: absolute paths are refused")
        if ".." in name.parts:
            raise KitError(f"{where}: '..' in a path is refused (it could write outside DIR)")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise KitError(f"{where}: links are refused")
        if mode and not stat.S_ISREG(mode) and stat.S_IFMT(mode):
            raise KitError(f"{where}: only plain files are accepted")
        if info.file_size > MAX_FILE_BYTES:
            raise KitError(
                f"{where}: {info.file_size // 1024} KB is over the "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB limit for one file"
            )
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise KitError(f"the zip unpacks to over {MAX_TOTAL_BYTES // (1024 * 1024)} MB")
        parts = name.parts[1:] if strip else name.parts
        if len(parts) < 3:
            raise KitError(
                f"{where}: expected <learner>/<assignment>/<file>, e.g. "
                "ann/01-aspirations-vs-goals/01-aspirations-vs-goals.ipynb"
            )
        if not LEARNER_ID.match(parts[0]) or not LEARNER_ID.match(parts[1]):
            raise KitError(f"{where}: learner and assignment folders must be plain names")
        plan.append((info, PurePosixPath(*parts)))
    return plan


def unpack_submissions(
    zip_path: str | os.PathLike[str], submitted: str | os.PathLike[str]
) -> list[str]:
    """Unpack a zip of learner folders into `submitted`; return the learners it held.

    A learner's assignment folder found in the zip replaces the one already there.
    """
    zip_path, submitted = Path(zip_path), Path(submitted)
    try:
        archive = zipfile.ZipFile(zip_path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise KitError(f"cannot open {zip_path} as a zip: {exc}") from None
    with archive:
        plan = _plan(archive)
        folders = sorted({(rel.parts[0], rel.parts[1]) for _info, rel in plan})
        submitted.mkdir(parents=True, exist_ok=True)
        for learner, assignment in folders:
            target = submitted / learner / assignment
            if target.is_symlink():
                target.unlink()
            elif target.exists():
                shutil.rmtree(target)
        for info, rel in plan:
            dest = submitted.joinpath(*rel.parts)
            dest.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with archive.open(info) as source, open(dest, "wb") as out:
                while chunk := source.read(1024 * 1024):
                    written += len(chunk)
                    if written > MAX_FILE_BYTES:  # a header that lied about the size
                        raise KitError(f"zip entry {info.filename!r} is larger than it claims")
                    out.write(chunk)
    return sorted({learner for learner, _ in folders})
