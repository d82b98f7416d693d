"""Pick: choose one option where no option is wrong (e.g. which company to prepare for)."""

from __future__ import annotations

from typing import Any

from course.learner.kinds.base import Kind, Record, Spec, register


class Pick(Kind):
    """One of several options, none wrong; the choice is what later exercises build on."""

    name = "pick"
    widget = "course.learner.widgets:Pick"

    def widget_args(self, spec: Spec) -> list[Any]:
        return [spec.items]

    def normalize(self, spec: Spec, value: Any) -> tuple[Any, list[str]]:
        if value is None:
            return None, []
        if isinstance(value, str) and value in dict(spec.items):
            return value, []
        return None, [f"the saved choice {str(value)[:40]!r} is not one of the options; ignored"]

    def record_lines(self, spec: Spec, value: Any) -> Record:
        chosen = dict(spec.items).get(value, "") if isinstance(value, str) else ""
        shown = ("", chosen) if chosen else ("i", "nothing chosen")
        return Record(spec.title or spec.id, ((shown,),))


KIND = register(Pick())
