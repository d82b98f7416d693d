"""`python -m course lab`: JupyterLab on the lessons, with the workshop settings applied."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from course.paths import JUPYTER_CONFIG_DIR

NAME = "lab"
HELP = "start JupyterLab on the lessons (workshop settings; headless-safe)"
CONFIG_DIR = JUPYTER_CONFIG_DIR
START_NOTEBOOK = "notebooks/00-start-here.ipynb"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8888, help="port to serve on (default 8888)")
    parser.add_argument("--ip", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--root", default=".", help="folder to serve (default: here)")
    parser.add_argument(
        "--no-browser", action="store_true", help="never open a browser (automatic headless)"
    )


def has_display() -> bool:
    """Whether a browser can open: always on macOS and Windows; on Linux, with X or Wayland."""
    if sys.platform.startswith(("win", "darwin")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def lab_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a workshop JupyterLab: our settings first, the venv's tools on PATH.

    JUPYTER_CONFIG_PATH puts the kit's settings ahead of the environment's own (nothing is
    written into the user's home): news and update checks off, nbgrader's instructor
    extensions off in the learner's lab.
    """
    env = dict(os.environ if base is None else base)
    paths = [str(CONFIG_DIR)] + [
        p for p in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p
    ]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([bin_dir, env.get("PATH", "")])
    return env


def lab_command(port: int, ip: str, root: Path, open_browser: bool) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.ip={ip}",
        f"--ServerApp.root_dir={root}",
    ]
    if not open_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers and CI run as root
    if (root / START_NOTEBOOK).exists():
        cmd.append(START_NOTEBOOK)
    return cmd


def run(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve()
    open_browser = has_display() and not args.no_browser
    cmd = lab_command(args.port, args.ip, root, open_browser)
    print(f"Starting JupyterLab on {root} at http://{args.ip}:{args.port}/lab", flush=True)
    if not open_browser:
        print("No display found: open the URL with its token printed below.", flush=True)
    env = lab_environment()
    if os.name == "posix":
        # Become JupyterLab: signals (Ctrl+C, a test's terminate) reach the server itself.
        sys.stdout.flush()
        os.execve(cmd[0], cmd, env)
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return 0
