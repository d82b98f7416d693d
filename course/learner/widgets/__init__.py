"""Exercise widgets on ipywidgets: display only; checking lives in checks.py, saving in answers.py.

Each exercise is bound to an AnswerStore and an exercise id. It saves on every change, restores
its value from the store whenever its cell runs again, and renders check results from
checks.py. Practice mode has Check and Hint buttons; graded mode holds no answer key and shows a
"saved" indicator instead. All learner text is HTML-escaped before display. One module per
family of widgets; this package re-exports them (notebooks import
`course.learner.widgets.QuestionDeck`). Which widget serves which exercise kind is recorded in
course.learner.kinds, never here.
"""

from __future__ import annotations

import ipywidgets as W

from course.learner.safe import escape
from course.learner.widgets.base import GRADED, PRACTICE, STYLE, SYMBOL, Exercise
from course.learner.widgets.choice import Choose, Classify, Pick, Quiz, context_html
from course.learner.widgets.deck import QuestionDeck
from course.learner.widgets.matrix import MATRIX_LEVELS, NOT_RATED, Matrix
from course.learner.widgets.text import (
    Draft,
    Form,
    length_note,
    render_speaking_time,
    speaking_time,
)

__all__ = [
    "GRADED",
    "MATRIX_LEVELS",
    "NOT_RATED",
    "PRACTICE",
    "STYLE",
    "SYMBOL",
    "Choose",
    "Classify",
    "Draft",
    "Exercise",
    "Form",
    "Matrix",
    "Pick",
    "QuestionDeck",
    "Quiz",
    "W",
    "context_html",
    "escape",
    "length_note",
    "render_speaking_time",
    "speaking_time",
]
