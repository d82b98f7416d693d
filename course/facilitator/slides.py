"""Offline reveal.js decks for the lesson notebooks: `python -m course slides`.

A deck is built from its notebook with nbconvert's slides exporter and the kit's own template
(course/templates/reveal-offline), which loads nothing from the network. reveal.js 4.x comes from
the npm registry once (`npm pack`, cached in build/vendor) and the few files a deck needs are
copied next to the decks, so the output folder can be zipped, put on a USB stick or opened from
file:// in a room without Wi-Fi.

Slides come from the notebook's cell metadata (`slideshow.slide_type`: slide, subslide,
fragment, notes, skip). A notebook without any slide metadata gets slides derived from its
markdown headings. Either way code cells only appear when marked as slides (lesson machinery
and widgets mean nothing on a projector), and the outline adds a title slide with the lesson's
objectives and timing and a closing key-points slide.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course.errors import KitError
from course.facilitator import agenda
from course.learner import content
from course.learner.safe import escape
from course.paths import TEMPLATES_DIR
from course.speaking import count_words, seconds_for_words

__all__ = [
    "REVEAL_VERSION",
    "SlidesError",
    "build_all",
    "build_deck",
    "external_references",
    "fetch_reveal",
    "prepare_notebook",
]

REVEAL_VERSION = "4.6.1"
TEMPLATES = TEMPLATES_DIR
TEMPLATE_NAME = "reveal-offline"
#: The reveal.js files a deck loads, relative to the package root (the theme's fonts included).
REVEAL_FILES = (
    "LICENSE",
    "dist/reveal.css",
    "dist/reveal.js",
    "dist/theme/white.css",
    "dist/theme/fonts/source-sans-pro",
    "plugin/notes/notes.js",
)
SLIDE_TYPES = ("slide", "subslide", "fragment", "-", "skip", "notes")
#: Cells tagged with one of these become speaker notes in derived slides.
NOTE_TAGS = ("notes", "facilitator", "speaker-notes")
LESSON_NAME = re.compile(r"^\d\d-[\w-]+$")

#: Loaded resources that would reach the network: script src, link href, ES-module imports,
#: CSS url() and @import. Hyperlinks (<a href>) are not loads and are allowed.
EXTERNAL = re.compile(
    r"""<script\b[^>]*\bsrc\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|\bimport\s*(?:[\w*{}\s,]+\bfrom\s*)?\(?\s*["'](?:https?:)?//"""
    r"""|\burl\(\s*["']?\s*(?:https?:)?//"""
    r"""|@import\s+["'](?:https?:)?//""",
    re.IGNORECASE,
)


class SlidesError(KitError):
    """Slides cannot be built (reveal.js unavailable, no notebooks, a notebook unreadable)."""


# --------------------------------------------------------------------------- reveal.js


def _npm_missing_message() -> str:
    return (
        "npm is needed once to fetch reveal.js "
        f"{REVEAL_VERSION} for the offline slides, and it was not found on PATH. Install Node.js "
        "and npm (Debian/Ubuntu: sudo apt-get install -y nodejs npm; macOS: brew install node; "
        "Windows: https://nodejs.org), then run the command again. Or pass --reveal DIR "
        "pointing at an unpacked reveal.js 4.x package (the folder holding dist/ and plugin/)."
    )


def _is_reveal_package(folder: Path) -> bool:
    return all((folder / name).exists() for name in REVEAL_FILES)


def fetch_reveal(vendor: Path) -> Path:
    """The unpacked reveal.js package in `vendor`, fetched once with `npm pack` (cached)."""
    from filelock import FileLock

    vendor = Path(vendor).resolve()
    target = vendor / f"reveal.js-{REVEAL_VERSION}"
    if _is_reveal_package(target):
        return target
    npm = shutil.which("npm")
    if not npm:
        raise SlidesError(_npm_missing_message())
    vendor.mkdir(parents=True, exist_ok=True)
    with FileLock(str(vendor / ".reveal.lock"), timeout=600):  # two builds at once fetch once
        if _is_reveal_package(target):
            return target
        with tempfile.TemporaryDirectory(dir=vendor, prefix=".fetch-") as tmp:
            package = _npm_pack(npm, Path(tmp))
            if target.exists():  # an incomplete earlier copy
                shutil.rmtree(target)
            os.replace(package, target)
    return target


def _npm_pack(npm: str, tmp: Path) -> Path:
    """`npm pack reveal.js@REVEAL_VERSION` into `tmp`, unpacked; returns the package folder."""
    cmd = [npm, "pack", f"reveal.js@{REVEAL_VERSION}", "--pack-destination", str(tmp), "--silent"]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=tmp)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SlidesError(f"could not run npm to fetch reveal.js: {exc}") from None
    tarballs = sorted(tmp.glob("reveal.js-*.tgz"))
    if done.returncode != 0 or not tarballs:
        detail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise SlidesError(
            f"npm could not fetch reveal.js {REVEAL_VERSION} (is the npm registry reachable? "
            "behind a proxy, set npm's proxy setting). npm said: " + " / ".join(detail)
        )
    unpacked = tmp / "unpacked"
    with tarfile.open(tarballs[0]) as archive:
        archive.extractall(unpacked, filter="data")
    package = unpacked / "package"
    if not _is_reveal_package(package):
        raise SlidesError(f"the reveal.js {REVEAL_VERSION} package lacks the files decks need")
    return package


def copy_reveal(package: Path, output: Path) -> Path:
    """Copy the files decks load from the reveal.js package to `output`/reveal.js."""
    package = Path(package)
    if not _is_reveal_package(package):
        missing = [name for name in REVEAL_FILES if not (package / name).exists()]
        raise SlidesError(f"{package} is not a reveal.js 4.x package: missing {', '.join(missing)}")
    dest = Path(output) / "reveal.js"
    for name in REVEAL_FILES:
        src, dst = package / name, dest / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)
    return dest


# --------------------------------------------------------------------------- slide structure


def _slide_type(cell: Any) -> str | None:
    slideshow = cell.get("metadata", {}).get("slideshow") or {}
    value = slideshow.get("slide_type") if isinstance(slideshow, dict) else None
    return value if value in SLIDE_TYPES else None


def _set_type(cell: Any, slide_type: str) -> None:
    cell.setdefault("metadata", {}).setdefault("slideshow", {})["slide_type"] = slide_type


def has_slide_metadata(nb: Any) -> bool:
    """Whether any cell of the notebook says how it appears in slides."""
    return any(_slide_type(cell) for cell in nb.cells)


_HEADING = re.compile(r"^(#{1,6})\s+\S")
#: A code cell that shows an exercise: the slide says so instead of showing the code.
_EXERCISE_CALL = re.compile(r"\.(classify|choose|quiz|form|draft|pick|matrix)\(|coach_draft\(")
_TITLE_ARG = re.compile(r"""title\s*=\s*(["'])(.+?)(?<!\\)\1""")
_FENCE = re.compile(r"^\s*(```|~~~)")


def split_at_headings(source: str) -> list[str]:
    """Split markdown before each heading (outside code fences); empty chunks dropped."""
    chunks: list[list[str]] = [[]]
    in_fence = False
    for line in source.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and _HEADING.match(line) and any(s.strip() for s in chunks[-1]):
            chunks.append([])
        chunks[-1].append(line)
    return ["\n".join(chunk).strip() for chunk in chunks if "\n".join(chunk).strip()]


def _heading_level(text: str) -> int:
    match = _HEADING.match(text)
    return len(match[1]) if match else 0


def _derive(nb: Any, drop_title: bool = False) -> None:
    """Give a notebook without slide metadata slides at its markdown headings (h1 to h3).

    With `drop_title`, a chunk that is nothing but a level-1 heading is left out: the outline's
    title slide already says it.
    """
    from nbformat.v4 import new_markdown_cell

    cells = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type != "markdown":
            _set_type(cell, "skip")
            cells.append(cell)
            badge = _exercise_badge(cell) if cell.cell_type == "code" else None
            if badge is not None:
                cells.append(badge)
            continue
        if any(tag in NOTE_TAGS for tag in tags):
            _set_type(cell, "notes")
            cells.append(cell)
            continue
        for chunk in split_at_headings(cell.source):
            if drop_title and "\n" not in chunk and _heading_level(chunk) == 1:
                continue
            new = new_markdown_cell(chunk)
            new.metadata = copy.deepcopy(cell.metadata)
            new.attachments = copy.deepcopy(cell.get("attachments", {}))
            if not new.attachments:
                del new["attachments"]
            _set_type(new, "slide" if 1 <= _heading_level(chunk) <= 3 else "-")
            cells.append(new)
    nb.cells = cells


def _exercise_badge(cell: Any) -> Any:
    """A one-line 'exercise in the notebook' note for a code cell that shows an exercise."""
    from nbformat.v4 import new_markdown_cell

    if not _EXERCISE_CALL.search(cell.source):
        return None
    match = _TITLE_ARG.search(cell.source)
    name = match[2].replace('\\"', '"').replace("\\'", "'") if match else ""
    label = f": {escape(name)}" if name else ""
    badge = new_markdown_cell(f'<p class="cak-exercise">▶ Exercise in the notebook{label}</p>')
    _set_type(badge, "-")
    return badge


def _hide_code(nb: Any) -> None:
    """Code cells appear only when marked as a slide, subslide or fragment."""
    shown = ("slide", "subslide", "fragment")
    for cell in nb.cells:
        if cell.cell_type == "raw" or (cell.cell_type == "code" and _slide_type(cell) not in shown):
            _set_type(cell, "skip")


def _md_list(items: tuple[str, ...]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _workshop_minutes(lesson: content.Lesson) -> str:
    """This lesson's minutes in the standard 90-minute agenda, for the speaker notes."""
    by_kind: dict[str, int] = {}
    for item in agenda.build(90).items:
        if item.lesson == lesson.id:
            by_kind[item.kind] = by_kind.get(item.kind, 0) + item.minutes
    if not by_kind:
        return ""
    parts = ", ".join(f"{n} {kind}" for kind, n in by_kind.items())
    return f"In the 90-minute agenda: {parts} (python -m course agenda --minutes 90)."


def _outline_cells(lesson: content.Lesson) -> tuple[list[Any], list[Any]]:
    """Title and objectives slides (first) and a key-points slide (last) from the outline."""
    from nbformat.v4 import new_markdown_cell

    def cell(source: str, slide_type: str) -> Any:
        new = new_markdown_cell(source)
        _set_type(new, slide_type)
        return new

    number = lesson.id.split("-", 1)[0]
    timing = (
        f"About {lesson.minutes} minutes self-paced: {lesson.teach_minutes} teaching, "
        f"{lesson.practice_minutes} practice. {_workshop_minutes(lesson)}"
    )
    head = [
        cell(
            f'<div class="cak-deck-title">\n\n# {escape(lesson.title)}\n\n</div>\n\n'
            f"{lesson.summary}\n\n"
            f'<p class="cak-deck-meta">Lesson {number} · What are your career aspirations?</p>',
            "slide",
        ),
        cell(f"Timing: {timing}\n\nKey points to land:\n\n{_md_list(lesson.key_points)}", "notes"),
        cell(f"## By the end of this lesson you can\n\n{_md_list(lesson.objectives)}", "slide"),
    ]
    tail = [cell(f"## Key points\n\n{_md_list(lesson.key_points)}", "slide")]
    if lesson.id == MODEL_ANSWER_LESSON:
        tail[:0] = [cell(source, kind) for source, kind in model_answer_slides()]
    lessons = content.lessons()
    index = [item.id for item in lessons].index(lesson.id)
    if index + 1 < len(lessons):
        nxt = lessons[index + 1]
        tail.append(cell(f"**Next:** {nxt.title}", "-"))
    if lesson.exercise:
        tail.append(cell(f"Graded exercise: `exercises/{lesson.exercise}/`", "-"))
    return head, tail


#: The lesson whose deck shows a model answer, annotated, and the others in the speaker notes.
MODEL_ANSWER_LESSON = "05-draft-your-answer"
#: The model answer on the slide (content/model_answers.yaml); the notes name the others.
SLIDE_MODEL_ANSWER = "graduate"


def model_answer_slides() -> list[tuple[str, str]]:
    """(markdown, slide type): one model answer, each sentence labelled by its move, and notes."""
    answers = content.model_answers()
    labels = answers.move_labels
    shown = answers.answer(SLIDE_MODEL_ANSWER)
    rows = "\n".join(
        f"- **{escape(' + '.join(labels[m] for m in s.moves))}**: {escape(s.text)}"
        for s in shown.sentences
    )
    others = "\n".join(
        f"- {escape(a.persona)} ({escape(a.name)}, {escape(a.company.name)})"
        for a in answers.answers
        if a.id != shown.id
    )
    slide = (
        f"## A model answer: {escape(shown.persona)}\n\n"
        f'<div class="cak-model">\n\n{rows}\n\n</div>\n\n'
        f"*{escape(shown.name)}, for {escape(shown.company.name)}: about "
        f"{round(seconds_for_words(count_words(shown.text)))} seconds spoken.*"
    )
    notes = (
        "Read it aloud, then ask the room which sentence does which job. Lesson 05 shows "
        f"model answers for other situations, each annotated the same way:\n\n{others}"
    )
    return [(slide, "slide"), (notes, "notes")]


def prepare_notebook(nb: Any, lesson: content.Lesson | None = None) -> Any:
    """A copy of `nb` with slide metadata: its own, or derived from headings; outline slides."""
    nb = copy.deepcopy(nb)
    if not has_slide_metadata(nb):
        _derive(nb, drop_title=lesson is not None)
    _hide_code(nb)
    if lesson is not None:
        head, tail = _outline_cells(lesson)
        first = next((c for c in nb.cells if _slide_type(c) not in ("skip", "notes")), None)
        if first is not None:
            _set_type(first, "slide")  # the notebook's content starts on its own slide
        nb.cells = head + nb.cells + tail
    if all(_slide_type(c) in ("skip", "notes") for c in nb.cells):
        raise SlidesError("the notebook has nothing to show: every cell is code, skipped or notes")
    return nb


# --------------------------------------------------------------------------- building


def _exporter() -> Any:
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    config = Config()
    config.SlidesExporter.extra_template_basedirs = [str(TEMPLATES)]
    config.SlidesExporter.template_name = TEMPLATE_NAME
    config.SlidesExporter.reveal_url_prefix = "reveal.js"
    config.SlidesExporter.reveal_theme = "white"
    config.SlidesExporter.reveal_number = "c/t"
    config.SlidesExporter.reveal_width = "1280"
    config.SlidesExporter.reveal_height = "720"
    # No CDN URL may reach the template even by accident: blank every one nbconvert knows.
    for trait in ("require_js_url", "mathjax_url", "jquery_url", "mermaid_js_url"):
        setattr(config.SlidesExporter, trait, "")
    config.SlidesExporter.font_awesome_url = ""
    config.SlidesExporter.widget_renderer_url = ""
    return SlidesExporter(config=config)


def lesson_for(path: Path) -> content.Lesson | None:
    """The outline's lesson for a notebook path (None for a notebook outside the outline)."""
    try:
        return content.lesson(Path(path).stem)
    except KeyError:
        return None


def build_deck(notebook: Path, output: Path, exporter: Any = None) -> Path:
    """Write `output`/<stem>.slides.html for one notebook; reveal.js must be in `output`."""
    import nbformat

    notebook = Path(notebook)
    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception as exc:  # nbformat raises several types for a bad file
        raise SlidesError(f"{notebook} could not be read as a notebook: {exc}") from None
    lesson = lesson_for(notebook)
    nb = prepare_notebook(nb, lesson)
    nb.metadata["title"] = (
        f"{lesson.id.split('-', 1)[0]} {lesson.title}" if lesson else notebook.stem
    )
    exporter = exporter or _exporter()
    body, _resources = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": notebook.stem, "path": str(notebook.parent)}}
    )
    problems = external_references(body)
    if problems:  # a template change or an odd notebook must never ship a deck that phones out
        raise SlidesError(f"{notebook.name}: the deck would load from the network: {problems[:3]}")
    target = Path(output) / f"{notebook.stem}.slides.html"
    target.write_text(body, encoding="utf-8")
    return target


def lesson_notebooks(folder: Path) -> list[Path]:
    """The lesson notebooks of a folder (NN-name.ipynb), in order."""
    return sorted(
        p
        for p in Path(folder).glob("*.ipynb")
        if LESSON_NAME.match(p.stem) and not p.stem.endswith((".out", "-checkpoint"))
    )


@dataclass(frozen=True)
class Built:
    decks: tuple[Path, ...]
    index: Path
    reveal: Path


def _index_page(decks: list[Path]) -> str:
    rows = []
    for deck in decks:
        stem = deck.name.removesuffix(".slides.html")
        lesson = lesson_for(Path(stem))
        title = lesson.title if lesson else stem
        minutes = f"{lesson.minutes} min" if lesson else ""
        rows.append(
            f'<li><a href="{escape(deck.name)}">{escape(stem)}</a> '
            f"{escape(title)} <span>{minutes}</span></li>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Lesson slides</title><style>body{font-family:system-ui,sans-serif;"
        "max-width:40em;margin:2em auto;padding:0 1em;line-height:1.5}span{color:#666}</style>"
        "</head><body><h1>What are your career aspirations? Lesson slides</h1>"
        "<p>Open a deck; press <b>S</b> for speaker notes, <b>F</b> for full screen, "
        "<b>Esc</b> for an overview. Add <code>?print-pdf</code> to a deck's address and print "
        "to save it as PDF. Everything here works offline.</p>"
        f"<ul>{''.join(rows)}</ul></body></html>\n"
    )


def build_all(
    notebooks: Path,
    output: Path,
    vendor: Path,
    reveal: Path | None = None,
    only: list[str] | None = None,
) -> Built:
    """Build a deck per lesson notebook in `notebooks` into `output`, with reveal.js beside them."""
    found = lesson_notebooks(notebooks)
    if only:
        wanted = {Path(name).stem for name in only}
        found = [p for p in found if p.stem in wanted]
    if not found:
        raise SlidesError(
            f"no lesson notebooks (NN-name.ipynb) found in {notebooks}"
            + (f" matching {', '.join(only)}" if only else "")
        )
    package = Path(reveal) if reveal else fetch_reveal(Path(vendor))
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    reveal_dir = copy_reveal(package, output)
    exporter = _exporter()
    decks = [build_deck(path, output, exporter) for path in found]
    index = output / "index.html"
    index.write_text(_index_page(decks), encoding="utf-8")
    return Built(tuple(decks), index, reveal_dir)


def external_references(text: str) -> list[str]:
    """Every network load in an HTML, JS or CSS text (empty when the file is offline-safe)."""
    return [text[m.start() : m.end() + 40] for m in EXTERNAL.finditer(text)]
