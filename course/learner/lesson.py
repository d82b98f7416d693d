"""Lesson: what a lesson notebook's setup cell creates; it builds and shows the exercises.

A notebook names itself explicitly (a kernel cannot reliably learn its notebook's name under
papermill or nbgrader): `L = Lesson("01-aspirations-vs-goals", answers=answers, check=check)`.
Injected `answers` (papermill parameters) go through the same widgets and AnswerStore path a
click takes; with `check=True` each exercise prints one plain result line, because a headless
run has no one to press Check.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from course.errors import KitError
from course.learner import content
from course.learner.answers import AnswerStore

__all__ = ["Lesson"]


class Lesson:
    """The exercises of one lesson notebook, bound to its answers file."""

    def __init__(
        self,
        lesson_id: str,
        answers: Mapping[str, Any] | None = None,
        check: bool = False,
        folder: str | os.PathLike[str] = ".",
    ):
        self.info = content.lesson(lesson_id)
        self.store = AnswerStore(lesson_id, folder)
        if answers is not None and not isinstance(answers, Mapping):
            raise KitError(f"answers must be a mapping of exercise id to value, got {answers!r}")
        self.injected = dict(answers or {})
        self.check = bool(check)
        self.exercises: dict[str, Any] = {}

    # ------------------------------------------------------------------ header and footer

    def _position(self) -> tuple[int, int]:
        order = [lesson.id for lesson in content.lessons()]
        return order.index(self.info.id), len(order)

    def header_markdown(self) -> str:
        """Objectives and minutes from the outline (course/content/outline.yaml), as Markdown."""
        info = self.info
        objectives = "\n".join(f"- {o}" for o in info.objectives)
        return (
            f"**Lesson {info.id[:2]}** \u00b7 about **{info.minutes} minutes** "
            f"({info.teach_minutes} reading, {info.practice_minutes} practice)\n\n"
            f"{info.summary}\n\n"
            f"**By the end of this lesson you will be able to:**\n\n{objectives}"
        )

    def footer_markdown(self) -> str:
        """Key points and the links onward (next lesson, graded exercise), as Markdown."""
        info = self.info
        points = "\n".join(f"- {p}" for p in info.key_points)
        lines = [f"### Key points\n\n{points}"]
        index, count = self._position()
        if index + 1 < count:
            nxt = content.lessons()[index + 1]
            lines.append(f"**Next:** [{nxt.title}]({nxt.id}.ipynb) ({nxt.minutes} minutes)")
        else:
            lines.append("**You have finished the course.** Well done.")
        if info.exercise:
            path = f"../exercises/{info.exercise}/{info.exercise}.ipynb"
            lines.append(
                f"**Graded exercise:** [{info.exercise}]({path}), if your workshop uses grading "
                "(your facilitator hands it out)."
            )
        lines.append(
            f"Your answers in this lesson are saved in `{self.store.path.name}` beside this "
            "notebook."
        )
        return "\n\n".join(lines)

    def header(self) -> None:
        """Show the lesson's objectives and minutes, from the outline."""
        from IPython.display import Markdown, display

        display(Markdown(self.header_markdown()))

    def footer(self) -> None:
        """Show key points and the links onward, from the outline.

        A headless run also learns here about injected answers no exercise took (a typo in
        an exercise id would otherwise pass unnoticed).
        """
        from IPython.display import Markdown, display

        display(Markdown(self.footer_markdown()))
        unused = sorted(set(self.injected) - set(self.exercises))
        if unused:
            print(f"Warning: no exercise in this lesson is called {', '.join(unused)}.")

    # ------------------------------------------------------------------ exercises

    def show(self, exercise: Any) -> Any:
        """Register, inject any parameter answer, display, and (headless) print the result line."""
        from IPython.display import display

        self.exercises[exercise.id] = exercise
        if exercise.id in self.injected:
            exercise.set_value(self.injected[exercise.id])
        display(exercise)
        if self.check:
            print(exercise.summary())
        return exercise

    def classify(self, set_id: str, title: str = "") -> Any:
        from course.learner.widgets import Classify

        spec = content.classify_set(set_id)
        return self.show(
            Classify(
                self.store,
                set_id,
                [(item.id, item.text) for item in spec.items],
                spec.labels,
                key={item.id: item.label for item in spec.items},
                explanations={item.id: item.explanation for item in spec.items},
                title=title,
                prompt=spec.prompt,
                hint=spec.hint,
            )
        )

    def choose(self, set_id: str, title: str = "") -> Any:
        from course.learner.widgets import Choose

        spec = content.choose_set(set_id)
        return self.show(
            Choose(
                self.store,
                set_id,
                [(o.id, o.text) for o in spec.options],
                key={o.id: o.applies for o in spec.options},
                reasons={o.id: o.reason for o in spec.options},
                context=spec.context,
                title=title,
                prompt=spec.prompt,
                hint=spec.hint,
            )
        )

    def quiz(self, set_id: str, title: str = "") -> Any:
        from course.learner.widgets import Quiz

        spec = content.quiz(set_id)
        return self.show(
            Quiz(
                self.store,
                set_id,
                [(q.id, q.text, [(o.id, o.text) for o in q.options]) for q in spec.questions],
                key={q.id: next(o.id for o in q.options if o.correct) for q in spec.questions},
                feedback={(q.id, o.id): o.feedback for q in spec.questions for o in q.options},
                title=title,
                prompt=spec.prompt,
                hint=spec.hint,
            )
        )

    def form(self, set_id: str, title: str = "", min_words: int = 2) -> Any:
        from course.learner.widgets import Form

        spec = content.form(set_id)
        return self.show(
            Form(
                self.store,
                set_id,
                spec.fields,
                min_words=min_words,
                title=title,
                prompt=spec.prompt,
                hint=spec.hint,
                mode="practice",
            )
        )

    def draft(self, exercise_id: str, title: str = "", prompt: str = "", **kwargs: Any) -> Any:
        from course.learner.widgets import Draft

        return self.show(Draft(self.store, exercise_id, title=title, prompt=prompt, **kwargs))

    def answer(self, exercise_id: str, default: Any = None) -> Any:
        """A saved answer of this lesson (e.g. to draw the learner's own entries in a plot)."""
        return self.store.get(exercise_id, default)

    def pick(
        self, exercise_id: str, options: Any, title: str = "", prompt: str = "", hint: str = ""
    ) -> Any:
        """A one-of-several choice with no wrong option (e.g. which company to prepare for)."""
        from course.learner.widgets import Pick

        return self.show(
            Pick(self.store, exercise_id, options, title=title, prompt=prompt, hint=hint)
        )

    def matrix(
        self,
        exercise_id: str,
        rows: Any,
        columns: Any,
        title: str = "",
        prompt: str = "",
        **kwargs: Any,
    ) -> Any:
        """A rating matrix (rows x columns, each cell 0-2), e.g. aspirations x company values."""
        from course.learner.widgets import Matrix

        return self.show(
            Matrix(self.store, exercise_id, rows, columns, title=title, prompt=prompt, **kwargs)
        )

    def figure(self, figure_and_description: tuple[Any, str]) -> None:
        """Show a (Figure, description) pair from course.learner.plots: PNG and text description."""
        from course.learner import plots

        plots.show(*figure_and_description)
