"""`hub start`: configurable-http-proxy from npm (once), then JupyterHub on the config."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from course.errors import KitError
from course.hub.setup import Hub, chp_path

__all__ = ["CHP_VERSION", "command", "free_port", "install_proxy", "start", "stop"]

#: configurable-http-proxy from npm, the version this kit is tested with.
CHP_VERSION = "5.3.0"


def install_proxy(hub: Hub, quiet: bool = True) -> str:
    """`npm install --prefix DIR/.npm configurable-http-proxy` unless it is there; its path."""
    path = chp_path(hub)
    if path.exists():
        return str(path)
    npm = shutil.which("npm")
    if npm is None:
        raise KitError(
            "configurable-http-proxy needs Node.js and npm: on Debian or Ubuntu run "
            "`sudo apt-get install -y nodejs npm`, then start the hub again"
        )
    done = subprocess.run(
        [
            npm,
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(hub.root / ".npm"),
            f"configurable-http-proxy@{CHP_VERSION}",
        ],
        capture_output=quiet,
        text=True,
    )
    if done.returncode != 0 or not path.exists():
        raise KitError(f"npm could not install configurable-http-proxy:\n{done.stderr or ''}")
    return str(path)


def free_port(ip: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((ip, 0))
        return int(s.getsockname()[1])


def command(hub: Hub, ip: str | None = None, port: int | None = None) -> list[str]:
    """The jupyterhub command line for this hub; the hub's and the proxy's API ports are free
    ones picked now (two hubs on one machine do not collide)."""
    settings = hub.settings()
    ip, port = ip or settings.ip, port or settings.port
    argv = [
        sys.executable,
        "-m",
        "jupyterhub",
        "-f",
        str(hub.config_file),
        f"--JupyterHub.bind_url=http://{ip}:{port}",
        f"--JupyterHub.hub_port={free_port()}",
        f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{free_port()}",
    ]
    return argv


def start(hub: Hub, ip: str | None = None, port: int | None = None) -> int:
    """Run the hub in the foreground (Ctrl-C stops it and every learner's server)."""
    if os.geteuid() != 0:
        raise KitError("the hub starts each learner's server as that learner: run it as root")
    install_proxy(hub)
    from course.grader.procs import tools_env

    argv = command(hub, ip, port)
    return subprocess.call(argv, cwd=hub.state, env=tools_env())


def stop(hub: Hub, proc: subprocess.Popen, timeout: float = 30) -> None:
    """Stop a hub started with `start_new_session=True`: SIGTERM to its process group (the hub
    stops the learners' servers), SIGKILL after `timeout`; then the proxy (its own session)."""
    import signal
    import time

    def alive(pgid: int) -> bool:
        try:
            os.killpg(pgid, 0)
            return True
        except ProcessLookupError:
            return False

    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while alive(proc.pid) and time.monotonic() < deadline:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(0.5)
    if alive(proc.pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    pid_file = hub.state / "proxy.pid"
    if pid_file.is_file():
        with contextlib.suppress(ValueError, OSError):
            pid = int(pid_file.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"configurable-http-proxy" in cmdline:
                os.kill(pid, signal.SIGKILL)
