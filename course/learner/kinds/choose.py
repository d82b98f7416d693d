"""Choose: pick every option that applies (check boxes)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from course.learner import checks, content
from course.learner.answers import AnswerStore
from course.learner.kinds.base import Kind, Record, Spec, register


class Choose(Kind):
    """One point per option decided right (picked if it applies, left if not)."""

    name = "choose"
    widget = "course.learner.widgets:Choose"
    checks = ("choose",)
    keyed = True
    multiple = True
    shuffles = True
    load = staticmethod(content.choose_set)
    content_file = "choose"

    def widget_args(self, spec: Spec) -> list[Any]:
        return [spec.items]

    def build(self, store: AnswerStore, spec: Spec, mode: str, **extra: Any) -> Any:
        return super().build(store, spec, mode, context=spec.context, **extra)

    def practice(self, set_id: str) -> tuple[Spec, dict[str, Any]]:
        found = content.choose_set(set_id)
        spec = Spec(
            self.name,
            set_id,
            prompt=found.prompt,
            hint=found.hint,
            items=[(o.id, o.text) for o in found.options],
            context=found.context,
        )
        extra = {
            "key": {o.id: o.applies for o in found.options},
            "reasons": {o.id: o.reason for o in found.options},
        }
        return spec, extra

    def normalize(self, spec: Spec, value: Any) -> tuple[Any, list[str]]:
        return checks.normalize_selection(value, [i for i, _ in spec.items])

    def record_lines(self, spec: Spec, value: Any) -> Record:
        chosen, _ = self.normalize(spec, value)
        lines: list[tuple[tuple[str, str], ...]] = []
        if not chosen:
            lines.append((("i", "nothing picked"),))
        for option_id, text in spec.items:
            mark = "\u2611 picked" if option_id in chosen else "\u2610 left"
            lines.append((("", f"{mark}: {text}"),))
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
        return checks.check_choose(exercise, dict(key or {}), store.get(exercise))

    def solution(self, key: Mapping[str, Any], previous: Any) -> Any:
        return [option for option, applies in key.items() if applies]

    def simulate(
        self,
        rng: random.Random,
        skill: float,
        key: Mapping[str, Any],
        options: Mapping[str, Any],
        previous: Any,
    ) -> Any:
        picked = []
        for option, applies in key.items():
            decided_right = rng.random() < skill
            if applies == decided_right:
                picked.append(option)
        return picked

    def texts(self, spec: Any) -> dict[str, Any] | None:
        return {"items": dict(spec), "options": {}}

    def item_label(self, entry: Mapping[str, Any], item: str, short: Callable[..., str]) -> str:
        return short(entry.get("items", {}).get(item, item))

    def choice_label(
        self, entry: Mapping[str, Any], item: str, given: Any, short: Callable[..., str]
    ) -> str | None:
        return "picked it" if given else "left it"


KIND = register(Choose())
