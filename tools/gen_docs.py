"""Regenerate the generated blocks of docs/ from the course content (outline, rubric, agendas).

    python tools/gen_docs.py           rewrite the blocks in place
    python tools/gen_docs.py --check   exit 1 and name the stale blocks (CI, tests)

A generated block sits between two markers, and only what is between them is ever rewritten:

    <!-- BEGIN GENERATED agenda-90 -->
    ...
    <!-- END GENERATED agenda-90 -->

Block names: agenda-<minutes>, lesson-<lesson id>, course-timing, rubric, follow-ups. Nothing
generated is typed twice: timings, objectives and key points come from course/content/.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from course.facilitator import agenda  # noqa: E402
from course.learner import content  # noqa: E402

DOCS = (ROOT / "docs" / "facilitator-guide.md", ROOT / "docs" / "self-paced.md")
BLOCK = re.compile(
    r"(?P<begin><!-- BEGIN GENERATED (?P<name>[\w.-]+) -->\n)"
    r"(?P<body>.*?)"
    r"(?P<end><!-- END GENERATED (?P=name) -->)",
    re.DOTALL,
)
#: The agendas the facilitator guide shows, and the short names used in lesson blocks.
AGENDAS = {60: "60-minute", 90: "90-minute", 180: "half-day (180-minute)"}


def agenda_block(minutes: int) -> str:
    plan = agenda.build(minutes)
    return (
        f"Regenerate or vary it with `python -m course agenda --minutes {minutes} --markdown` "
        "(add `--start 09:30` for clock times, `--json` for tools).\n\n"
        f"{plan.markdown()}\n"
    )


def _minutes_in(minutes: int, lesson_id: str) -> str:
    plan = agenda.build(minutes)
    by_kind: dict[str, int] = {}
    for item in plan.items:
        if item.lesson == lesson_id:
            by_kind[item.kind] = by_kind.get(item.kind, 0) + item.minutes
    if not by_kind:
        return "not scheduled"
    return ", ".join(f"{n} {kind}" for kind, n in by_kind.items())


def lesson_block(lesson_id: str) -> str:
    lesson = content.lesson(lesson_id)
    lines = [
        f"*{lesson.summary}*",
        "",
        f"- **Timing (outline):** {lesson.teach_minutes} min teaching + "
        f"{lesson.practice_minutes} min practice = {lesson.minutes} min self-paced.",
    ]
    for minutes, name in AGENDAS.items():
        lines.append(f"- **In the {name} agenda:** {_minutes_in(minutes, lesson.id)} (minutes).")
    files = f"`notebooks/{lesson.notebook}`, slides `build/slides/{lesson.id}.slides.html`"
    if lesson.exercise:
        files += f", graded exercise `exercises/{lesson.exercise}/`"
    lines += [f"- **Files:** {files}.", "", "**Objectives.** Learners will be able to:", ""]
    lines += [f"- {objective}" for objective in lesson.objectives]
    lines += ["", "**Key points to land:**", ""]
    lines += [f"- {point}" for point in lesson.key_points]
    return "\n".join(lines) + "\n"


def course_timing_block() -> str:
    rows = [
        "| Lesson | Title | Reading | Practice | Total | Graded exercise |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    lessons = content.lessons()
    for lesson in lessons:
        graded = f"`exercises/{lesson.exercise}/`" if lesson.exercise else ""
        rows.append(
            f"| `{lesson.id}` | {lesson.title} | {lesson.teach_minutes} min | "
            f"{lesson.practice_minutes} min | {lesson.minutes} min | {graded} |"
        )
    teach = sum(lesson.teach_minutes for lesson in lessons)
    practice = sum(lesson.practice_minutes for lesson in lessons)
    total = teach + practice
    hours, mins = divmod(total, 60)
    rows.append(f"| | **All lessons** | {teach} min | {practice} min | **{total} min** | |")
    return (
        "\n".join(rows)
        + f"\n\nIn all about {hours} h {mins:02d} min, not counting the graded exercises "
        "(allow 5 to 10 minutes each). Two or three sittings work well: 00 to 02, 03 to 05, "
        "then 06.\n"
    )


def rubric_block() -> str:
    rubric = content.rubric()
    names = rubric.level_names
    rows = [
        f"| Criterion | Ask yourself | 1 {names[0]} | 2 {names[1]} | 3 {names[2]} | Score |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for c in rubric.criteria:
        rows.append(
            f"| **{c.name}** | {c.question} | {c.levels[0]} | {c.levels[1]} | {c.levels[2]} "
            "| ☐1 ☐2 ☐3 |"
        )
    return (
        "Speaker: ______________________ Observer: ______________________ Round: ____\n\n"
        + "\n".join(rows)
        + "\n\n"
        "1. One strength in **what** was said: ____________________________________________\n"
        "2. One strength in **how** it was said: __________________________________________\n"
        "3. One thing to **strengthen** (and its criterion): _______________________________\n"
    )


def follow_ups_block() -> str:
    return "\n".join(f"{i}. {q}" for i, q in enumerate(content.follow_up_questions(), 1)) + "\n"


def generators() -> dict[str, Callable[[], str]]:
    """Every block name this script can fill, with its generator."""
    found: dict[str, Callable[[], str]] = {
        "course-timing": course_timing_block,
        "rubric": rubric_block,
        "follow-ups": follow_ups_block,
    }
    for minutes in AGENDAS:
        found[f"agenda-{minutes}"] = lambda m=minutes: agenda_block(m)
    for lesson in content.lessons():
        found[f"lesson-{lesson.id}"] = lambda lid=lesson.id: lesson_block(lid)
    return found


def blocks(text: str) -> list[str]:
    """The names of the generated blocks in a text, in order."""
    return [m["name"] for m in BLOCK.finditer(text)]


def render(text: str, where: str = "<text>") -> str:
    """`text` with every generated block refilled (an unknown block name is an error)."""
    known = generators()

    def fill(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in known:
            raise SystemExit(f"{where}: unknown generated block {name!r}")
        return f"{match['begin']}{known[name]()}{match['end']}"

    return BLOCK.sub(fill, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a block is stale")
    args = parser.parse_args(argv)
    stale = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        fresh = render(text, str(path))
        if fresh == text:
            continue
        if args.check:
            old = dict(zip(blocks(text), [m["body"] for m in BLOCK.finditer(text)], strict=True))
            new = dict(zip(blocks(fresh), [m["body"] for m in BLOCK.finditer(fresh)], strict=True))
            stale += [f"{path.relative_to(ROOT)}: {n}" for n in old if old[n] != new.get(n)]
        else:
            path.write_text(fresh, encoding="utf-8")
            print(f"updated {path.relative_to(ROOT)}")
    if stale:
        print("stale generated blocks (run python tools/gen_docs.py):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
