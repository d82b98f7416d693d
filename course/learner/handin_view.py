"""The "Download my work" button: the learner's hand-in zip, offered as a download.

It works in the learner app (Voilà) and in JupyterLab alike: Voilà runs no script of ours and
serves no zip files, so the link carries the zip itself (a `data:` URI with `download`), shown
as rich output in an Output widget. A copy is also saved as my-work.zip in the kit folder.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from course.learner.handin import HAND_IN_NAME, HandInError, find_root, write_zip
from course.learner.safe import data_uri, escape

__all__ = ["download_button", "download_link_html"]

#: Over this size a data: link gets slow to build and to click; the saved file still works.
MAX_LINK_BYTES = 20 * 1024 * 1024


def download_link_html(data: bytes, filename: str = HAND_IN_NAME) -> str:
    """An anchor that saves `data` as `filename` when clicked (no server, no script)."""
    return (
        f'<a class="cak-download" download="{escape(filename)}" '
        f'href="{data_uri(data, "application/zip")}">Save {escape(filename)}</a>'
    )


def download_button(start: str | os.PathLike[str] | None = None) -> Any:
    """A button that packs the learner's graded exercises and offers the zip to save.

    `start` is where to look for the kit folder (default: the notebook's folder). Returns an
    ipywidgets VBox with `.button`, `.output`, `.make` and `.html` (the HTML last shown).
    """
    from course.learner.widgets.action import action_button  # ipywidgets: only when shown

    def act() -> tuple[str, str]:
        try:
            root = find_root(start)
            saved = write_zip(root)
        except HandInError as exc:
            message = str(exc)[:1].upper() + str(exc)[1:]  # a sentence, not a command's error
            return f'<div class="cak-warn">{escape(message)}</div>', message
        data = saved.read_bytes()
        stamp = datetime.now().strftime("%H:%M")
        where = (
            f"A copy is saved as {escape(saved.name)} in {escape(saved.parent)}. Send that file "
            "to your facilitator as your hand-in."
        )
        link = download_link_html(data) if len(data) <= MAX_LINK_BYTES else ""
        return (
            f"<div>Your work, packed at {stamp}: {link}<br><small>{where}</small></div>",
            f"Your work, packed at {stamp}, is saved as {saved}.",
        )

    return action_button(
        "Download my work",
        "download",
        "primary",
        "Pack your graded exercises and answers into one zip to hand in",
        act,
    )
