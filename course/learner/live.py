"""live(): a part of a page that redraws itself when the answers it depends on change.

A lesson's figure (01's time line, 03's heatmap) or note (05's company) is drawn from saved
answers. Drawn once, it goes stale the moment the learner answers again, and a learner of the
app cannot re-run a cell. `live(render, *exercise_ids, store=...)` draws `render()` into an
ipywidgets Output and draws it again whenever one of those exercises is saved in this kernel
(AnswerStore's on_change), within the same message that saved it; `files=` also watches answers
files written by another page or program (their modification time, checked every second).

The outputs are captured and set on the Output directly (as course.learner.plots.show_in does),
so a redraw works the same from a cell, a click handler or a timer, in JupyterLab and in Voilà.
A render that fails shows a plain sentence, never a traceback (that goes to the kernel's log).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from course.learner.answers import AnswerStore, on_change
from course.learner.safe import escape

__all__ = ["FAILED", "Live", "live", "say"]

#: What a learner reads where a figure could not be drawn.
FAILED = "This part could not be drawn just now. Change an answer to try again, or reload the page."
#: Seconds between checks of watched answers files written by another page or program.
POLL_SECONDS = 1.0

#: The live parts of this kernel by key: running a cell again replaces its part, not adds one.
_LIVE: dict[Any, Live] = {}


def _outputs(captured: Any) -> tuple[dict[str, Any], ...]:
    """IPython's captured stdout and displays as Output widget outputs (stderr is dropped)."""
    outputs: list[dict[str, Any]] = []
    if captured.stdout:
        outputs.append({"output_type": "stream", "name": "stdout", "text": captured.stdout})
    for item in captured.outputs:
        outputs.append(
            {"output_type": "display_data", "data": item.data, "metadata": item.metadata or {}}
        )
    return tuple(outputs)


class Live:
    """One live part of a page: its Output widget, what draws it, and what makes it redraw."""

    def __init__(
        self,
        render: Callable[[], Any],
        exercise_ids: Iterable[str],
        store: AnswerStore | None = None,
        files: Iterable[str | os.PathLike[str]] = (),
    ):
        import ipywidgets as W

        self.render = render
        self.exercise_ids = frozenset(exercise_ids)
        self.store = store
        self.path = store.path.resolve() if store is not None else None
        self.files = {Path(f).resolve(): self._mtime(Path(f)) for f in files}
        self.output = W.Output()  # no set width: a margin on 100% would scroll sideways
        self.output.add_class("cak-live")
        #: Seconds the last redraw took (the benchmark reads it).
        self.seconds = 0.0
        self.redraws = 0
        self._unregister = on_change(self._changed)
        self._task: Any = None
        self.redraw()
        if self.files:
            self._watch()

    @staticmethod
    def _mtime(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    def _changed(self, path: Path, exercise_id: str | None) -> None:
        """A store saved a change: redraw when it is one of ours."""
        if self.path is not None and path != self.path:
            return
        if exercise_id is None or exercise_id in self.exercise_ids:
            if self.store is not None and self.store.path.resolve() == path:
                self.store.refresh()  # another store of this kernel may have written it
            self.redraw()

    def redraw(self) -> None:
        """Draw `render()` again into the Output (a plain sentence if it fails)."""
        from IPython.utils.capture import capture_output

        start = time.perf_counter()
        try:
            with capture_output(stdout=True, stderr=False, display=True) as captured:
                self.render()
            outputs = _outputs(captured)
        except Exception:  # the learner sees a plain sentence; the log keeps the details
            import traceback

            traceback.print_exc(file=sys.__stderr__)
            html = f'<div class="cak-warn">{escape(FAILED)}</div>'
            note = {"output_type": "display_data", "data": {"text/html": html}, "metadata": {}}
            outputs = (note,)
        self.output.outputs = outputs
        self.redraws += 1
        self.seconds = time.perf_counter() - start

    def _watch(self) -> None:
        """Check the watched files every POLL_SECONDS on the kernel's event loop."""
        import asyncio

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # not in a kernel (a plain script): nothing to watch for

        async def poll() -> None:
            while True:
                await asyncio.sleep(POLL_SECONDS)
                if self.poll():
                    self.redraw()

        self._task = loop.create_task(poll())

    def poll(self) -> bool:
        """Whether a watched file changed since the last check (and remember its new time)."""
        changed = False
        for path, seen in self.files.items():
            now = self._mtime(path)
            if now != seen:
                self.files[path] = now
                changed = True
        return changed

    def close(self) -> None:
        """Stop redrawing (a cell run again replaces its live part)."""
        self._unregister()
        if self._task is not None:
            self._task.cancel()
        self.output.close()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.output)

    def __repr__(self) -> str:
        return f"Live({sorted(self.exercise_ids)}, {self.redraws} draws)"


def live(
    render: Callable[[], Any],
    *exercise_ids: str,
    store: AnswerStore | None = None,
    files: Iterable[str | os.PathLike[str]] = (),
    key: Any = None,
) -> Live:
    """A part of the page drawn by `render()`, redrawn when these exercises' answers change.

    `store` limits the exercise ids to one answers file (None: any file of this kernel);
    `files` are answers files to watch for changes made elsewhere (another page, lesson 02's
    answers seen from lesson 05). Show it by making it a cell's last expression. Running the
    same cell again replaces the earlier part (`key`, by default the render's name and ids).
    """
    if key is None:
        where = str(store.path.resolve()) if store is not None else ""
        key = (getattr(render, "__qualname__", repr(render)), exercise_ids, where)
    old = _LIVE.pop(key, None)
    if old is not None:
        old.close()
    part = Live(render, exercise_ids, store=store, files=files)
    _LIVE[key] = part
    return part


def say(*sentences: str) -> None:
    """Show plain sentences as a note: HTML in the page (escaped), plain text for headless runs.

    Printed text shows as code-like monospace, in the app and in JupyterLab; a note reads as
    the lesson's own text.
    """
    from IPython.display import display

    html = "".join(f'<p class="cak-note">{escape(s)}</p>' for s in sentences if s)
    display({"text/html": html, "text/plain": "\n".join(s for s in sentences if s)}, raw=True)
