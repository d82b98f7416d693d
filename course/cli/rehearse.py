"""`python -m course rehearse AUDIO.wav`: feedback on a spoken answer, transcribed locally."""

from __future__ import annotations

import argparse
import json
import sys

from course.cli.coach import company_from_file, draft_from_file

NAME = "rehearse"
HELP = (
    "transcribe a recorded answer (WAV) on this machine: duration, pace, pauses, fillers, the "
    "parts of the draft skipped, and the coach on what was said"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("audio", metavar="AUDIO.wav", help="the recording, a WAV file")
    parser.add_argument(
        "--draft",
        metavar="FILE",
        help="the drafted answer (UTF-8 text): the decoder listens for it, and the report says "
        "which of its sentences were skipped",
    )
    parser.add_argument(
        "--company-file",
        metavar="PROFILE.yaml",
        help="a company profile (name, industry, role, values, plans, skills) for the coach",
    )
    parser.add_argument("--json", action="store_true", help="print the analysis as JSON")


def run(args: argparse.Namespace) -> int:
    from course.learner.speech import AudioProblem, SpeechUnavailable, analyse, available
    from course.learner.speech.recognizer import INSTALL_HINT
    from course.learner.speech.view import text_report

    if not available():
        print(f"rehearse: {INSTALL_HINT}", file=sys.stderr)
        return 2
    draft, problem = draft_from_file(args.draft, "rehearse") if args.draft else ("", "")
    if problem:
        print(problem, file=sys.stderr)
        return 2
    company, problem = company_from_file(args.company_file)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    try:
        result = analyse(args.audio, draft, company)
    except SpeechUnavailable as exc:
        print(f"rehearse: {exc}", file=sys.stderr)
        return 2
    except AudioProblem as exc:
        print(f"rehearse: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(text_report(result))
    return 0
