"""`python -m course grade --workshop DIR`: autograde a class, flag tampering, write grades.csv."""

from __future__ import annotations

import argparse

from course.cli import _options

NAME = "grade"
HELP = "autograde every submission of a workshop (grades.csv, flags.json, a summary)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _options.workshop(parser)
    parser.add_argument(
        "--from",
        dest="zip",
        metavar="ZIP",
        help="take hand-ins in first: a class zip, a folder of per-learner zips, or one zip",
    )
    parser.add_argument(
        "--learner", metavar="ID", help="with --from: the zip is this one learner's hand-in"
    )
    _options.jobs(
        parser,
        help=(
            "grade in N worker processes (default: the number of CPUs; one more is faster; "
            "1: one at a time)"
        ),
    )
    _options.dask(parser)
    _options.timeouts(parser)
    _options.quiet(parser)


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: nbgrader's tools load with them and `--help` stays fast.
    from course.errors import KitError
    from course.grader.grading import grade, summary
    from course.grader.procs import tools_on_path

    tools_on_path()
    bar = _options.ProgressBar(enabled=not args.quiet)
    try:
        options = _options.grade_options(args)
        if args.learner and not args.zip:
            raise KitError("--learner goes with --from: the zip of that learner's hand-in")
        outcome = grade(
            args.workshop, options, zip_path=args.zip, learner=args.learner, progress=bar
        )
    finally:
        bar.close()
    if outcome.intake is not None:
        print(outcome.intake.report())
    print(summary(outcome))
    return 1 if outcome.flagged or (outcome.intake and outcome.intake.unplaced) else 0
