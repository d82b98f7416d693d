"""The learner app (`python -m course app`, Voilà) in headless Chromium, as a learner uses it.

One app server on a copy of the repository: the landing page lists the lessons; every lesson
and graded exercise opens with its widgets drawn and no code, prompt, traceback or stderr;
an answer given in the app shows on the landing page, and "Download my work" saves the zip
that grading takes (also from the button a lesson can show, in the app and in JupyterLab).
One journey: a live figure, the keyboard, contrast, a phone's width, the coach, a restart of the
app, and the same answers in JupyterLab. Screenshots go to test-artifacts/browser/app-*.png.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from labkit import ARTIFACTS, LESSONS, VIEWPORT, WIDGET_FAILURES, copy_repository, free_port

pytestmark = pytest.mark.browser

#: What a learner must never see: Voilà's and Python's error texts.
ERROR_TEXTS = (
    "Traceback",
    "There was an error when executing cell",
    "could not be shown",
    "Error:",
    "NameError",
    "ModuleNotFoundError",
)
#: A part of the page that shows code or its prompts.
CODE_SELECTORS = (
    ".jp-CodeCell .jp-InputArea",
    ".jp-InputPrompt",
    ".jp-OutputPrompt",
    ".cm-editor",
    ".jp-CodeMirrorEditor",
)
STDERR = '[data-mime-type="application/vnd.jupyter.stderr"]'


@dataclass
class AppServer:
    """`python -m course app` on a free loopback port, with a throwaway home."""

    root: Path
    base: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def log_path(self) -> Path:
        return self.base / "app.log"

    def log(self, tail: int = 4000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-tail:]
        except OSError:
            return ""

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("MPLBACKEND", None)  # tests/conftest.py sets Agg; the app's kernels draw inline
        for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
            env.pop(name, None)
        home = self.base / "home"
        home.mkdir(parents=True, exist_ok=True)
        env["HOME"], env["IPYTHONDIR"] = str(home), str(home / ".ipython")
        return env

    def start(self, timeout: float = 90) -> AppServer:
        self.base.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "course", "app", "--no-browser"]
        command += ["--port", str(self.port), "--root", str(self.root)]
        with self.log_path.open("w", encoding="utf-8") as log:
            self.proc = subprocess.Popen(
                command,
                cwd=self.root,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url, timeout=10) as response:
                    if response.status == 200:
                        return self
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"the app did not answer within {timeout} s:\n{self.log()}")

    def stop(self) -> None:
        """Stop as Ctrl+C would not: SIGTERM, which Voilà handles by shutting its kernels."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory, chromium) -> Iterator[AppServer]:
    # A copy of its own: the app writes answers files, which the lab tests must not see.
    base = tmp_path_factory.mktemp("app")
    server = AppServer(root=copy_repository(base / "kit"), base=base).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def page(chromium, app_server: AppServer) -> Iterator[object]:
    context = chromium.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.console_errors = []
    page.outside = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text[:300]))
    page.on(
        "request",
        lambda r: (
            urlparse(r.url).hostname not in (None, "127.0.0.1") and page.outside.append(r.url)
        ),
    )
    try:
        yield page
    finally:
        context.close()


def _wait_drawn(page, timeout: float = 90) -> float:
    """Wait until Voilà has run the page and its widgets stop changing; return the seconds."""
    start = time.monotonic()
    page.locator("#rendered_cells").wait_for(state="visible", timeout=timeout * 1000)
    last, stable_since = -1, time.monotonic()
    while time.monotonic() - start < timeout:
        count = page.locator(".jupyter-widgets").count()
        loading = page.get_by_text("Loading widget...").count()
        if count != last or loading:
            last, stable_since = count, time.monotonic()
        elif time.monotonic() - stable_since > 1.5:
            return time.monotonic() - start
        page.wait_for_timeout(250)
    raise AssertionError(f"widgets still changing after {timeout} s")


def _problems(page, name: str) -> list[str]:
    """Everything on the page a learner should not see, as readable lines."""
    found = []
    for selector in CODE_SELECTORS:
        visible = [e for e in page.locator(selector).all() if e.is_visible()]
        if visible:
            found.append(f"{name}: {len(visible)} visible {selector}")
    if page.locator(STDERR).count():
        found.append(f"{name}: stderr output: {page.locator(STDERR).first.inner_text()[:200]}")
    text = page.locator("body").inner_text()
    found += [f"{name}: shows {t!r}" for t in (*ERROR_TEXTS, *WIDGET_FAILURES) if t in text]
    if not page.locator(".jupyter-widgets").count():
        found.append(f"{name}: no widget drawn")
    found += [f"{name}: console error {e}" for e in page.console_errors]
    found += [f"{name}: request to the internet {u}" for u in page.outside]
    return found


def _screenshot(page, name: str, width: int | None = None) -> Path:
    """The whole page, as a learner scrolling through it sees it (`width`: a narrower screen)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    height = page.evaluate(
        "() => Math.max(document.body.scrollHeight,"
        " (document.querySelector('#rendered_cells') || document.body).scrollHeight)"
    )
    width = width or VIEWPORT["width"]
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 16_000)})
    try:
        page.wait_for_timeout(400)
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(VIEWPORT)
    return path


def _answers(path: Path, timeout: float = 15) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError):
            answers = json.loads(path.read_text(encoding="utf-8"))["answers"]
            if answers:
                return answers
        time.sleep(0.25)
    return {}


def test_a_learner_opens_a_lesson_answers_an_exercise_and_downloads_the_work(
    page, app_server: AppServer
):
    page.goto(app_server.url)
    lessons = page.locator(".cak-lesson")
    assert lessons.count() == len(LESSONS)
    assert [lessons.nth(i).get_attribute("data-lesson") for i in range(len(LESSONS))] == list(
        LESSONS
    ), "the lessons in teaching order"
    assert page.get_by_text("Download my work").count() == 0, "nothing to hand in yet"
    print(f"screenshot: {_screenshot(page, 'app-landing')}")

    # Lesson 01, by its link on the landing page.
    page.locator('[data-lesson="01-aspirations-vs-goals"] h2 a').click()
    seconds = _wait_drawn(page)
    print(f"lesson 01: drawn {seconds:.1f} s after the click")
    assert not _problems(page, "lesson 01")
    print(f"screenshot: {_screenshot(page, 'app-lesson-01')}")

    # Graded exercise 01: label the first statement; it is saved beside the notebook.
    page.go_back()
    page.locator('[data-lesson="01-aspirations-vs-goals"] a.cak-exercise').click()
    _wait_drawn(page)
    assert not _problems(page, "exercise 01")
    page.locator("input[type=radio]").first.check()
    folder = app_server.root / "exercises" / "01-aspirations-vs-goals"
    saved = _answers(folder / "01-aspirations-vs-goals.answers.json")
    assert saved, "an answer given in the app is saved in the answers file"
    print(f"screenshot: {_screenshot(page, 'app-exercise-01')}")

    # Back on the landing page (its link at the top): the progress, and the hand-in.
    page.get_by_role("link", name="All lessons and your progress").click()
    entry = page.locator('[data-lesson="01-aspirations-vs-goals"]')
    assert "1 of 2 parts started" in entry.inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my work").click()
    assert download.value.suggested_filename == "my-work.zip"
    data = Path(download.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == [
            "01-aspirations-vs-goals/01-aspirations-vs-goals.ipynb",
            "01-aspirations-vs-goals/01-aspirations-vs-goals.answers.json",
        ]
        assert json.loads(archive.read(archive.namelist()[1]))["answers"] == saved
    print(f"screenshot: {_screenshot(page, 'app-landing-with-work')}")

    # The button a lesson can show (handin_view) offers the same zip, through Voilà's page.
    button_page = app_server.root / "notebooks" / "zz-download-button.ipynb"
    source = "from course.learner.handin_view import download_button\ndownload_button()"
    cell = {"cell_type": "code", "metadata": {}, "source": source, "outputs": []}
    cell["execution_count"] = None
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = {"cells": [cell], "metadata": {"kernelspec": kernel}}
    button_page.write_text(json.dumps({**notebook, "nbformat": 4, "nbformat_minor": 5}))
    page.goto(app_server.url + "voila/render/notebooks/" + button_page.name)
    _wait_drawn(page)
    page.get_by_role("button", name="Download my work").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Save my-work.zip").click()
    assert Path(download.value.path()).read_bytes() == data, "the same zip, from a data: link"
    assert not page.console_errors and not page.outside


def test_every_lesson_and_exercise_shows_widgets_and_no_code(page, app_server: AppServer):
    pages = [(f"lesson {n}", f"voila/render/notebooks/{n}.ipynb") for n in LESSONS]
    exercises = sorted(p.name for p in (app_server.root / "exercises").iterdir() if p.is_dir())
    assert len(exercises) == 5
    pages += [(f"exercise {n}", f"voila/render/exercises/{n}/{n}.ipynb") for n in exercises]
    problems, timings = [], []
    for name, path in pages:
        page.console_errors.clear()
        page.goto(app_server.url + path)
        timings.append((name, _wait_drawn(page)))
        problems += _problems(page, name)
        _screenshot(page, "app-" + name.replace(" ", "-"))
    print("drawn after (s): " + ", ".join(f"{n} {s:.1f}" for n, s in timings))
    assert not problems, "\n".join(problems)
    # Leaving a page stops its kernel (Voilà's beacon, let through by the kit: voila#1458).
    page.goto(app_server.url)
    deadline = time.monotonic() + 20
    stopped = 0
    while stopped < len(pages) and time.monotonic() < deadline:
        stopped = app_server.log(tail=10**7).count("Kernel shutdown")
        time.sleep(0.5)
    assert stopped >= len(pages), f"{stopped} of {len(pages)} kernels stopped"


def test_the_download_button_saves_the_zip_in_jupyterlab_too(lab, lab_root: Path):
    # A kit folder of its own inside the lab's root: the other lab tests never see its files.
    kit, ex = lab_root / "app-download", "01-aspirations-vs-goals"
    (kit / "exercises" / ex).mkdir(parents=True)
    (kit / "notebooks").mkdir()
    shutil.copy(lab_root / "exercises" / ex / f"{ex}.ipynb", kit / "exercises" / ex)
    answers = {"schema": 2, "answers": {"statements": {"a1": "goal"}}, "kinds": {}}
    (kit / "exercises" / ex / f"{ex}.answers.json").write_text(json.dumps(answers))
    source = "from course.learner.handin_view import download_button\ndownload_button()"
    cell = {"cell_type": "code", "metadata": {}, "source": source, "outputs": []}
    cell["execution_count"] = None
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = {"cells": [cell], "metadata": {"kernelspec": kernel}}
    (kit / "notebooks" / "download.ipynb").write_text(
        json.dumps({**notebook, "nbformat": 4, "nbformat_minor": 5})
    )
    path = "app-download/notebooks/download.ipynb"
    panel = lab.open(path)
    try:
        lab.run_all(path)
        panel.get_by_role("button", name="Download my work").click()
        with lab.page.expect_download() as download:
            panel.get_by_role("link", name="Save my-work.zip").click()
        assert download.value.suggested_filename == "my-work.zip"
        assert Path(download.value.path()).read_bytes() == (kit / "my-work.zip").read_bytes()
    finally:
        lab.close_and_shutdown(path)


PHONE = {"width": 390, "height": 844}
#: The source of the last figure a live part of the page drew (a data: URL of its PNG).
LIVE_IMAGE = (
    "() => { const i = [...document.querySelectorAll('.cak-live img')].pop(); "
    "return i ? i.src : ''; }"
)


#: The boxes the page itself scrolls in (the document, and #rendered_cells with the boxes around
#: it) that scroll sideways, with their overflow. A box inside a lesson (a wide table) may
#: scroll on its own; the page must not.
SIDEWAYS = """() => {
  const cells = document.querySelector('#rendered_cells') || document.body;
  const page = [];
  for (let e = cells; e; e = e.parentElement) page.push(e);
  const notebook = cells.querySelector('.jp-Notebook');
  if (notebook) page.push(notebook);
  return page
    .filter(e => e === document.documentElement
                 || ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => `${e.tagName}#${e.id}.${e.className}: ${e.scrollWidth - e.clientWidth} px`);
}"""


def _tab_to(page, test: str, presses: int = 120) -> bool:
    """Press Tab until the focused element passes `test` (JavaScript, given the element)."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const e = document.activeElement; return !!e && ({test}); }}"):
            return True
    return False


def test_a_learners_journey_in_the_app(page, app_server: AppServer, lab, lab_root: Path):
    """Live figure, keyboard, phone width, contrast, the coach, a restart, then JupyterLab."""
    from test_browser_accessibility import AA, CONTRAST

    lesson01 = "voila/render/notebooks/01-aspirations-vs-goals.ipynb"
    lesson03 = "voila/render/notebooks/03-align-your-aspirations.ipynb"
    answers01 = app_server.root / "notebooks" / "01-aspirations-vs-goals.answers.json"
    page.goto(app_server.url + lesson01)
    _wait_drawn(page)
    assert page.locator(".cak-live img").count() == 1, "lesson 01 draws its time line"

    # Answer the worksheet: the time line redraws with no re-run.
    page.get_by_label("One of your career aspirations", exact=False).fill(
        "Help people find work that suits them"
    )
    page.get_by_label("A stepping-stone goal toward it", exact=False).fill(
        "Finish a careers-advice certificate"
    )
    months = page.get_by_label("Within how many months", exact=False)
    months.fill("6")
    page.wait_for_timeout(1000)  # the first two answers are saved and drawn
    before = page.evaluate(LIVE_IMAGE)
    start = time.monotonic()
    months.press("Tab")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.cak-live')].pop().innerText"
        ".includes('careers-advice certificate\u201d (due in 6 months)')",
        timeout=15_000,
    )
    print(f"lesson 01: time line redrawn {time.monotonic() - start:.2f} s after the answer")
    assert page.evaluate(LIVE_IMAGE) != before, "a new picture, not only a new caption"
    assert _answers(answers01)["stepping-stone"]["months"] == "6"
    print(f"screenshot: {_screenshot(page, 'app-journey-lesson-01-answered')}")

    # The keyboard: Tab reaches the first exercise's choices, Space picks, Enter presses Check.
    page.locator("h2", has_text="Practice: aspiration or goal?").click()
    assert _tab_to(page, "e.type === 'radio' && !!e.closest('.cak-ex')"), "Tab reaches a choice"
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked"), "Space picks the choice"
    assert _tab_to(page, "e.tagName === 'BUTTON' && e.textContent.includes('Check')")
    page.keyboard.press("Enter")
    page.get_by_text("Score:").first.wait_for(timeout=15_000)
    # Reset asks first; "Keep my answers" keeps them.
    assert _tab_to(page, "e.tagName === 'BUTTON' && e.textContent.includes('Reset')")
    page.keyboard.press("Enter")
    keep = page.get_by_role("button", name="Keep my answers").first
    keep.wait_for(state="visible", timeout=10_000)
    keep.click()
    assert "classify-statements" in _answers(answers01)

    # Contrast of every piece of text the page shows (computed styles).
    measured = page.locator(
        "#rendered_cells :is(p, li, h1, h2, h3, td, th, label, a, .cak-note, .cak-title)"
    ).evaluate_all(CONTRAST)
    low = [m for m in measured if m["ratio"] < AA]
    assert measured and not low, f"text under {AA}:1 contrast: {low[:5]}"

    # Lesson 03: the matrix follows the aspirations, and the heatmap the ratings, with no re-run.
    page.goto(app_server.url + lesson03)
    _wait_drawn(page)
    assert not page.locator(".cak-live select").count(), "no aspiration yet: no matrix"
    aspiration = page.get_by_label("Aspiration 1", exact=True)
    aspiration.fill("Lead projects that change how patients are cared for")
    aspiration.press("Tab")
    rating = page.locator(".cak-live select").first
    rating.wait_for(timeout=20_000)
    rating.select_option(label="2 strong")
    page.wait_for_function(  # the heatmap's caption counts the rated cell: it was redrawn
        "() => [...document.querySelectorAll('.cak-live')].pop().innerText.includes(', 1 of ')",
        timeout=20_000,
    )
    answers03 = app_server.root / "notebooks" / "03-align-your-aspirations.answers.json"
    assert "alignment-matrix" in _answers(answers03), "the rating was saved before the redraw"
    print(f"screenshot: {_screenshot(page, 'app-journey-lesson-03-rated')}")

    # Back to lesson 01 on the same app: its page comes from a kernel started ahead, before the
    # answers above were given, and shows them all the same (read when the page opened).
    page.goto(app_server.url + lesson01)
    _wait_drawn(page)
    goal = page.get_by_label("A stepping-stone goal toward it", exact=False)
    assert goal.input_value() == "Finish a careers-advice certificate", "answers read on opening"
    assert "careers-advice certificate" in page.locator(".cak-live").last.inner_text()

    # A phone: no sideways scrolling of the page (a wide table may scroll inside its own box).
    page.set_viewport_size(PHONE)
    try:
        phone_pages = [("landing", ""), ("lesson-01", lesson01), ("lesson-03", lesson03)]
        phone_pages.append(("lesson-05", "voila/render/notebooks/05-draft-your-answer.ipynb"))
        for name, path in phone_pages:
            page.goto(app_server.url + path)
            if path:
                _wait_drawn(page)
            wide = page.evaluate(SIDEWAYS)
            assert not wide, f"{name} scrolls sideways at {PHONE['width']} px: {wide}"
            _screenshot(page, f"app-phone-{name}", width=PHONE["width"])
            page.set_viewport_size(PHONE)
    finally:
        page.set_viewport_size(VIEWPORT)

    # Lesson 05: the coach reads the draft as it is typed.
    page.goto(app_server.url + "voila/render/notebooks/05-draft-your-answer.ipynb")
    _wait_drawn(page)
    draft = page.locator(".cak-ex textarea").first
    draft.click()
    draft.press_sequentially(
        "In the long run I want to lead a team that turns data into better care. "
        "This role would teach me to build dashboards, as I did for my last team.",
        delay=5,
    )
    page.get_by_text("Aspiration").first.wait_for(timeout=15_000)
    answers05 = app_server.root / "notebooks" / "05-draft-your-answer.answers.json"
    deadline = time.monotonic() + 15
    while "dashboards" not in str(_answers(answers05)) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert "dashboards" in str(_answers(answers05)), "the draft is saved as it is typed"
    assert not _problems(page, "lesson 05 with a draft")
    print(f"screenshot: {_screenshot(page, 'app-journey-lesson-05-coached')}")

    # Stop the app and start it again: the answers come back.
    app_server.stop()
    app_server.start()
    page.goto(app_server.url + lesson01)
    _wait_drawn(page)
    assert page.get_by_label("Within how many months", exact=False).input_value() == "6"
    assert "careers-advice certificate" in page.locator(".cak-live").last.inner_text()

    # The same answers file in JupyterLab: the same answers show there.
    shutil.copy(answers01, lab_root / "notebooks" / answers01.name)
    path = "notebooks/01-aspirations-vs-goals.ipynb"
    panel = lab.open(path)
    try:
        lab.run_all(path)
        field = panel.get_by_label("Within how many months", exact=False)
        assert field.input_value() == "6"
        assert "careers-advice certificate" in panel.locator(".cak-live").last.inner_text()
        lab.screenshot(panel, "app-journey-same-answers-in-jupyterlab")
    finally:
        lab.close_and_shutdown(path)
        (lab_root / "notebooks" / answers01.name).unlink(missing_ok=True)
