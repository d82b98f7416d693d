"""`python -m course agenda --minutes M`: a workshop agenda generated from the lesson outline."""

from __future__ import annotations

import argparse
import json

NAME = "agenda"
HELP = "print a workshop agenda of M minutes from the lesson outline (table, --json, --markdown)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--minutes",
        type=int,
        default=90,
        metavar="M",
        help="length of the session in minutes (default 90; e.g. 60, 90, 180)",
    )
    parser.add_argument(
        "--start", metavar="HH:MM", help="clock time the session starts (default: offsets)"
    )
    parser.add_argument(
        "--graded",
        metavar="LIST",
        help="graded exercises done in the session, e.g. 01 or 01,04 (a slot after each lesson; "
        "the same list as `workshop init --exercises`)",
    )
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print JSON: {'items': [...]}")
    form.add_argument("--markdown", action="store_true", help="print a Markdown table")


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: `python -m course --help` imports every command module.
    from course.facilitator.agenda import build

    agenda = build(args.minutes, start=args.start, graded=args.graded)
    if args.json:
        print(json.dumps(agenda.to_dict(), indent=2, ensure_ascii=False))
    elif args.markdown:
        print(agenda.markdown())
    else:
        print(agenda.table())
    return 0
