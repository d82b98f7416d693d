"""`python -m course release`: regenerate exercises/ from solutions/ (or check it is current)."""

from __future__ import annotations

import argparse

NAME = "release"
HELP = "generate exercises/ from solutions/ with nbgrader (--check: exit 1 when stale)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 when exercises/ differs from a fresh release",
    )


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: `python -m course --help` imports every command module.
    from course.facilitator.release import release, stale

    if args.check:
        problems = stale()
        if problems:
            print("exercises/ is stale; run `python -m course release`:")
            for problem in problems:
                print(f"  {problem}")
            return 1
        print("exercises/ is up to date with solutions/.")
        return 0
    names = release()
    print(f"Released {len(names)} assignments into exercises/: {', '.join(names)}")
    return 0
