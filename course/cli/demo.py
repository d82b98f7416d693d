"""`python -m course demo --workshop DIR`: a simulated class, graded and reported."""

from __future__ import annotations

import argparse
import os

from course.cli import _options

NAME = "demo"
HELP = "build a workshop of simulated learners, grade it and write its report"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _options.workshop(parser, help="folder to (re)create")
    parser.add_argument("--learners", type=int, default=30, help="how many learners (30)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same class)")
    _options.jobs(parser)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("MPLBACKEND", "Agg")
    # Imported here, not at the top: nbgrader and the grader load with them; `--help` stays fast.
    from course.facilitator.demo import build
    from course.grader.grading import summary
    from course.grader.procs import tools_on_path

    tools_on_path()
    if args.learners >= 1:
        s = "" if args.learners == 1 else "s"
        print(f"Simulating {args.learners} learner{s} (seed {args.seed})...", flush=True)
    bar = _options.ProgressBar()
    try:
        built = build(
            args.workshop,
            learners=args.learners,
            seed=args.seed,
            options=_options.grade_options(args),
            progress=bar,
        )
    finally:
        bar.close()
    if built.graded is not None:
        print(summary(built.graded))
    if built.report is not None:
        print(f"Report: {built.report}")
    return 0
