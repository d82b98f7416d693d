"""The learner's prep sheet: their work from every lesson on one printable, phone-friendly page.

`python -m course prep-sheet LEARNER_DIR -o FILE.html [--zip]` and lesson 06's button
(`prep_sheet_button`) write it. What goes on the sheet is gathered as plain data by
course.learner.prepsheet_data; the page is drawn by course/templates/prep-sheet/ (Jinja2,
autoescape on, its CSS inlined) through course.learner.pages, so every piece of learner text is
escaped. `--zip` packs the raw answers files beside the HTML so a learner can carry their work
to another machine: unzip it into the kit's notebooks/ folder there.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from course.errors import KitError
from course.learner import pages, safe
from course.learner.prepsheet_data import (
    MAX_TEXT,
    AnswersFile,
    PrepSheetError,
    describe,
    gather,
    sheet,
    value_node,
)

__all__ = [
    "AnswersFile",
    "PrepSheetError",
    "describe",
    "gather",
    "pack_answers",
    "prep_sheet_button",
    "render",
    "value_node",
    "write_prep_sheet",
]

RESTORE_NOTE = """\
Your answers from the Career Aspirations Workshop Kit.

To carry on with them on another machine, unzip this file into the kit's notebooks/ folder
(the folder that holds 00-start-here.ipynb), keeping the folder structure:

    unzip -o {zip_name} -d notebooks/
    (or, where unzip is missing:  python -m zipfile -e {zip_name} notebooks/)

Answers files with the same names in that folder are replaced, so copy them aside first if
they hold work you want to keep. Then open the lessons: every exercise shows your answers again.
"""
PAGE = "prep-sheet/prep-sheet.html.j2"
BUTTON = "prep-sheet/button.html.j2"


def _clip(text: Any, limit: int) -> Any:
    """Learner text escaped and shortened by safe.clip_html, marked safe for the template."""
    # Imported here, like jinja2 in course.learner.pages: only a rendered page needs it.
    from markupsafe import Markup

    return Markup(safe.clip_html(text, limit))


def render(folder: str | os.PathLike[str], now: datetime | None = None) -> str:
    """The prep sheet for the answers under `folder`, as a complete HTML page."""
    return pages.render(PAGE, **sheet(folder, now), clip=_clip, max_text=MAX_TEXT)


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write `path` through a temporary file beside it: a failed write leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def pack_answers(folder: str | os.PathLike[str], target: str | os.PathLike[str]) -> Path:
    """Zip every answers file under `folder` (paths kept relative) with a how-to-restore note."""
    target = Path(target)
    files = gather(folder)

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for f in files:
                archive.write(f.path, f.relative)
            archive.writestr("RESTORE.txt", RESTORE_NOTE.format(zip_name=target.name))

    _atomic_write(target, write)
    return target


def write_prep_sheet(
    folder: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    zip: bool = False,
) -> tuple[Path, Path | None]:
    """Write the prep sheet (default `folder`/prep-sheet.html) and, with `zip`, the answers zip."""
    folder = Path(folder)
    output = Path(output) if output is not None else folder / "prep-sheet.html"
    if output.suffix.lower() not in (".html", ".htm"):
        raise PrepSheetError(f"the prep sheet is an HTML page: name it *.html, not {output.name}")
    page = render(folder)
    try:
        _atomic_write(output, lambda tmp: tmp.write_text(page, encoding="utf-8"))
        packed = pack_answers(folder, output.with_suffix(".zip")) if zip else None
    except OSError as exc:
        raise PrepSheetError(f"could not write {output}: {exc}") from None
    return output, packed


def _href(path: Path) -> str:
    """A link to `path` relative to the kernel's folder (where the notebook is)."""
    try:
        rel = os.path.relpath(path, Path.cwd())
    except ValueError:  # another drive on Windows
        rel = str(path)
    return Path(rel).as_posix()


#: Past this size a file gets no `data:` copy link (building and clicking it gets slow).
DATA_LINK_LIMIT = 5_000_000


def _data_href(path: Path, mime: str) -> str:
    """The file itself as a `data:` URI: a link that saves it where no file server reaches it.

    The learner app (Voilà) serves no HTML or zip files, so the relative links that JupyterLab
    resolves lead nowhere there; a `data:` link with `download` saves the file in both views.
    """
    if path.stat().st_size > DATA_LINK_LIMIT:
        return ""
    return safe.data_uri(path.read_bytes(), mime)


def _written(folder: str | os.PathLike[str], page: Path, packed: Path | None) -> tuple[str, str]:
    """What the button shows once the sheet is written: HTML with links, and plain text."""
    # Relative to the notebook's folder: JupyterLab resolves them to files/<path>. The zip
    # keeps `download`, so a click saves it instead of opening it in a tab.
    # A click opens the sheet in a JupyterLab tab, which runs no scripts (its Print button
    # does nothing there); in a browser tab of its own it prints.
    to_print = (
        "a click opens it here; to print it or save it as PDF, open it in a new browser tab "
        "(right-click, Open link in new tab) and use its Print button"
    )
    links = [
        {
            "href": _href(page),
            "name": page.name,
            "note": to_print,
            "download": False,
            "data": _data_href(page, "text/html"),
        }
    ]
    lines = [f"{page} ({to_print})"]
    if packed:
        note = "your answers files: unzip into notebooks/ on another machine to carry on there"
        links.append(
            {
                "href": _href(packed),
                "name": packed.name,
                "note": note,
                "download": True,
                "data": _data_href(packed, "application/zip"),
            }
        )
        lines.append(f"{packed} (your answers files)")
    stamp = datetime.now().strftime("%H:%M:%S")
    message = pages.render(
        BUTTON, error="", stamp=stamp, links=links, folder=str(Path(folder).resolve())
    )
    return message.strip(), f"Prep sheet written at {stamp}: " + "; ".join(lines)


def prep_sheet_button(folder: str | os.PathLike[str] = ".", with_zip: bool = True) -> Any:
    """A button that writes prep-sheet.html (and its answers zip) in `folder` and links them.

    Returns an ipywidgets VBox holding the button and an Output area, also reachable as
    `.button` and `.output`; `.html` is the HTML last shown (tests click `box.button.click()`
    and read `box.html`).
    """
    from course.learner.widgets.action import action_button  # ipywidgets: only when shown

    def act() -> tuple[str, str]:
        try:
            page, packed = write_prep_sheet(folder, Path(folder) / "prep-sheet.html", zip=with_zip)
        except KitError as exc:
            return (
                pages.render(BUTTON, error=str(exc)).strip(),
                f"Could not make the prep sheet: {exc}",
            )
        return _written(folder, page, packed)

    return action_button(
        "Make my prep sheet",
        "file-text-o",
        "success",
        "Gather your answers from every lesson on one printable page",
        act,
    )
