"""`python -m course app`: the learner app, every lesson and exercise with no code (Voilà).

Voilà serves the kit folder: each notebook runs in a kernel of its own and shows only its
text and widgets (sources stripped, no input prompts, no tracebacks). The kit's Voilà
template, course/templates/app/voila/templates/kit, adds the landing page at `/` (the lessons
in teaching order with the learner's progress, read from the answers files on every visit),
a way back to it on every page, and no files from the internet. `/kit/my-work.zip` is the
learner's hand-in (course.learner.handin).

One app server is one learner: the answers live beside the notebooks, so everyone who opens
the app shares them. It listens on this computer only unless `--allow-remote` is given.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import sys
from pathlib import Path
from typing import Any

from course.errors import KitError
from course.learner.app_config import (  # shared with the hub's servers
    BROKEN_LAB_EXTENSIONS,  # noqa: F401 (read here by tests)
    CELL_ERROR,  # noqa: F401 (read here by tests)
    HANDIN_URL,
    TEMPLATE,  # noqa: F401 (read here by tests)
    TEMPLATE_ROOT,
    traits_argv,
    voila_traits,
)

NAME = "app"
HELP = "start the learner app: every lesson and exercise with no code (Voilà; headless-safe)"
DEFAULT_PORT = 8866
#: Seconds after a pre-heated kernel is taken before its replacement starts: not while the
#: learner's page is still loading on a 2-core laptop.
POOL_FILL_DELAY = 2.0
SHARED_WARNING = (
    "warning: the app is open to other computers ({ip}). Everyone who opens it works on ONE "
    "set of answers (the files in {root}): give each learner an app of their own."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port to serve on (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--ip", default="127.0.0.1", help="address to listen on (default: this computer only)"
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow an address other computers can reach (they all share one set of answers)",
    )
    parser.add_argument(
        "--root", default=".", help="the kit folder with notebooks/ and exercises/ (default: here)"
    )
    parser.add_argument(
        "--no-browser", action="store_true", help="never open a browser (automatic headless)"
    )
    parser.add_argument(
        "--no-preheat",
        action="store_true",
        help="start no kernel ahead of time (saves about 0.5 GB of memory; pages open slower)",
    )


def is_loopback(host: str) -> bool:
    """Whether `host` is reachable from this computer only (127.x, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The lab's workshop environment, plus the kit's Voilà template on JUPYTER_PATH."""
    from course.cli.lab import lab_environment

    env = lab_environment(base)
    paths = [str(TEMPLATE_ROOT)] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    return env


def voila_argv(
    root: Path,
    port: int,
    ip: str,
    open_browser: bool,
    allow_remote: bool = False,
    preheat: bool = True,
) -> list[str]:
    """Voilà's command line: tree mode on `root`, the kit template, no code, no tracebacks."""
    argv = [
        str(root),
        f"--port={port}",
        "--Voila.port_retries=0",
        f"--Voila.ip={ip}",
        f"--Voila.open_browser={open_browser}",
        *traits_argv(voila_traits()),  # the same as on the hub (course.learner.app_config)
        # One kernel per lesson and exercise started ahead of time, its imports done; it reads
        # the answers when the page opens (course.learner.preheat). See pools().
        f"--VoilaConfiguration.preheat_kernel={preheat}",
        "--VoilaConfiguration.default_pool_size=0",
        # A kernel whose page is gone (a crashed tab, a lost beacon) stops after 30 idle minutes.
        "--MappingKernelManager.cull_idle_timeout=1800",
        "--MappingKernelManager.cull_interval=300",
    ]
    if allow_remote:
        argv.append("--Voila.auto_token=True")  # a token in the printed URL: not open to all
    return argv


# --------------------------------------------------------------------------- the landing page


def _read_answers(path: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Answers and kinds in an answers file, read only; empty when missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, {}
    if not isinstance(data, dict):
        return {}, {}
    answers, kinds = data.get("answers"), data.get("kinds")
    return (
        answers if isinstance(answers, dict) else {},
        kinds if isinstance(kinds, dict) else {},
    )


def _exercise_parts(notebook: Path) -> list[str]:
    """The answerable parts of a graded exercise: its cells tagged `<part>-exercise`."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return []
    parts = []
    for cell in cells:
        grade_id = str(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", ""))
        if grade_id.endswith("-exercise"):
            parts.append(grade_id.removesuffix("-exercise"))
    return parts


def _drafts(answers: dict[str, Any], kinds: dict[str, str]) -> list[str]:
    """The drafted answers of an answers file: its draft kind's values (schema 1: by id)."""
    from course.learner.kinds.draft import KIND as DRAFT  # local: --help imports every command

    return [
        value
        for key, value in answers.items()
        if isinstance(value, str)
        and value.strip()
        and (kinds.get(key) == DRAFT.name or (key not in kinds and "draft" in key))
    ]


def _coach_score(root: Path, draft: str) -> dict[str, Any]:
    """The coach's score of `draft`, against the company chosen in lesson 02 (if any)."""
    from course import coach
    from course.learner import profile

    company = profile.company_from_answers(root / "notebooks")
    feedback = coach.analyze(draft, company)
    return {"score": feedback.score, "out_of": 3 * len(feedback.criteria), "words": feedback.words}


def landing(root: str | os.PathLike[str], base_url: str = "/") -> dict[str, Any]:
    """What the landing page shows: each lesson in teaching order with the learner's progress.

    Read fresh on every visit from the answers files beside the notebooks; nothing is written.
    """
    from course.learner import content

    root = Path(root)
    lessons, latest = [], (0.0, "", "")
    for lesson in content.lessons():
        notebook = root / "notebooks" / lesson.notebook
        answers_file = notebook.with_name(f"{lesson.id}.answers.json")
        answers, kinds = _read_answers(answers_file)
        drafts = [(answers_file, d, lesson.title) for d in _drafts(answers, kinds)]
        entry: dict[str, Any] = {
            "id": lesson.id,
            "number": lesson.id[:2],
            "title": lesson.title,
            "summary": lesson.summary,
            "minutes": lesson.minutes,
            "url": f"{base_url}voila/render/notebooks/{lesson.notebook}"
            if notebook.is_file()
            else None,
            "answered": len(answers),
            "exercise": None,
        }
        if lesson.exercise:
            folder = root / "exercises" / lesson.exercise
            ex_notebook = folder / f"{lesson.exercise}.ipynb"
            ex_file = folder / f"{lesson.exercise}.answers.json"
            ex_answers, ex_kinds = _read_answers(ex_file)
            parts = _exercise_parts(ex_notebook)
            where = f"graded exercise {lesson.id[:2]}"
            drafts += [(ex_file, d, where) for d in _drafts(ex_answers, ex_kinds)]
            if ex_notebook.is_file():
                entry["exercise"] = {
                    "url": f"{base_url}voila/render/exercises/{lesson.exercise}/{ex_notebook.name}",
                    "parts": len(parts),
                    "done": sum(1 for p in parts if ex_answers.get(p) not in (None, "", {}, [])),
                }
        for path, draft, where in drafts:
            mtime = path.stat().st_mtime
            if mtime > latest[0]:
                latest = (mtime, draft, where)
        lessons.append(entry)
    coach_result = None
    if latest[1]:
        coach_result = {**_coach_score(root, latest[1]), "where": latest[2]}
    return {
        "lessons": lessons,
        "coach": coach_result,
        "handin_url": f"{base_url}{HANDIN_URL}",
        "has_work": any((e["exercise"] or {}).get("done") for e in lessons),
    }


# --------------------------------------------------------------------------- the server


def pooled_notebooks(root: str | os.PathLike[str]) -> list[str]:
    """The notebooks kept a pre-heated kernel: each lesson and graded exercise (root-relative)."""
    from course.learner import content

    root, names = Path(root), []
    for lesson in content.lessons():
        names.append(f"notebooks/{lesson.notebook}")
        if lesson.exercise:
            names.append(f"exercises/{lesson.exercise}/{lesson.exercise}.ipynb")
    return [name for name in names if (root / name).is_file()]


def pools(root: str | os.PathLike[str]) -> dict[str, dict[str, int]]:
    """Voilà's kernel pools: one kernel kept ready for each lesson and exercise, none elsewhere.

    A pooled kernel has started and run the notebook's imports; it waits in its first
    AnswerStore for the page (course.learner.preheat), so the answers shown are read when the
    learner opens the page. Memory: 38 MB of its own per kernel (54 MB resident), 73 MB for
    lessons 01 and 03, which import matplotlib ahead; about 0.53 GB for the 12 kernels.
    """
    return {"default": {"pool_size": 0}} | {
        name: {"pool_size": 1} for name in pooled_notebooks(root)
    }


def kit_handlers() -> tuple[type, type]:
    """The kit's tornado handlers for Voilà, standalone or in a hub server: hand-in, shutdown."""
    from jupyter_server.base.handlers import JupyterHandler
    from tornado import web
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler

    class HandInHandler(JupyterHandler):
        """GET: the learner's hand-in zip, made fresh from the answers files."""

        def initialize(self, root: str) -> None:
            self.root = root

        @web.authenticated
        def get(self) -> None:
            from course.learner.handin import HAND_IN_NAME, HandInError, build_zip

            try:
                data = build_zip(self.root)
            except HandInError as exc:
                self.set_status(404)
                self.set_header("Content-Type", "text/plain; charset=utf-8")
                self.finish(f"{exc}\n")
                return
            self.set_header("Content-Type", "application/zip")
            self.set_header("Content-Disposition", f'attachment; filename="{HAND_IN_NAME}"')
            self.set_header("Cache-Control", "no-store")
            self.finish(data)

    class ShutdownHandler(VoilaShutdownKernelHandler):
        """Voilà's kernel shutdown when a page closes, without the XSRF token it cannot send.

        The page asks with navigator.sendBeacon, which carries no XSRF token, so Voilà 0.5.13
        refuses it (403) and every lesson a learner leaves keeps its kernel running (Voilà
        issue 1458). A same-origin check still keeps other web sites out.
        """

        def check_xsrf_cookie(self) -> None:
            if not self.check_origin():
                raise web.HTTPError(403)

    return HandInHandler, ShutdownHandler


def _app_class() -> type:
    """Voilà's app with the kit's additions: the landing data for the template, the hand-in."""
    from jupyter_server.utils import url_path_join
    from voila.app import Voila
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler

    HandInHandler, ShutdownHandler = kit_handlers()

    class KitVoila(Voila):
        """Voilà serving the kit folder, with the landing page's data and the hand-in URL."""

        def init_settings(self) -> dict:
            if self.voila_configuration.preheat_kernel:
                self.config.VoilaKernelManager.kernel_pools_config = pools(self.root_dir)
                self.config.VoilaKernelManager.fill_delay = POOL_FILL_DELAY
            settings = super().init_settings()
            root, base_url = self.root_dir, self.base_url
            settings["voila_jinja2_env"].globals["kit_landing"] = lambda: landing(root, base_url)
            return settings

        def init_handlers(self) -> list:
            handlers = super().init_handlers()
            route = url_path_join(self.server_url, HANDIN_URL)
            handlers = [
                (h[0], ShutdownHandler, *h[2:]) if h[1] is VoilaShutdownKernelHandler else h
                for h in handlers
            ]
            return [(route, HandInHandler, {"root": self.root_dir}), *handlers]

    return KitVoila


def serve(argv: list[str]) -> int:
    """Run the app in this process (Voilà's own start-up, with the kit's class)."""
    app = _app_class()()
    app.initialize(argv)
    app.start()
    return 0


def run(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve()
    if not (root / "notebooks").is_dir():
        raise KitError(
            f"no lessons in {root} (no notebooks folder): run this from the kit folder, "
            "or give it with --root"
        )
    if not is_loopback(args.ip) and not args.allow_remote:
        raise KitError(
            f"{args.ip} can be reached from other computers, and everyone who opens the app "
            "shares one set of answers. Use the default (this computer only), or add "
            "--allow-remote if that is what you want."
        )
    try:
        import voila  # noqa: F401
    except ImportError:
        raise KitError(
            "the learner app needs Voilà, which is not installed here: run `make app`, "
            f"or `{sys.executable} -m pip install voila`"
        ) from None
    from course.cli.lab import has_display

    open_browser = has_display() and not args.no_browser
    if not is_loopback(args.ip):
        print(SHARED_WARNING.format(ip=args.ip, root=root), file=sys.stderr, flush=True)
    host = f"[{args.ip}]" if ":" in args.ip else args.ip
    print(f"Starting the learner app on {root} at http://{host}:{args.port}/", flush=True)
    if not open_browser:
        print("No browser is opened here: open that address in your browser.", flush=True)
    print("Stop it with Ctrl+C. Your answers are saved as you go.", flush=True)
    os.environ.update(app_environment())
    # Where a pre-heated kernel asks for its page's request (course.learner.preheat).
    os.environ["VOILA_APP_IP"] = "127.0.0.1" if args.ip in ("0.0.0.0", "::", "") else host
    os.chdir(root)
    return serve(
        voila_argv(
            root, args.port, args.ip, open_browser, args.allow_remote, preheat=not args.no_preheat
        )
    )
