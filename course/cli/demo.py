"""`python -m course demo --workshop DIR`: a simulated class, graded and reported."""

from __future__ import annotations

import argparse

NAME = "demo"
HELP = "build a workshop of simulated learners, grade it and write its report"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workshop", required=True, metavar="DIR", help="folder to (re)create")
    parser.add_argument("--learners", type=int, default=30, help="how many learners (30)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same class)")
    parser.add_argument(
        "--jobs", type=int, default=None, metavar="N", help="grading workers (the CPUs)"
    )


def run(args: argparse.Namespace) -> int:
    import os

    os.environ.setdefault("MPLBACKEND", "Agg")
    from course.facilitator.demo import build
    from course.grader.parallel import default_jobs
    from course.grader.procs import tools_on_path

    tools_on_path()
    jobs = default_jobs() if args.jobs is None else args.jobs
    build(args.workshop, learners=args.learners, seed=args.seed, jobs=jobs)
    return 0
