"""Rehearse aloud in a real JupyterLab: Chromium's fake microphone plays an espeak-ng answer.

Chromium is started with `--use-fake-device-for-media-stream` and
`--use-file-for-fake-audio-capture=answer.wav`, so pressing Record captures that recording
through the Web Audio API exactly as a microphone would be captured. The test checks what the
learner sees (transcript, duration, fillers, the skipped sentence) and the answers file.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from labkit import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, LabPage, lesson_path, read_answers, wait_for

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
def mic_lab(lab_server, answer_wav: Path) -> Iterator[LabPage]:
    """A JupyterLab page in a Chromium whose microphone plays `answer_wav`."""
    from playwright.sync_api import sync_playwright

    args = [
        *CHROMIUM_ARGS,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-audio-capture={answer_wav}",
        "--autoplay-policy=no-user-gesture-required",
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=args)
        context = browser.new_context(viewport=VIEWPORT, permissions=["microphone"])
        context.set_default_timeout(30_000)
        try:
            yield LabPage(context.new_page(), lab_server).load()
        finally:
            context.close()
            browser.close()


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
        record = recorder.locator("button.cak-record")
        record.scroll_into_view_if_needed()
        assert record.inner_text().strip().endswith("Record")
        record.click()
        recorder.get_by_text("Recording").wait_for(timeout=15_000)
        seconds = audio.seconds(audio.read_wav(answer_wav))
        mic_lab.page.wait_for_timeout(int(seconds * 1000) - 1500)
        record.click()  # Stop
        done = recorder.locator(".cak-rehearsal, .cak-warn").first
        done.wait_for(timeout=120_000)
        text = recorder.inner_text()
        mic_lab.snapshot(recorder, "rehearse-05")
        assert recorder.locator(".cak-warn").count() == 0, text
        assert "Length:" in text and "words a minute" in text
        assert "Fillers:" in text
        assert "skipped" in text and "planned and shipped" in text
        recorder.locator("summary", has_text="What was heard").click()
        heard = recorder.locator(".cak-transcript").inner_text()
        assert "team" in heard and "feature" in heard
        answers = wait_for(lambda: read_answers(folder / f"{lesson}.answers.json").get("rehearsal"))
        (attempt,) = answers["attempts"]
        assert attempt["transcript"] == heard.strip()
        assert 6 < attempt["seconds"] < seconds + 1
        assert attempt["skipped"] == [DRAFT.split(". ")[1] + "."]
        assert attempt["recording"] is None and not (folder / "recordings").exists()
        assert not mic_lab.page_errors, mic_lab.page_errors
    finally:
        mic_lab.close_and_shutdown(path)
