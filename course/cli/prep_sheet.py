"""`python -m course prep-sheet LEARNER_DIR`: a learner's answers on one printable page."""

from __future__ import annotations

import argparse

NAME = "prep-sheet"
HELP = "gather a learner's answers into a one-page printable prep sheet (HTML; --zip packs them)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "folder",
        nargs="?",
        default="notebooks",
        metavar="LEARNER_DIR",
        help="folder holding the answers files (default notebooks)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE.html",
        help="where to write the sheet (default LEARNER_DIR/prep-sheet.html)",
    )
    parser.add_argument(
        "--zip",
        action="store_true",
        help="also pack the raw answers files into FILE.zip beside the sheet (to carry them on)",
    )


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: `python -m course --help` imports every command module.
    from course.learner.prepsheet import gather, write_prep_sheet

    count = len(gather(args.folder))
    page, packed = write_prep_sheet(args.folder, args.output, zip=args.zip)
    if not count:
        print(
            f"No answers files under {args.folder} yet: the sheet says so. Work through the "
            "lessons first."
        )
    print(
        f"Wrote {page} from {count} answers file{'s' if count != 1 else ''}. Open it in a "
        "browser and print it, or save it as PDF."
    )
    if packed:
        print(
            f"Packed the answers files into {packed}. To carry on elsewhere, unzip it into the "
            "kit's notebooks/ folder there: unzip -o " + packed.name + " -d notebooks/"
        )
    return 0
