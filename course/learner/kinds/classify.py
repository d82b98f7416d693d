"""Classify: give each item one label from a fixed set (e.g. aspiration or goal)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from course.learner import checks, content
from course.learner.answers import AnswerStore
from course.learner.kinds.base import Kind, Record, Spec, register, wrong_choice


class Labelled(Kind):
    """What classify and quiz share: a mapping of item to one chosen id, keyed per item."""

    keyed = True

    def solution(self, key: Mapping[str, Any], previous: Any) -> Any:
        merged = dict(previous) if isinstance(previous, Mapping) else {}
        merged.update(key)
        return merged

    def simulate(
        self,
        rng: random.Random,
        skill: float,
        key: Mapping[str, Any],
        options: Mapping[str, Any],
        previous: Any,
    ) -> Any:
        labels = list(options.get("labels") or sorted(set(key.values())))
        given = {}
        for n, (item, right) in enumerate(key.items()):
            if rng.random() < 0.04:  # now and then an item is skipped
                continue
            # Item difficulty varies: later items in a set are a little harder.
            p = max(0.05, min(0.98, skill - 0.05 * (n % 4)))
            tempting = labels[(labels.index(right) + 1) % len(labels)] if right in labels else None
            given[item] = right if rng.random() < p else wrong_choice(rng, right, labels, tempting)
        merged = dict(previous) if isinstance(previous, Mapping) else {}
        merged.update(given)
        return merged

    def item_label(self, entry: Mapping[str, Any], item: str, short: Callable[..., str]) -> str:
        return short(entry.get("items", {}).get(item, item))


class Classify(Labelled):
    """Each item gets one of the labels; one point per item labelled as in the key."""

    name = "classify"
    one_scale = True
    widget = "course.learner.widgets:Classify"
    checks = ("classify",)
    shuffles = True
    load = staticmethod(content.classify_set)
    content_file = "classify"

    def widget_args(self, spec: Spec) -> list[Any]:
        return [spec.items, spec.labels]

    def practice(self, set_id: str) -> tuple[Spec, dict[str, Any]]:
        found = content.classify_set(set_id)
        spec = Spec(
            self.name,
            set_id,
            prompt=found.prompt,
            hint=found.hint,
            items=[(item.id, item.text) for item in found.items],
            labels=list(found.labels),
        )
        extra = {
            "key": {item.id: item.label for item in found.items},
            "explanations": {item.id: item.explanation for item in found.items},
        }
        return spec, extra

    def normalize(self, spec: Spec, value: Any) -> tuple[Any, list[str]]:
        return checks.normalize_choice_map(value, [i for i, _ in spec.items], spec.labels)

    def record_lines(self, spec: Spec, value: Any) -> Record:
        given, _ = self.normalize(spec, value)
        lines = []
        for n, (item_id, text) in enumerate(spec.items, start=1):
            answer = given.get(item_id)
            shown = ("b", answer) if answer else ("i", "no answer")
            lines.append((("", f"{n}. {text} \u2014 your answer: "), shown))
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
        value = store.get(exercise)
        return checks.check_classify(exercise, dict(key or {}), value, labels=labels)

    def texts(self, spec: Any) -> dict[str, Any] | None:
        return {"items": dict(spec), "options": {}}

    def choice_label(
        self, entry: Mapping[str, Any], item: str, given: Any, short: Callable[..., str]
    ) -> str | None:
        return str(given)


KIND = register(Classify())
