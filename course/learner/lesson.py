"""Lesson: what a lesson notebook's setup cell creates; it builds and shows the exercises.

A notebook names itself explicitly (a kernel cannot reliably learn its notebook's name under
papermill or nbgrader): `L = Lesson("01-aspirations-vs-goals", answers=answers, check=check)`.
Injected `answers` (papermill parameters) go through the same widgets and AnswerStore path a
click takes; with `check=True` each exercise prints one plain result line, because a headless
run has no one to press Check.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from typing import Any

from course.errors import KitError
from course.learner import content, kinds
from course.learner.answers import AnswerFileWarning, AnswerStore
from course.learner.kinds import Spec

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
        with warnings.catch_warnings():  # an unreadable file is told in each exercise, as HTML
            warnings.simplefilter("ignore", AnswerFileWarning)
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
                f"**Graded exercise:** [graded exercise {info.id[:2]}: {info.title}]({path}), if "
                "your workshop uses grading."
            )
        lines.append(
            f"Your answers in this lesson are saved as you go, in `{self.store.path.name}` "
            "beside it."
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
        spec = Spec(exercise.kind, exercise.id)
        return self._present(spec, widget=exercise)

    def _present(self, spec: Spec, **extra: Any) -> Any:
        """Show one exercise through the kinds' one path, then (headless) its result line."""
        exercise = kinds.present(
            kinds.find(spec.kind) or kinds.DEFAULT,
            spec,
            self.store,
            shown=self.exercises,
            injected=self.injected,
            mode="practice",
            **extra,
        )
        if self.check:
            print(exercise.summary())
        return exercise

    def _practice(self, kind: str, set_id: str, title: str, **extra: Any) -> Any:
        """A practice exercise whose items, key and explanations come from the content."""
        spec, keys = kinds.get(kind).practice(set_id)
        spec.title = title
        return self._present(spec, **keys, **extra)

    def classify(self, set_id: str, title: str = "") -> Any:
        return self._practice("classify", set_id, title)

    def choose(self, set_id: str, title: str = "") -> Any:
        return self._practice("choose", set_id, title)

    def quiz(self, set_id: str, title: str = "") -> Any:
        return self._practice("quiz", set_id, title)

    def form(self, set_id: str, title: str = "", min_words: int = 2) -> Any:
        return self._practice("form", set_id, title, min_words=min_words)

    def draft(self, exercise_id: str, title: str = "", prompt: str = "", **kwargs: Any) -> Any:
        return self._present(Spec("draft", exercise_id, title, prompt), **kwargs)

    def rehearse(self, exercise_id: str = "rehearsal", title: str = "", prompt: str = "") -> Any:
        """The recorder: say the drafted answer aloud, see timing, pace, pauses and fillers."""
        return self._present(Spec("rehearsal", exercise_id, title, prompt))

    def answer(self, exercise_id: str, default: Any = None) -> Any:
        """A saved answer of this lesson (e.g. to draw the learner's own entries in a plot)."""
        return self.store.get(exercise_id, default)

    def pick(
        self, exercise_id: str, options: Any, title: str = "", prompt: str = "", hint: str = ""
    ) -> Any:
        """A one-of-several choice with no wrong option (e.g. which company to prepare for)."""
        return self._present(Spec("pick", exercise_id, title, prompt, hint, items=list(options)))

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
        spec = Spec("matrix", exercise_id, title, prompt, items=list(rows), columns=list(columns))
        return self._present(spec, **kwargs)

    def deck(
        self,
        questions: Any,
        title: str = "",
        seed: int | None = None,
        exercise_id: str = "question-deck",
    ) -> Any:
        """Rehearsal questions, one at a time at random (nothing saved or checked)."""
        items = [(str(n), str(q)) for n, q in enumerate(questions, start=1)]
        spec = Spec("question-deck", exercise_id, title, items=items)
        return self._present(spec, seed=seed)

    def live(self, render: Any, *exercise_ids: str, watch: Any = ()) -> Any:
        """A part of the page drawn by `render()`, redrawn when these exercises are saved.

        `watch` names other lessons whose answers it also reads (e.g. the company chosen in
        lesson 02): their answers files are watched for changes made on another page.
        """
        from course.learner.answers import answers_path
        from course.learner.live import live

        if self.check:  # a headless run: no one answers meanwhile, and its lines stay in the cell
            render()
            return None
        files = [answers_path(lesson, self.store.folder) for lesson in watch]
        return live(render, *exercise_ids, store=self.store, files=files)

    def figure(self, figure_and_description: tuple[Any, str]) -> None:
        """Show a (Figure, description) pair from course.learner.plots: PNG and text description."""
        from course.learner import plots

        plots.show(*figure_and_description)
