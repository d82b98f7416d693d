"""`python -m course feedback --workshop DIR`: per-learner feedback HTML, hidden tests stripped."""

from __future__ import annotations

import argparse

from course.cli import _options

NAME = "feedback"
HELP = "write per-learner feedback HTML (hidden tests and their tracebacks stripped)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _options.workshop(parser)
    parser.add_argument("--learner", action="append", help="only this learner (repeatable)")


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: `python -m course --help` imports every command module.
    from course.grader.feedback import generate
    from course.grader.procs import tools_on_path
    from course.grader.workshop import open_workshop

    tools_on_path()
    workshop = open_workshop(args.workshop)
    outcome = generate(workshop, args.learner)
    print(f"Wrote {len(outcome['written'])} feedback reports in {workshop.feedback}.")
    for note in outcome["skipped"]:
        print(f"  no feedback: {note}")
    for problem in outcome["problems"]:
        print(f"  problem: {problem}")
    return 1 if outcome["problems"] else 0
