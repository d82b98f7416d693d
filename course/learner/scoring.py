"""Scoring a graded exercise from its answers file: what autograder test cells and the grader call.

Each autograder test cell of a graded notebook ends with one call
`points(kind, notebook, exercise, key)` whose key sits inside the cell's hidden-test block; the
number it returns is the cell's score (nbgrader reads a numeric result of a test cell as partial
credit). The grading host (course.grader) calls the very same `result()` outside the learner's
kernel to recompute every score. Nothing here displays anything, so the grading host can import
it without ipywidgets (course.learner.graded, the notebooks' side, does the showing).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from course.errors import KitError
from course.learner import checks, kinds
from course.learner.answers import AnswerStore
from course.learner.kinds.draft import OWN, company_choice

__all__ = [
    "KINDS",
    "OWN",
    "company_choice",
    "grading",
    "open_store",
    "points",
    "read_only",
    "result",
]

#: What a test cell can score: the checks of the exercise kinds (course.learner.kinds).
KINDS = kinds.check_names()

#: Set inside `read_only()`: stores opened by this module neither write nor move files.
_READ_ONLY = contextvars.ContextVar("read_only", default=False)


def grading() -> bool:
    """Whether this process runs under nbgrader (it sets NBGRADER_EXECUTION)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


@contextlib.contextmanager
def read_only() -> Iterator[None]:
    """Read answers files exactly as the grading kernel does: nothing written, nothing moved.

    Kept for callers that open several stores (the demo); a single read passes
    `read_only=True` to `result` or AnswerStore instead.
    """
    token = _READ_ONLY.set(True)
    try:
        yield
    finally:
        _READ_ONLY.reset(token)


def open_store(
    notebook: str, folder: str | os.PathLike[str], read_only: bool = False
) -> AnswerStore:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return AnswerStore(notebook, folder, read_only=read_only or _READ_ONLY.get())


def result(
    kind: str,
    notebook: str,
    exercise: str,
    key: Mapping[str, Any] | None = None,
    *,
    labels: Sequence[str] | None = None,
    company: str = "company",
    folder: str | os.PathLike[str] = ".",
    read_only: bool = False,
) -> checks.Result:
    """Check one saved exercise of `notebook` (its answers file in `folder`) as data.

    `kind` is one of KINDS; `key` is the answer key for the keyed kinds (classify: item ->
    label, choose: option -> applies, quiz: question -> option). Problems reading the file or
    its values are listed in the Result's `problems`. `read_only` reads the file as the
    grading kernel does (nothing written or moved).
    """
    scorer = kinds.for_check(kind)
    if kind not in scorer.checks:
        raise KitError(f"unknown kind of graded check {kind!r}; expected one of {KINDS}")
    store = open_store(notebook, folder, read_only)
    outcome = scorer.score(kind, store, exercise, key, labels=labels, company=company)
    if store.messages:
        outcome = checks.Result(
            outcome.exercise,
            outcome.score,
            outcome.total,
            outcome.attempted,
            outcome.items,
            (*store.messages, *outcome.problems),
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
