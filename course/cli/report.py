"""`python -m course report --workshop DIR`: the class report (HTML and PNG figures)."""

from __future__ import annotations

import argparse

from course.cli import _options

NAME = "report"
HELP = "write the class report of a graded workshop (DIR/report/index.html, figures)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _options.workshop(parser)
    parser.add_argument("--names", action="store_true", help="show learner ids (hidden by default)")


def run(args: argparse.Namespace) -> int:
    import os

    os.environ.setdefault("MPLBACKEND", "Agg")
    # Imported here, not at the top: `python -m course --help` imports every command module.
    from course.grader.procs import tools_on_path
    from course.grader.report import write_report
    from course.grader.workshop import open_workshop

    tools_on_path()
    index = write_report(open_workshop(args.workshop), names=args.names)
    print(f"Report written: {index}")
    return 0
