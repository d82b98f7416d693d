"""Take hand-ins in as they arrive: a class zip, a folder of per-learner zips, one learner's zip.

Every file is checked before anything is written: no absolute paths or `..`, no links, no file
over MAX_FILE_BYTES, no more than MAX_TOTAL_BYTES or MAX_FILES in all. One unsafe entry refuses
the whole source with a message naming it.

Then each file is placed: which learner, which exercise. One wrapping folder (`class/alice/...`)
and the bundle's own `learners/exercises/` levels are stripped; `.DS_Store`, `__MACOSX`,
`Thumbs.db` are ignored; folder names with spaces or accents are matched to the roster's ids and
names; renamed exercise folders and `... (1).answers.json` copies are recognised and reported as
renamed. Whatever cannot be placed is listed with what to rename, and never becomes a learner.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import stat
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from course.errors import KitError
from course.grader.workshop import (
    LEARNER_ID,
    Workshop,
    folder_learners,
    open_workshop,
    roster_entries,
    safe_id,
)

__all__ = [
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "MAX_TOTAL_BYTES",
    "OFF_ROSTER",
    "Intake",
    "match_learner",
    "not_on_roster",
    "take_in",
    "take_in_workshop",
    "unpack_submissions",
]

#: An answers file with a 1 MB draft, or a notebook with outputs, fits easily.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_FILES = 20_000

#: Files operating systems add to folders and zips: never part of a hand-in.
JUNK_FILES = {".ds_store", "thumbs.db", "desktop.ini", "icon\r"}
JUNK_DIRS = {"__macosx", ".ipynb_checkpoints", "__pycache__", ".git"}
#: Folder levels of the learners' bundle (learners/exercises/NN-name/) and of nbgrader.
BUNDLE_LEVELS = {"learners", "exercises", "submitted"}
#: What browsers and file managers add to a copied name: " (1)", " copy", "-copy 2".
COPY_MARK = re.compile(r"(?:\s*\(\d+\)|[\s_-]+copy(?:\s*\d+)?|\s+\d+)+$", re.I)
#: A renamed exercise folder: "01", "Exercise 1", "ex01 done", "01_aspirations".
NUMBERED = re.compile(r"^(?:ex(?:ercise)?|assignment|task|lesson)?[\s_.-]*(\d{1,2})(?!\d)", re.I)
#: Scratch files of the answers store: never graded.
SCRATCH = re.compile(r"\.answers\.json\.(?:lock|bak-.*|tmp.*)$")
SUFFIXES = (".answers.json", ".ipynb")
#: The words the intake, `grade`, the class report and the LMS export all use for a learner no
#: roster names.
OFF_ROSTER = "not on the roster"


@dataclass
class _File:
    """One file of a hand-in: its path inside its source, how to read it, where it came from."""

    parts: tuple[str, ...]
    read: Callable[[], bytes]
    when: tuple[int, ...]
    origin: str


@dataclass
class _Unit:
    """Files that arrived together: a class zip, one learner's zip (hint: its name), a folder."""

    name: str
    files: list[_File]
    hint: str | None = None
    forced: bool = False


@dataclass
class Intake:
    """What a take-in placed, renamed, mapped, ignored and could not place."""

    source: str
    placed: dict[str, dict[str, dict[str, _File]]] = field(default_factory=dict)
    mapped: dict[str, str] = field(default_factory=dict)
    renamed: list[str] = field(default_factory=list)
    unplaced: dict[str, list[str]] = field(default_factory=dict)
    ignored: int = 0

    @property
    def learners(self) -> list[str]:
        return sorted(self.placed)

    def report(self) -> str:
        """The take-in in plain words, for the terminal."""
        n = len(self.placed)
        lines = [
            f"Took in {n} learner{'' if n == 1 else 's'} from {self.source}"
            + (f": {', '.join(self.learners)}." if n else ".")
        ]
        lines += [f"  {raw!r} is {learner} on the roster" for raw, learner in self.mapped.items()]
        lines += [f"  renamed: {note}" for note in self.renamed]
        if self.ignored:
            lines.append(
                f"  ignored {self.ignored} system file{'' if self.ignored == 1 else 's'} "
                "(.DS_Store, __MACOSX, Thumbs.db and the like)"
            )
        if self.unplaced:
            lines.append("Not taken in (nothing of these is graded; rename them and run again):")
            for reason, files in self.unplaced.items():
                more = f" and {len(files) - 1} more" if len(files) > 1 else ""
                lines.append(f"  - {_one_line(files[0])}{more}: {reason}")
        return "\n".join(lines)


def _one_line(name: str) -> str:
    """A file's name for one line of the terminal: quoted and escaped when it holds a line
    break or another control character (a zip can name a folder 'Ana\nLópez')."""
    return name if name.isprintable() else repr(name)


# --------------------------------------------------------------------------- reading sources


def _check(name: str, info_mode: int, size: int, where: str) -> PurePosixPath:
    """The entry's path if it is safe to write below a folder; KitError naming it if not."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or name.startswith(("/", "\\")) or ":" in (path.parts or ("",))[0]:
        raise KitError(f"{where}: absolute paths are refused")
    if ".." in path.parts:
        raise KitError(f"{where}: '..' in a path is refused (it could write outside DIR)")
    if stat.S_ISLNK(info_mode):
        raise KitError(f"{where}: links are refused")
    if info_mode and stat.S_IFMT(info_mode) and not stat.S_ISREG(info_mode):
        raise KitError(f"{where}: only plain files are accepted")
    if size > MAX_FILE_BYTES:
        raise KitError(
            f"{where}: {size // 1024} KB is over the {MAX_FILE_BYTES // (1024 * 1024)} MB "
            "limit for one file"
        )
    return path


def _reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], bytes]:
    def read() -> bytes:
        with archive.open(info) as source:
            data = source.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:  # a header that lied about the size
            raise KitError(f"zip entry {info.filename!r} is larger than it claims")
        return data

    return read


def _is_junk(parts: Iterable[str]) -> bool:
    parts = list(parts)
    return (
        any(p.casefold() in JUNK_DIRS for p in parts[:-1])
        or parts[-1].casefold() in JUNK_FILES
        or parts[-1].startswith("._")
    )


def _zip_units(
    archive: zipfile.ZipFile, label: str, hint: str | None, budget: list[int], depth: int = 0
) -> tuple[list[_Unit], int]:
    """Units of a zip (a zip inside it is a learner's own zip: a unit of its own)."""
    entries = [info for info in archive.infolist() if not info.is_dir()]
    budget[0] += len(entries)
    if budget[0] > MAX_FILES:
        raise KitError(f"{label} holds over {MAX_FILES} files; at most {MAX_FILES} are accepted")
    files, units, ignored = [], [], 0
    for info in entries:
        where = f"{label}: zip entry {info.filename!r}"
        path = _check(info.filename, info.external_attr >> 16, info.file_size, where)
        budget[1] += info.file_size
        if budget[1] > MAX_TOTAL_BYTES:
            raise KitError(f"{label} unpacks to over {MAX_TOTAL_BYTES // (1024 * 1024)} MB")
        if _is_junk(path.parts) or SCRATCH.search(path.name):
            ignored += 1
            continue
        if path.suffix.lower() == ".zip" and depth == 0:
            import io

            try:
                inner = zipfile.ZipFile(io.BytesIO(_reader(archive, info)()))
            except zipfile.BadZipFile:
                raise KitError(f"{where}: not a readable zip") from None
            found, skipped = _zip_units(inner, f"{label}: {path}", path.stem, budget, depth + 1)
            units += found
            ignored += skipped
            continue
        files.append(_File(path.parts, _reader(archive, info), info.date_time, f"{label}: {path}"))
    if files:
        units.insert(0, _Unit(label, files, hint))
    return units, ignored


def _folder_units(root: Path, budget: list[int]) -> tuple[list[_Unit], int]:
    """Units of a folder: each zip in it, and its learner folders together."""
    files, units, ignored = [], [], 0
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_symlink():
            raise KitError(f"{path}: links are refused")
        if path.is_dir():
            continue
        size = path.stat().st_size
        _check(rel.as_posix(), 0, size, str(path))
        if _is_junk(rel.parts) or SCRATCH.search(path.name):
            ignored += 1
            continue
        if path.suffix.lower() == ".zip":
            try:
                archive = zipfile.ZipFile(path)
            except (OSError, zipfile.BadZipFile) as exc:
                raise KitError(f"cannot open {path} as a zip: {exc}") from None
            found, skipped = _zip_units(archive, path.name, path.stem, budget)
            units += found
            ignored += skipped
            continue
        budget[0] += 1
        budget[1] += size
        if budget[0] > MAX_FILES or budget[1] > MAX_TOTAL_BYTES:
            raise KitError(f"{root} holds too much: at most {MAX_FILES} files, 500 MB")
        mtime = path.stat().st_mtime
        files.append(_File(rel.parts, path.read_bytes, (int(mtime),), str(rel)))
    if files:
        units.insert(0, _Unit(root.name, files))
    return units, ignored


# --------------------------------------------------------------------------- placing files


def _plain(text: str) -> str:
    """Lower case, accents off, only letters and digits: 'Chloé Martin' -> 'chloemartin'; the
    letters of other scripts are kept ('ليلى حداد' -> 'ليلىحداد'), so such names match too."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c))


def match_learner(raw: str, roster: list[dict[str, str]]) -> tuple[str | None, str]:
    """The roster id a folder or zip name stands for, or None with the reason in words."""
    if not roster:
        if LEARNER_ID.match(raw):
            return raw, ""
        suggested = safe_id(raw)
        to = (
            f"to {suggested!r}"
            if _plain(suggested) in _plain(raw)  # not for a name with no Latin letter in it
            else "to an id in Latin letters, such as the learner's email name"
        )
        return None, (
            f"learner folders must be plain names: rename {raw!r} {to} "
            "(letters, digits, . _ @ -), or give the workshop a roster with names"
        )
    ids = {entry["id"] for entry in roster}
    if raw in ids:
        return raw, ""
    key, found = _plain(raw), set()
    for entry in roster:
        first, last = entry.get("first_name", ""), entry.get("last_name", "")
        email = entry.get("email", "")
        names = {entry["id"], first + last, last + first, email, email.split("@")[0]}
        if key and key in {_plain(n) for n in names if n}:
            found.add(entry["id"])
    if len(found) == 1:
        return found.pop(), ""
    if found:
        return None, f"{raw!r} fits more than one learner ({', '.join(sorted(found))})"
    return None, not_on_roster(raw, roster)


def not_on_roster(raw: str, roster: list[dict[str, str]], what: str = "it") -> str:
    """'<raw>' is not on the roster, the closest roster id, and the two ways to fix it."""
    names = {entry["id"]: entry["id"] for entry in roster}
    for entry in roster:
        full = f"{entry.get('first_name', '')} {entry.get('last_name', '')}".strip()
        if full:
            names[full] = entry["id"]
    close = difflib.get_close_matches(raw, list(names), n=1, cutoff=0.6)
    hint = f" (did you mean {names[close[0]]!r}?)" if close else ""
    return (
        f"{raw!r} is {OFF_ROSTER}{hint}: rename {what} to the learner's roster id, or add "
        "them with `python -m course workshop roster DIR --update CSV`"
    )


def _assignment_of(name: str, assignments: list[str] | None) -> str | None:
    """The exercise a folder or file stem stands for (exact, a copy's name, or its number)."""
    if assignments is None:
        return name if re.match(r"^\d\d(?:[-_.][A-Za-z0-9._-]*)?$", name) else None
    if name in assignments:
        return name
    bare = COPY_MARK.sub("", name).strip()
    by_name = [a for a in assignments if _plain(a) == _plain(bare)]
    if len(by_name) == 1:
        return by_name[0]
    number = NUMBERED.match(name) or NUMBERED.match(bare)
    if number:
        by_number = [a for a in assignments if a[:2].isdigit() and int(a[:2]) == int(number[1])]
        if len(by_number) == 1:
            return by_number[0]
    return None


def _stem(filename: str) -> tuple[str, str]:
    lower = filename.lower()
    for suffix in SUFFIXES:
        if lower.endswith(suffix):
            return filename[: -len(suffix)], suffix
    return filename, ""


def _place_unit(
    unit: _Unit, roster: list[dict[str, str]], assignments: list[str] | None, intake: Intake
) -> list[tuple[str, str, PurePosixPath, _File]]:
    """(learner, assignment, file name, file) for each file of a unit; the rest is unplaced."""
    located = []
    for file in unit.files:
        parts = file.parts
        k = next(
            (i for i, p in enumerate(parts[:-1]) if _assignment_of(p, assignments)),
            None,
        )
        if k is not None:
            assignment = _assignment_of(parts[k], assignments)
            folder = parts[k]
        else:
            stem, suffix = _stem(parts[-1])
            assignment = _assignment_of(stem, assignments) if suffix else None
            if assignment is None and suffix:
                assignment = _assignment_of(COPY_MARK.sub("", stem).strip(), assignments)
            if assignment is None:
                intake.unplaced.setdefault(
                    "not in an exercise folder: expected <learner>/<assignment>/<file>, e.g. "
                    "ann/01-aspirations-vs-goals/01-aspirations-vs-goals.ipynb",
                    [],
                ).append(file.origin)
                continue
            k, folder = len(parts) - 1, None
        prefix = [p for p in parts[:k] if p.casefold() not in BUNDLE_LEVELS]
        located.append((prefix, assignment, folder, parts[k + 1 :] or parts[-1:], file))
    if not located:
        return []
    if not unit.forced:
        firsts = {tuple(prefix[:1]) for prefix, *_ in located}
        if len(firsts) == 1 and all(len(prefix) >= 2 for prefix, *_ in located):
            wrapper = located[0][0][0]
            second = {prefix[1] for prefix, *_ in located}
            keep = (
                roster
                and match_learner(wrapper, roster)[0]
                and not any(match_learner(s, roster)[0] for s in second)
            )
            if not keep:  # one wrapping folder: class/alice/...
                located = [(prefix[1:], *rest) for prefix, *rest in located]
    placed = []
    for prefix, assignment, folder, rest, file in located:
        if unit.forced:
            learner, why = unit.hint, ""
        else:
            candidates = [c for c in [*prefix[:1], unit.hint] if c]
            if not candidates:
                bundle = any(f.parts[-1].endswith(".whl") for f in unit.files)
                why = (
                    "this is the learners' bundle (learners.zip), not hand-ins"
                    if bundle
                    else "no learner folder: for one learner's zip add --learner ID"
                )
                intake.unplaced.setdefault(why, []).append(file.origin)
                continue
            learner, why = None, ""
            for candidate in candidates:
                learner, reason = match_learner(candidate, roster)
                why = why or reason
                if learner:
                    if candidate != learner:
                        intake.mapped[candidate] = learner
                    break
        if not learner and unit.hint and _plain(COPY_MARK.sub("", unit.hint)) == "mywork":
            why = (
                "a my-work.zip nobody renamed: rename it to the learner's id (alice.zip), or "
                "take it alone with --from my-work.zip --learner ID"
            )
        if not learner:
            intake.unplaced.setdefault(why, []).append(file.origin)
            continue
        if folder is not None and folder != assignment:
            note = f"{learner}: folder {folder!r} taken as {assignment}"
            if note not in intake.renamed:
                intake.renamed.append(note)
        placed.append((learner, assignment, PurePosixPath(*rest), file))
    return placed


def _canonical(assignment: str, rel: PurePosixPath, notebooks: int, known: bool) -> str:
    """The file's name in the learner's folder: copies and renamed notebooks get the right name."""
    stem, suffix = _stem(rel.name)
    if suffix and len(rel.parts) == 1:
        bare = COPY_MARK.sub("", stem).strip()
        if suffix == ".answers.json" and bare != stem and _plain(bare) == _plain(assignment):
            return assignment + suffix
        if _plain(bare) == _plain(assignment) or (known and suffix == ".ipynb" and notebooks == 1):
            return assignment + suffix
    return rel.as_posix()


def take_in(
    source: str | os.PathLike[str],
    submitted: str | os.PathLike[str],
    *,
    roster: list[dict[str, str]] | None = None,
    assignments: list[str] | None = None,
    learner: str | None = None,
) -> Intake:
    """Unpack hand-ins from `source` (zip or folder) into `submitted`; say what went where.

    `roster`: learners ({"id", "first_name", "last_name", "email"}); when given, only they are
    taken in. `assignments`: the exercise names (renamed folders are matched to them).
    `learner`: the source is that one learner's hand-in. A learner's exercise folder found
    replaces the one already in `submitted`.
    """
    source, submitted = Path(source), Path(submitted)
    roster = list(roster or [])
    if learner is not None:
        found, why = match_learner(learner, roster)
        if not found:
            raise KitError(f"--learner {learner}: {why}")
        learner = found
    budget = [0, 0]
    if source.is_dir():
        units, ignored = _folder_units(source, budget)
    else:
        try:
            archive = zipfile.ZipFile(source)
        except (OSError, zipfile.BadZipFile) as exc:
            raise KitError(f"cannot open {source} as a zip: {exc}") from None
        units, ignored = _zip_units(archive, source.name, None, budget)
    if learner is not None:
        units = [_Unit(u.name, u.files, learner, forced=True) for u in units]
    intake = Intake(source=str(source), ignored=ignored)
    for unit in units:
        for who, assignment, rel, file in _place_unit(unit, roster, assignments, intake):
            intake.placed.setdefault(who, {}).setdefault(assignment, {})[rel.as_posix()] = file
    for who, exercises in intake.placed.items():
        for assignment, files in exercises.items():
            notebooks = sum(1 for rel in files if rel.lower().endswith(".ipynb") and "/" not in rel)
            named: dict[str, tuple[str, _File]] = {}
            for rel, file in sorted(files.items(), key=lambda item: item[1].when):
                name = _canonical(assignment, PurePosixPath(rel), notebooks, bool(assignments))
                if name in named:
                    older = named[name][0]
                    intake.renamed.append(
                        f"{who}: {assignment}: kept the newer {rel!r}, left out {older!r}"
                    )
                elif name != rel:
                    intake.renamed.append(f"{who}: {assignment}: {rel!r} taken as {name!r}")
                named[name] = (rel, file)
            exercises[assignment] = {name: file for name, (_rel, file) in named.items()}
    _write(intake, submitted)
    return intake


def _write(intake: Intake, submitted: Path) -> None:
    submitted.mkdir(parents=True, exist_ok=True)
    for who, exercises in intake.placed.items():
        for assignment, files in exercises.items():
            target = submitted / who / assignment
            if target.is_symlink():
                target.unlink()
            elif target.exists():
                shutil.rmtree(target)
            for name, file in files.items():
                dest = target.joinpath(*PurePosixPath(name).parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(file.read())


def unpack_submissions(
    zip_path: str | os.PathLike[str],
    submitted: str | os.PathLike[str],
    learner: str | None = None,
) -> list[str]:
    """Unpack hand-ins into `submitted`; return the learners taken in.

    When `submitted` is a workshop's, its roster and exercises place the files (take_in).
    Anything that cannot be placed refuses the whole source, listed, with nothing written.
    """
    root = Path(submitted).parent
    roster, assignments = [], None
    if (root / "nbgrader_config.py").is_file() and (root / "gradebook.db").is_file():
        workshop = open_workshop(root)
        unlisted = folder_learners(workshop)
        roster = [entry for entry in roster_entries(workshop) if entry["id"] not in unlisted]
        assignments = workshop.assignments()
    with _staging(submitted) as staging:
        intake = take_in(zip_path, staging, roster=roster, assignments=assignments, learner=learner)
        if intake.unplaced:
            first = next(iter(intake.unplaced.values()))[0]
            raise KitError(f"zip entry {first!r}: nothing taken in.\n{intake.report()}")
        _merge(staging, Path(submitted))
    return intake.learners


class _staging:
    """A scratch folder beside `submitted`, removed afterwards."""

    def __init__(self, submitted: str | os.PathLike[str]):
        self.path = Path(submitted).parent / f".intake-{os.getpid()}"

    def __enter__(self) -> Path:
        shutil.rmtree(self.path, ignore_errors=True)
        return self.path

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _merge(staging: Path, submitted: Path) -> None:
    submitted.mkdir(parents=True, exist_ok=True)
    for folder in sorted(staging.glob("*/*")):
        target = submitted / folder.parent.name / folder.name
        if target.is_symlink():
            target.unlink()
        elif target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(folder), str(target))


def take_in_workshop(
    workshop: Any, source: str | os.PathLike[str], learner: str | None = None
) -> Intake:
    """`grade --from SOURCE [--learner ID]`: take hand-ins into a workshop, by its roster (not
    the learners grading found only as folders in submitted/: they are not on it)."""
    if not isinstance(workshop, Workshop):
        workshop = open_workshop(workshop)
    unlisted = folder_learners(workshop)
    return take_in(
        source,
        workshop.submitted,
        roster=[entry for entry in roster_entries(workshop) if entry["id"] not in unlisted],
        assignments=workshop.assignments(),
        learner=learner,
    )
