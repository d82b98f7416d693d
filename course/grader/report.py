"""The class report: DIR/report/index.html and its PNG figures, from a graded workshop.

Reads the kit's per-learner grading records (results/<learner>.json, with per-item verdicts),
the gradebook (totals and the rubric scores graders entered by hand) and flags.json. Figures:
score distribution, per-item difficulty, the most common wrong choices (misconceptions), and
rubric-criterion averages, drawn in the kit's figure style (course.learner.style). Learner ids
are replaced by "Learner N" unless names=True. Only the exercises the workshop sets count
(`Workshop.exercises()`): columns, items and totals (course.grader.grading.totals, as on screen
and in grades.csv, which is written again from the gradebook first so that hand grades are in
it). The page is course/templates/report/index.html.j2
(CSS beside it) rendered with autoescape on, so every piece of text that came from a learner or
a file is escaped. Records the kit's version, its git commit and the released exercises'
checksums. matplotlib (Agg) is imported only when the figures are drawn. Learners graded only
from a folder in submitted/ that no roster names are marked "not on the roster", with what to do,
and counted apart in the Summary ("Not on the roster: N"), beside the flags.
"""

from __future__ import annotations

import hashlib
import json
import statistics
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from course import __version__
from course.grader import keys
from course.grader.intake import OFF_ROSTER
from course.grader.workshop import Workshop, unlisted_learners
from course.learner import content, kinds, pages, style
from course.learner.safe import clip
from course.paths import KIT_ROOT

__all__ = ["ReportData", "collect", "write_report"]


@dataclass
class Item:
    """One keyed item across the class: how many answered it right, and the wrong choices."""

    assignment: str
    exercise: str
    item: str
    label: str
    right: int = 0
    seen: int = 0
    wrong: Counter = field(default_factory=Counter)

    @property
    def fraction(self) -> float:
        return self.right / self.seen if self.seen else 0.0


@dataclass
class ReportData:
    """Everything the report shows, as plain data (learners already pseudonymised if asked)."""

    assignments: list[str]
    # {"label", "scores": {a: (score, max) | None}, "flags", "on_roster"}
    learners: list[dict[str, Any]]
    items: list[Item]
    rubric: dict[str, list[float]]  # criterion name -> manual scores entered
    rubric_ungraded: int
    provenance: dict[str, Any]


def _short(text: str, limit: int = 46) -> str:
    """A label on one line of at most `limit` characters."""
    return clip(text, limit)


def _plain(text: str) -> str:
    """Text for a figure label: a `$` never starts matplotlib's math mode."""
    return str(text).replace("$", r"\$")


def _git_commit(root: Path) -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "solutions", "exercises"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return head + (" (solutions/ or exercises/ modified since)" if dirty else "")


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def _provenance(workshop: Workshop) -> dict[str, Any]:
    checksums = {}
    for name in workshop.exercises():
        released = _sha256(workshop.release_notebook(name))
        kit = _sha256(KIT_ROOT / "exercises" / name / f"{name}.ipynb")
        checksums[name] = {"release": released, "kit_exercises": kit, "same": released == kit}
    return {
        "kit_version": __version__,
        "git_commit": _git_commit(KIT_ROOT),
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "workshop": str(workshop.root),
        "exercises": checksums,
    }


def _records(workshop: Workshop) -> list[dict[str, Any]]:
    """The kit's per-learner grading records (results/*.json); unreadable ones are skipped."""
    records = []
    if workshop.results.is_dir():
        for path in sorted(workshop.results.glob("*.json")):
            try:
                records.append(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue
    return records


def _items(
    records: list[dict[str, Any]], texts: dict[str, dict[str, Any]]
) -> dict[tuple[str, str, str], Item]:
    """Every keyed item across the class: how many were right, and the wrong choices made."""
    items: dict[tuple[str, str, str], Item] = {}
    for record in records:
        for name, entry in record.get("assignments", {}).items():
            if entry.get("status") == "missing" or name not in texts:
                continue  # not handed in, or not an exercise this workshop sets
            for cell in entry.get("cells", {}).values():
                kind, exercise = kinds.for_check(cell.get("kind", "")), cell.get("exercise", "")
                entry = texts[name].get(exercise, {})
                for verdict in cell.get("items", []):
                    item_id = str(verdict.get("id"))
                    key = (name, exercise, item_id)
                    if key not in items:
                        label = kind.item_label(entry, item_id, _short)
                        items[key] = Item(name, exercise, item_id, label)
                    item = items[key]
                    item.seen += 1
                    if verdict.get("status") == "correct":
                        item.right += 1
                    elif verdict.get("status") == "wrong":
                        given = verdict.get("given")
                        wrong = kind.choice_label(entry, item_id, given, _short)
                        if wrong is not None:
                            item.wrong[wrong] += 1
    return items


def _flags(workshop: Workshop) -> dict[str, list[str]]:
    try:
        return json.loads((workshop.root / "flags.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _unset(flag: str, assignments: list[str]) -> bool:
    """Whether a flag is about an exercise the workshop does not set (left from an older run)."""
    name = str(flag).split(":", 1)[0]
    return bool(name[:2].isdigit() and "-" in name and name not in assignments)


def _learner_rows(
    workshop: Workshop, assignments: list[str], flags: dict[str, list[str]]
) -> tuple[list[dict[str, Any]], dict[str, list[float]], int]:
    """(a row per roster learner with their scores and flags, the rubric scores entered per
    criterion, how many rubric cells are still ungraded) from the gradebook."""
    from nbgrader.api import MissingEntry  # nbgrader takes seconds to import: only to report

    from course.grader.grading import totals

    rubric = content.rubric()
    scores: dict[str, list[float]] = {c.name: [] for c in rubric.criteria}
    ungraded = 0
    learners = []
    unlisted = set(unlisted_learners(workshop))
    with workshop.gradebook() as gb:
        for student in gb.students:
            row: dict[str, Any] = {
                "id": student.id,
                "scores": {},
                "flags": [f for f in flags.get(student.id, []) if not _unset(f, assignments)],
                "on_roster": student.id not in unlisted,
            }
            for name in assignments:
                try:
                    submission = gb.find_submission(name, student.id)
                except MissingEntry:
                    row["scores"][name] = None
                    continue
                row["scores"][name] = (float(submission.score), float(submission.max_score))
                for criterion in rubric.criteria:
                    try:
                        grade = gb.find_grade(f"rubric-{criterion.id}", name, name, student.id)
                    except MissingEntry:
                        continue
                    if grade.manual_score is not None:
                        scores[criterion.name].append(float(grade.manual_score))
                    else:
                        ungraded += 1
            learners.append(row)
        maxima = {name: float(gb.find_assignment(name).max_score) for name in assignments}
    for row in learners:
        row["total"], row["max_total"] = totals(row["scores"], maxima)
        row["handed_in"] = any(row["scores"].values())
    return learners, scores, ungraded


def _label(learners: list[dict[str, Any]], names: bool) -> None:
    """Best total first; ids become "Learner N" unless `names`."""
    learners.sort(key=lambda r: (-r["total"], r["id"]))
    for n, row in enumerate(learners, start=1):
        row["label"] = row["id"] if names else f"Learner {n}"
        if not names:
            del row["id"]


def _position(texts: dict[str, dict[str, Any]], item: Item) -> tuple[str, int, int]:
    """Notebook order: exercises as the notebook shows them, items in their given order."""
    exercises = list(texts.get(item.assignment, {}))
    order = list(texts.get(item.assignment, {}).get(item.exercise, {}).get("items", {}))
    return (
        item.assignment,
        exercises.index(item.exercise) if item.exercise in exercises else len(exercises),
        order.index(item.item) if item.item in order else len(order),
    )


def collect(workshop: Workshop, names: bool = False) -> ReportData:
    """Gather the report's data from a graded workshop (the exercises it sets only)."""
    assignments = workshop.exercises()
    texts = {name: keys.exercise_texts(workshop.source_notebook(name)) for name in assignments}
    items = _items(_records(workshop), texts)
    learners, scores, ungraded = _learner_rows(workshop, assignments, _flags(workshop))
    _label(learners, names)
    return ReportData(
        assignments,
        learners,
        sorted(items.values(), key=lambda item: _position(texts, item)),
        scores,
        ungraded,
        _provenance(workshop),
    )


# --------------------------------------------------------------------------- figures

#: Tick labels of long item lists: the smallest size the kit's figures draw.
DENSE = style.MIN_FONT_SIZE


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure  # matplotlib only when the report is drawn

    return Figure(figsize=(width, height), dpi=style.DPI, layout="constrained")


def _save(fig: Any, path: Path) -> Path:
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # as in _figure

    FigureCanvasAgg(fig)
    fig.savefig(path, format="png", dpi=style.DPI)
    return path


def fig_distribution(data: ReportData, path: Path) -> tuple[Path, str]:
    percents = [100 * r["total"] / r["max_total"] for r in data.learners if r["handed_in"]]
    with style.apply():
        fig = _figure(8, 4.5)
        ax = fig.add_subplot()
        bins = list(range(0, 101, 10))
        ax.hist(percents, bins=bins, color=style.SERIES[0], edgecolor="white")
        ax.set_xlim(0, 100)
        ax.set_xticks(bins)
        ax.set_xlabel("Total score (% of the maximum, the exercises set)")
        ax.set_ylabel("Learners")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_title("Score distribution")
        if percents:
            mean = statistics.mean(percents)
            ax.axvline(mean, color=style.OKABE_ITO["black"], linestyle="--", linewidth=1.5)
            ax.annotate(
                f"mean {mean:.0f}%",
                (mean, 0.95),
                xycoords=("data", "axes fraction"),
                xytext=(4, 0),
                textcoords="offset points",
                va="top",
            )
        saved = _save(fig, path)
    whose = "learner's" if len(percents) == 1 else "learners'"
    description = f"Histogram of {len(percents)} {whose} total scores in 10-point bands" + (
        f"; mean {statistics.mean(percents):.0f}%." if percents else "."
    )
    return saved, description


def fig_difficulty(data: ReportData, path: Path) -> tuple[Path, str]:
    items = [i for i in data.items if i.seen]
    with style.apply():
        fig = _figure(11, max(3.0, 0.4 * len(items) + 1.5))
        ax = fig.add_subplot()
        labels = [_plain(f"{i.assignment[:2]} {_short(i.label, 52)}") for i in items]
        y = list(range(len(items)))[::-1]
        ax.barh(
            y,
            [100 * i.fraction for i in items],
            color=[style.series_colour(data.assignments, i.assignment) for i in items],
        )
        ax.set_ylim(-0.6, len(items) - 0.4)
        ax.set_yticks(y, labels, fontsize=DENSE)
        ax.set_xlim(0, 100)
        ax.set_xlabel("Learners who got it right (%)")
        ax.set_title("Per-item difficulty (shorter bar: harder item)")
        ax.axvline(50, color="#999999", linewidth=1, linestyle=":")
        saved = _save(fig, path)
    hardest = min(items, key=lambda i: i.fraction) if items else None
    description = f"Bar per graded item ({len(items)} items), the share of learners right" + (
        f"; hardest: {hardest.label} ({100 * hardest.fraction:.0f}%)." if hardest else "."
    )
    return saved, description


def misconceptions(data: ReportData, top: int = 10) -> list[tuple[Item, str, int]]:
    """The items whose most common wrong choice was made most often: (item, choice, count)."""
    found = []
    for item in data.items:
        if item.wrong:
            choice, count = item.wrong.most_common(1)[0]
            found.append((item, choice, count))
    found.sort(key=lambda t: (-t[2] / max(1, t[0].seen), t[0].assignment, t[0].item))
    return found[:top]


def fig_misconceptions(data: ReportData, path: Path) -> tuple[Path, str]:
    rows = misconceptions(data)
    with style.apply():
        fig = _figure(11, max(3.0, 0.7 * len(rows) + 1.6))
        ax = fig.add_subplot()
        if not rows:
            ax.text(0.5, 0.5, "No wrong choices recorded", ha="center", va="center")
            ax.set_axis_off()
            return _save(fig, path), "No wrong choices were recorded."
        y = list(range(len(rows)))[::-1]
        values = [100 * count / max(1, item.seen) for item, _c, count in rows]
        labels = [
            _plain(f"{item.assignment[:2]} {_short(item.label, 40)}\n\u2192 {_short(c, 44)}")
            for item, c, _n in rows
        ]
        colours = [style.series_colour(data.assignments, r[0].assignment) for r in rows]
        ax.barh(y, values, color=colours)
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.set_yticks(y, labels, fontsize=DENSE)
        ax.set_xlim(0, 100)
        ax.set_xlabel("Learners who made this wrong choice (%)")
        ax.set_title("Most common wrong choices")
        saved = _save(fig, path)
    item, choice, count = rows[0]
    description = (
        f"The {len(rows)} most frequent wrong choices; the top one: {item.label} answered "
        f"'{choice}' by {count} of {item.seen} learner{'' if item.seen == 1 else 's'}."
    )
    return saved, description


def fig_rubric(data: ReportData, path: Path) -> tuple[Path, str]:
    names = list(data.rubric)
    means = [statistics.mean(v) if v else 0.0 for v in data.rubric.values()]
    counts = [len(v) for v in data.rubric.values()]
    with style.apply():
        fig = _figure(9, 4.8)
        ax = fig.add_subplot()
        bars = ax.bar(names, means, color=style.SERIES[2])
        ax.set_ylim(0, 3.6)  # room for the labels above full bars
        ax.set_yticks([0, 1, 2, 3])
        ax.set_ylabel("Mean score (0 to 3)")
        ax.set_title("Rubric criteria: mean of the hand-graded scores")
        for bar, mean, count in zip(bars, means, counts, strict=True):
            ax.annotate(
                f"{mean:.1f}\n(n={count})" if count else "not graded",
                (bar.get_x() + bar.get_width() / 2, mean),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=DENSE,
            )
        saved = _save(fig, path)
    graded = max(counts) if counts else 0
    if graded:
        low = names[means.index(min(means))]
        description = f"Mean rubric score per criterion over {graded} drafts; lowest: {low}."
    else:
        description = "No rubric scores have been entered in the formgrader yet."
    return saved, description


# --------------------------------------------------------------------------- HTML


def _percent(value: float) -> str:
    return f"{value:.0f}%"


def _summary(data: ReportData) -> list[dict[str, Any]]:
    """One row per assignment: how many handed in, mean, median, lowest, highest, flagged (flags
    about that exercise), and how many of those who handed it in are not on the roster."""
    rows = []
    for name in data.assignments:
        got = [r["scores"][name] for r in data.learners if r["scores"].get(name)]
        unlisted = sum(
            1 for r in data.learners if r["scores"].get(name) and not r.get("on_roster", True)
        )
        percents = [100 * s / m for s, m in got if m]
        flagged = sum(
            1 for r in data.learners if any(str(f).startswith(f"{name}:") for f in r["flags"])
        )
        figures = (
            [statistics.mean(percents), statistics.median(percents), min(percents), max(percents)]
            if percents
            else []
        )
        rows.append(
            {
                "name": name,
                "handed_in": len(got),
                "figures": [_percent(v) for v in figures] or ["-"] * 4,
                "flagged": flagged,
                "unlisted": unlisted,
            }
        )
    return rows


def _score(score: tuple[float, float] | None) -> str:
    return f"{score[0]:g}/{score[1]:g}" if score else "-"


def write_report(workshop: Workshop, names: bool = False) -> Path:
    """Write report/index.html and its figures; return the index path. grades.csv is written
    again from the gradebook first, so both show the hand grades entered since grading."""
    from course.grader.grading import export_csv

    export_csv(workshop)
    data = collect(workshop, names=names)
    out = workshop.report
    out.mkdir(parents=True, exist_ok=True)
    figures = [
        ("Score distribution", fig_distribution(data, out / "score-distribution.png")),
        ("Per-item difficulty", fig_difficulty(data, out / "item-difficulty.png")),
        ("Misconceptions", fig_misconceptions(data, out / "misconceptions.png")),
        ("Rubric criteria", fig_rubric(data, out / "rubric-criteria.png")),
    ]
    page = pages.render(
        "report/index.html.j2",
        names=names,
        learners=[
            {
                "label": r["label"],
                "scores": [_score(r["scores"].get(name)) for name in data.assignments],
                "total": f"{r['total']:g}/{r['max_total']:g}",
                "flags": r["flags"],
                "on_roster": r["on_roster"],
            }
            for r in data.learners
        ],
        unlisted=[r["label"] for r in data.learners if not r["on_roster"]],
        off_roster=OFF_ROSTER,
        handed_in=sum(1 for r in data.learners if r["handed_in"]),
        exercises=data.assignments,
        unset=[n for n in workshop.assignments() if n not in data.assignments],
        columns=[name.split("-", 1)[0] for name in data.assignments],
        summary=_summary(data),
        rubric_ungraded=data.rubric_ungraded,
        figures=[
            {"file": path.name, "title": title, "description": description}
            for title, (path, description) in figures
        ],
        misconceptions=misconceptions(data),
        provenance=data.provenance,
    )
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    (out / "provenance.json").write_text(json.dumps(data.provenance, indent=1), encoding="utf-8")
    return index
