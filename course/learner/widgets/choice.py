"""Widgets that choose among given options: Classify, Choose, Quiz and Pick."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as W

from course.errors import KitError
from course.learner import checks
from course.learner.answers import AnswerStore
from course.learner.widgets.base import PRACTICE, SYMBOL, Exercise, _para, escape, learner_order

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
        shuffle: bool = False,
        **kwargs: Any,
    ):
        self.items = [(str(i), str(t)) for i, t in items]
        self.labels = list(labels)
        if shuffle:  # the statements in an order per learner; labels keep theirs (a scale)
            rng = learner_order(store, exercise_id)
            self.items = rng.sample(self.items, len(self.items))
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

    def shown_choices(self) -> list[tuple[str, list[str]]]:
        """Each item and its labels, in the order shown (what a position strategy sees)."""
        return [(i, [v for _t, v in t.options]) for i, t in self.toggles.items()]

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
        shuffle: bool = False,
        **kwargs: Any,
    ):
        self.options = [(str(i), str(t)) for i, t in options]
        #: The authored order: the saved answer lists options in it, whatever the shown order.
        self.option_ids = [i for i, _t in self.options]
        if shuffle:
            rng = learner_order(store, exercise_id)
            self.options = rng.sample(self.options, len(self.options))
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
        return checks.normalize_selection(value, self.option_ids)

    def _apply(self, value: Sequence[str]) -> None:
        chosen = set(value)
        for option_id, box in self.boxes.items():
            box.value = option_id in chosen

    @property
    def value(self) -> list[str]:
        return [o for o in self.option_ids if self.boxes[o].value]

    def shown_choices(self) -> list[tuple[str, list[str]]]:
        """The check boxes in the order shown, as one item whose choices are the options."""
        return [("", list(self.boxes))]

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
        shuffle: bool = False,
        **kwargs: Any,
    ):
        self.questions = [
            (str(q), str(t), [(str(o), str(ot)) for o, ot in opts]) for q, t, opts in questions
        ]
        if shuffle:  # one order per learner and exercise: questions, and each one's options
            rng = learner_order(store, exercise_id)
            self.questions = [
                (q, t, rng.sample(opts, len(opts)))
                for q, t, opts in rng.sample(self.questions, len(self.questions))
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

    def shown_choices(self) -> list[tuple[str, list[str]]]:
        """Each question and its options, in the order shown."""
        return [(q, [oid for _t, oid in r.options]) for q, r in self.radios.items()]

    def item_label(self, item_id: str) -> str:
        for n, (qid, text, _opts) in enumerate(self.questions, start=1):
            if qid == item_id:
                return f"Q{n}. {text}"
        return item_id

    def result(self) -> checks.Result:
        assert self.key is not None
        options = {q: [o for o, _ in opts] for q, _t, opts in self.questions}
        return checks.check_quiz(self.id, self.key, self.value, self.option_feedback, options)


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
