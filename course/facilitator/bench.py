"""Benchmark: `python -m course grade` against plain nbgrader, on copies of one simulated class.

Builds one demo class (course.facilitator.demo.build, not graded), then grades fresh copies of it,
alternating which goes first in each round: plain nbgrader (`nbgrader autograde ASSIGNMENT
--force` for each assignment, one after another, inside the copy) and `python -m course grade
--jobs N`. Reports both medians, their ratio, notebooks per second, and whether the autograded
scores agree for every learner and notebook. The kit records what each answers file earns,
recomputed outside the learner's kernel; for honest learners (all the demo's) that is exactly
what the kernel scored, so any difference is listed with the kit's flags for that learner.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from course.facilitator import demo
from course.grader.procs import tools_env, tools_on_path
from course.grader.workshop import COURSE_ID

__all__ = [
    "OnEvent",
    "autograded_scores",
    "compare_scores",
    "describe",
    "notebooks_in",
    "run",
    "summary",
]

#: on_event({"event": "class", ...} once the class is built, then {"event": "run", ...} per run).
OnEvent = Callable[[dict[str, Any]], None]

#: The ratio (kit / plain nbgrader) the kit aims for on a 2-core machine, and its hard limit.
TARGET = 0.5
LIMIT = 0.6


def notebooks_in(root: Path) -> int:
    """How many notebooks the learners of a workshop handed in."""
    return sum(1 for _ in (root / "submitted").glob("*/*/*.ipynb"))


def autograded_scores(root: Path) -> dict[str, dict[str, float]]:
    """{"learner/notebook": {grade cell: auto_score}} for every submitted notebook in a
    workshop's gradebook (cells nbgrader leaves to a human, auto_score None, are left out)."""
    tools_on_path()
    from nbgrader.api import Gradebook  # after tools_on_path: it runs alembic by name

    scores: dict[str, dict[str, float]] = {}
    with Gradebook("sqlite:///" + str(root / "gradebook.db"), COURSE_ID) as gb:
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    key = f"{submission.student_id}/{notebook.name}"
                    scores[key] = {
                        grade.name: float(grade.auto_score)
                        for grade in notebook.grades
                        if grade.auto_score is not None
                    }
    return scores


def compare_scores(
    plain: dict[str, dict[str, float]], kit: dict[str, dict[str, float]]
) -> list[str]:
    """One line per learner notebook whose autograded scores differ (empty: identical)."""
    lines = []
    for key in sorted(set(plain) | set(kit)):
        a, b = plain.get(key), kit.get(key)
        if a == b:
            continue
        if a is None or b is None:
            lines.append(f"{key}: graded by {'the kit' if a is None else 'plain nbgrader'} only")
            continue
        cells = [
            f"{cell} {a.get(cell, '-')} vs {b.get(cell, '-')}"
            for cell in sorted(set(a) | set(b))
            if a.get(cell) != b.get(cell)
        ]
        lines.append(
            f"{key}: plain {sum(a.values()):g}, kit {sum(b.values()):g} ({'; '.join(cells)})"
        )
    return lines


def _plain(copy: Path, assignments: list[str]) -> None:
    """Plain nbgrader, as its documentation runs it: one autograde per assignment."""
    for name in assignments:
        done = subprocess.run(
            [sys.executable, "-m", "nbgrader", "autograde", name, "--force"],
            cwd=copy,
            env=tools_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if done.returncode != 0:
            tail = "\n".join(done.stderr.strip().splitlines()[-8:])
            raise RuntimeError(f"nbgrader autograde {name} failed in {copy}:\n{tail}")


def _kit(copy: Path, jobs: int) -> None:
    command = [sys.executable, "-m", "course", "grade", "--workshop", str(copy)]
    done = subprocess.run(
        [*command, "--jobs", str(jobs), "--quiet"],
        cwd=copy,
        env=tools_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if done.returncode not in (0, 1):  # 1: some learners were flagged, as the demo's are
        tail = "\n".join(done.stderr.strip().splitlines()[-8:])
        raise RuntimeError(f"python -m course grade failed in {copy}:\n{tail}")


def _timed(base: Path, work: Path, label: str, grade: Callable[[Path], None]) -> tuple[float, Path]:
    copy = work / f"{label}-{time.monotonic_ns()}"
    shutil.copytree(base, copy)
    started = time.perf_counter()
    grade(copy)
    return time.perf_counter() - started, copy


def describe(event: dict[str, Any]) -> str:
    """The line the command prints for a benchmark event."""
    if event["event"] == "class":
        return (
            f"Class: {event['learners']} simulated learners, {event['notebooks']} notebooks "
            f"handed in (seed {event['seed']}); {event['runs']} runs each way, alternating."
        )
    return (
        f"run {event['run']}: plain nbgrader {event['plain']:6.1f} s   "
        f"course grade --jobs {event['jobs']} {event['kit']:6.1f} s"
    )


def _result(
    learners: int,
    notebooks: int,
    jobs: int,
    runs: int,
    times: dict[str, list[float]],
    scores: dict[str, dict[str, dict[str, float]]],
    flags: dict[str, list[str]],
) -> dict[str, Any]:
    """The benchmark's figures as plain data."""
    differences = compare_scores(scores["plain"], scores["kit"])
    result = {
        "learners": learners,
        "notebooks": notebooks,
        "jobs": jobs,
        "runs": runs,
        "plain_seconds": times["plain"],
        "kit_seconds": times["kit"],
        "plain_median": statistics.median(times["plain"]),
        "kit_median": statistics.median(times["kit"]),
        "differences": differences,
        "flags": {key.split("/")[0]: flags.get(key.split("/")[0], []) for key in differences},
    }
    result["ratio"] = result["kit_median"] / result["plain_median"]
    return result


def run(
    *,
    learners: int = 30,
    runs: int = 3,
    jobs: int = 2,
    seed: int = 1,
    workdir: str | Path | None = None,
    on_event: OnEvent | None = None,
) -> dict[str, Any]:
    """Build the class, time both ways `runs` times each (alternating), compare the scores.

    Returns the figures as data (`summary` words them); `on_event` hears of the progress.
    """
    tell = on_event or (lambda event: None)
    own = workdir is None
    work = Path(tempfile.mkdtemp(prefix="kit-bench-")) if own else Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    try:
        base = work / "class"
        if base.exists():
            shutil.rmtree(base)
        workshop = demo.build(base, learners=learners, seed=seed, grade=False).workshop
        assignments = workshop.assignments()
        notebooks = notebooks_in(base)
        tell(
            {
                "event": "class",
                "learners": learners,
                "notebooks": notebooks,
                "seed": seed,
                "runs": runs,
            }
        )
        times: dict[str, list[float]] = {"plain": [], "kit": []}
        scores: dict[str, dict[str, dict[str, float]]] = {}
        flags: dict[str, list[str]] = {}
        ways = {
            "plain": lambda copy: _plain(copy, assignments),
            "kit": lambda copy: _kit(copy, jobs),
        }
        for n in range(runs):
            order = ("plain", "kit") if n % 2 == 0 else ("kit", "plain")
            for way in order:
                seconds, copy = _timed(base, work, way, ways[way])
                times[way].append(seconds)
                if way not in scores:
                    scores[way] = autograded_scores(copy)
                    if way == "kit":
                        flags = json.loads((copy / "flags.json").read_text(encoding="utf-8"))
                shutil.rmtree(copy, ignore_errors=True)
            tell(
                {
                    "event": "run",
                    "run": n + 1,
                    "jobs": jobs,
                    "plain": times["plain"][-1],
                    "kit": times["kit"][-1],
                }
            )
        return _result(learners, notebooks, jobs, runs, times, scores, flags)
    finally:
        if own:
            shutil.rmtree(work, ignore_errors=True)


def summary(result: dict[str, Any]) -> str:
    """The benchmark's closing lines: medians, ratio, notebooks per second, identical scores."""
    notebooks = result["notebooks"]
    plain, kit, ratio = result["plain_median"], result["kit_median"], result["ratio"]
    verdict = "met" if ratio <= TARGET else ("over target" if ratio <= LIMIT else "OVER LIMIT")
    labels = ("plain nbgrader (autograde per assignment)", f"course grade --jobs {result['jobs']}")
    width = max(map(len, labels)) + 1
    lines = [
        f"{labels[0] + ':':{width}} median {plain:6.1f} s, {notebooks / plain:.2f} notebooks/s",
        f"{labels[1] + ':':{width}} median {kit:6.1f} s, {notebooks / kit:.2f} notebooks/s",
        f"ratio (kit / plain): {ratio:.2f} (target <= {TARGET}, limit {LIMIT}): {verdict}",
    ]
    if not result["differences"]:
        lines.append(
            f"autograded scores: identical for every learner and notebook ({notebooks} notebooks)"
        )
    else:
        lines.append(
            f"autograded scores: {len(result['differences'])} notebook(s) differ; the kit "
            "records what the answers file earns, recomputed outside the kernel:"
        )
        lines.extend(f"  {line}" for line in result["differences"])
        for learner, messages in result["flags"].items():
            lines.extend(f"  flag {learner}: {message}" for message in messages)
    return "\n".join(lines)
