"""Quiz: one option per question, with feedback for each option."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from course.learner import checks, content
from course.learner.answers import AnswerStore
from course.learner.kinds.base import Record, Spec, register
from course.learner.kinds.classify import Labelled


class Quiz(Labelled):
    """Multiple choice: one point per question answered with its right option."""

    name = "quiz"
    widget = "course.learner.widgets:Quiz"
    checks = ("quiz",)
    shuffles = True
    load = staticmethod(content.quiz)
    content_file = "quiz"

    def widget_args(self, spec: Spec) -> list[Any]:
        return [spec.questions]

    def practice(self, set_id: str) -> tuple[Spec, dict[str, Any]]:
        found = content.quiz(set_id)
        questions = [(q.id, q.text, [(o.id, o.text) for o in q.options]) for q in found.questions]
        spec = Spec(self.name, set_id, prompt=found.prompt, hint=found.hint, questions=questions)
        extra = {
            "key": {q.id: next(o.id for o in q.options if o.correct) for q in found.questions},
            "feedback": {(q.id, o.id): o.feedback for q in found.questions for o in q.options},
        }
        return spec, extra

    def normalize(self, spec: Spec, value: Any) -> tuple[Any, list[str]]:
        options = {o for _q, _t, opts in spec.questions for o, _ in opts}
        return checks.normalize_choice_map(value, [q for q, _t, _o in spec.questions], options)

    def record_lines(self, spec: Spec, value: Any) -> Record:
        given, _ = self.normalize(spec, value)
        lines = []
        for n, (qid, text, opts) in enumerate(spec.questions, start=1):
            chosen = dict(opts).get(given.get(qid, ""), "")
            shown = ("b", chosen) if chosen else ("i", "no answer")
            lines.append((("", f"Q{n}. {text} \u2014 your answer: "), shown))
        return Record(spec.title or spec.id, tuple(lines))

    def score(
        self,
        check: str,
        store: AnswerStore,
        exercise: str,
        key: Mapping[str, Any] | None,
        *,
        labels: Iterable[str] | None = None,
        company: str = "company",
    ) -> checks.Result:
        options = {q: list(labels) for q in (key or {})} if labels else None
        return checks.check_quiz(exercise, dict(key or {}), store.get(exercise), options=options)

    def texts(self, spec: Any) -> dict[str, Any] | None:
        return {
            "items": {q: text for q, text, _opts in spec},
            "options": {q: dict(opts) for q, _text, opts in spec},
        }

    def choice_label(
        self, entry: Mapping[str, Any], item: str, given: Any, short: Callable[..., str]
    ) -> str | None:
        option = entry.get("options", {}).get(item, {}).get(given)
        return short(option or str(given), 40)


KIND = register(Quiz())
