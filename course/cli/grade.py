"""`python -m course grade --workshop DIR`: autograde a class, flag tampering, write grades.csv."""

from __future__ import annotations

import argparse

NAME = "grade"
HELP = "autograde every submission of a workshop (grades.csv, flags.json, a summary)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workshop", required=True, metavar="DIR", help="the workshop folder")
    parser.add_argument(
        "--from", dest="zip", metavar="ZIP", help="unpack a zip of learner folders first"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help=(
            "grade in N worker processes (default: the number of CPUs; one more is faster; "
            "1: one at a time)"
        ),
    )
    parser.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="grade on a Dask cluster: 'local' (a LocalCluster of --jobs workers) or a "
        "scheduler address such as tcp://10.0.0.5:8786 (see docs/grading-guide.md)",
    )
    parser.add_argument(
        "--timeout", type=int, default=None, metavar="S", help="seconds each cell may run (10)"
    )
    parser.add_argument(
        "--learner-timeout",
        type=float,
        default=None,
        metavar="S",
        help="wall-clock seconds for one learner's notebooks (180)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from course.grader.grading import LEARNER_TIMEOUT, grade
    from course.grader.parallel import default_jobs
    from course.grader.procs import tools_on_path
    from course.grader.workshop import CELL_TIMEOUT

    tools_on_path()
    outcome = grade(
        args.workshop,
        jobs=default_jobs() if args.jobs is None else args.jobs,
        dask=args.dask,
        zip_path=args.zip,
        cell_timeout=args.timeout or CELL_TIMEOUT,
        learner_timeout=args.learner_timeout or LEARNER_TIMEOUT,
        progress=not args.quiet,
    )
    return 1 if any(outcome["flags"].values()) else 0
