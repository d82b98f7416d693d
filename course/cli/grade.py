"""`python -m course grade --workshop DIR`: autograde a class, flag tampering, write grades.csv."""

from __future__ import annotations

import argparse

from course.cli import _options

NAME = "grade"
HELP = "autograde every submission of a workshop (grades.csv, flags.json, a summary)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _options.workshop(parser)
    parser.add_argument(
        "--from", dest="zip", metavar="ZIP", help="unpack a zip of learner folders first"
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
    from course.grader.grading import grade, summary
    from course.grader.procs import tools_on_path

    tools_on_path()
    bar = _options.ProgressBar(enabled=not args.quiet)
    try:
        options = _options.grade_options(args)
        outcome = grade(args.workshop, options, zip_path=args.zip, progress=bar)
    finally:
        bar.close()
    if args.zip:
        print(f"Unpacked {len(outcome.unpacked)} learners from {args.zip}.")
    print(summary(outcome))
    return 1 if outcome.flagged else 0
