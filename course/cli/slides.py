"""`python -m course slides`: offline reveal.js decks for every lesson notebook."""

from __future__ import annotations

import argparse
import time

NAME = "slides"
HELP = "build offline reveal.js slides (NN-name.slides.html) for every lesson notebook"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--notebooks", default="notebooks", help="folder of lesson notebooks (default notebooks)"
    )
    parser.add_argument(
        "--output", default="build/slides", help="where decks go (default build/slides)"
    )
    parser.add_argument(
        "--vendor",
        default="build/vendor",
        help="cache for reveal.js fetched with npm, once (default build/vendor)",
    )
    parser.add_argument(
        "--reveal",
        metavar="DIR",
        help="use this unpacked reveal.js 4.x package instead of fetching one (no npm needed)",
    )
    parser.add_argument(
        "lessons",
        nargs="*",
        metavar="LESSON",
        help="only these lessons (e.g. 01-aspirations-vs-goals)",
    )


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: `python -m course --help` imports every command module.
    from course.facilitator.slides import REVEAL_VERSION, build_all

    began = time.perf_counter()
    built = build_all(args.notebooks, args.output, args.vendor, args.reveal, args.lessons)
    for deck in built.decks:
        print(f"wrote {deck}")
    seconds = time.perf_counter() - began
    print(
        f"{len(built.decks)} decks with reveal.js {REVEAL_VERSION} in {built.reveal.parent} "
        f"({seconds:.1f} s). Open {built.index} in a browser; it works offline."
    )
    return 0
