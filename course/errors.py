"""The kit's exceptions: one hierarchy, so callers can catch KitError for anything of ours."""

from __future__ import annotations


class KitError(Exception):
    """Base class of every error the kit raises on purpose."""


class ContentError(KitError, ValueError):
    """Course content is invalid; the message names the file, the entry and the field."""

    def __init__(self, file: str, entry: str | None, field: str | None, message: str):
        self.file, self.entry, self.field, self.problem = file, entry, field, message
        where = file
        if entry:
            where += f": entry {entry!r}"
        if field:
            where += f": field {field!r}"
        super().__init__(f"{where}: {message}")


class AnswerError(KitError, ValueError):
    """An answer cannot be stored (wrong type, too large, not plain data)."""
