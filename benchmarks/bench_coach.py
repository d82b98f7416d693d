"""Time the answer coach: analyze() on a 300-word draft (median, p95) and on hostile inputs.

Run: PYTHONPATH=. python benchmarks/bench_coach.py [--runs 300]
Contract: median under 20 ms of CPU for 300 words (it runs as the learner types; the wall clock is
printed too, and matches it on an idle machine); every hostile input
returns a valid Feedback within 2 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from course import coach  # noqa: E402
from course.speaking import count_words  # noqa: E402

MEDIAN_BUDGET_MS = 20.0
HOSTILE_BUDGET_S = 2.0

#: A fictional profile in the shipped format, so the benchmark needs no YAML.
COMPANY = {
    "name": "Northwind Health Analytics",
    "industry": "healthcare data and analytics",
    "role": "Junior Data Analyst",
    "values": [
        "patient privacy comes first",
        "curiosity and evidence over opinion",
        "collaboration with clinicians",
    ],
    "plans": [
        "expand from hospital reporting into preventive-care analytics",
        "open a second office and double the analytics team by 2028",
        "publish open dashboards for public-health partners",
    ],
    "skills": ["SQL", "Python", "data visualisation", "explaining findings to non-specialists"],
}

#: A realistic draft of over 300 words in which no sentence repeats (a repeated sentence is
#: flagged and dropped, which would make the timing flatter than a real draft's).
_PARAGRAPH = (
    "Long term, I want to become an analyst whose work changes how patients are cared for. "
    "Right now the most useful step is getting very good at the fundamentals, which is why this "
    "Junior Data Analyst role appeals to me. During my placement I wrote SQL to clean "
    "appointment data and built a small Python dashboard that the practice managers used the "
    "same month. At Northwind I'd work next to clinicians, and I like that your teams put "
    "evidence over opinion. Your move into preventive-care analytics is exactly the area I'd "
    "like to grow into. In return I'd bring careful work with sensitive data and clear "
    "explanations, and I'm ready to take on the messy problems nobody has got round to yet. "
    "At the clinic I also checked each weekly extract against the booking system before it "
    "went out. When a number looked wrong I traced it back to the form it came from. The "
    "practice manager asked me to write the steps down so that others could repeat them, and "
    "that write-up is still how the clinic runs its Monday report. In my final year I wrote a "
    "dissertation on missed appointments in rural practices, using three years of anonymised "
    "records. The hardest part was agreeing the definitions with the clinicians first, which "
    "taught me to explain a chart to people who have no time for charts. In the first year I "
    "would like to own one recurring report end to end and learn how your team protects "
    "patient privacy in practice. After that I want to help build the open dashboards you "
    "plan for public-health partners. I believe the combination of careful data work and "
    "plain explanations is what preventive care needs, and I would like to be one of the "
    "people who makes it work here. I am also keen to mentor new analysts once I know the "
    "data well, because the people who helped me most were the ones who showed their "
    "working. That is the kind of analyst I want to be at Northwind."
)


def draft_of(words: int) -> str:
    """A realistic draft cut to exactly `words` words (sentences repeat only beyond ~330)."""
    tokens = (_PARAGRAPH + " ") * (words // 300 + 1)
    return " ".join(tokens.split()[:words])


def hostile_inputs() -> dict[str, Any]:
    """Inputs a learner (or a paste accident) could send, keyed by a short description."""
    one_mb = ("word " * 209_716)[: 1 << 20]
    return {
        "empty": "",
        "whitespace only": " \n\t " * 1000,
        "None": None,
        "bytes": b"I want to lead a team one day.",
        "1 MB of words": one_mb,
        "1 MB without spaces": "a" * (1 << 20),
        "1 MB of punctuation": ".;:!?" * (1 << 18),
        "HTML and script": "<script>alert('x')</script><b>I want to lead</b>" * 2000,
        "unclosed tags": "<" * 200_000 + "I want to grow",
        "Arabic (RTL)": "أريد أن أصبح قائدا في مجال الطاقة المتجددة يوما ما. " * 500,
        "Hebrew (RTL)": "אני רוצה להוביל צוות הנדסה בעתיד. " * 500,
        "emoji": "🚀🔥 I want to grow 💪🏽👩🏿‍💻 " * 2000,
        "control characters": "\x00\x01\x1b[31m I want \u202e to lead \ufeff" * 2000,
        "one long sentence": "and I want to grow " * 50_000,
    }


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300, help="timed runs (at least 200)")
    args = parser.parse_args(argv)
    runs = max(200, args.runs)

    draft = draft_of(300)
    assert count_words(draft) == 300
    for _ in range(20):  # warm up caches before timing
        coach.analyze(draft, COMPANY)
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.thread_time()
        coach.analyze(draft, COMPANY)
        cpu.append((time.thread_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    wall.sort()
    cpu.sort()
    median, cpu_median = statistics.median(wall), statistics.median(cpu)
    p95 = wall[min(len(wall) - 1, round(0.95 * len(wall)) - 1)]
    print(
        f"analyze() on a 300-word draft, {runs} runs: median {median:.2f} ms, p95 {p95:.2f} ms "
        f"wall clock; median {cpu_median:.2f} ms of CPU"
    )
    # The budget is the coach's own work: on a machine busy with other jobs the wall clock also
    # measures the wait for a core, so the CPU median is what must stay under it.
    ok = cpu_median < MEDIAN_BUDGET_MS
    if not ok:
        print(f"  MISSED: median over {MEDIAN_BUDGET_MS:.0f} ms")

    for name, value in hostile_inputs().items():
        elapsed, fb = timed(lambda v=value: coach.analyze(v, COMPANY))
        valid = isinstance(fb, coach.Feedback) and 6 <= fb.score <= 18
        print(f"  {name:22s} {elapsed * 1000:8.1f} ms  score {fb.score:2d}  words {fb.words}")
        if elapsed >= HOSTILE_BUDGET_S or not valid:
            print(f"  MISSED: {name} took {elapsed:.2f} s or returned an invalid result")
            ok = False
    print("budgets met" if ok else "budgets MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
