"""Options shared by several commands, defined once (pip's cmdoptions style).

A command composes them in its add_arguments: `_options.workshop(parser)`, `_options.jobs(parser)`.
"""

from __future__ import annotations

import argparse
import sys

from course.grader.options import LEARNER_TIMEOUT, GradeOptions, default_jobs
from course.grader.workshop import CELL_TIMEOUT

__all__ = [
    "ProgressBar",
    "dask",
    "grade_options",
    "jobs",
    "jobs_of",
    "quiet",
    "timeouts",
    "workshop",
]


def workshop(parser: argparse.ArgumentParser, help: str = "the workshop folder") -> None:
    """--workshop DIR (required)."""
    parser.add_argument("--workshop", required=True, metavar="DIR", help=help)


def jobs(parser: argparse.ArgumentParser, help: str = "grading workers (the CPUs)") -> None:
    """--jobs N (default: one per CPU)."""
    parser.add_argument("--jobs", type=int, default=None, metavar="N", help=help)


def dask(parser: argparse.ArgumentParser) -> None:
    """--dask ADDRESS."""
    parser.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="grade on a Dask cluster: 'local' (a LocalCluster of --jobs workers) or a "
        "scheduler address such as tcp://10.0.0.5:8786 (see docs/grading-guide.md)",
    )


def timeouts(parser: argparse.ArgumentParser) -> None:
    """--timeout S (per cell) and --learner-timeout S (per learner)."""
    parser.add_argument(
        "--timeout",
        type=int,
        default=None,
        metavar="S",
        help=f"seconds each cell may run ({CELL_TIMEOUT})",
    )
    parser.add_argument(
        "--learner-timeout",
        type=float,
        default=None,
        metavar="S",
        help=f"wall-clock seconds for one learner's notebooks ({LEARNER_TIMEOUT})",
    )


def quiet(parser: argparse.ArgumentParser) -> None:
    """--quiet: no progress bar."""
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def jobs_of(args: argparse.Namespace) -> int:
    """--jobs as given, or one worker per CPU."""
    return default_jobs() if args.jobs is None else args.jobs


def grade_options(args: argparse.Namespace) -> GradeOptions:
    """The grading options from whichever of --jobs, --dask and the time-outs a command has."""
    return GradeOptions(
        cell_timeout=getattr(args, "timeout", None) or CELL_TIMEOUT,
        learner_timeout=getattr(args, "learner_timeout", None) or LEARNER_TIMEOUT,
        jobs=jobs_of(args),
        dask=getattr(args, "dask", None),
    )


class ProgressBar:
    """A tqdm bar on stderr fed by grading's progress callback (created on the first call)."""

    def __init__(self, enabled: bool = True, desc: str = "grading") -> None:
        self.enabled = enabled
        self.desc = desc
        self.bar: object | None = None

    def __call__(self, done: int, total: int, learner: str) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm  # only when a bar is drawn: --help stays fast

            self.bar = tqdm(total=total, desc=self.desc, unit="learner", file=sys.stderr)
        if done:
            self.bar.set_postfix_str(learner)  # type: ignore[attr-defined]
            self.bar.update(1)  # type: ignore[attr-defined]

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()  # type: ignore[attr-defined]
