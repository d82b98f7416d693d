"""Rehearsal attempts as the answers file keeps them, and their plot across attempts.

Light on purpose (no ipywidgets): the exercise kind "rehearsal" reads attempts on the grading
host and in the prep sheet; the recorder writes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

#: Attempts kept in the answers file (the oldest are dropped beyond this).
MAX_ATTEMPTS = 50


def attempt_record(result: Mapping[str, Any], recording: str | None) -> dict[str, Any]:
    """What the answers file keeps of one attempt: the transcript and the figures."""
    coach = result.get("coach", {})
    draft = result.get("draft") or {}
    return {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "transcript": result["transcript"],
        "seconds": result["seconds"],
        "length": result["length"],
        "wpm": result["wpm"],
        "pace": result["pace"],
        "pauses": [[p["at"], p["seconds"], p["after"], p["before"]] for p in result["pauses"]],
        "fillers": result["fillers"]["count"],
        "filler_words": result["fillers"]["by_word"],
        "skipped": list(draft.get("skipped", [])),
        "added": list(draft.get("added", [])),
        "score": coach.get("score"),
        "criteria": coach.get("criteria", {}),
        "decoding": result.get("decoding", ""),
        "recording": recording,
    }


def normalize(value: Any) -> tuple[dict[str, Any], list[str]]:
    """A saved value as {"attempts": [...], "keep": bool}, with problems for wrong types."""
    if value is None:
        return {"attempts": [], "keep": False}, []
    if not isinstance(value, Mapping):
        return {"attempts": [], "keep": False}, [
            "The saved rehearsal was not in the expected form; it starts afresh."
        ]
    attempts = value.get("attempts", [])
    problems = []
    if not isinstance(attempts, list) or not all(isinstance(a, Mapping) for a in attempts):
        attempts, problems = [], ["Some saved rehearsal attempts could not be read."]
    return {"attempts": [dict(a) for a in attempts], "keep": bool(value.get("keep"))}, problems
