"""Rehearsal: the answer said aloud and analysed on this machine; each attempt's figures saved."""

from __future__ import annotations

from typing import Any

from course.learner.kinds.base import Kind, Record, Spec, register


class Rehearsal(Kind):
    """Spoken attempts (course.learner.widgets.recorder); kept and shown, never scored."""

    name = "rehearsal"
    widget = "course.learner.widgets.recorder:Recorder"

    def normalize(self, spec: Spec, value: Any) -> tuple[Any, list[str]]:
        from course.learner.speech.attempts import normalize

        return normalize(value)

    def record_lines(self, spec: Spec, value: Any) -> Record:
        attempts = self.normalize(spec, value)[0]["attempts"]
        title = spec.title or spec.id
        if not attempts:
            return Record(title, ((("i", "No spoken attempt saved."),),))
        last = attempts[-1]
        line = (
            ("", f"{len(attempts)} attempts; the last: "),
            ("b", f"{last.get('seconds', 0):.0f} s"),
            ("", f", {last.get('wpm', 0)} words a minute, {last.get('fillers', 0)} fillers, "
                 f"coach {last.get('score', '?')} of 18."),
        )  # fmt: skip
        transcript = str(last.get("transcript", ""))
        return Record(title, (line,), (transcript,) if transcript else ())


KIND = register(Rehearsal())
