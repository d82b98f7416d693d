"""One registry of exercise kinds: each kind is one object that every consumer asks.

A kind (course.learner.kinds.base.Kind) carries what was spread over the kit: its practice sets'
content loader, answer normalisation, checking (through course.learner.checks), the plain-text
and HTML record of an answer, labels for the class report, the answers that earn every point
(tests, demo), a simulated learner (demo) and its widget class, named as "module:Class" and
imported only when a widget is built (the grading host never imports ipywidgets). Consumers:
`Lesson` and `Assignment` (one path, `present`), `graded.result`, the prep sheet,
`course.grader.keys`, the class report and the demo.

Adding a kind means one module here plus its content and tests:

1. Write `course/learner/kinds/<name>.py` with a `Kind` subclass (name, widget, and the methods
   whose base behaviour does not fit: widget_args, practice, normalize, record_lines, and for a
   keyed kind score/checks, solution, simulate, texts, item_label, choice_label), ending in
   `KIND = register(<Kind>())`.
2. Import the module below (registration order is the order consumers list kinds in).
3. Write its widget class (course/learner/widgets/) and, for practice sets, its content file
   and loader (course/learner/content.py), named by the kind's `load`.
4. Add a method to `Lesson` (and `Assignment` if graded) that builds a `Spec` and calls
   `present`; tests/test_kinds.py then checks every consumer handles the new kind.
"""

from __future__ import annotations

# isort: off
# Each module registers its one kind; the order here is the order consumers list them in.
from course.learner.kinds import classify, choose, quiz, form, pick, matrix, draft, deck  # noqa: F401
from course.learner.kinds import rehearsal  # noqa: F401

# isort: on
from course.learner.kinds.base import (
    DEFAULT,
    Kind,
    Lazy,
    Record,
    Spec,
    all_kinds,
    check_names,
    find,
    for_check,
    get,
    present,
    register,
)

#: Every registered kind (the registry's `all()`).
all = all_kinds

__all__ = [
    "DEFAULT",
    "Kind",
    "Lazy",
    "Record",
    "Spec",
    "all",
    "all_kinds",
    "check_names",
    "find",
    "for_check",
    "get",
    "present",
    "register",
]
