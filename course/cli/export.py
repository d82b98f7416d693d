"""`python -m course export --workshop DIR --format canvas|moodle|csv`: grades to an LMS."""

from __future__ import annotations

import argparse

from course.cli import _options

NAME = "export"
HELP = "write the workshop's grades in Canvas's or Moodle's gradebook import format (or a table)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _options.workshop(parser)
    parser.add_argument(
        "--format", required=True, choices=("canvas", "moodle", "csv"), help="which LMS's layout"
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="where to write (DIR/grades-FORMAT.csv)"
    )


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: `python -m course --help` imports every command module.
    from course.facilitator.export import export_grades

    done = export_grades(args.workshop, args.format, args.output)
    path = done.path
    how = {
        "canvas": "Canvas: Grades > Import, choose this file; rows match by SIS User ID.",
        "moodle": "Moodle: Grades > Import > CSV file; map from 'Email address' (or Username).",
        "csv": "A table: one row per learner, a column per assignment, the total.",
    }[args.format]
    print(f"Wrote {path}\n{how}")
    for line in done.notes():
        print(line)
    return 0
