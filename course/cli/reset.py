"""`python -m course reset NOTEBOOK`: clear a notebook's saved answers, keeping a backup."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "reset"
HELP = "clear the saved answers of a notebook (a backup is kept)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "notebook", help="the notebook (e.g. notebooks/01-aspirations-vs-goals.ipynb)"
    )
    parser.add_argument("--exercise", help="clear only this exercise id")


def run(args: argparse.Namespace) -> int:
    from course.learner.answers import AnswerStore, answers_path

    notebook = Path(args.notebook)
    path = answers_path(notebook, notebook.parent)
    if not path.exists():
        print(f"Nothing to reset: {path} does not exist.")
        return 0
    store = AnswerStore(notebook.name, notebook.parent)
    if args.exercise and args.exercise not in store:
        print(f"Nothing to reset: {path.name} holds no answer for {args.exercise!r}.")
        return 0
    kept = store.reset(args.exercise)
    what = f"exercise {args.exercise!r}" if args.exercise else "all answers"
    if not args.exercise:
        # Nothing left to keep: no empty answers file or lock stays behind (a release bundle
        # refuses exercises/ with answers in it; the backup is never shipped).
        for leftover in (path, path.with_name(path.name + ".lock")):
            leftover.unlink(missing_ok=True)
    print(f"Cleared {what} in {path}. Backup kept as {kept}.")
    return 0
