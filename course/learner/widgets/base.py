"""The base of every exercise widget: saving, restoring, buttons, feedback, and the CSS."""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from typing import Any

import ipywidgets as W

from course.errors import AnswerError, KitError
from course.learner import checks
from course.learner.answers import AnswerStore
from course.learner.safe import escape

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


def _para(text: str, css: str = "cak-note") -> str:
    return f'<div class="{css}">{escape(text)}</div>'


def learner_order(store: AnswerStore, exercise_id: str) -> random.Random:
    """The random source of one exercise's shown order for this learner.

    Seeded by the learner's seed (kept in their answers file) and the exercise id, so the order
    is the same on every restart and re-run, differs between learners, and answers stay keyed
    by id whatever the order.
    """
    return random.Random(f"{store.seed}:{exercise_id}")


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
        buttons = self._buttons(hint)
        self.confirm = self._confirm_row()
        header = STYLE
        if title:
            header += f'<div class="cak-title">{escape(title)}</div>'
        if prompt:
            header += _para(prompt)
        self.widget = W.VBox(
            [
                W.HTML(value=header),
                *self.controls,
                W.HBox(buttons, layout=W.Layout(flex_flow="row wrap")),  # a phone wraps them
                self.confirm,
                self.feedback,
                self.status,
            ]
        )
        self.widget.add_class("cak-ex")
        self.widget.add_class("cak-wrap")
        self.restore()

    def _buttons(self, hint: str) -> list[W.Button]:
        """Check and Hint (practice only) and Reset, wired to their actions."""
        buttons = []
        if self.mode == PRACTICE:
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
        self.reset_button.on_click(lambda _b: self.ask_reset())
        buttons.append(self.reset_button)
        return buttons

    def _confirm_row(self) -> W.HBox:
        """Reset asks first: "Yes, start over" clears, "Keep my answers" takes the question back."""
        self.confirm_button = W.Button(
            description="Yes, start over",
            button_style="danger",
            tooltip="Clear this exercise now (a backup of your answers file is kept)",
        )
        self.keep_button = W.Button(description="Keep my answers", tooltip="Do not clear anything")
        self.confirm_button.on_click(lambda _b: self.reset())
        self.keep_button.on_click(lambda _b: self._close_confirm())
        confirm = W.HBox(
            [
                W.HTML(value=_para("Clear your answers to this exercise?")),
                self.confirm_button,
                self.keep_button,
            ]
        )
        confirm.add_class("cak-confirm")
        confirm.layout.display = "none"
        confirm.layout.flex_flow = "row wrap"
        return confirm

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
            self.store.set(self.id, self.value, kind=self.kind)
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

    def ask_reset(self) -> None:
        """The Reset button: ask before clearing ("Yes, start over" or "Keep my answers")."""
        self.confirm.layout.display = "flex"

    def _close_confirm(self) -> None:
        self.confirm.layout.display = "none"

    def reset(self) -> None:
        """Clear this exercise; the answers file is backed up first."""
        self._close_confirm()
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
