"""Benchmark: what `import course` and a lesson kernel's imports cost beyond the interpreter."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 15
STATEMENTS = {
    "bare interpreter": "pass",
    "import course": "import course",
    "lesson kernel imports": (
        "from course.learner.lesson import Lesson; import course.learner.widgets"
    ),
}


def measure(statement: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True)
    return time.perf_counter() - start


def main() -> int:
    medians = {}
    for label, statement in STATEMENTS.items():
        measure(statement)  # warm the file cache
        medians[label] = statistics.median(measure(statement) for _ in range(RUNS))
    bare = medians["bare interpreter"]
    for label, value in medians.items():
        extra = "" if label == "bare interpreter" else f"  (+{(value - bare) * 1000:.0f} ms)"
        print(f"{label:24s} {value * 1000:7.0f} ms median of {RUNS}{extra}")
    cost = medians["import course"] - bare
    verdict = "OK" if cost < 0.3 else "OVER BUDGET"
    print(f"import course costs {cost * 1000:.0f} ms beyond the interpreter: {verdict} (< 300 ms)")
    return 0 if cost < 0.3 else 1


if __name__ == "__main__":
    sys.exit(main())
