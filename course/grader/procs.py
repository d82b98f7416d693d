"""Processes the kit starts: the environment's tools on PATH, and stopping a runaway kernel.

nbgrader runs `alembic` by name when it opens a gradebook, and Jupyter starts kernels and
servers as child processes, so every process the kit starts must find the environment's bin
folder (the folder of sys.executable) first on PATH. A kernel that ignores interrupts (a
learner's cell can install its own SIGINT handler) is stopped by killing its process tree.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

__all__ = ["bin_dir", "kernel_processes", "kill_tree", "tools_env", "tools_on_path", "watchdog"]


def bin_dir() -> str:
    """The folder of this environment's executables (alembic, jupyter, nbgrader)."""
    return str(Path(sys.executable).parent)


def _with_bin(path: str) -> str:
    parts = [p for p in path.split(os.pathsep) if p]
    if parts[:1] == [bin_dir()]:
        return path
    return os.pathsep.join([bin_dir(), *[p for p in parts if p != bin_dir()]])


def tools_on_path() -> None:
    """Put the environment's bin folder first on this process's PATH (children inherit it)."""
    os.environ["PATH"] = _with_bin(os.environ.get("PATH", ""))


def tools_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """A copy of the environment with the bin folder first on PATH, for a child process."""
    env = dict(os.environ if base is None else base)
    env["PATH"] = _with_bin(env.get("PATH", ""))
    return env


def _children(pid: int) -> list[int]:
    """Every descendant process id of `pid` (psutil where present, else /proc)."""
    try:
        import psutil

        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except Exception:  # psutil missing, or the process is gone
        pass
    found: list[int] = []
    parents = {pid}
    try:
        stats = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError, ValueError):
                    text = (entry / "stat").read_text()
                    ppid = int(text.rsplit(")", 1)[1].split()[1])
                    stats.append((int(entry.name), ppid))
    except OSError:
        return []
    changed = True
    while changed:
        changed = False
        for child, ppid in stats:
            if ppid in parents and child not in parents:
                parents.add(child)
                found.append(child)
                changed = True
    return found


def _cmdline(pid: int) -> str:
    with contextlib.suppress(OSError):
        return (
            Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    try:
        import psutil

        return " ".join(psutil.Process(pid).cmdline())
    except Exception:
        return ""


def kernel_processes(parent: int | None = None) -> list[int]:
    """Kernel processes started by `parent` (default: this process), at any depth."""
    parent = os.getpid() if parent is None else parent
    return [pid for pid in _children(parent) if "ipykernel" in _cmdline(pid)]


def kill_tree(pid: int) -> None:
    """Kill a process and all its descendants (SIGKILL: for what ignored gentler requests)."""
    for child in [*reversed(_children(pid)), pid]:
        with contextlib.suppress(OSError):
            os.kill(child, getattr(signal, "SIGKILL", signal.SIGTERM))


@contextlib.contextmanager
def watchdog(seconds: float) -> Iterator[threading.Event]:
    """Kill every kernel this process started if the block runs longer than `seconds`.

    Yields an Event that is set when the watchdog fired. nbclient then sees its kernel die and
    nbgrader records the failure; the caller reports the time-out. Kernels started in the block
    and still running when it ends are killed too (nothing a learner started outlives grading).
    """
    fired = threading.Event()
    done = threading.Event()
    before = set(kernel_processes())

    def guard() -> None:
        if done.wait(seconds):
            return
        fired.set()
        while not done.is_set():
            for pid in kernel_processes():
                if pid not in before:
                    kill_tree(pid)
            done.wait(0.5)

    thread = threading.Thread(target=guard, name="kit-grading-watchdog", daemon=True)
    thread.start()
    try:
        yield fired
    finally:
        done.set()
        thread.join(timeout=5)
        for pid in kernel_processes():
            if pid not in before:
                kill_tree(pid)
