"""The class report: DIR/report/index.html and its PNG figures, from a graded workshop.

Reads the kit's per-learner grading records (results/<learner>.json, with per-item verdicts),
the gradebook (totals and the rubric scores graders entered by hand) and flags.json. Figures:
score distribution, per-item difficulty, the most common wrong choices (misconceptions), and
rubric-criterion averages. Learner ids are replaced by "Learner N" unless names=True. Every
piece of text that came from a learner or a file is HTML-escaped. Records the kit's version,
its git commit and the released exercises' checksums. matplotlib (Agg) is imported here only.
"""

from __future__ import annotations

import hashlib
import html
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
from course.grader.workshop import Workshop
from course.learner import kinds
from course.paths import KIT_ROOT

__all__ = ["ReportData", "collect", "write_report"]

#: Okabe & Ito (2008) colour-blind-safe palette, one colour per assignment.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000")
FONT_SIZE = 12


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
    learners: list[dict[str, Any]]  # {"label", "scores": {a: (score, max) | None}, "flags"}
    items: list[Item]
    rubric: dict[str, list[float]]  # criterion name -> manual scores entered
    rubric_ungraded: int
    provenance: dict[str, Any]


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _short(text: str, limit: int = 46) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


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
    for name in workshop.assignments():
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


def collect(workshop: Workshop, names: bool = False) -> ReportData:
    """Gather the report's data from a graded workshop."""
    from nbgrader.api import MissingEntry

    from course.learner import content

    assignments = workshop.assignments()
    records = []
    if workshop.results.is_dir():
        for path in sorted(workshop.results.glob("*.json")):
            try:
                records.append(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue
    texts = {name: keys.exercise_texts(workshop.source_notebook(name)) for name in assignments}
    items: dict[tuple[str, str, str], Item] = {}
    for record in records:
        for name, entry in record.get("assignments", {}).items():
            if entry.get("status") == "missing":
                continue
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
    flags_path = workshop.root / "flags.json"
    try:
        flags = json.loads(flags_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        flags = {}
    rubric = content.rubric()
    scores: dict[str, list[float]] = {c.name: [] for c in rubric.criteria}
    ungraded = 0
    learners = []
    with workshop.gradebook() as gb:
        for student in gb.students:
            row: dict[str, Any] = {
                "id": student.id,
                "scores": {},
                "flags": flags.get(student.id, []),
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
        got = [s for s in row["scores"].values() if s]
        row["total"] = sum(s[0] for s in got)
        row["max_total"] = sum(maxima.values())
        row["handed_in"] = bool(got)
    learners.sort(key=lambda r: (-r["total"], r["id"]))
    for n, row in enumerate(learners, start=1):
        row["label"] = row["id"] if names else f"Learner {n}"
        if not names:
            del row["id"]

    def position(item: Item) -> tuple[str, int, int]:
        """Notebook order: exercises as the notebook shows them, items in their given order."""
        exercises = list(texts.get(item.assignment, {}))
        order = list(texts.get(item.assignment, {}).get(item.exercise, {}).get("items", {}))
        return (
            item.assignment,
            exercises.index(item.exercise) if item.exercise in exercises else len(exercises),
            order.index(item.item) if item.item in order else len(order),
        )

    return ReportData(
        assignments,
        learners,
        sorted(items.values(), key=position),
        scores,
        ungraded,
        _provenance(workshop),
    )


# --------------------------------------------------------------------------- figures


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return fig


def _save(fig: Any, path: Path) -> Path:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    fig.savefig(path, format="png", dpi=100)
    return path


def _colour(assignments: list[str], name: str) -> str:
    return PALETTE[assignments.index(name) % len(PALETTE)] if name in assignments else "#555555"


def fig_distribution(data: ReportData, path: Path) -> tuple[Path, str]:
    percents = [100 * r["total"] / r["max_total"] for r in data.learners if r["handed_in"]]
    fig = _figure(8, 4.5)
    ax = fig.add_subplot()
    bins = list(range(0, 101, 10))
    ax.hist(percents, bins=bins, color=PALETTE[0], edgecolor="white")
    ax.set_xlim(0, 100)
    ax.set_xticks(bins)
    ax.set_xlabel("Total score (% of the maximum, all assignments)", fontsize=FONT_SIZE)
    ax.set_ylabel("Learners", fontsize=FONT_SIZE)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title("Score distribution", fontsize=FONT_SIZE + 2)
    if percents:
        mean = statistics.mean(percents)
        ax.axvline(mean, color="#000000", linestyle="--", linewidth=1.5)
        ax.annotate(
            f"mean {mean:.0f}%",
            (mean, 0.95),
            xycoords=("data", "axes fraction"),
            xytext=(4, 0),
            textcoords="offset points",
            fontsize=FONT_SIZE - 1,
            va="top",
        )
    ax.tick_params(labelsize=FONT_SIZE - 1)
    description = f"Histogram of {len(percents)} learners' total scores in 10-point bands" + (
        f"; mean {statistics.mean(percents):.0f}%." if percents else "."
    )
    return _save(fig, path), description


def fig_difficulty(data: ReportData, path: Path) -> tuple[Path, str]:
    items = [i for i in data.items if i.seen]
    height = max(3.0, 0.3 * len(items) + 1.5)
    fig = _figure(10, height)
    ax = fig.add_subplot()
    labels = [_plain(f"{i.assignment[:2]} {_short(i.label, 52)}") for i in items]
    values = [100 * i.fraction for i in items]
    colours = [_colour(data.assignments, i.assignment) for i in items]
    y = list(range(len(items)))[::-1]
    ax.barh(y, values, color=colours)
    ax.set_ylim(-0.6, len(items) - 0.4)
    ax.set_yticks(y, labels, fontsize=FONT_SIZE - 3)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Learners who got it right (%)", fontsize=FONT_SIZE)
    ax.set_title("Per-item difficulty (shorter bar: harder item)", fontsize=FONT_SIZE + 2)
    ax.axvline(50, color="#999999", linewidth=1, linestyle=":")
    ax.tick_params(axis="x", labelsize=FONT_SIZE - 1)
    hardest = min(items, key=lambda i: i.fraction) if items else None
    description = f"Bar per graded item ({len(items)} items), the share of learners right" + (
        f"; hardest: {hardest.label} ({100 * hardest.fraction:.0f}%)." if hardest else "."
    )
    return _save(fig, path), description


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
    fig = _figure(10, max(3.0, 0.55 * len(rows) + 1.6))
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
    ax.barh(y, values, color=[_colour(data.assignments, r[0].assignment) for r in rows])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_yticks(y, labels, fontsize=FONT_SIZE - 3)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Learners who made this wrong choice (%)", fontsize=FONT_SIZE)
    ax.set_title("Most common wrong choices", fontsize=FONT_SIZE + 2)
    ax.tick_params(axis="x", labelsize=FONT_SIZE - 1)
    item, choice, count = rows[0]
    description = (
        f"The {len(rows)} most frequent wrong choices; the top one: {item.label} answered "
        f"'{choice}' by {count} of {item.seen} learners."
    )
    return _save(fig, path), description


def fig_rubric(data: ReportData, path: Path) -> tuple[Path, str]:
    names = list(data.rubric)
    means = [statistics.mean(v) if v else 0.0 for v in data.rubric.values()]
    counts = [len(v) for v in data.rubric.values()]
    fig = _figure(8, 4.5)
    ax = fig.add_subplot()
    bars = ax.bar(names, means, color=PALETTE[2])
    ax.set_ylim(0, 3.6)  # room for the labels above full bars
    ax.set_yticks([0, 1, 2, 3])
    ax.set_ylabel("Mean score (0 to 3)", fontsize=FONT_SIZE)
    ax.set_title("Rubric criteria: mean of the hand-graded scores", fontsize=FONT_SIZE + 2)
    ax.tick_params(labelsize=FONT_SIZE - 1)
    for bar, mean, count in zip(bars, means, counts, strict=True):
        text = f"{mean:.1f}\n(n={count})" if count else "not graded"
        ax.annotate(
            text,
            (bar.get_x() + bar.get_width() / 2, mean),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=FONT_SIZE - 2,
        )
    graded = max(counts) if counts else 0
    if graded:
        low = names[means.index(min(means))]
        description = f"Mean rubric score per criterion over {graded} drafts; lowest: {low}."
    else:
        description = "No rubric scores have been entered in the formgrader yet."
    return _save(fig, path), description


# --------------------------------------------------------------------------- HTML

CSS = """
body {font-family: system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem;
  color: #1a1a1a; line-height: 1.45;}
table {border-collapse: collapse; margin: 0.5rem 0 1.5rem;}
th, td {border: 1px solid #bbb; padding: 0.25rem 0.6rem; text-align: left;}
th {background: #eef2f7;}
td.num {text-align: right; font-variant-numeric: tabular-nums;}
img {max-width: 100%; height: auto; border: 1px solid #ddd;}
figure {margin: 1rem 0 2rem;}
figcaption {color: #333; font-size: 0.95rem;}
code {font-size: 0.9rem;}
"""


def _pct(values: list[float]) -> str:
    return f"{statistics.mean(values):.0f}%" if values else "-"


def _summary_rows(data: ReportData) -> str:
    rows = []
    for name in data.assignments:
        got = [r["scores"][name] for r in data.learners if r["scores"].get(name)]
        percents = [100 * s / m for s, m in got if m]
        flagged = sum(
            1 for r in data.learners if any(str(f).startswith(f"{name}:") for f in r["flags"])
        )
        cells = [
            _esc(name),
            str(len(got)),
            _pct(percents),
            f"{statistics.median(percents):.0f}%" if percents else "-",
            f"{min(percents):.0f}%" if percents else "-",
            f"{max(percents):.0f}%" if percents else "-",
            str(flagged),
        ]
        rows.append(
            "<tr>"
            + "".join(
                f'<td class="num">{c}</td>' if i else f"<td>{c}</td>" for i, c in enumerate(cells)
            )
            + "</tr>"
        )
    return "".join(rows)


def _learner_rows(data: ReportData) -> str:
    rows = []
    for r in data.learners:
        cells = [f"<td>{_esc(r['label'])}</td>"]
        for name in data.assignments:
            s = r["scores"].get(name)
            cells.append(
                f'<td class="num">{s[0]:g}/{s[1]:g}</td>' if s else '<td class="num">-</td>'
            )
        cells.append(f'<td class="num">{r["total"]:g}/{r["max_total"]:g}</td>')
        cells.append(f'<td class="num">{len(r["flags"])}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(rows)


def _flag_list(data: ReportData) -> str:
    parts = []
    for r in data.learners:
        if r["flags"]:
            items = "".join(f"<li>{_esc(f)}</li>" for f in r["flags"])
            parts.append(f"<li>{_esc(r['label'])}<ul>{items}</ul></li>")
    return f"<ul>{''.join(parts)}</ul>" if parts else "<p>No learner was flagged.</p>"


def _misconception_rows(data: ReportData) -> str:
    rows = []
    for item, choice, count in misconceptions(data):
        rows.append(
            f"<tr><td>{_esc(item.assignment)}</td><td>{_esc(item.label)}</td>"
            f'<td>{_esc(choice)}</td><td class="num">{count} of {item.seen}</td></tr>'
        )
    return "".join(rows)


def write_report(workshop: Workshop, names: bool = False) -> Path:
    """Write report/index.html and its figures; return the index path."""
    data = collect(workshop, names=names)
    out = workshop.report
    out.mkdir(parents=True, exist_ok=True)
    figures = [
        ("Score distribution", fig_distribution(data, out / "score-distribution.png")),
        ("Per-item difficulty", fig_difficulty(data, out / "item-difficulty.png")),
        ("Misconceptions", fig_misconceptions(data, out / "misconceptions.png")),
        ("Rubric criteria", fig_rubric(data, out / "rubric-criteria.png")),
    ]
    handed_in = sum(1 for r in data.learners if r["handed_in"])
    head = "".join(f"<th>{_esc(n.split('-', 1)[0])}</th>" for n in data.assignments)
    prov = data.provenance
    checksum_rows = "".join(
        f"<tr><td>{_esc(name)}</td><td><code>{_esc(c['release'][:16])}</code></td>"
        f"<td>{'same' if c['same'] else 'DIFFERENT from the kit exercises/'}</td></tr>"
        for name, c in prov["exercises"].items()
    )
    figure_html = "".join(
        f'<figure><img src="{_esc(path.name)}" alt="{_esc(desc)}">'
        f"<figcaption><b>{_esc(title)}.</b> {_esc(desc)}</figcaption></figure>"
        for title, (path, desc) in figures
    )
    pending = (
        f"<p>{data.rubric_ungraded} rubric cells are still to be graded by hand "
        "(<code>python -m course formgrader</code>).</p>"
        if data.rubric_ungraded
        else ""
    )
    ids_note = (
        "Learner ids are shown."
        if names
        else "Learner ids are hidden (run with --names to show them)."
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Class report: Career Aspirations workshop</title><style>{CSS}</style></head>
<body>
<h1>Class report: Career Aspirations workshop</h1>
<p>{len(data.learners)} learners on the roster, {handed_in} handed something in.
{ids_note}</p>
<h2>Summary</h2>
<table><thead><tr><th>Assignment</th><th>Handed in</th><th>Mean</th><th>Median</th>
<th>Lowest</th><th>Highest</th><th>Flagged</th></tr></thead>
<tbody>{_summary_rows(data)}</tbody></table>
{pending}
<h2>Figures</h2>
{figure_html}
<h2>Most common wrong choices</h2>
<table><thead><tr><th>Assignment</th><th>Item</th><th>Wrong choice</th><th>Learners</th></tr>
</thead><tbody>{_misconception_rows(data)}</tbody></table>
<h2>Learners</h2>
<table><thead><tr><th>Learner</th>{head}<th>Total</th><th>Flags</th></tr></thead>
<tbody>{_learner_rows(data)}</tbody></table>
<h2>Flags</h2>
{_flag_list(data)}
<h2>Provenance</h2>
<ul><li>Kit version: {_esc(prov["kit_version"])}</li>
<li>Git commit: <code>{_esc(prov["git_commit"])}</code></li>
<li>Generated: {_esc(prov["generated"])}</li></ul>
<table><thead><tr><th>Exercise</th><th>Released notebook (sha256)</th><th>Kit exercises/</th></tr>
</thead><tbody>{checksum_rows}</tbody></table>
</body></html>
"""
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    (out / "provenance.json").write_text(json.dumps(prov, indent=1), encoding="utf-8")
    return index
