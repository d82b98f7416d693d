"""`python -m course workshop init DIR`, `workshop roster DIR` and `workshop exercises DIR`."""

from __future__ import annotations

import argparse

NAME = "workshop"
HELP = "create a workshop folder (an nbgrader course with its gradebook) and keep its roster"


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = sub.add_parser("init", help="create or refresh a workshop folder")
    init.add_argument("dir", help="the workshop folder (created if missing)")
    init.add_argument(
        "--roster",
        help="CSV of learners as a spreadsheet saves it: a column ID, Student ID, Email or Name "
        "(First name, Last name optional); comma, semicolon or tab",
    )
    init.add_argument(
        "--timeout", type=int, default=None, help="seconds each cell may run when grading (10)"
    )
    init.add_argument(
        "--exercises",
        metavar="LIST",
        help="the exercises set in this workshop, e.g. 01,04 (default: all; change it later "
        "with `workshop exercises DIR LIST`)",
    )
    exercises = sub.add_parser("exercises", help="show or change which exercises count")
    exercises.add_argument("dir", help="the workshop folder")
    exercises.add_argument("list", nargs="?", help="e.g. 01,04, or 'all'; omit to show them")
    roster = sub.add_parser(
        "roster", help="list the roster and hand-in folders not on it, or update it from a CSV"
    )
    roster.add_argument("dir", help="the workshop folder")
    roster.add_argument(
        "--update", metavar="CSV", help="make the roster this CSV: adds, renames and removes"
    )
    roster.add_argument(
        "--dry-run", action="store_true", help="with --update: list the changes, change nothing"
    )


def run(args: argparse.Namespace) -> int:
    if args.action == "roster":
        return _roster(args)
    if args.action == "exercises":
        return _exercises(args)
    from course.grader.workshop import (
        CELL_TIMEOUT,
        folder_learners,
        init,
        read_roster,
        roster_changes,
        roster_entries,
        unlisted_folders,
    )

    wanted = read_roster(args.roster) if args.roster else None
    workshop = init(
        args.dir,
        roster=args.roster,
        cell_timeout=args.timeout or CELL_TIMEOUT,
        exercises=args.exercises,
    )
    graded_only = folder_learners(workshop)  # graded from a folder, on no roster
    roster = [i for i in workshop.roster() if i not in graded_only]
    print(
        f"Workshop ready in {workshop.root}: {_count(len(workshop.assignments()), 'assignment')}, "
        f"{_count(len(roster), 'learner')} on the roster."
    )
    print(f"Exercises that count: {', '.join(workshop.exercises())}.")
    if wanted is not None:
        listed = [e for e in roster_entries(workshop) if e["id"] not in graded_only]
        extra = roster_changes(listed, wanted)["removed"]
        if extra:
            print(
                f"Still on the roster but not in {args.roster}: {', '.join(extra)}. To remove "
                f"them: python -m course workshop roster {args.dir} --update {args.roster}"
            )
    unlisted = unlisted_folders(workshop)
    if unlisted:
        print(f"Hand-in folders not on the roster: {', '.join(unlisted)}.")
    print(
        f"Put each learner's work in {workshop.submitted}/<learner>/<assignment>/ (or pass the "
        f"class zip to grade --from), then run `python -m course grade --workshop {args.dir}`."
    )
    return 0


def _roster(args: argparse.Namespace) -> int:
    from course.grader.workshop import (
        folder_learners,
        open_workshop,
        read_roster,
        roster_entries,
        unlisted_folders,
        update_roster,
    )

    workshop = open_workshop(args.dir)
    if args.update:
        changes, lines = update_roster(workshop, read_roster(args.update), dry_run=args.dry_run)
        if not lines:
            print(f"The roster already matches {args.update}: nothing to change.")
        else:
            verb = "Would change" if args.dry_run else "Changed"
            print(f"{verb} the roster of {workshop.root}:")
            print("\n".join(f"  {line}" for line in lines))
            if args.dry_run:
                print("Nothing changed (--dry-run). Run again without --dry-run to apply.")
            elif changes["renamed"] or changes["removed"]:
                print("Grade again to bring grades.csv and the report up to date.")
    else:
        graded_only = folder_learners(workshop)  # graded from a folder, on no roster
        entries = [e for e in roster_entries(workshop) if e["id"] not in graded_only]
        print(f"{_count(len(entries), 'learner')} on the roster of {workshop.root}:")
        for entry in entries:
            name = f"{entry.get('first_name', '')} {entry.get('last_name', '')}".strip()
            print(f"  {entry['id']}" + (f"  {name}" if name else ""))
    unlisted = unlisted_folders(workshop)
    if unlisted:
        print(
            f"Hand-in folders not on the roster (graded all the same, and flagged): "
            f"{', '.join(unlisted)}. Rename the folder or fix the roster."
        )
    return 0


def _exercises(args: argparse.Namespace) -> int:
    from course.grader.workshop import open_workshop

    workshop = open_workshop(args.dir)
    if args.list:
        chosen = workshop.set_exercises(args.list)
        print(f"Exercises that count in {workshop.root} now: {', '.join(chosen)}.")
        print("Grade again to bring grades.csv and the report up to date.")
    else:
        print(f"Exercises that count in {workshop.root}: {', '.join(workshop.exercises())}.")
    return 0
