"""The recorder: say the answer aloud, see its timing, pace, pauses, fillers and the coach's view.

Record and Stop live in the browser (course.learner.widgets.recorder_js, an anywidget); the
audio reaches this kernel over the widget's comm and is analysed here by
course.learner.speech. Nothing leaves the machine. The recording is written to disk only when
the learner ticks "Keep my recordings"; each attempt's transcript and figures are saved in the
answers file (kind "rehearsal") and plotted across attempts.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import ipywidgets as W

from course.errors import AnswerError
from course.learner.answers import AnswerStore
from course.learner.speech.attempts import MAX_ATTEMPTS, attempt_record, normalize
from course.learner.widgets.base import STYLE, _para, escape

#: Most audio accepted from the browser: ten minutes of 16 kHz 16-bit mono.
MAX_BYTES = 10 * 60 * 16000 * 2
#: Where kept recordings go, beside the notebook.
RECORDINGS = "recordings"
#: The learner's draft: lesson 05's answers file, its draft exercise.
DRAFT_LESSON = "05-draft-your-answer"
DRAFT_EXERCISE = "draft-answer"

MESSAGES = {
    "refused": "Your browser did not allow the microphone. To rehearse aloud, allow this page "
    "to use the microphone (the icon in the address bar), then press Record again.",
    "no-microphone": "No microphone was found, or another program is using it. Plug one in or "
    "close the other program, then press Record again.",
    "unsupported": "This browser cannot record here. Open the lesson in a recent Chrome, Edge "
    "or Firefox, at a localhost or https address.",
    "other": "The microphone could not be started. Check it is connected, then press Record again.",
}


@functools.cache
def _capture_class() -> type:
    """The anywidget class (anywidget is imported only when a recorder is built)."""
    import anywidget
    import traitlets

    from course.learner.widgets.recorder_js import ESM

    class Capture(anywidget.AnyWidget):  # type: ignore[misc]
        """Record/Stop in the browser; PCM chunks arrive as custom messages."""

        _esm = ESM
        busy = traitlets.Bool(False).tag(sync=True)

    return Capture


def speech_ready() -> str:
    """'' when the speech extra is installed, else the one line that says how to install it."""
    import importlib.util

    from course.learner.speech.recognizer import INSTALL_HINT

    for module in ("pocketsphinx", "anywidget"):
        if importlib.util.find_spec(module) is None:
            return INSTALL_HINT
    return ""


def attempts_figure(attempts: Sequence[Mapping[str, Any]]) -> tuple[Any, str]:
    """Duration, pace, fillers and coach score across attempts, with the targets shaded."""
    from course.learner import style
    from course.learner.style import OKABE_ITO

    numbers = list(range(1, len(attempts) + 1))
    panels = [
        ("Length (s)", "seconds", (60, 90), OKABE_ITO["blue"]),
        ("Pace (words a minute)", "wpm", (110, 160), OKABE_ITO["orange"]),
        ("Fillers", "fillers", (0, 3), OKABE_ITO["vermillion"]),
        ("Coach score (of 18)", "score", (15, 18), OKABE_ITO["bluish green"]),
    ]
    with style.apply():
        from matplotlib.figure import Figure

        fig = Figure(figsize=(10, 6.4))
        axes = fig.subplots(2, 2, sharex=True)
        for ax, (title, key, band, colour) in zip(axes.flat, panels, strict=True):
            values = [a.get(key) if isinstance(a.get(key), int | float) else None for a in attempts]
            ax.axhspan(*band, color="#dddddd", zorder=0, label="aim")
            points = [(n, v) for n, v in zip(numbers, values, strict=True) if v is not None]
            if points:
                ax.plot(*zip(*points, strict=True), color=colour, lw=2.5, marker="o", ms=8)
            ax.set_title(title)
            # From zero (and the score to its maximum): a change reads at its true size.
            ax.set_ylim(bottom=0, top=18 if key == "score" else None)
            ax.set_xticks(numbers or [1])
            ax.set_xlim(0.5, max(len(numbers), 1) + 0.5)
        for ax in axes[1]:
            ax.set_xlabel("Attempt")
        fig.tight_layout()
    return fig, describe_attempts(attempts)


def describe_attempts(attempts: Sequence[Mapping[str, Any]]) -> str:
    """One line for screen readers: each attempt's figures."""
    if not attempts:
        return "No attempts yet."
    parts = [
        f"attempt {n}: {a.get('seconds', 0):.0f} s, {a.get('wpm', 0)} words a minute, "
        f"{a.get('fillers', 0)} filler{'' if a.get('fillers', 0) == 1 else 's'}, "
        f"coach {a.get('score', '?')} of 18"
        for n, a in enumerate(attempts, 1)
    ]
    return "Rehearsal attempts (shaded bands are the aims): " + "; ".join(parts) + "."


class Recorder:
    """Record an answer aloud and get feedback on it; every attempt is kept and plotted."""

    kind = "rehearsal"

    def __init__(
        self,
        store: AnswerStore,
        exercise_id: str = "rehearsal",
        *,
        title: str = "",
        prompt: str = "",
        hint: str = "",
        mode: str = "practice",
        draft_lesson: str = DRAFT_LESSON,
        draft_exercise: str = DRAFT_EXERCISE,
    ) -> None:
        del hint, mode  # every kind's widget takes them; a rehearsal has no hint, one mode
        self.store = store
        self.id = exercise_id
        self.title = title or "Rehearse aloud"
        self.draft_lesson, self.draft_exercise = draft_lesson, draft_exercise
        self._chunks: list[bytes] = []
        self._size = 0
        self.last_result: dict[str, Any] | None = None
        self.value, problems = normalize(store.get(exercise_id))
        self.status = W.HTML(value="")
        self.report = W.HTML(value="")
        self.chart = W.Output()
        self.keep = W.Checkbox(
            value=self.value["keep"],
            description="Keep my recordings (saved beside this notebook, never sent anywhere)",
            indent=False,
            layout=W.Layout(width="auto"),
        )
        self.keep.observe(self._keep_changed, names="value")
        header = STYLE + f'<div class="cak-title">{escape(self.title)}</div>'
        if prompt:
            header += _para(prompt)
        missing = speech_ready()
        self.capture: Any = None
        if missing:
            controls: list[W.Widget] = [
                W.HTML(value=f'<div class="cak-warn">{escape(missing)}</div>')
            ]
        else:
            self.capture = _capture_class()()
            self.capture.on_msg(self._message)
            controls = [self.capture, self.keep]
        self.widget = W.VBox(
            [W.HTML(value=header), *controls, self.status, self.report, self.chart]
        )
        self.widget.add_class("cak-ex")
        self.widget.add_class("cak-wrap")
        if problems:
            self.status.value = "".join(
                f'<div class="cak-warn">{escape(p)}</div>' for p in problems
            )
        self._draw()

    # ------------------------------------------------------------------ the comm

    def _message(self, _widget: Any, content: Mapping[str, Any], buffers: Sequence[Any]) -> None:
        kind = content.get("type")
        if kind == "start":
            self._chunks, self._size = [], 0
            self.status.value = _para("Recording\u2026 press Stop when you have finished.")
        elif kind == "chunk":
            for buffer in buffers:
                data = bytes(buffer)
                if self._size + len(data) <= MAX_BYTES:
                    self._chunks.append(data)
                    self._size += len(data)
        elif kind == "stop":
            pcm = b"".join(self._chunks)
            self._chunks, self._size = [], 0
            self.analyse(pcm)
        elif kind == "error":
            reason = str(content.get("reason", "other"))
            self.status.value = (
                f'<div class="cak-warn">{escape(MESSAGES.get(reason, MESSAGES["other"]))}</div>'
            )

    # ------------------------------------------------------------------ analysis

    def draft(self) -> str:
        """The learner's drafted answer (lesson 05), read fresh: it may have changed."""
        store = AnswerStore(self.draft_lesson, self.store.folder, read_only=True)
        text = store.get(self.draft_exercise)
        return text if isinstance(text, str) else ""

    def company(self) -> dict[str, Any] | None:
        """The company the learner prepares for (lesson 02), for the coach."""
        from course.learner import profile

        return profile.company_from_answers(self.store.folder)

    def analyse(self, pcm: bytes) -> dict[str, Any] | None:
        """Analyse one recording (16 kHz mono 16-bit PCM), save the attempt, show the feedback."""
        from course.learner import speech

        if self.capture is not None:
            self.capture.busy = True
        self.status.value = _para("Listening back to your answer, on this computer\u2026")
        started = time.perf_counter()
        try:
            result = speech.analyse(pcm, self.draft(), self.company(), pcm=True)
        except (speech.AudioProblem, speech.SpeechUnavailable) as exc:
            self.status.value = f'<div class="cak-warn">{escape(exc)}</div>'
            return None
        except Exception as exc:  # a recognizer failure must not break the lesson
            self.status.value = (
                f'<div class="cak-warn">This recording could not be analysed ({escape(exc)}). '
                "Try again, a little closer to the microphone.</div>"
            )
            return None
        finally:
            if self.capture is not None:
                self.capture.busy = False
        if not result["transcript"]:
            self.status.value = (
                '<div class="cak-warn">No words were recognised. Speak a little louder or '
                "closer to the microphone, then try again.</div>"
            )
            return None
        recording = self._keep_audio(pcm) if self.keep.value else None
        self.last_result = result
        self.record(attempt_record(result, recording))
        took = time.perf_counter() - started
        saved = self.status.value if "Not saved" in self.status.value else ""
        self.status.value = saved + _para(
            f"Attempt {len(self.value['attempts'])}, analysed in {took:.0f} s on this computer."
            + (f" Recording kept as {recording}." if recording else "")
        )
        from course.learner.speech.view import html_report

        self.report.value = html_report(result)
        self._draw()
        return result

    def _keep_audio(self, pcm: bytes) -> str | None:
        from course.learner.speech.audio import write_wav

        if self.store.read_only:
            return None
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        name = f"{RECORDINGS}/{self.store.notebook}-{stamp}.wav"
        try:
            write_wav(Path(self.store.folder) / name, pcm)
        except OSError as exc:
            self.status.value = f'<div class="cak-warn">Recording not kept: {escape(exc)}</div>'
            return None
        return name

    def record(self, attempt: Mapping[str, Any]) -> None:
        """Add one attempt to the answers file (the oldest dropped beyond MAX_ATTEMPTS)."""
        self.value["attempts"] = [*self.value["attempts"], dict(attempt)][-MAX_ATTEMPTS:]
        self._save()

    def _keep_changed(self, change: Mapping[str, Any]) -> None:
        self.value["keep"] = bool(change["new"])
        self._save()

    def _save(self) -> None:
        try:
            self.store.set(self.id, self.value, kind=self.kind)
        except AnswerError as exc:
            self.status.value = f'<div class="cak-warn">Not saved: {escape(exc)}</div>'

    def _draw(self) -> None:
        attempts = self.value["attempts"]
        if not attempts:
            self.chart.outputs = ()
            return
        from course.learner import plots

        plots.show_in(self.chart, *attempts_figure(attempts))

    # ------------------------------------------------------------------ the Lesson protocol

    def set_value(self, value: Any) -> None:
        """Replace the saved attempts (papermill parameters), saving them."""
        self.value, problems = normalize(value)
        self.keep.value = self.value["keep"]
        self._save()
        if problems:
            self.status.value = "".join(
                f'<div class="cak-warn">{escape(p)}</div>' for p in problems
            )
        self._draw()

    def summary(self) -> str:
        """One plain line for headless runs."""
        attempts = self.value["attempts"]
        if not attempts:
            return f"{self.id}: no attempts"
        last = attempts[-1]
        return (
            f"{self.id}: {len(attempts)} attempts; last {last.get('seconds', 0):.0f} s, "
            f"{last.get('wpm', 0)} wpm, {last.get('fillers', 0)} fillers"
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
