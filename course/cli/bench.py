"""`python -m course bench`: time `python -m course grade` against plain nbgrader on one class."""

from __future__ import annotations

import argparse

from course.cli import _options
from course.errors import KitError

NAME = "bench"
HELP = "benchmark grading: the kit's parallel grading against plain nbgrader on a simulated class"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--learners", type=int, default=30, help="simulated learners (30)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs each way (3)")
    _options.jobs(parser, help="the kit's workers (the CPUs)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the class (1)")
    parser.add_argument(
        "--workdir", metavar="DIR", help="where to build and grade (default: a temporary folder)"
    )


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: nbgrader and the grader load with them; `--help` stays fast.
    from course.facilitator import bench
    from course.grader.procs import tools_on_path

    if args.learners < 1 or args.runs < 1:
        raise KitError("--learners and --runs must be at least 1")
    tools_on_path()
    result = bench.run(
        learners=args.learners,
        runs=args.runs,
        jobs=_options.jobs_of(args),
        seed=args.seed,
        workdir=args.workdir,
        on_event=lambda event: print(bench.describe(event), flush=True),
    )
    print(bench.summary(result))
    return 1 if result["differences"] or result["ratio"] > bench.LIMIT else 0
