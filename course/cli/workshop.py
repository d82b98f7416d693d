"""`python -m course workshop init DIR [--roster CSV]`: a folder where one class is graded."""

from __future__ import annotations

import argparse

NAME = "workshop"
HELP = "create a workshop folder (an nbgrader course with its gradebook) for grading a class"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = sub.add_parser("init", help="create or refresh a workshop folder")
    init.add_argument("dir", help="the workshop folder (created if missing)")
    init.add_argument(
        "--roster", help="CSV of learners: an 'id' column (first_name, last_name, email optional)"
    )
    init.add_argument(
        "--timeout", type=int, default=None, help="seconds each cell may run when grading (10)"
    )


def run(args: argparse.Namespace) -> int:
    from course.grader.workshop import CELL_TIMEOUT, init

    workshop = init(args.dir, roster=args.roster, cell_timeout=args.timeout or CELL_TIMEOUT)
    roster = workshop.roster()
    print(
        f"Workshop ready in {workshop.root}: {len(workshop.assignments())} assignments, "
        f"{len(roster)} learners on the roster."
    )
    print(
        f"Put each learner's work in {workshop.submitted}/<learner>/<assignment>/, then run "
        f"`python -m course grade --workshop {args.dir}`."
    )
    return 0
