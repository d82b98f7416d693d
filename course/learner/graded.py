"""Graded exercises: the setup cell's Assignment, and the scoring that autograder tests call.

A graded notebook (solutions/NN-name/NN-name.ipynb, released as exercises/) creates
`A = Assignment("NN-name", answers=answers)` and shows its exercises in graded mode: no answer
key ever reaches the learner's kernel. Answers are saved in `<notebook>.answers.json` as in the
lessons. Each autograder test cell ends with one call `points(kind, notebook, exercise, key)`
(course.learner.scoring, re-exported here: the cells import it from course.graded).

Under nbgrader (NBGRADER_EXECUTION set) no widget is built: each exercise shows the learner's
recorded answer as escaped HTML, which is what the feedback report shows. Kept light: no
ipywidgets until a widget is shown, no matplotlib, nbformat or nbgrader ever.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from course.errors import KitError
from course.learner import checks, content, kinds
from course.learner.answers import AnswerStore
from course.learner.kinds import Lazy, Spec
from course.learner.safe import escape
from course.learner.scoring import (
    KINDS,
    OWN,
    company_choice,
    grading,
    open_store,
    points,
    read_only,
    result,
)
from course.speaking import count_words, seconds_for_words

__all__ = [
    "KINDS",
    "OWN",
    "Assignment",
    "Spec",
    "company_choice",
    "grading",
    "points",
    "read_only",
    "result",
    "shape",
]


def shape(
    notebook: str,
    exercise: str,
    expect: type | tuple[type, ...],
    items: int | None = None,
    folder: str | os.PathLike[str] = ".",
) -> None:
    """A visible test: the saved answer has the right type; say how much of it is answered.

    In a learner's kernel the line is live (course.learner.live): it changes as they answer.
    """
    if not grading() and _in_kernel():
        from IPython.display import display

        from course.learner.live import live, say

        def line() -> None:
            try:
                say(_shape(notebook, exercise, expect, items, folder))
            except AssertionError as exc:
                say(str(exc))

        store = open_store(notebook, folder)
        display(live(line, exercise, store=store, key=("shape", store.path.resolve(), exercise)))
        return
    print(_shape(notebook, exercise, expect, items, folder))


def _in_kernel() -> bool:
    """Whether this runs in a Jupyter kernel (where a live line can be shown)."""
    from IPython import get_ipython

    return getattr(get_ipython(), "kernel", None) is not None


def _shape(
    notebook: str,
    exercise: str,
    expect: type | tuple[type, ...],
    items: int | None,
    folder: str | os.PathLike[str],
) -> str:
    """The shape line of one saved answer; AssertionError for a value of the wrong type."""
    store = open_store(notebook, folder)
    value = store.get(exercise)
    if value is None:
        return f"{exercise}: no answer saved yet."
    assert isinstance(value, expect), (
        f"the saved answer of {exercise!r} is {type(value).__name__}; "
        "answer in the exercise above rather than editing the answers file"
    )
    if items is not None and isinstance(value, Mapping):
        return f"{exercise}: {len(value)} of {items} answered."
    if isinstance(value, str):
        return f"{exercise}: {count_words(value)} words saved."
    return f"{exercise}: answer saved."


# --------------------------------------------------------------------------- exercises


def _record_html(spec: Spec, value: Any) -> str:
    """The learner's recorded answer as safe HTML (for grading runs and feedback reports)."""
    return kinds.get(spec.kind).record_html(spec, value)


def _quote(text: str) -> str:
    """Learner text as escaped blockquotes, one per paragraph."""
    paragraphs = [p.strip() for p in text.replace("\r", "").split("\n") if p.strip()]
    return "".join(f"<blockquote>{escape(p)}</blockquote>" for p in paragraphs)


def _analyse(text: str, profile: Mapping[str, Any] | None) -> dict[str, Any]:
    """The coach's analysis as plain data."""
    from course import coach  # the coach's vocabularies load only when a draft is analysed

    return coach.analyze(text, company=profile or None).to_dict()


class Assignment:
    """The graded exercises of one notebook, bound to its answers file (made by the setup cell)."""

    def __init__(
        self,
        notebook: str,
        answers: Mapping[str, Any] | None = None,
        folder: str | os.PathLike[str] = ".",
    ):
        if answers is not None and not isinstance(answers, Mapping):
            raise KitError(f"answers must be a mapping of exercise id to value, got {answers!r}")
        self.notebook = notebook
        self.grading = grading()
        self.store = open_store(notebook, folder)
        #: Answers injected through the parameters cell (papermill); ignored while grading.
        self.injected = {} if self.grading else dict(answers or {})
        self.specs: dict[str, Spec] = {}
        #: The widgets shown, by exercise id (none while grading).
        self.exercises: dict[str, Any] = {}

    def _show(self, spec: Spec, **extra: Any) -> None:
        """Show one exercise through the kinds' one path (its record while grading)."""
        self.specs[spec.id] = spec
        kinds.present(
            kinds.get(spec.kind),
            spec,
            self.store,
            shown=self.exercises,
            injected=self.injected,
            mode="graded",
            grading=self.grading,
            **extra,
        )

    def classify(
        self,
        exercise_id: str,
        items: Sequence[tuple[str, str]],
        labels: Sequence[str],
        *,
        title: str = "",
        prompt: str = "",
    ) -> None:
        """Give each item one of `labels` (e.g. aspiration or goal)."""
        self._show(
            Spec("classify", exercise_id, title, prompt, items=list(items), labels=list(labels))
        )

    def choose(
        self,
        exercise_id: str,
        options: Sequence[tuple[str, str]],
        *,
        context: str = "",
        title: str = "",
        prompt: str = "",
    ) -> None:
        """Pick every option that applies."""
        self._show(Spec("choose", exercise_id, title, prompt, items=list(options), context=context))

    def quiz(
        self,
        exercise_id: str,
        questions: Sequence[tuple[str, str, Sequence[tuple[str, str]]]],
        *,
        title: str = "",
        prompt: str = "",
    ) -> None:
        """One option per question."""
        qs = [(q, t, list(opts)) for q, t, opts in questions]
        self._show(Spec("quiz", exercise_id, title, prompt, questions=qs))

    def company(self, exercise_id: str = "company", *, title: str = "", prompt: str = "") -> None:
        """Choose the company to answer for: a shipped fictional one, or your own (name, role)."""
        options = [
            (cid, f"{c.name}: {c.role} (fictional)") for cid, c in content.companies().items()
        ]
        options.append((OWN, "A company I researched myself (type its name below)"))
        self._show(Spec("pick", exercise_id, title, prompt, items=options))
        own_id = f"{exercise_id}-{OWN}"
        fields = [("name", "Company name"), ("role", "Role you apply for")]
        own_title = "Your own company (only if you chose it above)"
        self._show(Spec("form", own_id, own_title, fields=fields), min_words=1)

    def draft(
        self,
        exercise_id: str = "draft",
        *,
        company: str = "company",
        title: str = "",
        prompt: str = "",
    ) -> None:
        """Write the answer, with the coach's live feedback for the company chosen above."""

        def analyser(text: str) -> dict[str, Any]:
            self.store.refresh()
            return _analyse(text, company_choice(self.store, company)[1])

        renderer = Lazy("course.learner.coach_view:render_analysis")
        self._show(Spec("draft", exercise_id, title, prompt), analyser=analyser, renderer=renderer)

    def for_grader(self, criterion: str, draft: str = "draft", company: str = "company") -> None:
        """Show the saved draft and the coach's pre-score on one rubric criterion (a hint)."""
        from IPython.display import HTML, display

        display(HTML(grader_view(self.store, criterion, draft, company)))

    def summary(self) -> str:
        """One plain line per exercise: saved or not (headless runs print it)."""
        self.store.refresh()
        lines = []
        for exercise_id in self.specs:
            state = "saved" if exercise_id in self.store else "not attempted"
            lines.append(f"{exercise_id}: {state}")
        return "\n".join(lines)


def grader_view(
    store: AnswerStore, criterion: str, draft: str = "draft", company: str = "company"
) -> str:
    """Safe HTML for a rubric cell: criterion, the coach's pre-score, and the draft, escaped."""
    store.refresh()
    text, _ = checks.normalize_text(store.get(draft), "draft")
    name, profile = company_choice(store, company)
    rubric = content.rubric()
    spec = rubric.criterion(criterion)
    analysis = _analyse(text, profile)
    level = analysis.get("criteria", {}).get(criterion)
    if not count_words(text):
        hint = "no draft saved: score 0"
    elif isinstance(level, int) and 1 <= level <= 3:
        hint = f"coach's pre-score {level} of 3 ({rubric.level_names[level - 1]}): a hint only"
    else:
        hint = "no coach pre-score available"
    words = count_words(text)
    levels = "".join(
        f"<li><b>{n} {escape(rubric.level_names[n - 1])}</b>: {escape(desc)}</li>"
        for n, desc in enumerate(spec.levels, start=1)
    )
    body = _quote(text) if words else "<blockquote><i>No draft saved.</i></blockquote>"
    answering = f"answering for <b>{escape(name)}</b>" if name else "<i>no company chosen</i>"
    return (
        f"<strong>{escape(spec.name)}: {escape(spec.question)}</strong>"
        f"<ul><li><b>{escape(hint)}</b></li>"
        f"<li>{answering}; {words} words, about {seconds_for_words(words):.0f} s spoken</li></ul>"
        f"<ol>{levels}</ol>{body}"
    )
