"""Form: named free-text fields (a worksheet), checked for completeness only."""

from __future__ import annotations

from typing import Any

from course.learner import checks, content
from course.learner.kinds.base import Kind, Record, Spec, register


def field_id_label(field: Any) -> tuple[str, str]:
    """(id, label) of a field given as a tuple or as a content FormField."""
    if isinstance(field, tuple):
        return str(field[0]), str(field[1])
    return str(field.id), str(field.label)


class Form(Kind):
    """Free text in named fields; a form is never wrong, only incomplete."""

    name = "form"
    widget = "course.learner.widgets:Form"
    load = staticmethod(content.form)
    content_file = "forms"

    def widget_args(self, spec: Spec) -> list[Any]:
        return [spec.fields]

    def practice(self, set_id: str) -> tuple[Spec, dict[str, Any]]:
        found = content.form(set_id)
        spec = Spec(self.name, set_id, prompt=found.prompt, hint=found.hint, fields=found.fields)
        return spec, {}

    def normalize(self, spec: Spec, value: Any) -> tuple[Any, list[str]]:
        return checks.normalize_text_map(value, [field_id_label(f)[0] for f in spec.fields])

    def record_lines(self, spec: Spec, value: Any) -> Record:
        given, _ = self.normalize(spec, value)
        lines = []
        for field in spec.fields:
            field_id, label = field_id_label(field)
            text = given.get(field_id, "")
            shown = ("", text) if text.strip() else ("i", "blank")
            lines.append((("", f"{label}: "), shown))
        return Record(spec.title or spec.id, tuple(lines))


KIND = register(Form())
