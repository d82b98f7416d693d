"""AnswerStore: a learner's answers for one notebook, saved beside it on every change.

Widget state dies with the kernel, and nbgrader grades in a fresh kernel, so answers live in
`<notebook>.answers.json`. Writes are atomic (temp file in the same folder, then os.replace)
and happen under a file lock; each store re-reads the file under the lock and applies only the
exercises it changed, so two tabs on one notebook never lose each other's answers. A corrupt file
is kept as `.bak-<timestamp>` with a clear warning. A read-only store (`read_only=True`, or any
store under NBGRADER_EXECUTION) writes and moves nothing.

Schema 2 records each exercise's kind beside its answer (`"kinds": {exercise: kind}`), so a
reader knows how to show or check an answer without guessing from its shape; schema-1 files
(answers only) still load, with no kinds known.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import secrets
import shutil
import sys
import tempfile
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from course.errors import AnswerError
from course.learner.preheat import wait_for_page

SCHEMA = 2
#: Schemas this kit reads: 1 (answers only) and 2 (answers and each exercise's kind).
READABLE_SCHEMAS = (1, 2)
SUFFIX = ".answers.json"
#: Largest answer accepted, JSON-encoded (a 1 MB paste must fit; a runaway loop must not).
MAX_VALUE_BYTES = 4 * 1024 * 1024
LOCK_TIMEOUT_SECONDS = 10
_DELETED = object()

__all__ = [
    "READABLE_SCHEMAS",
    "SCHEMA",
    "AnswerFileWarning",
    "AnswerStore",
    "answers_path",
    "backup_file",
    "on_change",
]

#: Called as `callback(path, exercise_id)` after any store in this process saves a change
#: (exercise_id None: every answer of the file was cleared); see on_change.
_LISTENERS: list[Callable[[Path, str | None], None]] = []


def on_change(callback: Callable[[Path, str | None], None]) -> Callable[[], None]:
    """Call `callback(path, exercise_id)` after every saved change; return what unregisters it.

    Figures that depend on answers (course.learner.live) redraw through this, whichever widget
    or store of the kernel wrote the answer. `path` is the answers file, resolved.
    """
    _LISTENERS.append(callback)
    return lambda: _LISTENERS.remove(callback) if callback in _LISTENERS else None


def _notify(path: Path, exercise_id: str | None) -> None:
    """Tell the listeners about a saved change; a failing listener never undoes the save."""
    resolved = path.resolve()
    for callback in list(_LISTENERS):
        try:
            callback(resolved, exercise_id)
        except Exception:  # a figure that fails must not lose the answer just saved
            import traceback

            traceback.print_exc(file=sys.__stderr__)


class AnswerFileWarning(UserWarning):
    """An answers file could not be read as it was; it was kept aside and a fresh one started."""


def _stem(notebook: str | os.PathLike[str]) -> str:
    name = Path(notebook).name
    for suffix in (".ipynb", SUFFIX):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    if not name or name in {".", ".."}:
        raise AnswerError(f"cannot name an answers file after {str(notebook)!r}")
    return name


def answers_path(notebook: str | os.PathLike[str], folder: str | os.PathLike[str] = ".") -> Path:
    """Where the answers of `notebook` live: `<folder>/<stem>.answers.json`."""
    return Path(folder) / f"{_stem(notebook)}{SUFFIX}"


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S-%f")


def backup_file(path: Path, move: bool = False) -> Path:
    """Keep a copy of `path` as `<path>.bak-<timestamp>` (moved when `move`); return its path."""
    target = path.with_name(f"{path.name}.bak-{_timestamp()}")
    while target.exists():  # two backups in the same microsecond
        target = path.with_name(f"{path.name}.bak-{_timestamp()}")
    if move:
        os.replace(path, target)
    else:
        shutil.copy2(path, target)
    return target


def _encode(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise AnswerError(
            f"an answer must be plain text, numbers, lists or mappings; got {type(value).__name__}"
            f" ({exc})"
        ) from None


def _kinds_of(data: dict[str, Any]) -> dict[str, str]:
    """The `kinds` entry of a schema-2 document; entries of the wrong type are left out."""
    kinds = data.get("kinds")
    if not isinstance(kinds, dict):
        return {}
    return {k: v for k, v in kinds.items() if isinstance(k, str) and isinstance(v, str)}


class AnswerStore:
    """The answers of one notebook, read from and written to `<notebook>.answers.json`."""

    def __init__(
        self,
        notebook: str | os.PathLike[str],
        folder: str | os.PathLike[str] = ".",
        read_only: bool = False,
        seed: int | None = None,
    ):
        self.notebook = _stem(notebook)
        self.folder = Path(folder)
        self.path = answers_path(self.notebook, self.folder)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        #: Nothing is written or moved when asked (a grader reading a submission), nor while
        #: nbgrader executes the notebook (it grades a fresh kernel).
        self.read_only = bool(read_only) or bool(os.environ.get("NBGRADER_EXECUTION"))
        #: Human-readable problems met so far (also issued as AnswerFileWarning).
        self.messages: list[str] = []
        self._changed: dict[str, Any] = {}
        self._changed_kinds: dict[str, str] = {}
        self._kinds: dict[str, str] = {}
        self._seed: int | None = None
        wait_for_page()  # the learner app's pre-heated kernel: read when the page opens
        self._answers: dict[str, Any] = self._read(quarantine=not self.read_only)
        if self._seed is None:
            self._seed = seed if seed is not None else secrets.randbelow(2**31)

    # ------------------------------------------------------------------ reading

    def _warn(self, message: str) -> None:
        self.messages.append(message)
        warnings.warn(message, AnswerFileWarning, stacklevel=3)

    def _read(self, quarantine: bool) -> dict[str, Any]:
        """The answers in the file (kinds kept in _kinds); a corrupt file is moved aside."""
        self._kinds = {}
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            self._warn(f"Could not read {self.path.name}: {exc}. Your answers here start blank.")
            return {}
        problem = None
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            problem = "it is not valid JSON (its text is damaged or cut short)"
        else:
            if not isinstance(data, dict):
                problem = "it does not hold a JSON object"
            elif data.get("schema") not in READABLE_SCHEMAS:
                problem = f"its schema is {data.get('schema')!r}, this kit reads schema {SCHEMA}"
            elif not isinstance(data.get("answers"), dict):
                problem = "its 'answers' entry is not a mapping"
        if problem is None:
            self._kinds = _kinds_of(data)
            seed = data.get("seed")
            if isinstance(seed, int) and not isinstance(seed, bool):
                self._seed = seed
            return data["answers"]
        if quarantine:
            kept = backup_file(self.path, move=True)
            self._warn(
                f"{self.path.name} could not be read: {problem}. It was kept as {kept.name} "
                "and a fresh answers file was started. Nothing was deleted."
            )
        else:
            self._warn(f"{self.path.name} could not be read: {problem}. Answers read as blank.")
        return {}

    def refresh(self) -> None:
        """Re-read the file (another tab or process may have written it); keeps unsaved changes."""
        fresh = self._read(quarantine=not self.read_only)
        self._merge(fresh, self._kinds)
        self._answers = fresh

    def _merge(self, answers: dict[str, Any], kinds: dict[str, str]) -> None:
        """Apply this store's unsaved changes to answers (and kinds) read from the file."""
        for exercise_id, value in self._changed.items():
            if value is _DELETED:
                answers.pop(exercise_id, None)
                kinds.pop(exercise_id, None)
            else:
                answers[exercise_id] = value
        kinds.update(self._changed_kinds)
        for exercise_id in list(kinds):
            if exercise_id not in answers:
                del kinds[exercise_id]

    def get(self, exercise_id: str, default: Any = None) -> Any:
        """The saved answer of one exercise (a copy), or `default`."""
        if exercise_id not in self._answers:
            return default
        return copy.deepcopy(self._answers[exercise_id])

    def all(self) -> dict[str, Any]:
        """Every saved answer, by exercise id (a copy)."""
        return copy.deepcopy(self._answers)

    @property
    def seed(self) -> int:
        """This learner's seed for the order exercises are shown in (kept in the file once saved).

        The order is stable across restarts and re-runs once anything is saved; before that
        there is nothing to lose by a new order.
        """
        assert self._seed is not None
        return self._seed

    def kind(self, exercise_id: str) -> str | None:
        """The kind recorded with an exercise's answer (None for schema-1 files or no answer)."""
        return self._changed_kinds.get(exercise_id) or self._kinds.get(exercise_id)

    def kinds(self) -> dict[str, str]:
        """Every recorded kind, by exercise id (a copy)."""
        return dict(self._kinds)

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._answers

    # ------------------------------------------------------------------ writing

    def set(self, exercise_id: str, value: Any, kind: str | None = None) -> None:
        """Save one exercise's answer (and its kind) now; AnswerError for a value not storable."""
        if not isinstance(exercise_id, str) or not exercise_id:
            raise AnswerError(f"an exercise id must be non-empty text, got {exercise_id!r}")
        encoded = _encode(value)
        if len(encoded.encode("utf-8")) > MAX_VALUE_BYTES:
            raise AnswerError(
                f"this answer is {len(encoded) // 1024} KB; the most one answer can hold is "
                f"{MAX_VALUE_BYTES // (1024 * 1024)} MB. Nothing was saved for it."
            )
        value = json.loads(encoded)  # store exactly what the file will hold
        self._changed[exercise_id] = value
        self._answers[exercise_id] = value
        if kind:
            self._changed_kinds[exercise_id] = str(kind)
            self._kinds[exercise_id] = str(kind)
        self._save()
        _notify(self.path, exercise_id)

    def reset(self, exercise_id: str | None = None) -> Path | None:
        """Clear one exercise (or all, with None); back the file up first and return the backup."""
        kept = None
        if self.path.exists() and not self.read_only:
            kept = backup_file(self.path)
        ids = [exercise_id] if exercise_id is not None else list(self._answers)
        for eid in ids:
            self._changed[eid] = _DELETED
            self._changed_kinds.pop(eid, None)
            self._answers.pop(eid, None)
            self._kinds.pop(eid, None)
        self._save()
        _notify(self.path, exercise_id)
        return kept

    def _save(self) -> None:
        if self.read_only:
            return
        from filelock import FileLock, Timeout

        try:
            with FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT_SECONDS):
                fresh = self._read(quarantine=True)
                kinds = self._kinds
                self._merge(fresh, kinds)
                self._write(fresh, kinds)
        except Timeout:
            raise AnswerError(
                f"{self.path.name} is locked by another program; your answer is kept in this "
                "session and will be saved with your next change."
            ) from None
        except OSError as exc:
            raise AnswerError(
                f"could not save {self.path.name}: {exc}. Your answer is kept in this session."
            ) from None
        self._changed.clear()
        self._changed_kinds.clear()
        self._answers = fresh
        self._kinds = kinds

    def _write(self, answers: dict[str, Any], kinds: dict[str, str]) -> None:
        document = {
            "schema": SCHEMA,
            "notebook": self.notebook,
            "answers": answers,
            "kinds": kinds,
            "seed": self._seed,
            "updated": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.write("\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "saving"
        count = len(self._answers)
        return f"AnswerStore({self.notebook!r}, {str(self.folder)!r}, {mode}, {count} answers)"
