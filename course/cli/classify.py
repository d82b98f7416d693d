"""`python -m course classify TEXT`: is a statement a long-term aspiration or a short-term goal?"""

from __future__ import annotations

import argparse
import json
import sys

NAME = "classify"
HELP = "say whether a statement reads as an aspiration or a goal, and why"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "text", nargs="+", metavar="TEXT", help="the statement (quote it, or - to read stdin)"
    )
    parser.add_argument("--json", action="store_true", help="print {label, reasons} as JSON")


def run(args: argparse.Namespace) -> int:
    from course.cli.coach import read_draft
    from course.coach import classify

    words = list(args.text)
    text = read_draft("-") if words == ["-"] else " ".join(words)
    if not text.strip():
        print("classify: the statement is empty; give the text to classify", file=sys.stderr)
        return 2
    result = classify(text)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(f"{result.label}")
        for reason in result.reasons:
            print(f"  - {reason}")
    return 0
