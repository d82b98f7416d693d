"""`hub init`: a workshop folder plus the hub's configuration, accounts and exchange.

DIR (owned by the facilitator's system account, mode 0711: others may pass, not list)
  nbgrader_config.py, gradebook.db, release/, submitted/ ...  the workshop (course.grader)
  exchange/                 nbgrader's exchange (nbgrader sets its modes on release)
  hub/jupyterhub_config.py  JupyterHub's configuration (from templates/hub/)
  hub/learners.txt          the hub's learner accounts, one a line
  hub/learner/              the learners' Jupyter config: nbgrader's exchange, Assignments tab only,
                            the learner app (Voilà's server extension with the kit's settings)
  hub/state/                root only (0700): the hub's database, cookie secret, passwords.csv
"""

from __future__ import annotations

import csv
import grp
import json
import os
import pwd
import re
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course.errors import KitError
from course.grader.workshop import COURSE_ID, Workshop, read_roster
from course.paths import KIT_ROOT, TEMPLATES_DIR

__all__ = [
    "ACCOUNT_MARK",
    "Hub",
    "HubSettings",
    "account_name_problem",
    "init",
    "open_hub",
]

#: The GECOS field of every account the kit creates: only those are reused or removed.
ACCOUNT_MARK = "career-kit workshop account"
#: A system account name that is also a plain learner id (useradd's default rule, lower case).
ACCOUNT_NAME = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
#: Letters of first-login passwords: no 0/o, 1/l/i to misread from a printed slip.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"

LEARNER_NBGRADER = '''"""nbgrader in a learner's server on the workshop hub (by `hub init`)."""
c = get_config()  # noqa: F821
import os

c.CourseDirectory.course_id = {course!r}
c.Exchange.root = {exchange!r}
c.Exchange.path_includes_course = False
# Fetched exercises go to ~/exercises/<exercise>/, beside ~/notebooks/: the kit's own layout,
# which the learner app's landing page and each lesson's links expect.
c.Exchange.assignment_dir = os.path.expanduser("~/exercises")
'''

FACILITATOR_NBGRADER = """
# ---- the workshop hub's exchange (appended by `python -m course hub init`)
c.Exchange.root = {exchange!r}
c.Exchange.path_includes_course = False
"""

#: nbgrader's server extensions and JupyterLab plugins a learner has no use for (and that
#: would fail without a gradebook): only the Assignments tab stays. Voilà runs as the kit's
#: learner app (course.cli.app_extension: Voilà's extension with the kit's settings), not bare.
LEARNER_SERVER = {
    "ServerApp": {
        "jpserver_extensions": {
            "voila.server_extension": False,
            "course.cli.app_extension": True,
            "nbgrader.server_extensions.formgrader": False,
            "nbgrader.server_extensions.course_list": False,
            "nbgrader.server_extensions.validate_assignment": True,
            "nbgrader.server_extensions.assignment_list": True,
        }
    }
}
LEARNER_LAB = {
    "disabledExtensions": {
        "@jupyter/nbgrader:formgrader": True,
        "@jupyter/nbgrader:course-list": True,
        "@jupyter/nbgrader:create-assignment": True,
    }
}


@dataclass(frozen=True)
class HubSettings:
    """What `hub init` may be told: address, facilitator, default URL, culling, limits."""

    ip: str = "127.0.0.1"
    port: int = 8000
    facilitator: str = "facilitator"
    #: The learner app's landing page (JupyterLab is one link away, at /lab).
    default_url: str = "/voila/tree"
    cull_idle: int = 3600
    cull_every: int = 300
    max_servers: int = 100
    concurrent_spawns: int = 10
    #: The learners' Python environment (DIR/hub/env unless given): the kit as a wheel (no
    #: solutions/), JupyterLab, nbgrader, jupyterhub-singleuser; readable by every account.
    env: str = ""


@dataclass(frozen=True)
class Hub:
    """The hub files of one workshop folder."""

    root: Path

    @property
    def workshop(self) -> Workshop:
        return Workshop(self.root)

    @property
    def folder(self) -> Path:
        return self.root / "hub"

    @property
    def state(self) -> Path:
        return self.folder / "state"

    @property
    def config_file(self) -> Path:
        return self.folder / "jupyterhub_config.py"

    @property
    def learner_config(self) -> Path:
        return self.folder / "learner"

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def passwords(self) -> Path:
        return self.state / "passwords.csv"

    @property
    def settings_file(self) -> Path:
        return self.folder / "settings.json"

    @property
    def env(self) -> Path:
        """The learners' (and the facilitator's) Python environment."""
        wanted = self.settings().env if self.settings_file.is_file() else ""
        return Path(wanted) if wanted else self.folder / "env"

    def python(self) -> Path:
        return self.env / "bin" / "python"

    def settings(self) -> HubSettings:
        return HubSettings(**json.loads(self.settings_file.read_text(encoding="utf-8")))

    def learners(self) -> list[str]:
        path = self.folder / "learners.txt"
        return path.read_text(encoding="utf-8").split() if path.is_file() else []

    def facilitator(self) -> str:
        return self.settings().facilitator


def open_hub(root: str | os.PathLike[str]) -> Hub:
    """An existing hub folder (KitError with what to do when it is not one)."""
    hub = Hub(Path(root).resolve())
    if not hub.config_file.is_file():
        raise KitError(
            f"{hub.root} has no hub: create it with "
            f"`python -m course hub init {root} --roster ROSTER.csv`"
        )
    return hub


def account_name_problem(name: str) -> str | None:
    """Why `name` cannot be a learner's system account (None when it can)."""
    if not ACCOUNT_NAME.match(name):
        return (
            f"learner id {name!r} cannot name a system account: use lower-case letters, digits, "
            "'_' or '-' (starting with a letter), at most 32, e.g. an ID column with 'alice'"
        )
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        return None
    if account.pw_gecos != ACCOUNT_MARK:
        return (
            f"learner id {name!r} is already a system account of this machine that the kit did "
            "not create: give this learner another id on the roster"
        )
    return None


def _new_password() -> str:
    """A first-login password that survives being read aloud or printed: 'k7mp-2xqr-9fda'."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(3))


def ensure_account(name: str) -> pwd.struct_passwd:
    """The system account `name`, created (home 0700, no password: hub login only) if missing."""
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        subprocess.run(
            ["useradd", "--create-home", "--shell", "/bin/bash", "--comment", ACCOUNT_MARK, name],
            check=True,
            capture_output=True,
        )
        account = pwd.getpwnam(name)
    os.chmod(account.pw_dir, 0o700)
    return account


def remove_account(name: str) -> bool:
    """Delete a kit-made account and its home (never one the kit did not create)."""
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        return False
    if account.pw_gecos != ACCOUNT_MARK:
        raise KitError(f"{name} is not an account the kit created: not removed")
    import time

    done = None
    for _ in range(20):  # userdel refuses while the account's last processes are exiting
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
        done = subprocess.run(["userdel", "--remove", name], capture_output=True, text=True)
        if done.returncode in (0, 12):  # 12: the home could not be removed (already gone)
            return True
        time.sleep(0.5)
    raise KitError(f"could not remove account {name}: {done.stderr.strip() if done else ''}")


def _seed_passwords(hub: Hub, names: list[str]) -> dict[str, str]:
    """NativeAuthenticator accounts for `names` in the hub's database; new ones get a password.

    Existing accounts keep theirs (a learner may have changed it). Returns the new passwords.
    """
    import bcrypt
    from jupyterhub import orm
    from nativeauthenticator.orm import UserInfo

    url = "sqlite:///" + str(hub.state / "jupyterhub.sqlite")
    session = orm.new_session_factory(url)()
    try:
        new = {}
        for name in names:
            if UserInfo.find(session, name) is None:
                password = _new_password()
                hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
                session.add(UserInfo(username=name, password=hashed, is_authorized=True))
                new[name] = password
        session.commit()
        return new
    finally:
        session.close()


def _write_passwords(hub: Hub, new: dict[str, str], entries: dict[str, dict[str, str]]) -> None:
    """hub/state/passwords.csv (root only): every first-login password handed out so far."""
    known: dict[str, list[str]] = {}
    if hub.passwords.is_file():
        with hub.passwords.open(encoding="utf-8-sig", newline="") as f:
            known = {row[0]: row for row in list(csv.reader(f))[1:] if row}
    for name, password in new.items():
        entry = entries.get(name, {})
        full = f"{entry.get('first_name', '')} {entry.get('last_name', '')}".strip()
        known[name] = [name, full, password]
    fd = os.open(hub.passwords, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["username", "name", "first-login password"])
        writer.writerows(known[k] for k in sorted(known))


#: Pythons every account can run (a pyenv or conda Python under /root is not one of them).
SYSTEM_PYTHONS = (
    "/usr/bin/python3.13",
    "/usr/bin/python3.12",
    "/usr/bin/python3.11",
    "/usr/bin/python3",
    "/usr/local/bin/python3",
)


def system_python() -> str:
    """A Python 3.11+ outside any home folder, for the learners' environment."""
    for candidate in SYSTEM_PYTHONS:
        if not os.access(candidate, os.X_OK):
            continue
        done = subprocess.run(
            [candidate, "-c", "import sys, venv; print(sys.version_info >= (3, 11))"],
            capture_output=True,
            text=True,
        )
        if done.stdout.strip() == "True":
            return candidate
    raise KitError(
        "the learners' servers need a Python 3.11+ every account can run, such as Debian 12's "
        "/usr/bin/python3 (sudo apt-get install -y python3 python3-venv)"
    )


def learner_env(path: Path) -> Path:
    """Make (or update) the learners' environment at `path`: the kit with its hub extra.

    From a checkout the kit is built as a wheel (course/ only: no solutions/, no keys), so a
    learner's server never imports the checkout. A new environment gets every dependency (about
    3 minutes); an existing one only this checkout's kit again (seconds). Everyone may read and
    run it (mode o+rX).
    """
    python = path / "bin" / "python"
    checkout = (KIT_ROOT / "pyproject.toml").is_file()
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if not python.exists():
        subprocess.run([system_python(), "-m", "venv", str(path)], check=True)
        kit = f"{KIT_ROOT}[hub,grading]" if checkout else "career-aspirations-kit[hub,grading]"
        done = subprocess.run([*pip, kit], capture_output=True, text=True)
    elif checkout:  # the same version number as before: reinstall this checkout's wheel
        done = subprocess.run(
            [*pip, "--no-deps", "--force-reinstall", str(KIT_ROOT)], capture_output=True, text=True
        )
    else:
        done = subprocess.CompletedProcess([], 0, "", "")
    if done.returncode != 0:
        raise KitError(f"could not install the kit into {path}:\n{done.stderr[-2000:]}")
    subprocess.run(["chmod", "-R", "o+rX", str(path)], check=True)
    return path


def _render(hub: Hub, learners: list[str], settings: HubSettings) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR / "hub"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # Python source, values through tojson
    )
    from importlib import metadata

    return env.get_template("jupyterhub_config.py.j2").render(
        root=hub.root,
        lessons=KIT_ROOT / "notebooks",
        facilitator=settings.facilitator,
        learners=learners,
        bin=hub.env / "bin",
        chp=chp_path(hub),
        bind_url=f"http://{settings.ip}:{settings.port}",
        default_url=settings.default_url,
        cull_idle=settings.cull_idle,
        cull_every=settings.cull_every,
        activity_interval=max(10, min(300, settings.cull_idle // 3)),
        max_servers=settings.max_servers,
        concurrent_spawns=settings.concurrent_spawns,
        versions={
            "jupyterhub": metadata.version("jupyterhub"),
            "native": metadata.version("jupyterhub-nativeauthenticator"),
        },
    )


def chp_path(hub: Hub) -> Path:
    """configurable-http-proxy as `npm install --prefix DIR/.npm` puts it."""
    return hub.root / ".npm" / "node_modules" / ".bin" / "configurable-http-proxy"


def _chown_tree(path: Path, uid: int, gid: int, skip: set[Path]) -> None:
    for folder, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if Path(folder, d) not in skip]
        os.chown(folder, uid, gid)
        for name in files:
            os.chown(os.path.join(folder, name), uid, gid, follow_symlinks=False)


def init(
    root: str | os.PathLike[str],
    roster: str | os.PathLike[str],
    settings: HubSettings | None = None,
    accounts: bool = True,
    environment: bool = True,
) -> dict[str, Any]:
    """Write (or refresh) a workshop hub in `root`; return what was done.

    Needs root (useradd, chown) unless `accounts` is False (then no system account is made:
    for a configuration reviewed on another machine). Returns {"hub", "learners", "passwords"
    (only those new this time), "removed" (accounts no longer on the roster)}.
    """
    from course.grader.workshop import init as workshop_init

    settings = settings or HubSettings()
    entries = read_roster(roster)
    problems = [p for p in (account_name_problem(e["id"]) for e in entries) if p]
    if settings.facilitator in {e["id"] for e in entries}:
        problems.append(f"{settings.facilitator!r} is the facilitator's account: not a learner id")
    if problems:
        raise KitError(f"{roster}: " + "; ".join(problems))
    if accounts and os.geteuid() != 0:
        raise KitError("hub init creates one system account per learner: run it as root (sudo)")
    hub = Hub(Path(root).resolve())
    before = hub.learners()
    workshop = workshop_init(hub.root, roster=roster)
    learners = [e["id"] for e in entries]
    hub.folder.mkdir(exist_ok=True)
    hub.state.mkdir(exist_ok=True)
    hub.learner_config.mkdir(exist_ok=True)
    hub.exchange.mkdir(exist_ok=True)
    os.chmod(hub.state, 0o700)
    os.chmod(hub.folder, 0o711)
    os.chmod(hub.learner_config, 0o755)
    os.chmod(hub.exchange, 0o777)

    config = workshop.config_file.read_text(encoding="utf-8")
    block = FACILITATOR_NBGRADER.format(exchange=str(hub.exchange))
    if block not in config:
        workshop.config_file.write_text(config + block, encoding="utf-8")
    (hub.learner_config / "nbgrader_config.py").write_text(
        LEARNER_NBGRADER.format(course=COURSE_ID, exchange=str(hub.exchange)), encoding="utf-8"
    )
    (hub.learner_config / "jupyter_server_config.json").write_text(
        json.dumps(LEARNER_SERVER, indent=2), encoding="utf-8"
    )
    (hub.learner_config / "labconfig").mkdir(exist_ok=True)
    (hub.learner_config / "labconfig" / "page_config.json").write_text(
        json.dumps(LEARNER_LAB, indent=2), encoding="utf-8"
    )
    hub.settings_file.write_text(json.dumps(settings.__dict__, indent=2), encoding="utf-8")
    if environment:
        learner_env(hub.env)
    (hub.folder / "learners.txt").write_text("".join(f"{n}\n" for n in learners), "utf-8")
    hub.config_file.write_text(_render(hub, learners, settings), encoding="utf-8")

    removed = [n for n in before if n not in learners]
    new = _seed_passwords(hub, [settings.facilitator, *learners])
    _write_passwords(hub, new, {e["id"]: e for e in entries})
    if accounts:
        facilitator = ensure_account(settings.facilitator)
        for name in learners:
            ensure_account(name)
        # The facilitator owns the workshop (grading, formgrader, release, collect); the hub's
        # own state stays root's.
        _chown_tree(
            hub.root,
            facilitator.pw_uid,
            facilitator.pw_gid,
            {hub.folder, hub.exchange, hub.root / ".npm"},
        )
        os.chown(hub.folder, 0, 0)
        os.chown(hub.exchange, facilitator.pw_uid, facilitator.pw_gid)
        os.chmod(hub.root, 0o711)
        for entry in hub.root.iterdir():
            if entry not in (hub.folder, hub.exchange):
                os.chmod(entry, os.stat(entry).st_mode & ~0o007)
    return {"hub": hub, "learners": learners, "passwords": new, "removed": removed}


def group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def as_owner_argv(root: Path, argv: list[str], path: str | None = None) -> list[str]:
    """`argv` run as the workshop folder's owner when this process is root and they differ
    (with PATH `path`: runuser resets it)."""
    owner = os.stat(root).st_uid
    if os.geteuid() != 0 or owner == 0:
        return argv
    name = pwd.getpwuid(owner).pw_name
    keep = f"PATH={path or os.environ.get('PATH', '')}"
    return ["runuser", "-u", name, "--", "env", keep, f"HOME={pwd.getpwuid(owner).pw_dir}", *argv]


def python() -> str:
    return sys.executable


def which_npm() -> str | None:
    return shutil.which("npm")
