"""Exercise widgets on ipywidgets: display only; checking lives in checks.py, saving in answers.py.

Each exercise is bound to an AnswerStore and an exercise id. It saves on every change, restores
its value from the store whenever its cell runs again, and renders check results from
checks.py. Practice mode has Check and Hint buttons; graded mode holds no answer key and shows a
"saved" indicator instead. All learner text is HTML-escaped before display.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import ipywidgets as W

from course import speaking
from course.errors import AnswerError, KitError
from course.learner import checks
from course.learner.answers import AnswerStore
from course.speaking import (
    STRONG_MAX_SECONDS,
    STRONG_MIN_SECONDS,
    TOO_SHORT_SECONDS,
    count_words,
    seconds_for_words,
)

__all__ = [
    "Choose",
    "Classify",
    "Draft",
    "Exercise",
    "Form",
    "Matrix",
    "Pick",
    "QuestionDeck",
    "Quiz",
    "escape",
]

PRACTICE, GRADED = "practice", "graded"

# Feedback colours: dark text on pale backgrounds, each pair above 7:1 contrast (WCAG AAA), and
# every verdict carries a symbol and a word too, so colour is never the only signal.
STYLE = """<style>
.cak-ex {border-left: 4px solid #0b5394; padding: 4px 12px; margin: 6px 0;}
.cak-ex .cak-title {font-weight: 600; font-size: 1.1em; margin: 2px 0;}
.cak-ok {background: #e6f4ea; color: #0d4a1f; padding: 2px 6px; border-radius: 3px;}
.cak-bad {background: #fde8e8; color: #7a1010; padding: 2px 6px; border-radius: 3px;}
.cak-miss {background: #f1f1f1; color: #333333; padding: 2px 6px; border-radius: 3px;}
.cak-note {color: var(--jp-content-font-color1, #333333);}
.cak-warn {background: #fff4d6; color: #5a3d00; padding: 2px 6px; border-radius: 3px;}
.cak-wrap .widget-label-basic, .cak-wrap label {white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; height: auto !important;}
.cak-item {margin: 4px 0 8px 0;}
.cak-ex .widget-html > .widget-html-content {line-height: var(--jp-content-line-height, 1.6);}
.cak-ex blockquote.cak-context {margin: 6px 0 10px 4px; padding: 2px 12px;
  border-left: 3px solid var(--jp-border-color1, #bdbdbd);}
.cak-ex blockquote.cak-context p {margin: 0 0 0.5em 0;}
.cak-inline .widget-radio-box {flex-direction: row; flex-wrap: wrap; gap: 4px 24px;}
.cak-inline.widget-radio {width: auto;}
.cak-inline .widget-radio-box label {width: auto; white-space: nowrap !important;}
.cak-inline input[type="radio"] {width: 1.15em; height: 1.15em;}
.cak-ex .widget-textarea textarea, .cak-ex .widget-text input {
  font-family: var(--jp-content-font-family, system-ui, sans-serif);
  font-size: var(--jp-content-font-size1, 14px);}
.cak-field.widget-inline-hbox {flex-direction: column; align-items: stretch;}
.cak-field .widget-input {width: 100%; box-sizing: border-box; margin-left: 0;
  margin-right: 0;}
.cak-field .widget-label {width: auto; max-width: none; text-align: left; font-weight: 600;
  margin: 0 0 2px 0; line-height: 1.4;}
.cak-cell.widget-dropdown > select {border-color: var(--jp-ui-font-color2, #757575);}
.cak-cell.widget-dropdown > select:focus {outline-offset: 1px;
  outline: 2px solid var(--jp-brand-color1, #1976d2) !important;}
.cak-sr-label .widget-label {position: absolute !important; width: 1px !important;
  height: 1px !important; overflow: hidden !important; clip: rect(0 0 0 0);
  white-space: nowrap !important; margin: -1px; padding: 0;}
</style>"""

SYMBOL = {
    "correct": ("cak-ok", "\u2714 right"),
    "wrong": ("cak-bad", "\u2718 not quite"),
    "missing": ("cak-miss", "\u25cb no answer"),
    "partial": ("cak-warn", "\u25d1 partly"),
}


def escape(text: Any) -> str:
    """HTML-escape anything for display (learner text is never trusted)."""
    return html.escape(str(text), quote=True)


def _para(text: str, css: str = "cak-note") -> str:
    return f'<div class="{css}">{escape(text)}</div>'


class Exercise:
    """Base of every exercise type: saving, restoring, buttons and the feedback area."""

    kind = "exercise"

    def __init__(
        self,
        store: AnswerStore,
        exercise_id: str,
        *,
        title: str = "",
        prompt: str = "",
        hint: str = "",
        mode: str = PRACTICE,
    ):
        if mode not in (PRACTICE, GRADED):
            raise KitError(f"mode must be {PRACTICE!r} or {GRADED!r}, got {mode!r}")
        self.store = store
        self.id = exercise_id
        self.mode = mode
        self.title = title
        self.prompt = prompt
        self.hint_text = hint
        self._restoring = False
        self.feedback = W.HTML(value="")
        self.status = W.HTML(value="")
        self.controls = self._build()
        buttons = []
        if mode == PRACTICE:
            self.check_button = W.Button(
                description="Check",
                button_style="primary",
                icon="check",
                tooltip="Check your answers and see why",
            )
            self.check_button.on_click(lambda _b: self.check())
            buttons.append(self.check_button)
            if hint:
                self.hint_button = W.Button(
                    description="Hint", icon="lightbulb-o", tooltip="Show a hint"
                )
                self.hint_button.on_click(lambda _b: self.show_hint())
                buttons.append(self.hint_button)
        self.reset_button = W.Button(
            description="Reset",
            icon="undo",
            tooltip="Clear this exercise (a backup of your answers file is kept)",
        )
        self.reset_button.on_click(lambda _b: self.reset())
        buttons.append(self.reset_button)
        header = STYLE
        if title:
            header += f'<div class="cak-title">{escape(title)}</div>'
        if prompt:
            header += _para(prompt)
        self.widget = W.VBox(
            [W.HTML(value=header), *self.controls, W.HBox(buttons), self.feedback, self.status]
        )
        self.widget.add_class("cak-ex")
        self.widget.add_class("cak-wrap")
        self.restore()

    # ------------------------------------------------------------------ to implement

    def _build(self) -> list[W.Widget]:
        raise NotImplementedError

    def _normalize(self, value: Any) -> tuple[Any, list[str]]:
        """Turn a saved value into this exercise's value, with problems for wrong types."""
        raise NotImplementedError

    def _apply(self, value: Any) -> None:
        """Show `value` in the controls (observers are muted while this runs)."""
        raise NotImplementedError

    @property
    def value(self) -> Any:
        """The current answer as plain data (what the answers file holds)."""
        raise NotImplementedError

    def result(self) -> checks.Result:
        """Check the current answer (practice mode only)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ shared behaviour

    def set_value(self, value: Any) -> None:
        """Set the answer through the controls, as clicks and typing would (each change saves)."""
        normalized, problems = self._normalize(value)
        self._apply_live(normalized)
        self._show_problems(problems)

    def _apply_live(self, value: Any) -> None:
        self._apply(value)

    def _changed(self, *_args: Any) -> None:
        if not self._restoring:
            self.save()

    def save(self) -> bool:
        """Write the current answer to the store; show what happened."""
        try:
            self.store.set(self.id, self.value)
        except AnswerError as exc:
            self.status.value = f'<div class="cak-warn">Not saved: {escape(exc)}</div>'
            return False
        if self.store.read_only:
            self.status.value = _para("Grading run: answers are read, not written.")
        else:
            stamp = time.strftime("%H:%M:%S")
            self.status.value = (
                f'<div class="cak-note">\u2714 Saved at {stamp} in '
                f"{escape(self.store.path.name)}</div>"
            )
        return True

    def restore(self) -> None:
        """Show the saved answer (runs whenever the exercise's cell runs)."""
        normalized, problems = self._normalize(self.store.get(self.id))
        self._restoring = True
        try:
            self._apply(normalized)
        finally:
            self._restoring = False
        messages = [*self.store.messages, *problems]
        self._show_problems(messages)

    def _show_problems(self, problems: Iterable[str]) -> None:
        problems = list(problems)
        if problems:
            self.status.value = "".join(
                f'<div class="cak-warn">\u26a0 {escape(p)}</div>' for p in problems
            )

    def check(self) -> checks.Result | None:
        """Show per-item feedback (practice mode); graded mode has no key and shows nothing."""
        if self.mode != PRACTICE:
            self.feedback.value = _para("This is a graded exercise: it is checked at grading.")
            return None
        result = self.result()
        self.feedback.value = self.render(result)
        return result

    def render(self, result: checks.Result) -> str:
        """Safe HTML for a Result."""
        if not result.attempted:
            head = f'<div class="cak-miss">Not attempted yet: 0 of {int(result.total)}.</div>'
        else:
            head = (
                f'<div class="cak-title">Score: {checks._num(result.score)} of '
                f"{checks._num(result.total)}</div>"
            )
        rows = []
        for item in result.items:
            css, word = SYMBOL[item.status]
            label = escape(self.item_label(item.id))
            note = f" \u2014 {escape(item.message)}" if item.message else ""
            rows.append(f'<li><span class="{css}">{word}</span> {label}{note}</li>')
        problems = "".join(f'<div class="cak-warn">{escape(p)}</div>' for p in result.problems)
        return f"{head}<ul>{''.join(rows)}</ul>{problems}"

    def item_label(self, item_id: str) -> str:
        return item_id

    def show_hint(self) -> None:
        self.feedback.value = (
            f'<div class="cak-note">\U0001f4a1 Hint: {escape(self.hint_text)}</div>'
        )

    def reset(self) -> None:
        """Clear this exercise; the answers file is backed up first."""
        try:
            kept = self.store.reset(self.id)
        except AnswerError as exc:
            self.status.value = f'<div class="cak-warn">Not reset: {escape(exc)}</div>'
            return
        self._restoring = True
        try:
            self._apply(self._normalize(None)[0])
        finally:
            self._restoring = False
        self.feedback.value = ""
        where = f" A backup was kept as {kept.name}." if kept else ""
        self.status.value = _para(f"Cleared.{where}")

    def summary(self) -> str:
        """One plain-text line for headless runs, e.g. 'classify-statements: 12/12'."""
        if self.mode != PRACTICE:
            return f"{self.id}: saved" if self.id in self.store else f"{self.id}: not attempted"
        return self.result().summary()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


# --------------------------------------------------------------------------- Classify


class Classify(Exercise):
    """Give each item one label from a fixed set (e.g. aspiration or goal)."""

    kind = "classify"

    def __init__(
        self,
        store: AnswerStore,
        exercise_id: str,
        items: Sequence[tuple[str, str]],
        labels: Sequence[str],
        *,
        key: Mapping[str, str] | None = None,
        explanations: Mapping[str, str] | None = None,
        **kwargs: Any,
    ):
        self.items = [(str(i), str(t)) for i, t in items]
        self.labels = list(labels)
        self.key = dict(key) if key else None
        self.explanations = dict(explanations or {})
        if kwargs.get("mode", PRACTICE) == PRACTICE and self.key is None:
            raise KitError(f"{exercise_id}: a practice Classify needs its key")
        super().__init__(store, exercise_id, **kwargs)

    def _build(self) -> list[W.Widget]:
        # Native radio buttons, one group per statement: each announces its checked state
        # (ToggleButtons expose none) and works with Tab and Space. The statement text above
        # carries the number, so the radios need no description of their own.
        self.toggles: dict[str, W.RadioButtons] = {}
        rows = []
        for n, (item_id, text) in enumerate(self.items, start=1):
            toggle = W.RadioButtons(
                options=[(label.capitalize(), label) for label in self.labels],
                value=None,
                orientation="horizontal",
                layout=W.Layout(width="auto"),
            )
            toggle.add_class("cak-inline")
            toggle.observe(self._changed, names="value")
            self.toggles[item_id] = toggle
            text_html = W.HTML(value=f"<div><b>{n}.</b> {escape(text)}</div>")
            row = W.VBox([text_html, toggle])
            row.add_class("cak-item")
            rows.append(row)
        return rows

    def _normalize(self, value: Any) -> tuple[dict[str, str], list[str]]:
        return checks.normalize_choice_map(value, self.toggles, self.labels)

    def _apply(self, value: Mapping[str, str]) -> None:
        for item_id, toggle in self.toggles.items():
            toggle.value = value.get(item_id)

    @property
    def value(self) -> dict[str, str]:
        return {i: t.value for i, t in self.toggles.items() if t.value is not None}

    def item_label(self, item_id: str) -> str:
        for n, (iid, text) in enumerate(self.items, start=1):
            if iid == item_id:
                return f"{n}. {text}"
        return item_id

    def result(self) -> checks.Result:
        assert self.key is not None
        return checks.check_classify(self.id, self.key, self.value, self.explanations, self.labels)


# --------------------------------------------------------------------------- Choose


class Choose(Exercise):
    """Pick the options that apply (check boxes)."""

    kind = "choose"

    def __init__(
        self,
        store: AnswerStore,
        exercise_id: str,
        options: Sequence[tuple[str, str]],
        *,
        key: Mapping[str, bool] | None = None,
        reasons: Mapping[str, str] | None = None,
        context: str = "",
        **kwargs: Any,
    ):
        self.options = [(str(i), str(t)) for i, t in options]
        self.key = dict(key) if key else None
        self.reasons = dict(reasons or {})
        self.context = context
        if kwargs.get("mode", PRACTICE) == PRACTICE and self.key is None:
            raise KitError(f"{exercise_id}: a practice Choose needs its key")
        super().__init__(store, exercise_id, **kwargs)

    def _build(self) -> list[W.Widget]:
        self.boxes: dict[str, W.Checkbox] = {}
        widgets: list[W.Widget] = []
        if self.context:
            widgets.append(W.HTML(value=context_html(self.context)))
        for option_id, text in self.options:
            box = W.Checkbox(
                value=False, description=text, indent=False, layout=W.Layout(width="100%")
            )
            box.observe(self._changed, names="value")
            self.boxes[option_id] = box
            widgets.append(box)
        return widgets

    def _normalize(self, value: Any) -> tuple[list[str], list[str]]:
        return checks.normalize_selection(value, self.boxes)

    def _apply(self, value: Sequence[str]) -> None:
        chosen = set(value)
        for option_id, box in self.boxes.items():
            box.value = option_id in chosen

    @property
    def value(self) -> list[str]:
        return [o for o, box in self.boxes.items() if box.value]

    def item_label(self, item_id: str) -> str:
        return dict(self.options).get(item_id, item_id)

    def result(self) -> checks.Result:
        assert self.key is not None
        return checks.check_choose(self.id, self.key, self.value, self.reasons)

    def render(self, result: checks.Result) -> str:
        rows = []
        for item in result.items:
            css, word = SYMBOL[item.status]
            picked = "you picked it" if item.given else "you left it"
            verdict = "belongs" if self.key and self.key.get(item.id) else "does not belong"
            rows.append(
                f'<li><span class="{css}">{word}</span> {escape(self.item_label(item.id))}'
                f" <i>({picked}; it {verdict})</i> \u2014 {escape(item.message)}</li>"
            )
        if not result.attempted:
            head = '<div class="cak-miss">Not attempted yet: pick at least one option.</div>'
            return head
        head = (
            f'<div class="cak-title">Score: {checks._num(result.score)} of '
            f"{checks._num(result.total)}</div>"
        )
        return f"{head}<ul>{''.join(rows)}</ul>"


def context_html(text: str) -> str:
    """A quoted page (e.g. a company's "About us") as safe HTML: one paragraph per line."""
    paragraphs = [line.strip() for line in str(text).splitlines() if line.strip()]
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f'<blockquote class="cak-note cak-context">{body}</blockquote>'


# --------------------------------------------------------------------------- Quiz


class Quiz(Exercise):
    """Multiple choice: one option per question, with feedback for each option."""

    kind = "quiz"

    def __init__(
        self,
        store: AnswerStore,
        exercise_id: str,
        questions: Sequence[tuple[str, str, Sequence[tuple[str, str]]]],
        *,
        key: Mapping[str, str] | None = None,
        feedback: Mapping[tuple[str, str], str] | None = None,
        **kwargs: Any,
    ):
        self.questions = [
            (str(q), str(t), [(str(o), str(ot)) for o, ot in opts]) for q, t, opts in questions
        ]
        self.key = dict(key) if key else None
        self.option_feedback = dict(feedback or {})
        if kwargs.get("mode", PRACTICE) == PRACTICE and self.key is None:
            raise KitError(f"{exercise_id}: a practice Quiz needs its key")
        super().__init__(store, exercise_id, **kwargs)

    def _build(self) -> list[W.Widget]:
        self.radios: dict[str, W.RadioButtons] = {}
        rows = []
        for n, (qid, text, options) in enumerate(self.questions, start=1):
            radio = W.RadioButtons(
                options=[(otext, oid) for oid, otext in options],
                value=None,
                layout=W.Layout(width="max-content"),
            )
            radio.observe(self._changed, names="value")
            self.radios[qid] = radio
            row = W.VBox([W.HTML(value=f"<div><b>Q{n}.</b> {escape(text)}</div>"), radio])
            row.add_class("cak-item")
            rows.append(row)
        return rows

    def _normalize(self, value: Any) -> tuple[dict[str, str], list[str]]:
        options = {o for _q, _t, opts in self.questions for o, _ in opts}
        return checks.normalize_choice_map(value, self.radios, options)

    def _apply(self, value: Mapping[str, str]) -> None:
        for qid, radio in self.radios.items():
            allowed = {oid for _label, oid in radio.options}
            choice = value.get(qid)
            radio.value = choice if choice in allowed else None

    @property
    def value(self) -> dict[str, str]:
        return {q: r.value for q, r in self.radios.items() if r.value is not None}

    def item_label(self, item_id: str) -> str:
        for n, (qid, text, _opts) in enumerate(self.questions, start=1):
            if qid == item_id:
                return f"Q{n}. {text}"
        return item_id

    def result(self) -> checks.Result:
        assert self.key is not None
        options = {q: [o for o, _ in opts] for q, _t, opts in self.questions}
        return checks.check_quiz(self.id, self.key, self.value, self.option_feedback, options)


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


# --------------------------------------------------------------------------- Pick


class Pick(Exercise):
    """Choose one option where no option is wrong (e.g. which company to prepare for)."""

    kind = "pick"

    def __init__(
        self,
        store: AnswerStore,
        exercise_id: str,
        options: Sequence[tuple[str, str]],
        **kwargs: Any,
    ):
        self.options = [(str(i), str(t)) for i, t in options]
        super().__init__(store, exercise_id, **kwargs)

    def _build(self) -> list[W.Widget]:
        self.radio = W.RadioButtons(
            options=[(text, option_id) for option_id, text in self.options],
            value=None,
            layout=W.Layout(width="max-content"),
        )
        self.radio.observe(self._changed, names="value")
        return [self.radio]

    def _normalize(self, value: Any) -> tuple[str | None, list[str]]:
        if value is None:
            return None, []
        if isinstance(value, str) and value in dict(self.options):
            return value, []
        return None, [f"the saved choice {str(value)[:40]!r} is not one of the options; ignored"]

    def _apply(self, value: str | None) -> None:
        self.radio.value = value

    @property
    def value(self) -> str | None:
        return self.radio.value

    def save(self) -> bool:
        if self.value is None:  # a reset clears the radio; the store was already cleared
            return True
        return super().save()

    def result(self) -> checks.Result:
        chosen = self.value
        label = dict(self.options).get(chosen, "") if chosen else ""
        status: checks.Status = "correct" if chosen else "missing"
        item = checks.ItemResult("choice", status, float(bool(chosen)), 1.0, label, chosen)
        return checks.Result(self.id, float(bool(chosen)), 1.0, bool(chosen), (item,))

    def render(self, result: checks.Result) -> str:
        if not result.attempted:
            return '<div class="cak-miss">Nothing chosen yet.</div>'
        return _para(f"You chose: {result.items[0].message}. It is saved.")

    def summary(self) -> str:
        """One plain line: the id of the option chosen, e.g. 'company-choice: own'."""
        return f"{self.id}: {self.value or 'not chosen'}"


# --------------------------------------------------------------------------- Matrix

#: Learner text may be one long unbroken word (or right-to-left): let it wrap anywhere.
_WRAP = "overflow-wrap:anywhere"

#: The default scale of a Matrix cell: how strongly a row supports a column.
MATRIX_LEVELS: tuple[tuple[int, str], ...] = ((0, "none"), (1, "some"), (2, "strong"))
#: The first option of every Matrix cell: nothing chosen yet (never saved). Its value is a
#: sentinel, not None: ipywidgets turns a None value into "no option selected" (a blank select).
NOT_RATED = "not rated"
_UNRATED = ""


class Matrix(Exercise):
    """Rate every row against every column on a small scale (aspirations x company values).

    Each cell is a drop-down under its column's label, grouped by row, so the widget reads top
    to bottom and needs no wide screen. A native <select> announces its chosen level and is
    named for screen readers by its row and column ("Aspiration 2 x value: safety"), one Tab
    stop per cell, the arrow keys to change it. With a key (a fictional case) Check scores each
    cell; without one it reports how many are rated.
    """

    kind = "matrix"

    def __init__(
        self,
        store: AnswerStore,
        exercise_id: str,
        rows: Sequence[tuple[str, str]],
        columns: Sequence[tuple[str, str]],
        *,
        levels: Sequence[tuple[int, str]] = MATRIX_LEVELS,
        key: Mapping[str, Mapping[str, int]] | None = None,
        row_heading: str = "Row",
        column_heading: str = "Column",
        empty_message: str = "Nothing to rate yet.",
        **kwargs: Any,
    ):
        self.rows = [(str(i), str(t)) for i, t in rows]
        self.columns = [(str(i), str(t)) for i, t in columns]
        self.levels = [(int(n), str(name)) for n, name in levels]
        self.key = {r: dict(c) for r, c in key.items()} if key else None
        self.row_heading = row_heading
        self.column_heading = column_heading
        self.empty_message = empty_message
        super().__init__(store, exercise_id, **kwargs)

    def _build(self) -> list[W.Widget]:
        # Toggle buttons exposed no chosen state and showed it at 1.62:1 contrast
        # (docs/accessibility.md, finding 3): a drop-down shows the chosen level as text.
        self.cells: dict[tuple[str, str], W.Dropdown] = {}
        if not self.rows or not self.columns:
            return [W.HTML(value=f'<div class="cak-miss">{escape(self.empty_message)}</div>')]
        sections = []
        for r, (row_id, row_text) in enumerate(self.rows, start=1):
            parts: list[W.Widget] = [
                W.HTML(
                    value=f'<div class="cak-title" style="{_WRAP}">{escape(self.row_heading)} '
                    f"{r}: <bdi>{escape(row_text)}</bdi></div>"
                )
            ]
            for c, (col_id, col_text) in enumerate(self.columns, start=1):
                cell = W.Dropdown(
                    options=[(NOT_RATED, _UNRATED)]
                    + [(f"{n} {name}", n) for n, name in self.levels],
                    value=_UNRATED,
                    description=self.cell_name(r, c, col_text),
                    style={"description_width": "initial"},
                    layout=W.Layout(width="auto", min_width="10em", max_width="16em"),
                )
                # The name is for screen readers; sighted learners read the column label above
                # and the row's title above that.
                cell.add_class("cak-sr-label")
                # A 3:1 border and a focus ring (ipywidgets sets `outline: none !important`).
                cell.add_class("cak-cell")
                cell.observe(self._changed, names="value")
                self.cells[(row_id, col_id)] = cell
                label = W.HTML(
                    value=f'<div style="{_WRAP}">{self._column_label(c, col_text)}</div>'
                )
                parts.append(W.VBox([label, cell]))
            section = W.VBox(parts)
            section.add_class("cak-item")
            sections.append(section)
        return sections

    def _column_label(self, number: int, text: str) -> str:
        prefix = f"{self.column_heading} {number}:" if self.column_heading else f"{number}."
        return f"{escape(prefix)} <bdi>{escape(text)}</bdi>"

    def cell_name(self, row: int, column: int, column_text: str) -> str:
        """A cell's accessible name: its row by number, its column by label (plain text)."""
        col = f"{self.column_heading} {column}: " if self.column_heading else ""
        return f"{self.row_heading} {row} \u00d7 {col}{column_text}"

    @property
    def row_ids(self) -> list[str]:
        return [r for r, _ in self.rows]

    @property
    def column_ids(self) -> list[str]:
        return [c for c, _ in self.columns]

    def _normalize(self, value: Any) -> tuple[dict[str, dict[str, int]], list[str]]:
        return checks.normalize_ratings(
            value, self.row_ids, self.column_ids, [n for n, _ in self.levels]
        )

    def _apply(self, value: Mapping[str, Mapping[str, int]]) -> None:
        for (row_id, col_id), cell in self.cells.items():
            level = value.get(row_id, {}).get(col_id)
            cell.value = _UNRATED if level is None else level

    @property
    def value(self) -> dict[str, dict[str, int]]:
        result: dict[str, dict[str, int]] = {}
        for (row_id, col_id), cell in self.cells.items():
            if cell.value != _UNRATED:
                result.setdefault(row_id, {})[col_id] = cell.value
        return result

    def grid(self) -> list[list[int | None]]:
        """The ratings as a rows x columns list (None where not rated), e.g. for a heatmap."""
        value = self.value
        return [[value.get(r, {}).get(c) for c in self.column_ids] for r in self.row_ids]

    def item_label(self, item_id: str) -> str:
        row_id, _, col_id = item_id.partition("/")
        row = dict(self.rows).get(row_id, row_id)
        col = dict(self.columns).get(col_id, col_id)
        return f"{row} \u00d7 {col}"

    def result(self) -> checks.Result:
        return checks.check_matrix(
            self.id,
            self.row_ids,
            self.column_ids,
            self.value,
            [n for n, _ in self.levels],
            self.key,
        )

    def check(self) -> checks.Result | None:
        # Without a key a matrix is never wrong, only incomplete: Check works in any mode.
        if self.key is None or self.mode == PRACTICE:
            result = self.result()
            self.feedback.value = self.render(result)
            return result
        return super().check()

    def render(self, result: checks.Result) -> str:
        if self.key is not None:
            return super().render(result)
        if not result.total:
            return _para(self.empty_message)
        rated = int(result.score)
        total = int(result.total)
        note = "every cell is rated" if rated == total else f"{total - rated} still to rate"
        return _para(f"{rated} of {total} cells rated: {note}. Each rating is saved when chosen.")

    def summary(self) -> str:
        return self.result().summary()


# --------------------------------------------------------------------------- QuestionDeck


class QuestionDeck:
    """Shows one question at a time, drawn at random, with a button for another (rehearsal).

    Not an exercise: nothing is saved or checked. `seed` makes the order repeatable (tests).
    """

    def __init__(
        self, questions: Sequence[str], *, title: str = "", seed: int | None = None
    ) -> None:
        import random

        if not questions:
            raise KitError("a QuestionDeck needs at least one question")
        self.questions = [str(q) for q in questions]
        self._random = random.Random(seed)
        self._order: list[int] = []
        self.current = ""
        self.shown: list[str] = []
        self.question = W.HTML(value="")
        self.next_button = W.Button(
            description="Another question",
            icon="random",
            tooltip="Draw another follow-up question",
            layout=W.Layout(width="auto"),
        )
        self.next_button.on_click(lambda _b: self.next())
        header = STYLE + (f'<div class="cak-title">{escape(title)}</div>' if title else "")
        self.widget = W.VBox([W.HTML(value=header), self.question, self.next_button])
        self.widget.add_class("cak-ex")
        self.widget.add_class("cak-wrap")
        self.next()

    def next(self) -> str:
        """Draw the next question (each comes once before any repeats) and show it."""
        if not self._order:
            self._order = list(range(len(self.questions)))
            self._random.shuffle(self._order)
            if len(self._order) > 1 and self.questions[self._order[-1]] == self.current:
                self._order.insert(0, self._order.pop())  # never the same question twice
        self.current = self.questions[self._order.pop()]
        self.shown.append(self.current)
        self.question.value = (
            f'<blockquote class="cak-note" style="font-size:1.25em">'
            f"{escape(self.current)}</blockquote>"
        )
        return self.current

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
