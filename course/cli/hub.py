"""`python -m course hub init|start|release|collect|feedback|remove DIR`: the workshop hub."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "hub"
HELP = "a workshop hub: JupyterHub for a room of learners, nbgrader's exchange for hand-in"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = sub.add_parser(
        "init", help="write the hub's configuration, the learners' accounts and passwords"
    )
    init.add_argument("dir", help="the workshop folder (created if missing)")
    init.add_argument("--roster", required=True, help="CSV of learners (ID column: 'alice')")
    init.add_argument("--ip", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    init.add_argument("--port", type=int, default=8000, help="port learners open (8000)")
    init.add_argument("--facilitator", default="facilitator", help="the admin account's name")
    init.add_argument(
        "--default-url",
        default="/voila/tree",
        help="where a learner's server opens (the learner app, /voila/tree; or /lab)",
    )
    init.add_argument(
        "--cull-idle", type=int, default=3600, help="stop a server idle this many seconds (3600)"
    )
    init.add_argument("--cull-every", type=int, default=300, help="check every N seconds (300)")
    init.add_argument(
        "--env",
        default="",
        help="the learners' Python environment (DIR/hub/env); made if missing, else the kit "
        "in it is updated",
    )
    init.add_argument(
        "--no-accounts",
        action="store_true",
        help="write the configuration only, create no system account (not as root)",
    )
    start = sub.add_parser("start", help="run the hub (as root) until Ctrl-C")
    start.add_argument("dir", help="the workshop folder")
    start.add_argument("--ip", help="address (as given to init)")
    start.add_argument("--port", type=int, help="port (as given to init)")
    for action, what in (
        ("release", "put exercises in the exchange for learners to fetch"),
        ("collect", "copy the learners' submissions from the exchange into submitted/"),
        ("feedback", "write feedback and return it through the exchange"),
    ):
        p = sub.add_parser(action, help=what)
        p.add_argument("dir", help="the workshop folder")
        p.add_argument("assignments", nargs="*", help="which (default: all)")
    remove = sub.add_parser("remove-accounts", help="delete the learners' system accounts")
    remove.add_argument("dir", help="the workshop folder")


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: `python -m course --help` imports every command module.
    from course.hub import exchange, setup

    if args.action == "init":
        settings = setup.HubSettings(
            ip=args.ip,
            port=args.port,
            facilitator=args.facilitator,
            default_url=args.default_url,
            cull_idle=args.cull_idle,
            cull_every=args.cull_every,
            env=str(Path(args.env).resolve()) if args.env else "",
        )
        done = setup.init(
            args.dir,
            args.roster,
            settings,
            accounts=not args.no_accounts,
            environment=not args.no_accounts,
        )
        hub = done["hub"]
        print(
            f"Hub ready in {hub.root}: {len(done['learners'])} learners, facilitator "
            f"{settings.facilitator!r}. Start it with: sudo python -m course hub start {args.dir}"
        )
        if done["passwords"]:
            print(
                "\nFirst-login passwords (new this time; all of them are in "
                f"{hub.passwords}, readable by root only):"
            )
            width = max(len(n) for n in done["passwords"])
            for name, password in done["passwords"].items():
                print(f"  {name:<{width}}  {password}")
        if done["removed"]:
            print(f"\nNo longer on the roster (accounts kept): {', '.join(done['removed'])}")
        return 0
    hub = setup.open_hub(args.dir)
    if args.action == "start":
        from course.hub import run as hub_run

        return hub_run.start(hub, args.ip, args.port)
    if args.action == "release":
        names = exchange.release(hub, args.assignments)
        print(
            f"Released to the exchange: {', '.join(names)}. Learners fetch them in the "
            "Assignments tab of JupyterLab."
        )
        return 0
    if args.action == "collect":
        done = exchange.collect(hub, args.assignments)
        print(
            f"Collected {', '.join(done['assignments'])}: {len(done['learners'])} learners "
            f"have work in {hub.workshop.submitted}. Next: python -m course grade "
            f"--workshop {args.dir}"
        )
        return 0
    if args.action == "feedback":
        names = exchange.feedback(hub, args.assignments)
        print(f"Feedback returned through the exchange for: {', '.join(names) or 'nothing'}.")
        return 0
    for name in [*hub.learners(), hub.facilitator()]:
        if setup.remove_account(name):
            print(f"removed account {name}")
    return 0
