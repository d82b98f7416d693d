"""Graded exercises: the setup cell's Assignment, and the scoring that autograder tests call.

A graded notebook (solutions/NN-name/NN-name.ipynb, released as exercises/) creates
`A = Assignment("NN-name", answers=answers)` and shows its exercises in graded mode: no answer
key ever reaches the learner's kernel. Answers are saved in `<notebook>.answers.json` as in the
lessons. Each autograder test cell ends with one call `points(kind, notebook, exercise, key)`
whose key sits inside the cell's hidden-test block; the number it returns is the cell's score
(nbgrader reads a numeric result of a test cell as partial credit). The grading workflow calls
the very same `result()` outside the learner's kernel to recompute every score.

Under nbgrader (NBGRADER_EXECUTION set) no widget is built: each exercise shows the learner's
recorded answer as escaped HTML, which is what the feedback report shows. Kept light: no
ipywidgets until a widget is shown, no matplotlib, nbformat or nbgrader ever.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from course.errors import KitError
from course.learner import checks
from course.learner.answers import AnswerStore
from course.speaking import STRONG_MAX_SECONDS, STRONG_MIN_SECONDS, count_words, seconds_for_words

__all__ = [
    "KINDS",
    "Assignment",
    "company_choice",
    "grading",
    "points",
    "read_only",
    "result",
    "shape",
]

#: What a test cell can score: the exercise kinds with a key, and the draft's basics.
KINDS = ("classify", "choose", "quiz", "speaking-time", "names-company")
#: Exercise id of 05's company choice and of the own-company form beside it.
OWN = "own"


def grading() -> bool:
    """Whether this process runs under nbgrader (it sets NBGRADER_EXECUTION)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


@contextlib.contextmanager
def read_only() -> Iterator[None]:
    """Read answers files exactly as the grading kernel does: nothing written, nothing moved."""
    before = os.environ.get("NBGRADER_EXECUTION")
    os.environ["NBGRADER_EXECUTION"] = before or "recompute"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("NBGRADER_EXECUTION", None)


def _escape(text: Any) -> str:
    import html

    return html.escape(str(text), quote=True)


# --------------------------------------------------------------------------- scoring


def _store(notebook: str, folder: str | os.PathLike[str]) -> AnswerStore:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return AnswerStore(notebook, folder)


def company_choice(store: AnswerStore, exercise: str = "company") -> tuple[str, dict[str, Any]]:
    """(name, profile) of the company a learner answers for, from their saved choice.

    A shipped fictional company by id, or "own" with the name and role typed in the form
    `<exercise>-own`; ("", {}) when nothing usable is saved.
    """
    choice = store.get(exercise)
    if not isinstance(choice, str):
        return "", {}
    if choice == OWN:
        values, _ = checks.normalize_text_map(store.get(f"{exercise}-{OWN}"), ("name", "role"))
        name = " ".join(values.get("name", "").split())[:200]
        role = " ".join(values.get("role", "").split())[:200]
        return name, ({"name": name, "role": role} if name else {})
    from course.learner import content

    try:
        company = content.company(choice)
    except KeyError:
        return "", {}
    return company.name, company.as_mapping()


def result(
    kind: str,
    notebook: str,
    exercise: str,
    key: Mapping[str, Any] | None = None,
    *,
    labels: Sequence[str] | None = None,
    company: str = "company",
    folder: str | os.PathLike[str] = ".",
) -> checks.Result:
    """Check one saved exercise of `notebook` (its answers file in `folder`) as data.

    `kind` is one of KINDS; `key` is the answer key for the keyed kinds (classify: item ->
    label, choose: option -> applies, quiz: question -> option). Problems reading the file or
    its values are listed in the Result's `problems`.
    """
    if kind not in KINDS:
        raise KitError(f"unknown kind of graded check {kind!r}; expected one of {KINDS}")
    store = _store(notebook, folder)
    problems = list(store.messages)
    value = store.get(exercise)
    if kind == "classify":
        outcome = checks.check_classify(exercise, dict(key or {}), value, labels=labels)
    elif kind == "choose":
        outcome = checks.check_choose(exercise, dict(key or {}), value)
    elif kind == "quiz":
        options = {q: list(labels) for q in (key or {})} if labels else None
        outcome = checks.check_quiz(exercise, dict(key or {}), value, options=options)
    else:
        text, text_problems = checks.normalize_text(value, "draft")
        problems += text_problems
        if kind == "speaking-time":
            outcome = checks.check_speaking_time(
                exercise, text, STRONG_MIN_SECONDS, STRONG_MAX_SECONDS
            )
        else:
            name, _profile = company_choice(store, company)
            outcome = checks.check_names_company(exercise, text, name)
    if problems:
        outcome = checks.Result(
            outcome.exercise,
            outcome.score,
            outcome.total,
            outcome.attempted,
            outcome.items,
            (*problems, *outcome.problems),
        )
    return outcome


def points(
    kind: str,
    notebook: str,
    exercise: str,
    key: Mapping[str, Any] | None = None,
    **options: Any,
) -> float:
    """The score of one saved exercise: what an autograder test cell returns as its result."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(result(kind, notebook, exercise, key, **options).score)


def shape(
    notebook: str,
    exercise: str,
    expect: type | tuple[type, ...],
    items: int | None = None,
    folder: str | os.PathLike[str] = ".",
) -> None:
    """A visible test: the saved answer has the right type; say how much of it is answered."""
    store = _store(notebook, folder)
    value = store.get(exercise)
    if value is None:
        print(f"{exercise}: no answer saved yet.")
        return
    assert isinstance(value, expect), (
        f"the saved answer of {exercise!r} is {type(value).__name__}; "
        "answer in the exercise above rather than editing the answers file"
    )
    if items is not None and isinstance(value, Mapping):
        print(f"{exercise}: {len(value)} of {items} answered.")
    elif isinstance(value, str):
        print(f"{exercise}: {count_words(value)} words saved.")
    else:
        print(f"{exercise}: answer saved.")


# --------------------------------------------------------------------------- exercises


@dataclass
class Spec:
    """What a graded exercise shows: enough to build its widget or to print its record."""

    kind: str
    id: str
    title: str = ""
    prompt: str = ""
    hint: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    questions: list[tuple[str, str, list[tuple[str, str]]]] = field(default_factory=list)
    context: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)


def _record_html(spec: Spec, value: Any) -> str:
    """The learner's recorded answer as safe HTML (for grading runs and feedback reports)."""
    # Only tags nbconvert's sanitiser keeps (feedback reports are sanitised): b, strong, em,
    # i, ul, ol, li, blockquote, code.
    head = f"<strong>{_escape(spec.title or spec.id)}</strong>"
    rows: list[str] = []
    if spec.kind == "classify":
        given, _ = checks.normalize_choice_map(value, [i for i, _ in spec.items], spec.labels)
        for n, (item_id, text) in enumerate(spec.items, start=1):
            answer = given.get(item_id)
            shown = f"<b>{_escape(answer)}</b>" if answer else "<i>no answer</i>"
            rows.append(f"<li>{n}. {_escape(text)} \u2014 your answer: {shown}</li>")
    elif spec.kind == "choose":
        chosen, _ = checks.normalize_selection(value, [i for i, _ in spec.items])
        if not chosen:
            rows.append("<li><i>nothing picked</i></li>")
        for option_id, text in spec.items:
            mark = "\u2611 picked" if option_id in chosen else "\u2610 left"
            rows.append(f"<li>{mark}: {_escape(text)}</li>")
    elif spec.kind == "quiz":
        options = {o for _q, _t, opts in spec.questions for o, _ in opts}
        given, _ = checks.normalize_choice_map(value, [q for q, _t, _o in spec.questions], options)
        for n, (qid, text, opts) in enumerate(spec.questions, start=1):
            chosen = dict(opts).get(given.get(qid, ""), "")
            shown = f"<b>{_escape(chosen)}</b>" if chosen else "<i>no answer</i>"
            rows.append(f"<li>Q{n}. {_escape(text)} \u2014 your answer: {shown}</li>")
    elif spec.kind == "pick":
        chosen = dict(spec.items).get(value, "") if isinstance(value, str) else ""
        rows.append(f"<li>{_escape(chosen) if chosen else '<i>nothing chosen</i>'}</li>")
    elif spec.kind == "form":
        given, _ = checks.normalize_text_map(value, [f for f, _ in spec.fields])
        for field_id, label in spec.fields:
            text = given.get(field_id, "")
            shown = _escape(text) if text.strip() else "<i>blank</i>"
            rows.append(f"<li>{_escape(label)}: {shown}</li>")
    elif spec.kind == "draft":
        text, _ = checks.normalize_text(value, "draft")
        words = count_words(text)
        if not words:
            return f"{head}<ul><li><i>No draft saved.</i></li></ul>"
        return (
            f"{head}<ul><li>{words} words, about {seconds_for_words(words):.0f} s spoken.</li></ul>"
            f"{_quote(text)}"
        )
    return f"{head}<ul>{''.join(rows)}</ul>"


def _quote(text: str) -> str:
    """Learner text as escaped blockquotes, one per paragraph."""
    paragraphs = [p.strip() for p in text.replace("\r", "").split("\n") if p.strip()]
    return "".join(f"<blockquote>{_escape(p)}</blockquote>" for p in paragraphs)


def _analyse(text: str, profile: Mapping[str, Any] | None) -> dict[str, Any]:
    """The coach's analysis as plain data."""
    from course import coach

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
        self.store = _store(notebook, folder)
        #: Answers injected through the parameters cell (papermill); ignored while grading.
        self.injected = {} if self.grading else dict(answers or {})
        self.specs: dict[str, Spec] = {}
        #: The widgets shown, by exercise id (none while grading).
        self.exercises: dict[str, Any] = {}

    def _show(self, spec: Spec, build: Any) -> None:
        from IPython.display import HTML, display

        self.specs[spec.id] = spec
        if self.grading:
            display(HTML(_record_html(spec, self.store.get(spec.id))))
            return
        exercise = build()
        self.exercises[spec.id] = exercise
        if spec.id in self.injected:
            exercise.set_value(self.injected[spec.id])
        display(exercise)

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
        spec = Spec("classify", exercise_id, title, prompt, items=list(items), labels=list(labels))

        def build() -> Any:
            from course.learner.widgets import Classify

            return Classify(
                self.store,
                exercise_id,
                spec.items,
                spec.labels,
                title=title,
                prompt=prompt,
                mode="graded",
            )

        self._show(spec, build)

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
        spec = Spec("choose", exercise_id, title, prompt, items=list(options), context=context)

        def build() -> Any:
            from course.learner.widgets import Choose

            return Choose(
                self.store,
                exercise_id,
                spec.items,
                context=context,
                title=title,
                prompt=prompt,
                mode="graded",
            )

        self._show(spec, build)

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
        spec = Spec("quiz", exercise_id, title, prompt, questions=qs)

        def build() -> Any:
            from course.learner.widgets import Quiz

            return Quiz(self.store, exercise_id, qs, title=title, prompt=prompt, mode="graded")

        self._show(spec, build)

    def company(self, exercise_id: str = "company", *, title: str = "", prompt: str = "") -> None:
        """Choose the company to answer for: a shipped fictional one, or your own (name, role)."""
        from course.learner import content

        options = [
            (cid, f"{c.name}: {c.role} (fictional)") for cid, c in content.companies().items()
        ]
        options.append((OWN, "A company I researched myself (type its name below)"))
        spec = Spec("pick", exercise_id, title, prompt, items=options)

        def build_pick() -> Any:
            from course.learner.widgets import Pick

            return Pick(self.store, exercise_id, options, title=title, prompt=prompt, mode="graded")

        self._show(spec, build_pick)
        own_id = f"{exercise_id}-{OWN}"
        fields = [("name", "Company name"), ("role", "Role you apply for")]
        own = Spec("form", own_id, "Your own company (only if you chose it above)", fields=fields)

        def build_form() -> Any:
            from course.learner.widgets import Form

            return Form(self.store, own_id, fields, min_words=1, title=own.title, mode="graded")

        self._show(own, build_form)

    def draft(
        self,
        exercise_id: str = "draft",
        *,
        company: str = "company",
        title: str = "",
        prompt: str = "",
    ) -> None:
        """Write the answer, with the coach's live feedback for the company chosen above."""
        spec = Spec("draft", exercise_id, title, prompt)

        def build() -> Any:
            from course.learner.coach_view import render_analysis
            from course.learner.widgets import Draft

            def analyser(text: str) -> dict[str, Any]:
                self.store.refresh()
                return _analyse(text, company_choice(self.store, company)[1])

            return Draft(
                self.store,
                exercise_id,
                analyser=analyser,
                renderer=render_analysis,
                title=title,
                prompt=prompt,
                mode="graded",
            )

        self._show(spec, build)

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
    from course.learner import content

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
        f"<li><b>{n} {_escape(rubric.level_names[n - 1])}</b>: {_escape(desc)}</li>"
        for n, desc in enumerate(spec.levels, start=1)
    )
    body = _quote(text) if words else "<blockquote><i>No draft saved.</i></blockquote>"
    answering = f"answering for <b>{_escape(name)}</b>" if name else "<i>no company chosen</i>"
    return (
        f"<strong>{_escape(spec.name)}: {_escape(spec.question)}</strong>"
        f"<ul><li><b>{_escape(hint)}</b></li>"
        f"<li>{answering}; {words} words, about {seconds_for_words(words):.0f} s spoken</li></ul>"
        f"<ol>{levels}</ol>{body}"
    )
