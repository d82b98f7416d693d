"""Learner text made safe to show: escaped, isolated for right-to-left scripts, clipped.

Learners type anything (empty, 1 MB, emoji, right-to-left text, HTML and script). Every page and
widget of the kit shows their text through these helpers, or through a Jinja2 template with
autoescape on (course.learner.pages), never through an f-string of raw text.
"""

from __future__ import annotations

import base64
import html
from typing import Any

__all__ = ["ELLIPSIS", "clip", "clip_html", "data_uri", "escape", "isolate", "squash"]

ELLIPSIS = "\u2026"


def escape(text: Any) -> str:
    """HTML-escape anything, for element text and attribute values alike."""
    return html.escape(str(text), quote=True)


def isolate(text: Any) -> str:
    """Escaped and wrapped in <bdi>, so right-to-left text cannot reorder what follows it."""
    return f"<bdi>{escape(text)}</bdi>"


def squash(text: Any) -> str:
    """One line: runs of whitespace (newlines included) become one space."""
    return " ".join(str(text).split())


def clip(text: Any, limit: int) -> str:
    """Plain text on one line, at most `limit` characters, ending in an ellipsis when cut."""
    text = squash(text)
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def clip_html(text: Any, limit: int, note_class: str = "muted") -> str:
    """Escaped text of at most `limit` characters, with a note saying how much was left out."""
    text = str(text)
    if len(text) <= limit:
        return escape(text)
    more = len(text) - limit
    return (
        f'{escape(text[:limit])}<span class="{escape(note_class)}"> {ELLIPSIS} '
        f"({more:,} more characters not shown)</span>"
    )


def data_uri(data: bytes, mime: str) -> str:
    """Bytes as a `data:` URI, for a download link that needs no file server (the app's Voila
    serves no HTML or zip files; a `data:` link with `download` saves the file in both views)."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
