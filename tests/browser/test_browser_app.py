"""The learner app (`python -m course app`, Voilà) in headless Chromium, as a learner uses it.

One app server on a copy of the repository: the landing page lists the lessons; every lesson
and graded exercise opens with its widgets drawn and no code, prompt, traceback or stderr;
an answer given in the app shows on the landing page, and "Download my work" saves the zip
that grading takes (also from the button a lesson can show, in the app and in JupyterLab).
Screenshots go to test-artifacts/browser/app-*.png.
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


def _screenshot(page, name: str) -> Path:
    """The whole page, as a learner scrolling through it sees it."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    height = page.evaluate(
        "() => Math.max(document.body.scrollHeight,"
        " (document.querySelector('#rendered_cells') || document.body).scrollHeight)"
    )
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(int(height) + 40, 16_000)})
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
