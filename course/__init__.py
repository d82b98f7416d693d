"""The Career Aspirations Workshop Kit: the Python package behind every notebook.

`import course` stays cheap (no ipywidgets, matplotlib, nbformat or nbgrader at import time):
submodules load on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "AnswerStore": ("course.learner.answers", "AnswerStore"),
    "ContentError": ("course.errors", "ContentError"),
    "AnswerError": ("course.errors", "AnswerError"),
    "KitError": ("course.errors", "KitError"),
    "Lesson": ("course.learner.lesson", "Lesson"),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'course' has no attribute {name!r}")
