"""An attempt's analysis as words for the learner: plain text (the CLI) or safe HTML (the recorder).

Everything heard or drafted is learner text: escaped (and clipped) before it goes into HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course.learner.safe import clip, escape

LENGTH_WORDS = {
    "short": "short: aim for 60 to 90 seconds",
    "good": "a good length",
    "long": "long: aim for 60 to 90 seconds",
}
PACE_WORDS = {
    "slow": "slow: a little faster keeps the listener with you",
    "good": "a comfortable pace",
    "fast": "fast: slow down and let each point land",
}
CRITERIA = ("aspiration", "alignment", "relevance", "confidence", "authenticity", "concision")


def clock(seconds: float) -> str:
    """Seconds as m:ss."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def lines(result: Mapping[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(heading, verdict, details) rows shared by the text and HTML views."""
    rows: list[tuple[str, str, list[str]]] = []
    low, high = result.get("target", (60, 90))
    rows.append(
        (
            "Length",
            f"{result['seconds']:.0f} s of speech (aim for {low} to {high} s): "
            f"{LENGTH_WORDS.get(result['length'], '')}",
            [],
        )
    )
    rows.append(
        (
            "Pace",
            f"{result['wpm']} words a minute: {PACE_WORDS.get(result['pace'], '')}",
            [],
        )
    )
    pauses = result.get("pauses", [])
    rows.append(
        (
            "Long pauses",
            f"{len(pauses)} of a second or more" if pauses else "none of a second or more",
            [
                f"{p['seconds']:.1f} s at {clock(p['at'])}, after \u201c{p['after']}\u201d, "
                f"before \u201c{p['before']}\u201d"
                for p in pauses
            ],
        )
    )
    fill = result.get("fillers", {})
    count = fill.get("count", 0)
    by_word = ", ".join(f"{w} {n}" for w, n in sorted(fill.get("by_word", {}).items()))
    rows.append(
        (
            "Fillers",
            f"{count} ({fill.get('per_minute', 0):.1f} a minute): {by_word}" if count else "none",
            [f"at {clock(f['at'])}: \u201c{f['context']}\u201d" for f in fill.get("where", [])],
        )
    )
    draft = result.get("draft")
    if draft:
        said = len(draft["sentences"]) - len(draft["skipped"])
        details = [f"skipped: \u201c{s}\u201d" for s in draft["skipped"]]
        details += [f"said, not in the draft: \u201c{a}\u201d" for a in draft["added"]]
        details += [
            f"at {clock(o['at'])}, {o['seconds']:.0f} s that did not follow the draft "
            f"(heard roughly as \u201c{o['heard']}\u201d)"
            for o in draft.get("off_draft", [])
        ]
        rows.append(("Your draft", f"{said} of {len(draft['sentences'])} sentences said", details))
    coach = result.get("coach", {})
    if coach:
        levels = ", ".join(
            f"{c} {coach['criteria'][c]}" for c in CRITERIA if c in coach["criteria"]
        )
        rows.append(
            (
                "The coach on what you said",
                f"{coach['score']} of 18 ({levels})",
                list(coach.get("tips", []))[:3],
            )
        )
    return rows


#: Said under every report: the measured limits (docs/rehearse.md), in a learner's words.
CAVEAT = (
    "The computer listens with an American English model and hears other accents less well: "
    "treat fillers and skipped sentences as hints to check, and watch the trend across attempts."
)


def text_report(result: Mapping[str, Any]) -> str:
    """The analysis as plain text (what `python -m course rehearse` prints)."""
    out = ["What was heard:", f"  {result['transcript'] or '(no words recognised)'}", ""]
    for heading, verdict, details in lines(result):
        out.append(f"{heading}: {verdict}")
        out += [f"  - {d}" for d in details]
    out += [
        "",
        CAVEAT,
        f"Decoded with the {result.get('decoding', 'draft')} language model, offline.",
    ]
    return "\n".join(out)


def html_report(result: Mapping[str, Any]) -> str:
    """The analysis as safe HTML (learner text escaped and clipped)."""
    rows = []
    for heading, verdict, details in lines(result):
        items = "".join(f"<li>{escape(clip(d, 400))}</li>" for d in details)
        rows.append(
            f"<li><b>{escape(heading)}:</b> {escape(clip(verdict, 400))}"
            f"{f'<ul>{items}</ul>' if items else ''}</li>"
        )
    transcript = escape(clip(result["transcript"], 4000)) or "<i>no words recognised</i>"
    return (
        f'<div class="cak-rehearsal"><ul>{"".join(rows)}</ul>'
        f'<details><summary>What was heard</summary><blockquote class="cak-transcript">'
        f"{transcript}</blockquote></details>"
        f'<p class="cak-muted">{escape(CAVEAT)}</p></div>'
    )
