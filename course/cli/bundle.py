"""`python -m course bundle -o learners.zip`: what learners of a graded workshop receive."""

from __future__ import annotations

import argparse

NAME = "bundle"
HELP = "build the learners' zip: exercises/, a wheel of the course package, a README"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", default="learners.zip", help="zip to write (learners.zip)"
    )


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: `python -m course --help` imports every command module.
    from course.facilitator.bundle import build_bundle

    path = build_bundle(args.output)
    print(
        f"Learners' bundle written: {path} (lessons, exercises, the course wheel, README; no keys)."
    )
    return 0
