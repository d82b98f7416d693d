"""How a class is graded: the options that travel from the command line to every grader."""

from __future__ import annotations

import os
from dataclasses import dataclass

from course.errors import KitError
from course.grader.workshop import CELL_TIMEOUT

__all__ = ["LEARNER_TIMEOUT", "GradeOptions", "default_jobs"]

#: Default wall-clock limit for grading one learner's notebooks, in seconds.
LEARNER_TIMEOUT = 180


def default_jobs() -> int:
    """The number of CPUs: the default number of grading workers."""
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class GradeOptions:
    """Time limits and where learners are graded (one process, worker processes or Dask).

    `jobs` > 1 grades in that many worker processes; `dask` is "local" (a LocalCluster of
    `jobs` workers) or a scheduler's address.
    """

    cell_timeout: int = CELL_TIMEOUT
    learner_timeout: float = LEARNER_TIMEOUT
    jobs: int = 1
    dask: str | None = None

    def __post_init__(self) -> None:
        if self.jobs < 1:
            raise KitError("--jobs must be 1 or more")
