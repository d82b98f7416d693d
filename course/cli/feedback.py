"""`python -m course feedback --workshop DIR [--zip] [--draft]`: feedback pages safe to send."""

from __future__ import annotations

import argparse

from course.cli import _options

NAME = "feedback"
HELP = (
    "write each learner's feedback page (answers, results in words, right answers and why; "
    "no code); --zip: one file per learner to send"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _options.workshop(parser)
    parser.add_argument("--learner", action="append", help="only this learner (repeatable)")
    parser.add_argument(
        "--zip",
        action="store_true",
        help="also write DIR/feedback-to-send/<learner>.zip, one file per learner to send",
    )
    parser.add_argument(
        "--draft",
        action="store_true",
        help="write pages even while rubric cells are still to grade by hand (marked DRAFT)",
    )


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: `python -m course --help` imports every command module.
    from course.grader.feedback import generate
    from course.grader.procs import tools_on_path
    from course.grader.workshop import open_workshop

    tools_on_path()
    workshop = open_workshop(args.workshop)
    outcome = generate(workshop, args.learner, draft=args.draft, zip=args.zip)
    people = {p.parent.name if p.name == "index.html" else "" for p in outcome.written} - {""}
    s = "" if len(people) == 1 else "s"
    print(
        f"Wrote feedback for {len(people)} learner{s} in {workshop.feedback} "
        f"(exercises: {', '.join(n[:2] for n in workshop.exercises())})."
    )
    if outcome.drafts:
        print(
            f"DRAFT pages (rubric not fully graded; do not send as final): "
            f"{', '.join(outcome.drafts)}."
        )
    if outcome.zips:
        print(f"Ready to send, one file per learner: {outcome.zips[0].parent}/<learner>.zip")
    if outcome.withheld:
        print(f"No feedback for {len(outcome.withheld)}:")
        for note in outcome.withheld:
            print(f"  {note}")
        if any("grade by hand" in note for note in outcome.withheld):
            print(
                f"Grade the rubric in the formgrader (python -m course formgrader --workshop "
                f"{args.workshop}), then run feedback again; or pass --draft for pages marked "
                "DRAFT."
            )
    for note in outcome.skipped:
        print(f"  no feedback: {note}")
    for problem in outcome.problems:
        print(f"  problem: {problem}")
    return 1 if outcome.problems or outcome.withheld else 0
