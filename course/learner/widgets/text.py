"""Widgets for the learner's own words: Form (named fields) and Draft (live feedback)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as W

from course import speaking
from course.errors import KitError
from course.learner import checks
from course.learner.answers import AnswerStore
from course.learner.widgets.base import PRACTICE, Exercise, _para, escape
from course.speaking import (
    STRONG_MAX_SECONDS,
    STRONG_MIN_SECONDS,
    TOO_SHORT_SECONDS,
    count_words,
    seconds_for_words,
)

# --------------------------------------------------------------------------- Form


class Form(Exercise):
    """Named free-text fields (a worksheet); checked for completeness only."""

    kind = "form"

    def __init__(
        self,
        store: AnswerStore,
        exercise_id: str,
        fields: Sequence[tuple[str, str]] | Sequence[Any],
        *,
        min_words: int = 2,
        **kwargs: Any,
    ):
        self.fields = [_field_spec(f) for f in fields]
        self.min_words = min_words
        super().__init__(store, exercise_id, **kwargs)

    def _build(self) -> list[W.Widget]:
        # Each field's title is its input's `description`, which ipywidgets renders as a real
        # <label for=...>: screen readers announce it and clicking it focuses the field. The
        # cak-field class stacks the label above the input and lets it wrap.
        self.inputs: dict[str, W.Text | W.Textarea] = {}
        rows = []
        for spec in self.fields:
            cls = W.Textarea if spec["multiline"] else W.Text
            box = cls(
                value="",
                description=spec["label"],
                placeholder=spec["placeholder"],
                style={"description_width": "initial"},
                layout=W.Layout(width="95%", flex_flow="column"),
                continuous_update=False,
            )
            if spec["multiline"]:
                box.rows = 4
            box.add_class("cak-field")
            box.observe(self._changed, names="value")
            self.inputs[spec["id"]] = box
            rows.append(box)
        return rows

    def _normalize(self, value: Any) -> tuple[dict[str, str], list[str]]:
        return checks.normalize_text_map(value, self.inputs)

    def _apply(self, value: Mapping[str, str]) -> None:
        for fid, box in self.inputs.items():
            box.value = value.get(fid, "")

    @property
    def value(self) -> dict[str, str]:
        return {fid: box.value for fid, box in self.inputs.items() if box.value}

    def item_label(self, item_id: str) -> str:
        for spec in self.fields:
            if spec["id"] == item_id:
                return spec["label"]
        return item_id

    def result(self) -> checks.Result:
        required = {spec["id"]: spec["required"] for spec in self.fields}
        return checks.check_form(self.id, required, self.value, self.min_words)

    def check(self) -> checks.Result | None:
        # A form is never wrong, only incomplete: check works in graded mode too.
        result = self.result()
        self.feedback.value = self.render(result)
        return result

    def summary(self) -> str:
        return self.result().summary()


def _field_spec(field: Any) -> dict[str, Any]:
    if isinstance(field, tuple):
        fid, label = field[0], field[1]
        spec = {"id": fid, "label": label, "placeholder": "", "multiline": False, "required": True}
    else:
        spec = {
            "id": field.id,
            "label": field.label,
            "placeholder": field.placeholder,
            "multiline": field.multiline,
            "required": field.required,
        }
    spec["label"] = str(spec["label"] or "").strip()
    spec["placeholder"] = str(spec["placeholder"] or "")
    if not spec["label"]:
        # Every field needs a name a screen reader can announce: its label.
        raise KitError(f"form field {spec['id']!r} needs a label")
    return spec


# --------------------------------------------------------------------------- Draft


Analyser = Callable[[str], Any]
Renderer = Callable[[Any], str]


def speaking_time(text: str) -> dict[str, Any]:
    """The default analyser: words and speaking time only."""
    words = count_words(text)
    return {"words": words, "seconds": seconds_for_words(words)}


def length_note(seconds: float) -> tuple[str, str]:
    """(css class, verdict) for a speaking time, against the rubric's ranges."""
    if seconds < TOO_SHORT_SECONDS:
        return "cak-bad", f"too short: under {TOO_SHORT_SECONDS} s"
    if seconds < STRONG_MIN_SECONDS:
        return "cak-warn", f"a little short: aim for {STRONG_MIN_SECONDS} to {STRONG_MAX_SECONDS} s"
    if seconds <= STRONG_MAX_SECONDS:
        return "cak-ok", "a good length"
    return "cak-bad", f"too long: over {STRONG_MAX_SECONDS} s"


def render_speaking_time(result: Mapping[str, Any]) -> str:
    """Safe HTML for speaking_time() (numbers only; never the learner's text)."""
    words, seconds = int(result.get("words", 0)), float(result.get("seconds", 0.0))
    if words == 0:
        return _para("Start typing: word count and speaking time appear here.")
    css, note = length_note(seconds)
    return (
        f'<div class="{css}">{words} words \u2248 {seconds:.0f} s spoken at '
        f"{speaking.WORDS_PER_MINUTE} words a minute \u2014 {escape(note)}</div>"
    )


def _in_kernel() -> bool:
    """Whether we run inside a Jupyter kernel (the only place typing events arrive)."""
    import sys

    if "ipykernel" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class Draft(Exercise):
    """A text area with live feedback from a pluggable analyser, debounced as the learner types."""

    kind = "draft"

    def __init__(
        self,
        store: AnswerStore,
        exercise_id: str,
        *,
        analyser: Analyser | None = None,
        renderer: Renderer | None = None,
        placeholder: str = "Type your answer here...",
        debounce: float = 0.4,
        rows: int = 12,
        **kwargs: Any,
    ):
        self.analyser = analyser or speaking_time
        self.renderer = renderer or render_speaking_time
        self.placeholder = placeholder
        self.debounce = debounce
        self.rows = rows
        self._pending: Any = None
        self.last_analysis: Any = None
        #: Callbacks run with each fresh analysis (e.g. to redraw a chart).
        self.listeners: list[Callable[[Any], None]] = []
        kwargs.setdefault("mode", PRACTICE)
        super().__init__(store, exercise_id, **kwargs)
        self.analyse_now()

    def _build(self) -> list[W.Widget]:
        # The title shows above; `description` names the text area for screen readers (a real
        # <label for>), hidden on screen by the cak-sr-label class.
        self.text = W.Textarea(
            value="",
            description=self.title or "Your answer",
            placeholder=self.placeholder,
            rows=self.rows,
            layout=W.Layout(width="95%"),
            continuous_update=True,
        )
        self.text.add_class("cak-sr-label")
        self.text.observe(self._changed, names="value")
        self.live = W.HTML(value="")
        return [self.text, self.live]

    def _normalize(self, value: Any) -> tuple[str, list[str]]:
        return checks.normalize_text(value, "draft")

    def _apply(self, value: str) -> None:
        self.text.value = value

    @property
    def value(self) -> str:
        return self.text.value

    def _changed(self, *args: Any) -> None:
        super()._changed(*args)
        self.schedule_analysis()

    def schedule_analysis(self) -> None:
        """Analyse after a pause in typing inside a kernel; immediately elsewhere (tests, CLI)."""
        import asyncio

        loop = None
        if _in_kernel():
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                loop = None
        if loop is None or self.debounce <= 0:
            self.analyse_now()
            return
        if self._pending is not None:
            self._pending.cancel()
        self._pending = loop.call_later(self.debounce, self.analyse_now)

    def analyse_now(self) -> Any:
        """Run the analyser on the current text and show its feedback."""
        self._pending = None
        try:
            analysis = self.analyser(self.value)
            self.live.value = self.renderer(analysis)
        except Exception as exc:  # an analyser bug must never lose the learner's typing
            self.live.value = f'<div class="cak-warn">Feedback unavailable: {escape(exc)}</div>'
            return None
        self.last_analysis = analysis
        for listener in self.listeners:
            listener(analysis)
        return analysis

    def restore(self) -> None:
        super().restore()
        if hasattr(self, "live"):
            self.analyse_now()

    def reset(self) -> None:
        super().reset()
        self.analyse_now()

    def result(self) -> checks.Result:
        words = count_words(self.value)
        status = "correct" if words else "missing"
        item = checks.ItemResult("draft", status, float(bool(words)), 1.0, f"{words} words", words)
        return checks.Result(self.id, float(bool(words)), 1.0, bool(words), (item,))

    def check(self) -> checks.Result | None:
        """Analyse now and say, in the feedback area, where the draft stands (any mode)."""
        analysis = self.analyse_now()
        if analysis is None:
            self.feedback.value = (
                '<div class="cak-warn">The draft could not be checked just now; it is saved.</div>'
            )
            return None
        stamp = time.strftime("%H:%M:%S")
        self.feedback.value = (
            f'<div class="cak-note"><b>Checked at {stamp}.</b></div>{self.check_html(analysis)}'
        )
        return self.result()

    def check_html(self, analysis: Any) -> str:
        """Safe HTML for the Check button: the length verdict and what to do next."""
        words = count_words(self.value)
        if not words:
            return '<div class="cak-miss">Nothing to check yet: type your answer above.</div>'
        seconds = seconds_for_words(words)
        css, note = length_note(seconds)
        if seconds < STRONG_MIN_SECONDS:
            advice = (
                "Say more: your aspiration, how this role builds toward it, and what you will "
                "contribute."
            )
        elif seconds <= STRONG_MAX_SECONDS:
            advice = "Now read it aloud with a timer."
        else:
            advice = "Trim it: keep the three parts and one short example, drop the back story."
        return (
            f'<div class="{css}">Your draft has {words} words, about {seconds:.0f} s spoken: '
            f"{escape(note)}. {escape(advice)}</div>"
        )

    def summary(self) -> str:
        words = count_words(self.value)
        return f"{self.id}: {words} words, {seconds_for_words(words):.0f} s"
