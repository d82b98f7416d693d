"""Question deck: rehearsal questions shown one at a time; nothing is saved or checked."""

from __future__ import annotations

from typing import Any

from course.learner.answers import AnswerStore
from course.learner.kinds.base import Kind, Record, Spec, register


class QuestionDeck(Kind):
    """Follow-up questions drawn at random (spec.items holds (id, question) pairs)."""

    name = "question-deck"
    widget = "course.learner.widgets:QuestionDeck"

    def build(self, store: AnswerStore, spec: Spec, mode: str, **extra: Any) -> Any:
        questions = [text for _id, text in spec.items]
        return self.widget_class()(questions, title=spec.title, seed=extra.get("seed"))

    def record_lines(self, spec: Spec, value: Any) -> Record:
        return Record(spec.title or spec.id, ((("i", "rehearsal questions: nothing saved"),),))


KIND = register(QuestionDeck())
