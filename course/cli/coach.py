"""`python -m course coach [FILE|-]`: score a drafted answer on the rubric, as a report or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

NAME = "coach"
HELP = "score a drafted answer (FILE or - for stdin) on the six-criterion rubric, with tips"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        nargs="?",
        default="-",
        metavar="FILE",
        help="the draft, UTF-8 text (default: stdin)",
    )
    parser.add_argument(
        "--company-file",
        metavar="PROFILE.yaml",
        help="a company profile (name, industry, role, values, plans, skills) to check alignment",
    )
    parser.add_argument("--json", action="store_true", help="print the feedback as JSON")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="also show each sentence with its move, the criterion it serves and why",
    )


def read_draft(file: str) -> str:
    """The draft's text from a file, or from stdin for '-'; undecodable bytes are replaced."""
    if file == "-":
        if sys.stdin is None:  # no stdin at all (e.g. a windowed interpreter)
            return ""
        buffer = getattr(sys.stdin, "buffer", None)
        if buffer is None:  # a text-only stream, e.g. a notebook's replacement stdin
            return sys.stdin.read()
        return buffer.read().decode("utf-8", errors="replace")
    return Path(file).read_bytes().decode("utf-8", errors="replace")


def draft_from_file(file: str, command: str) -> tuple[str, str]:
    """(text, "") from a draft file or stdin, or ("", why not) in the command's words."""
    try:
        return read_draft(file), ""
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        return "", f"{command}: cannot read the draft {file!r}: {reason}"


def render_sentences(feedback: Any) -> list[str]:
    """Each sentence with its move, the criterion it serves and the phrases behind the reading."""
    lines = ["", "Sentences (move -> criterion it serves):"]
    for n, s in enumerate(feedback.sentences, 1):
        serves = f" -> {s['criterion']}" if s["criterion"] else ""
        lines.append(f"  {n:2d}. [{s['label']}{serves}] {s['text']}")
        if s["features"]:
            lines.append(f"      because: {'; '.join(s['features'])}")
    return lines


def render_report(feedback: Any, explain: bool = False) -> str:
    """A short readable report: score, each criterion with its rubric level, length, flags,
    tips (each quoting its sentence) and, with `explain`, every sentence's move."""
    from course.coach import CRITERIA, FLAG_LABELS, LEVEL_NAMES, RUBRIC

    lines = [f"Score: {feedback.score}/18", ""]
    width = max(len(c) for c in CRITERIA)
    for criterion, why in zip(CRITERIA, feedback.why or ("",) * len(CRITERIA), strict=True):
        level = getattr(feedback, criterion)
        lines.append(
            f"  {criterion:<{width}}  {level}  {LEVEL_NAMES[level]:<10}  "
            f"{RUBRIC[criterion][level - 1]}"
        )
        if why and level < 3:  # say why only where there is something to improve
            lines.append(f"  {'':<{width}}     ({why})")
    lines += ["", f"Length: {feedback.words} words, about {feedback.seconds:.0f} s spoken"]
    if feedback.flags:
        lines += ["", "Flags:"]
        lines += [f"  - {flag}: {FLAG_LABELS[flag]}" for flag in feedback.flags]
    if feedback.tips:
        lines += ["", "Tips:"]
        lines += [f"  - {tip}" for tip in feedback.tips]
    if explain:
        lines += render_sentences(feedback)
    return "\n".join(lines)


def company_from_file(path: str | None) -> tuple[dict[str, Any] | None, str]:
    """(profile, "") from a company YAML file, (None, "") without one, or (None, why not)."""
    if not path:
        return None, ""
    from course.learner.content import ContentError, load_company

    try:
        return load_company(path).as_mapping(), ""
    except ContentError as exc:
        return None, str(exc)
    except OSError as exc:  # e.g. a directory given as the profile
        return None, f"{path}: cannot be read: {exc.strerror or exc.__class__.__name__}"


def run(args: argparse.Namespace) -> int:
    from course.coach import analyze

    text, problem = draft_from_file(args.file, "coach")
    if problem:
        print(problem, file=sys.stderr)
        return 2
    company, problem = company_from_file(args.company_file)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    feedback = analyze(text, company)
    if args.json:
        print(json.dumps(feedback.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(render_report(feedback, explain=args.explain))
    return 0
