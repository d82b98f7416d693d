"""Matplotlib figures for the lessons: each takes plain data and returns (Figure, description).

matplotlib is imported inside the functions (a lesson kernel that draws nothing never pays for
it), and figures are built with `matplotlib.figure.Figure`, not pyplot, so they work under any
backend (inline, Agg, headless papermill) and leave no global state behind. Every figure is drawn
in the kit's style (course.learner.style: the Okabe-Ito colour-blind-safe palette or cividis,
fonts of at least 12 pt for a projector), labels its axes, and comes with a one-line text
description for screen readers; `show` displays both. Learner text is drawn with math parsing
off, so `$` or `\\` can never break a plot.
"""

from __future__ import annotations

import base64
import io
import math
import textwrap
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from course.learner import style
from course.learner.safe import escape
from course.learner.style import FONT_SIZE, OKABE_ITO

__all__ = [
    "OKABE_ITO",
    "alignment_heatmap",
    "bundles",
    "png_bytes",
    "rubric_radar",
    "save",
    "show",
    "show_in",
    "timeline",
]

GOAL_COLOUR = OKABE_ITO["vermillion"]
ASPIRATION_COLOUR = OKABE_ITO["blue"]
LABEL_CHARS = 48
DESCRIPTION_CHARS = 60
#: Where the timeline's dated part ends and the open-ended part begins, in months.
TIMELINE_DATED_MONTHS = 36
_TIMELINE_END = 48


# --------------------------------------------------------------------------- helpers


def short(text: Any, limit: int = LABEL_CHARS) -> str:
    """One line of at most `limit` characters: whitespace collapsed, control characters dropped."""
    cleaned = "".join(
        ch if unicodedata.category(ch)[0] != "C" else " " for ch in str(text)[: limit * 4]
    )
    line = " ".join(cleaned.split())
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "\u2026"
    return line or "(blank)"


def _wrap(text: Any, width: int, lines: int = 3) -> str:
    """At most `lines` lines of `width` characters, with an ellipsis where text was cut."""
    wrapped = textwrap.wrap(short(text, width * (lines + 1)), width) or ["(blank)"]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "\u2026"
    return "\n".join(wrapped)


def _quote(text: Any) -> str:
    return f"\u201c{short(text, DESCRIPTION_CHARS)}\u201d"


def png_bytes(fig: Any, dpi: int = 100) -> bytes:
    """The figure as PNG bytes (glyphs a font lacks, e.g. emoji, are drawn as boxes, silently)."""
    buffer = io.BytesIO()
    with style.quiet():
        fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def save(fig: Any, path: str | Path, dpi: int = 100) -> Path:
    """Write the figure to `path` as PNG; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png_bytes(fig, dpi))
    return path


def bundles(fig: Any, description: str) -> list[dict[str, Any]]:
    """The figure as display bundles: the PNG (its text alternative is the description), then
    the description as a visible, escaped caption."""
    encoded = base64.b64encode(png_bytes(fig)).decode("ascii")
    return [
        {"image/png": encoded, "text/plain": f"[Figure] {description}"},
        {
            "text/html": f'<p class="cak-figure-description"><i>Figure:</i> '
            f"{escape(description)}</p>",
            "text/plain": f"Figure: {description}",
        },
    ]


def show(fig: Any, description: str) -> None:
    """Display the figure inline as PNG, with its description as visible text beside it.

    The PNG is sent as data, so it renders the same under the inline backend, Agg or a headless
    papermill run; the description is the text/plain alternative and a caption under the image.
    """
    from IPython.display import display

    for bundle in bundles(fig, description):
        display(bundle, raw=True)


def show_in(output: Any, fig: Any, description: str) -> None:
    """Replace what an ipywidgets Output shows with the figure and its description.

    Sets the widget's outputs directly rather than capturing display calls, so it works the
    same from a cell, a button click or a timer callback (e.g. redrawing after typing).
    """
    output.outputs = tuple(
        {"output_type": "display_data", "data": bundle, "metadata": {}}
        for bundle in bundles(fig, description)
    )


# --------------------------------------------------------------------------- timeline


def timeline(entries: Sequence[Mapping[str, Any]]) -> tuple[Any, str]:
    """Goals and aspirations on one time axis: a goal ends at its date, an aspiration stays open.

    Each entry is a mapping with `text`, `kind` ("goal" or "aspiration"), optional `months`
    (a goal's deadline, months from today) and optional `mine` (true for the learner's own
    entries, drawn in bold and listed first in the description). Goals later than
    TIMELINE_DATED_MONTHS are drawn at that edge, marked "later".
    """
    rows = [dict(e) for e in entries]
    with style.apply() as mpl:
        from matplotlib.figure import Figure

        height = 2.2 + 0.8 * max(len(rows), 1)
        fig = Figure(figsize=(11, height))
        ax = fig.add_subplot()
        ax.axvspan(
            TIMELINE_DATED_MONTHS,
            _TIMELINE_END,
            color=OKABE_ITO["sky blue"],
            alpha=0.18,
            lw=0,
        )
        ax.text(
            (TIMELINE_DATED_MONTHS + _TIMELINE_END) / 2,
            max(len(rows), 1) - 0.45,
            "open: no set date",
            ha="center",
            va="center",
            fontsize=FONT_SIZE - 1,
            style="italic",
        )
        labels = _timeline_rows(ax, rows)
        ax.set_yticks(range(len(labels)), labels, parse_math=False)
        for tick, entry in zip(ax.get_yticklabels(), reversed(rows), strict=True):
            if entry.get("mine"):
                tick.set_fontweight("bold")
        ax.set_ylim(-0.6, max(len(rows), 1) - 0.1)
        ax.set_xlim(0, _TIMELINE_END)
        ax.set_xticks(
            [0, 12, 24, TIMELINE_DATED_MONTHS],
            ["today", "1 year", "2 years", "3 years"],
        )
        ax.set_xlabel("Time from today \u2192")
        ax.set_ylabel("Statement")
        ax.set_title("Goals end at a set date; aspirations stay open")
        handles = [
            mpl.lines.Line2D([], [], color=GOAL_COLOUR, lw=3, marker="D", mec="black"),
            mpl.lines.Line2D([], [], color=ASPIRATION_COLOUR, lw=3, linestyle=(0, (5, 3))),
        ]
        fig.legend(
            handles,
            ["goal: set date, specific outcome", "aspiration: no set date, open outcome"],
            loc="lower center",
            ncol=2,
            frameon=False,
        )
        fig.tight_layout(rect=(0, 0.5 / height, 1, 1))
    return fig, describe_timeline(rows)


def _timeline_rows(ax: Any, rows: list[dict[str, Any]]) -> list[str]:
    """Draw each entry on its own row, the first at the top; return the rows' labels."""
    labels = []
    for y, entry in enumerate(reversed(rows)):
        mine = bool(entry.get("mine"))
        labels.append(_wrap(("You: " if mine else "") + str(entry.get("text", "")), 34, 2))
        lw = 4 if mine else 2.5
        if entry.get("kind") == "goal":
            months = _months(entry.get("months"))
            end = min(months, TIMELINE_DATED_MONTHS) if months is not None else None
            if end is None:
                ax.text(1, y, "deadline not given yet", va="center", fontsize=FONT_SIZE - 1)
                continue
            ax.plot([0, end], [y, y], color=GOAL_COLOUR, lw=lw, solid_capstyle="butt")
            ax.plot(end, y, marker="D", ms=12 if mine else 10, color=GOAL_COLOUR, mec="black")
            when = "later" if months > TIMELINE_DATED_MONTHS else _month_words(months)
            ax.text(end + 0.8, y + 0.18, when, fontsize=FONT_SIZE - 1, va="bottom")
        else:
            ax.annotate(
                "",
                xy=(_TIMELINE_END - 0.3, y),
                xytext=(0, y),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": ASPIRATION_COLOUR,
                    "lw": lw,
                    "linestyle": (0, (5, 3)),
                    "mutation_scale": 22,
                },
            )
    return labels


def describe_timeline(entries: Sequence[Mapping[str, Any]]) -> str:
    """One line naming every entry: goals with their deadline, aspirations as open-ended."""
    goals = [e for e in entries if e.get("kind") == "goal"]
    aspirations = [e for e in entries if e.get("kind") != "goal"]
    parts = []
    for e in sorted(entries, key=lambda e: not e.get("mine")):
        who = "your " if e.get("mine") else ""
        if e.get("kind") == "goal":
            months = _months(e.get("months"))
            when = f"due in {_month_words(months)}" if months is not None else "no deadline yet"
            parts.append(f"{who}goal {_quote(e.get('text', ''))} ({when})")
        else:
            parts.append(f"{who}aspiration {_quote(e.get('text', ''))} (no set date)")
    head = (
        f"Time line of {len(goals)} goal{'s' * (len(goals) != 1)} and {len(aspirations)} "
        f"aspiration{'s' * (len(aspirations) != 1)}"
    )
    return f"{head}: " + "; ".join(parts) + "." if parts else f"{head}."


def _months(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if value != value or value < 0:  # NaN or negative
        return None
    return float(value)


def _month_words(months: float) -> str:
    if months >= 24 and months % 12 == 0:
        return f"{int(months // 12)} years"
    if months == 12:
        return "1 year"
    n = int(months) if float(months).is_integer() else round(months, 1)
    return f"{n} month{'s' * (n != 1)}"


# --------------------------------------------------------------------------- heatmap


def alignment_heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    ratings: Sequence[Sequence[int | None]],
    levels: Sequence[str] = ("none", "some", "strong"),
) -> tuple[Any, str]:
    """Aspirations (rows) against company values and plans (columns), each cell rated 0-2.

    Unrated cells (None) are left blank with a '?'. Every cell carries its number as text, so
    colour is never the only signal; the colour map is cividis (readable with any colour vision).
    """
    top = len(levels) - 1
    grid = [[_rating(v, top) for v in row] for row in ratings]
    n_rows, n_cols = len(rows), len(columns)
    with style.apply() as mpl:
        from matplotlib.figure import Figure

        width = min(4 + 2.3 * max(n_cols, 1), 16 if n_cols <= 6 else 22)
        fig = Figure(figsize=(width, 1.8 + 0.9 * max(n_rows, 1) + 0.9))
        ax = fig.add_subplot()
        ax.spines[:].set_visible(False)
        if n_rows and n_cols:
            values = [[float("nan") if v is None else v for v in row] for row in grid]
            shades = [mpl.colormaps["cividis"](i / max(top, 1)) for i in range(top + 1)]
            cmap = mpl.colors.ListedColormap(shades).with_extremes(bad="#f2f2f2")
            norm = mpl.colors.BoundaryNorm([i - 0.5 for i in range(top + 2)], top + 1)
            image = ax.imshow(values, cmap=cmap, norm=norm, aspect="auto")
            for i, row in enumerate(grid):
                for j, v in enumerate(row):
                    dark = v is not None and _luminance(shades[v]) < 0.179
                    ax.text(
                        j,
                        i,
                        "?" if v is None else str(v),
                        ha="center",
                        va="center",
                        color="white" if dark else "black",
                        fontsize=16,
                        fontweight="bold",
                    )
            bar = fig.colorbar(image, ax=ax, ticks=range(top + 1), shrink=0.8)
            bar.ax.set_yticklabels([f"{n} {name}" for n, name in enumerate(levels)])
            bar.set_label("How strongly it fits")
            chars = 16 if n_cols <= 6 else 12  # narrower labels when skills add columns
            ax.set_xticks(range(n_cols), [_wrap(c, chars, 5) for c in columns], parse_math=False)
            ax.set_yticks(range(n_rows), [_wrap(r, 30, 3) for r in rows], parse_math=False)
            ax.tick_params(axis="x", top=True, bottom=False, labeltop=True, labelbottom=False)
            ax.set_xlabel("The company's values and plans, and the role's skills")
            ax.set_ylabel("Your aspirations")
            ax.set_title("Where your aspirations meet the company", pad=12)
        else:
            # A clean placeholder: no axes, ticks or axis labels around an empty frame.
            fig.set_size_inches(8, 1.5)
            ax.set_axis_off()
            ax.text(
                0.5,
                0.5,
                "Nothing to show yet: write your aspirations above, then rate them\n"
                "against the company's values and plans.",
                ha="center",
                va="center",
                color="#333333",
                transform=ax.transAxes,
                bbox={"boxstyle": "round,pad=0.8", "facecolor": "#f4f4f4", "edgecolor": "#bbbbbb"},
            )
        fig.tight_layout()
    return fig, describe_alignment(rows, columns, grid, levels)


def describe_alignment(
    rows: Sequence[str],
    columns: Sequence[str],
    grid: Sequence[Sequence[int | None]],
    levels: Sequence[str] = ("none", "some", "strong"),
) -> str:
    """One line: the size of the matrix, the best-matching aspiration and the strong cells."""
    if not rows or not columns:
        return "Alignment heatmap: nothing to show yet (no aspirations or no company profile)."
    top = len(levels) - 1
    rated = sum(v is not None for row in grid for v in row)
    head = (
        f"Alignment heatmap of {len(rows)} aspiration{'s' * (len(rows) != 1)} against "
        f"{len(columns)} company values, plans and skills, {rated} of "
        f"{len(rows) * len(columns)} rated"
    )
    if not rated:
        return head + "."
    totals = [sum(v or 0 for v in row) for row in grid]
    best = max(range(len(rows)), key=lambda i: totals[i])
    strong = [
        f"{_quote(rows[i])} with {_quote(columns[j])}"
        for i, row in enumerate(grid)
        for j, v in enumerate(row)
        if v == top
    ]
    line = (
        f"{head}. Strongest overall: {_quote(rows[best])} "
        f"({totals[best]} of {top * len(columns)} points)"
    )
    if strong:
        shown = "; ".join(strong[:4]) + ("; and more" if len(strong) > 4 else "")
        line += f". Rated {levels[top]}: {shown}"
    return line + "."


def _luminance(rgba: Sequence[float]) -> float:
    """Relative luminance (WCAG) of an RGB(A) colour with channels 0-1."""
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgba[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rating(value: Any, top: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        return None
    return value


# --------------------------------------------------------------------------- radar


def rubric_radar(
    criteria: Sequence[str],
    levels: Sequence[int | None],
    level_names: Sequence[str] = ("developing", "competent", "strong"),
    title: str = "Your draft on the rubric",
) -> tuple[Any, str]:
    """A radar chart of one draft: one spoke per rubric criterion, levels 1 (centre) to 3.

    The outer dashed ring marks the strong level all round, so the gap to close is visible.
    Criteria without a level (None) are drawn at 0 and named in the description.
    """
    n = len(criteria)
    top = len(level_names)
    values = [v if _rating(v, top) else None for v in levels]  # 1..top; 0 is not a level
    with style.apply():
        from matplotlib.figure import Figure

        fig = Figure(figsize=(7.5, 7.2))
        ax = fig.add_subplot(projection="polar")
        ax.set_theta_offset(math.pi / 2)  # first criterion at the top, then clockwise
        ax.set_theta_direction(-1)
        angles = [2 * math.pi * i / max(n, 1) for i in range(n)]
        closed = [*angles, angles[0]] if n else []
        strong = [top] * (n + 1) if n else []
        drawn = [v or 0 for v in values]
        ax.plot(closed, strong, color="black", lw=1.5, ls="--", label=f"{level_names[-1]} (goal)")
        if n:
            ax.plot(closed, [*drawn, drawn[0]], color=OKABE_ITO["blue"], lw=3, marker="o")
            ax.fill(closed, [*drawn, drawn[0]], color=OKABE_ITO["blue"], alpha=0.25)
        ax.plot([], [], color=OKABE_ITO["blue"], lw=3, marker="o", label="this draft")
        ax.set_xticks(angles, [str(c) for c in criteria], parse_math=False)
        ax.set_ylim(0, top + 0.2)
        ax.set_yticks(range(1, top + 1), [str(i) for i in range(1, top + 1)])
        ax.set_rlabel_position(180 / max(n, 1))
        ax.tick_params(axis="x", pad=18)
        for label in ax.get_yticklabels():
            label.set_bbox({"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1})
        ax.set_title(short(title, 60), pad=28)
        rings = ", ".join(f"{i} {name}" for i, name in enumerate(level_names, 1))
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12),
            ncol=2,
            frameon=False,
            title=f"Rings are levels: {rings}",
        )
        fig.tight_layout()
    return fig, describe_radar(criteria, values, level_names)


def describe_radar(
    criteria: Sequence[str],
    levels: Sequence[int | None],
    level_names: Sequence[str] = ("developing", "competent", "strong"),
) -> str:
    """One line: every criterion with its level, and the total."""
    parts = []
    total = 0
    for name, level in zip(criteria, levels, strict=False):
        if level is None:
            parts.append(f"{short(name, 30)} not rated")
        else:
            parts.append(f"{short(name, 30)} {level} ({level_names[level - 1]})")
            total += level
    top = len(level_names) * len(criteria)
    return f"Radar chart of the draft, {total} of {top}: " + ", ".join(parts) + "."
