"""Offline slides: slide structure from metadata or headings, and decks that load nothing remote."""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course.__main__ import main
from course.facilitator import slides
from course.learner import content
from course.learner.safe import escape

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "build" / "vendor"
IN_CI = os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")
CHROMIUM = Path("/usr/bin/chromium")


def types(nb) -> list[str]:
    return [c.metadata.get("slideshow", {}).get("slide_type", "-") for c in nb.cells]


def plain_notebook() -> nbformat.NotebookNode:
    """A lesson-like notebook without slide metadata: title, setup code, sections, an exercise."""
    nb = new_notebook()
    nb.cells = [
        new_markdown_cell("# Aspirations versus goals"),
        new_code_cell("from course.learner.lesson import Lesson"),
        new_code_cell("answers = None", metadata={"tags": ["parameters"]}),
        new_markdown_cell(
            "## Two words\n\nAn aspiration is open.\n\n```\n# a comment, not a heading\n```\n\n"
            "## Stepping stones\n\nGoals are specific.\n\n#### A small heading stays put"
        ),
        new_markdown_cell("Ask the room for an example.", metadata={"tags": ["facilitator"]}),
        new_markdown_cell("A paragraph that continues the slide."),
        new_code_cell('L.classify("classify-statements", title="Aspiration or goal?")'),
        new_markdown_cell("### Sources\n\n- BetterUp"),
    ]
    return nb


def designed_notebook() -> nbformat.NotebookNode:
    """A notebook whose author marked slides, a fragment, notes and a skipped cell."""
    nb = new_notebook()
    nb.cells = [
        new_markdown_cell("# Designed", metadata={"slideshow": {"slide_type": "slide"}}),
        new_markdown_cell("- first point", metadata={"slideshow": {"slide_type": "fragment"}}),
        new_markdown_cell("Say this aloud.", metadata={"slideshow": {"slide_type": "notes"}}),
        new_markdown_cell("## Second", metadata={"slideshow": {"slide_type": "slide"}}),
        new_markdown_cell("hidden text", metadata={"slideshow": {"slide_type": "skip"}}),
        new_code_cell("print('shown on purpose')", metadata={"slideshow": {"slide_type": "slide"}}),
        new_code_cell("setup = True"),
    ]
    return nb


# --------------------------------------------------------------------------- structure


def test_split_at_headings_ignores_code_fences():
    text = "intro\n## A\ntext\n```\n# not a heading\n```\n### B\nmore"
    assert slides.split_at_headings(text) == [
        "intro",
        "## A\ntext\n```\n# not a heading\n```",
        "### B\nmore",
    ]


def test_headings_become_slides_when_a_notebook_has_no_slide_metadata():
    nb = slides.prepare_notebook(plain_notebook())
    sources = [c.source for c in nb.cells]
    kinds = dict(zip(sources, types(nb), strict=True))
    assert kinds["# Aspirations versus goals"] == "slide"
    assert kinds[
        "## Two words\n\nAn aspiration is open.\n\n```\n# a comment, not a heading\n```"
    ] == ("slide")
    assert kinds["## Stepping stones\n\nGoals are specific."] == "slide"
    assert kinds["#### A small heading stays put"] == "-"
    assert kinds["A paragraph that continues the slide."] == "-"
    assert kinds["### Sources\n\n- BetterUp"] == "slide"
    assert kinds["Ask the room for an example."] == "notes"
    for cell, kind in zip(nb.cells, types(nb), strict=True):  # code never shows in derived slides
        if cell.cell_type == "code":
            assert kind == "skip"
    badge = next(c for c in nb.cells if "cak-exercise" in c.source)
    assert "Exercise in the notebook: Aspiration or goal?" in badge.source


def test_outline_adds_title_objectives_and_key_points_and_drops_the_duplicate_title():
    lesson = content.lesson("01-aspirations-vs-goals")
    nb = slides.prepare_notebook(plain_notebook(), lesson)
    text = "\n".join(c.source for c in nb.cells)
    assert nb.cells[0].source.count(lesson.title) == 1
    assert "# Aspirations versus goals" not in [c.source for c in nb.cells]  # said once, not twice
    for objective in lesson.objectives:
        assert objective in text
    assert nb.cells[-1 - (1 if lesson.exercise else 0) - 1].source.startswith("## Key points")
    notes = [c.source for c in nb.cells if types(nb)[nb.cells.index(c)] == "notes"]
    assert any(f"{lesson.teach_minutes} teaching" in n for n in notes)


def test_author_slide_metadata_is_kept():
    nb = slides.prepare_notebook(designed_notebook())
    assert types(nb) == ["slide", "fragment", "notes", "slide", "skip", "slide", "skip"]


def test_a_notebook_with_nothing_to_show_is_refused():
    nb = new_notebook()
    nb.cells = [new_code_cell("x = 1"), new_code_cell("y = 2")]
    with pytest.raises(slides.SlidesError, match="nothing to show"):
        slides.prepare_notebook(nb)


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://cdn.example/x.js"></script>',
        "<script type='text/javascript' src='//cdn.example/x.js'></script>",
        '<link rel="stylesheet" href="https://fonts.example/css">',
        "import mermaid from 'https://cdn.example/mermaid.esm.min.mjs';",
        'await import("https://cdn.example/mod.js")',
        "body { background: url(https://img.example/a.png) }",
        "@import url('http://fonts.example/css?family=Lato');",
        '@import "https://fonts.example/x.css";',
    ],
)
def test_external_references_are_detected(snippet):
    assert slides.external_references(snippet)


def test_links_and_data_urls_are_not_loads():
    ok = (
        '<a href="https://revealjs.com">docs</a> <svg xmlns="http://www.w3.org/2000/svg"></svg>'
        " .x { background: url(data:image/png;base64,AAAA) } /* https://hakim.se */"
        ' <script src="reveal.js/dist/reveal.js"></script>'
    )
    assert slides.external_references(ok) == []


def test_without_npm_the_message_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setattr(slides.shutil, "which", lambda _name: None)
    with pytest.raises(slides.SlidesError) as caught:
        slides.fetch_reveal(tmp_path / "vendor")
    message = str(caught.value)
    assert "apt-get install -y nodejs npm" in message and "--reveal" in message
    assert not (tmp_path / "vendor" / f"reveal.js-{slides.REVEAL_VERSION}").exists()


def test_an_incomplete_reveal_folder_is_refused(tmp_path):
    (tmp_path / "fake" / "dist").mkdir(parents=True)
    with pytest.raises(slides.SlidesError, match=r"not a reveal\.js 4\.x package"):
        slides.copy_reveal(tmp_path / "fake", tmp_path / "out")


def test_no_lesson_notebooks_is_a_clear_error(tmp_path, capsys):
    code = main(["slides", "--notebooks", str(tmp_path), "--output", str(tmp_path / "out")])
    assert code == 2
    assert "no lesson notebooks" in capsys.readouterr().err


# --------------------------------------------------------------------------- building


@pytest.fixture(scope="module")
def reveal_package() -> Path:
    """reveal.js from build/vendor, fetched with npm once (skipped without npm, unless CI)."""
    if shutil.which("npm") is None and not slides._is_reveal_package(
        VENDOR / f"reveal.js-{slides.REVEAL_VERSION}"
    ):
        if IN_CI:
            pytest.fail("CI=true: the slides tests need npm (apt-get install -y nodejs npm)")
        pytest.skip("npm is not installed, so reveal.js cannot be fetched for the slides build")
    return slides.fetch_reveal(VENDOR)


@pytest.fixture(scope="module")
def built(reveal_package, tmp_path_factory) -> Path:
    """Decks for the repository's lesson notebooks plus two fixture notebooks."""
    source = tmp_path_factory.mktemp("notebooks")
    for path in slides.lesson_notebooks(ROOT / "notebooks"):
        shutil.copy(path, source / path.name)
    nbformat.write(plain_notebook(), source / "90-plain-fixture.ipynb")
    nbformat.write(designed_notebook(), source / "91-designed-fixture.ipynb")
    out = tmp_path_factory.mktemp("slides")
    code = main(
        [
            "slides",
            "--notebooks",
            str(source),
            "--output",
            str(out),
            "--reveal",
            str(reveal_package),
        ]
    )
    assert code == 0
    return out


@pytest.mark.slow
def test_a_deck_per_lesson_notebook(built):
    expected = [p.stem for p in slides.lesson_notebooks(ROOT / "notebooks")]
    expected += ["90-plain-fixture", "91-designed-fixture"]
    decks = sorted(p.name for p in built.glob("*.slides.html"))
    assert decks == sorted(f"{stem}.slides.html" for stem in expected)
    index = (built / "index.html").read_text(encoding="utf-8")
    for name in decks:
        assert f'href="{name}"' in index


@pytest.mark.slow
def test_no_built_file_loads_anything_from_the_network(built):
    checked = 0
    for path in built.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".css", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert slides.external_references(text) == [], path
            checked += 1
    assert checked >= 10
    # nor any CDN by name in a deck (nbconvert's defaults would name these)
    for deck in built.glob("*.slides.html"):
        html = deck.read_text(encoding="utf-8")
        for cdn in ("unpkg.com", "cdnjs", "jsdelivr", "googleapis", "require.min.js", "jquery"):
            assert cdn not in html, (deck.name, cdn)


@pytest.mark.slow
def test_every_local_reference_resolves(built):
    """Offline means complete: every script, stylesheet, font and import exists beside the deck."""
    pattern = re.compile(r"""<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*["']([^"']+)["']""")
    css_url = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")
    for deck in built.glob("*.slides.html"):
        refs = pattern.findall(deck.read_text(encoding="utf-8"))
        assert {"reveal.js/dist/reveal.js", "reveal.js/plugin/notes/notes.js"} <= set(refs)
        for ref in refs:
            assert (built / ref).is_file(), (deck.name, ref)
    for css in built.rglob("*.css"):
        for ref in css_url.findall(css.read_text(encoding="utf-8")):
            if not ref.startswith(("data:", "#")):
                target = (css.parent / ref.split("?")[0].split("#")[0]).resolve()
                assert target.is_file(), (css, ref)


@pytest.mark.slow
def test_fragments_notes_and_outline_slides_in_the_html(built):
    designed = (built / "91-designed-fixture.slides.html").read_text(encoding="utf-8")
    assert 'class="fragment"' in designed
    assert '<aside class="notes">' in designed and "Say this aloud." in designed
    assert "hidden text" not in designed and "shown on purpose" in designed
    assert "setup = True" not in designed
    lesson = content.lessons()[1]
    deck = built / f"{lesson.id}.slides.html"
    if deck.exists():
        text = deck.read_text(encoding="utf-8")
        assert "Key points" in text and '<aside class="notes">' in text
        assert (
            "from course.learner.lesson import Lesson" not in text
        )  # setup code stays off the screen


def drive_and_record(drive, errors: list[str]) -> None:
    """Run `drive`, recording an exception as an error (a thread cannot raise into the test)."""
    try:
        drive()
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")


@pytest.mark.slow
@pytest.mark.browser
def test_a_deck_runs_offline_in_headless_chromium(built):
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail("CI=true: /usr/bin/chromium is needed (apt-get install -y chromium)")
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    playwright = pytest.importorskip("playwright.sync_api")
    deck = built / "90-plain-fixture.slides.html"
    requests: list[str] = []
    errors: list[str] = []

    def drive() -> None:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                page.on("request", lambda r: requests.append(r.url))
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
                page.goto(deck.as_uri())
                page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=15_000)
                assert page.evaluate("Reveal.hasPlugin('notes')")
                assert page.evaluate("Reveal.getTotalSlides()") >= 3
                page.evaluate("Reveal.slide(1)")
                assert page.evaluate("Reveal.getCurrentSlide().textContent").count("Two words")
                page.screenshot(path=str(built / "screenshot.png"))
            finally:
                browser.close()

    # A fresh thread: an asyncio loop left running by an earlier test cannot reach it.
    worker = threading.Thread(target=drive_and_record, args=(drive, errors))
    worker.start()
    worker.join(120)
    assert not worker.is_alive(), "the deck check did not finish in 120 s"
    assert errors == []
    assert requests and all(url.startswith("file://") for url in requests), requests


def test_lesson_05_deck_shows_a_model_answer_labelled_by_move_with_the_others_in_the_notes():
    lesson = content.lesson(slides.MODEL_ANSWER_LESSON)
    nb = slides.prepare_notebook(plain_notebook(), lesson)
    shown = content.model_answers().answer(slides.SLIDE_MODEL_ANSWER)
    slide = next(c.source for c in nb.cells if c.source.startswith("## A model answer"))
    for sentence in shown.sentences:
        assert escape(sentence.text) in slide
    assert "**Aspiration**" in slide and "**Evidence from the past**" in slide
    notes = [c.source for c, kind in zip(nb.cells, types(nb), strict=True) if kind == "notes"]
    others = [a for a in content.model_answers().answers if a.id != shown.id]
    assert all(any(escape(a.persona) in n for n in notes) for a in others)
    lesson_04 = content.lesson("04-keep-it-relevant")
    nb_04 = slides.prepare_notebook(plain_notebook(), lesson_04)
    assert not any(c.source.startswith("## A model answer") for c in nb_04.cells)
