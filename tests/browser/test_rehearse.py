"""Rehearse aloud in a real JupyterLab: Chromium's fake microphone plays an espeak-ng answer.

Chromium is started with `--use-fake-device-for-media-stream` and
`--use-file-for-fake-audio-capture=answer.wav`, so pressing Record captures that recording
through the Web Audio API exactly as a microphone would be captured. The test checks what the
learner sees (transcript, duration, fillers, the skipped sentence) and the answers file.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from labkit import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    LabPage,
    copy_repository,
    lesson_path,
    read_answers,
    wait_for,
)

from course.learner.answers import AnswerStore
from course.learner.speech import audio, available

pytestmark = pytest.mark.browser

DRAFT = (
    "In the long run I want to lead a team that builds tools for teachers. "
    "This role would teach me how a product is planned and shipped. "
    "In my first year I would like to own one feature from start to finish."
)
#: What the fake microphone says: the first and last sentences, with a filler; the middle one
#: is skipped.
SPOKEN = (
    "In the long run I want to lead a team that builds tools for teachers. Um, "
    "in my first year I would like to own one feature from start to finish."
)


@pytest.fixture(scope="module")
def answer_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The recording the fake microphone plays (with a second of silence after it)."""
    if shutil.which("espeak-ng") is None or not available():
        pytest.skip("needs espeak-ng and the speech extra (pocketsphinx, anywidget)")
    raw = subprocess.run(
        ["espeak-ng", "-v", "en-us", "-s", "150", "--stdout", SPOKEN],
        check=True,
        capture_output=True,
    ).stdout
    pcm = audio.read_wav(raw) + b"\0\0" * audio.SAMPLE_RATE * 3
    return audio.write_wav(tmp_path_factory.mktemp("mic") / "answer.wav", pcm)


@pytest.fixture(scope="module")
def mic_browser(chromium, answer_wav: Path) -> Iterator[object]:
    """A Chromium whose microphone plays `answer_wav` (permission granted).

    Launched from the suite's one Playwright (the `chromium` fixture's): a second
    sync_playwright() in the same thread fails once the first one's loop is running.
    """
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-audio-capture={answer_wav}",
        "--autoplay-policy=no-user-gesture-required",
    ]
    browser = chromium.browser_type.launch(executable_path=str(CHROMIUM), headless=True, args=args)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture(scope="module")
def mic_lab(lab_server, mic_browser) -> Iterator[LabPage]:
    """A JupyterLab page in the Chromium with the fake microphone."""
    context = mic_browser.new_context(viewport=VIEWPORT, permissions=["microphone"])
    context.set_default_timeout(30_000)
    try:
        yield LabPage(context.new_page(), lab_server).load()
    finally:
        context.close()


def rehearse(page: object, recorder: object, answer_wav: Path, name: str) -> str:
    """Press Record, let the fake microphone play the answer, press Stop; the recorder's text."""
    record = recorder.locator("button.cak-record")
    record.scroll_into_view_if_needed()
    assert record.inner_text().strip().endswith("Record")
    record.click()
    recorder.locator(".cak-note", has_text="press Stop").wait_for(timeout=15_000)
    seconds = audio.seconds(audio.read_wav(answer_wav))
    page.wait_for_timeout(int(seconds * 1000) - 1500)
    record.click()  # Stop
    recorder.locator(".cak-rehearsal, .cak-warn").first.wait_for(timeout=120_000)
    if recorder.locator(".cak-warn").count() == 0:  # the attempts plotted, with their caption
        recorder.locator("img").first.wait_for(timeout=30_000)
        recorder.get_by_text("Rehearsal attempts").first.wait_for(timeout=30_000)
    text = recorder.inner_text()
    with contextlib.suppress(Exception):  # a picture for people; never the reason to fail
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        recorder.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    assert recorder.locator(".cak-warn").count() == 0, text
    assert "Length:" in text and "words a minute" in text
    assert "Fillers:" in text
    assert "skipped" in text and "planned and shipped" in text
    recorder.locator("summary", has_text="What was heard").click()
    heard = recorder.locator(".cak-transcript").inner_text()
    assert "team" in heard and "feature" in heard
    return heard.strip()


def check_attempt(answers_file: Path, heard: str, answer_wav: Path) -> None:
    """The answers file holds one attempt with what the page showed."""
    answers = wait_for(lambda: read_answers(answers_file).get("rehearsal"))
    (attempt,) = answers["attempts"]
    assert attempt["transcript"] == heard
    assert 6 < attempt["seconds"] < audio.seconds(audio.read_wav(answer_wav)) + 1
    assert attempt["skipped"] == [DRAFT.split(". ")[1] + "."]
    assert attempt["recording"] is None
    assert not (answers_file.parent / "recordings").exists()


def test_the_recorder_hears_the_fake_microphone_and_saves_the_attempt(
    mic_lab: LabPage, lab_root: Path, answer_wav: Path
):
    lesson = "05-draft-your-answer"
    path = lesson_path(lab_root, lesson)
    folder = lab_root / "notebooks"
    AnswerStore(lesson, folder).set("draft-answer", DRAFT, kind="draft")
    panel = mic_lab.open(path)
    try:
        state = mic_lab.run_all(path)
        assert not state["errors"], state["errors"]
        recorder = panel.locator(".cak-ex").filter(has_text="Say your answer aloud").first
        heard = rehearse(mic_lab.page, recorder, answer_wav, "rehearse-lab-05")
        check_attempt(folder / f"{lesson}.answers.json", heard, answer_wav)
        assert not mic_lab.page_errors, mic_lab.page_errors
    finally:
        mic_lab.close_and_shutdown(path)


def test_the_recorder_works_in_the_learner_app(
    mic_browser, tmp_path_factory: pytest.TempPathFactory, answer_wav: Path
):
    """The same in Voilà (`python -m course app`): no code shown, the same answers file."""
    from test_browser_app import AppServer

    base = tmp_path_factory.mktemp("rehearse-app")
    server = AppServer(root=copy_repository(base / "kit"), base=base)
    lesson = "05-draft-your-answer"
    folder = server.root / "notebooks"
    AnswerStore(lesson, folder).set("draft-answer", DRAFT, kind="draft")
    server.start()
    context = mic_browser.new_context(viewport=VIEWPORT, permissions=["microphone"])
    context.set_default_timeout(60_000)
    try:
        page = context.new_page()
        page.goto(server.url + f"voila/render/notebooks/{lesson}.ipynb")
        recorder = page.locator(".cak-ex").filter(has_text="Say your answer aloud").first
        recorder.locator("button.cak-record").wait_for(timeout=120_000)
        heard = rehearse(page, recorder, answer_wav, "rehearse-app-05")
        check_attempt(folder / f"{lesson}.answers.json", heard, answer_wav)
        assert page.locator(".jp-CodeCell .jp-InputArea:visible").count() == 0, "no code shown"
    finally:
        context.close()
        server.stop()
