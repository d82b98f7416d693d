"""The question deck: one rehearsal question at a time, drawn at random (nothing saved)."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as W

from course.errors import KitError
from course.learner.widgets.base import STYLE, escape

# --------------------------------------------------------------------------- QuestionDeck


class QuestionDeck:
    """Shows one question at a time, drawn at random, with a button for another (rehearsal).

    Not an exercise: nothing is saved or checked. `seed` makes the order repeatable (tests).
    """

    kind = "question-deck"
    id = "question-deck"

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

    def summary(self) -> str:
        """One plain line for headless runs: how many questions the deck holds."""
        return f"{self.id}: {len(self.questions)} questions"

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
