"""`python -m course formgrader --workshop DIR`: nbgrader's formgrader for grading by hand.

Starts JupyterLab rooted at the workshop folder with nbgrader's formgrader and nothing else of
nbgrader's: its other server extensions and its authoring plugins (create assignment, assignment
and course lists, validate) are switched off through a settings folder of its own
(DIR/.formgrader/), and the page opens on the gradebook, where the rubric cells of 05 are
graded. A workshop without nbgrader's exchange (one not on a hub) gets a private, empty one in
DIR/.exchange/, so the formgrader shows no "exchange directory does not exist" warning.
`--check` starts it, waits until the formgrader answers, and stops it again (for CI and for a
quick smoke test).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from course.cli import _options
from course.cli.lab import has_display

NAME = "formgrader"
HELP = "open nbgrader's formgrader on a workshop folder (grade the rubric by hand)"
EXTENSIONS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.course_list",
    "nbgrader.server_extensions.validate_assignment",
)
#: nbgrader's JupyterLab plugins other than the formgrader: authoring and learners' tools.
LAB_PLUGINS_OFF = (
    "@jupyter/nbgrader:assignment-list",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:validate-assignment",
)
#: Where the formgrader opens: the gradebook (grading), not assignment management.
START_PAGE = "formgrader/gradebook"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _options.workshop(parser)
    parser.add_argument("--port", type=int, default=8889, help="port (8889)")
    parser.add_argument("--ip", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--no-browser", action="store_true", help="only print the URL")
    parser.add_argument(
        "--check", action="store_true", help="start, wait for the formgrader to answer, stop"
    )


def command(root: str, port: int, ip: str, token: str, browser: bool) -> list[str]:
    import os
    import sys

    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.ip={ip}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.jpserver_extensions={EXTENSIONS[0]}=True",
        *(f"--ServerApp.jpserver_extensions={name}=False" for name in EXTENSIONS[1:]),
        f"--ServerApp.default_url=/{START_PAGE}",
    ]
    if not browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers often run as root
        cmd.append("--allow-root")
    return cmd


def settings_folder(root: Path) -> Path:
    """DIR/.formgrader/: JupyterLab settings that leave only the formgrader of nbgrader's tools."""
    import json

    folder = root / ".formgrader"
    (folder / "labconfig").mkdir(parents=True, exist_ok=True)
    (folder / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": dict.fromkeys(LAB_PLUGINS_OFF, True)}, indent=1),
        encoding="utf-8",
    )
    return folder


def exchange_arguments(workshop: Any) -> list[str]:
    """A private exchange folder when the workshop has none (no hub): no warning about it."""
    config = workshop.config()
    if "root" in config.get("Exchange", {}):
        return []
    exchange = workshop.root / ".exchange"
    exchange.mkdir(exist_ok=True)
    return [f"--Exchange.root={exchange}"]


def _wait(url: str, api: str, expect: list[str], proc: object, seconds: float) -> bool:
    """Poll until the formgrader page answers and its API lists the workshop's assignments."""
    import json
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:  # type: ignore[attr-defined]
            return False
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                page = response.status == 200 and b"formgrader" in response.read().lower()
            with urllib.request.urlopen(api, timeout=10) as response:
                names = {a.get("name") for a in json.loads(response.read())}
            if page and set(expect) <= names:
                return True
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(1)
    return False


def run(args: argparse.Namespace) -> int:
    import secrets
    import subprocess

    # Imported here, not at the top: `python -m course --help` imports every command module.
    from course.grader.procs import kill_tree, tools_env
    from course.grader.workshop import open_workshop

    workshop = open_workshop(args.workshop)
    token = secrets.token_hex(16)
    browser = has_display() and not args.no_browser and not args.check
    env = tools_env()
    # Not the kit's learner settings (they hide the formgrader): the formgrader's own.
    env["JUPYTER_CONFIG_PATH"] = str(settings_folder(workshop.root))
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    cmd = command(str(workshop.root), args.port, args.ip, token, browser)
    cmd += exchange_arguments(workshop)
    url = f"http://{args.ip}:{args.port}/{START_PAGE}?token={token}"
    print(f"Starting the formgrader on {workshop.root}:\n  {url}", flush=True)
    if args.check:
        proc = subprocess.Popen(
            cmd, cwd=workshop.root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            api = f"http://{args.ip}:{args.port}/formgrader/api/assignments?token={token}"
            ok = _wait(url, api, workshop.assignments(), proc, 90)
        finally:
            kill_tree(proc.pid)
            proc.wait(timeout=30)
        print("formgrader answered" if ok else "formgrader did not answer", flush=True)
        return 0 if ok else 1
    try:
        return subprocess.call(cmd, cwd=workshop.root, env=env)
    except KeyboardInterrupt:
        return 0
