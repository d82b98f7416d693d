"""`python -m course`: the kit's command line; subcommands are the modules of course/cli/."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from pathlib import Path
from types import ModuleType

from course import __version__, cli
from course.errors import KitError
from course.paths import KIT_ROOT

#: Modules an extra brings (pyproject.toml): a command that needs one says which extra to install.
EXTRA_OF = {
    "nbgrader": "grading",
    "papermill": "grading",
    "tqdm": "grading",
    "sqlalchemy": "grading",
    "dask": "scale",
    "distributed": "scale",
    "pytest": "test",
    "playwright": "test",
}


def _venv_python() -> Path | None:
    """The checkout's .venv python when this process runs outside it (else None)."""
    venv = KIT_ROOT / ".venv"
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not (KIT_ROOT / "pyproject.toml").is_file() or not python.is_file():
        return None
    if Path(sys.prefix).resolve() == venv.resolve() or os.environ.get("COURSE_NO_VENV"):
        return None
    return python


def missing_message(exc: ModuleNotFoundError) -> str:
    """One line for a command whose package is not installed: which extra, what to run."""
    module = (exc.name or "?").split(".")[0]
    extra = EXTRA_OF.get(module)
    what = f"the {extra} extra ({module} is not installed)" if extra else f"{module}"
    if (KIT_ROOT / "pyproject.toml").is_file():
        python = ".venv\\Scripts\\python" if os.name == "nt" else ".venv/bin/python"
        spec = f'".[{extra}]"' if extra else "."
        if not (KIT_ROOT / ".venv").is_dir():
            return (
                f"this command needs {what}: set the kit up first with `make lab` (or, in the "
                f"kit folder: python3 -m venv .venv, then {python} -m pip install -e {spec})"
            )
        return f"this command needs {what}: in the kit folder run {python} -m pip install -e {spec}"
    from importlib import metadata

    try:
        wanted = [
            r.split(";")[0].strip()
            for r in metadata.requires("career-aspirations-kit") or []
            if extra and f'extra == "{extra}"' in r
        ]
    except metadata.PackageNotFoundError:
        wanted = []
    packages = " ".join(f'"{r}"' for r in wanted) or module
    return f"this command needs {what}: run {sys.executable} -m pip install {packages}"


def commands() -> dict[str, ModuleType]:
    """Every subcommand module found in course/cli, by command name."""
    found = {}
    for info in sorted(pkgutil.iter_modules(cli.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"course.cli.{info.name}")
        if hasattr(module, "NAME") and hasattr(module, "run"):
            found[module.NAME] = module
    return found


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m course",
        description="Career Aspirations Workshop Kit: lessons, coach, grading and workshop tools.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in commands().items():
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_module=module)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()
    except ModuleNotFoundError as exc:  # a command module that imports a package at its top
        print(f"error: {missing_message(exc)}", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    if not getattr(args, "_module", None):
        parser.print_help()
        return 2
    try:
        return int(args._module.run(args) or 0)
    except KitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as exc:
        print(f"error: {missing_message(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `python -m course coach --json | head`
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _in_venv() -> None:
    """From a checkout with a .venv, `python -m course` runs in that .venv (as the docs assume)."""
    python = _venv_python()
    if python is None:
        return
    argv = [str(python), "-m", "course", *sys.argv[1:]]
    os.environ["COURSE_NO_VENV"] = "1"  # never twice
    if os.name == "nt":  # no exec on Windows: run it and pass its exit code on
        import subprocess

        sys.exit(subprocess.call(argv))
    os.execv(argv[0], argv)


if __name__ == "__main__":
    _in_venv()
    sys.exit(main())
