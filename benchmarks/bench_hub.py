"""Load on the workshop hub: N learners logged in with running servers, on this machine.

Run as root (it creates N system accounts, bench-01.., and removes them after):

    sudo .venv/bin/python benchmarks/bench_hub.py [--learners 30] [--env build/hub-learner-env]

Measures, and prints as a Markdown table for docs/hub-guide.md:
- time for N learners to log in and get a running server (all at once);
- memory per learner server (RSS of the account's processes: jupyter server, then + kernel);
- hub and proxy response times under that load (GET /hub/api and each server's /api/status);
- time for all N to open lesson 01 at once (a kernel each, every code cell of the lesson run);
- the idle culler reclaiming the servers (--cull-idle seconds idle, checked every --cull-every).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LESSON = ROOT / "notebooks" / "01-aspirations-vs-goals.ipynb"


def rss_by_user(names: list[str]) -> dict[str, int]:
    """Resident memory (bytes) of all processes of each account."""
    import pwd

    uids = {pwd.getpwnam(n).pw_uid: n for n in names}
    total = dict.fromkeys(names, 0)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        uid = int(fields.get("Uid", "-1").split()[0])
        if uid in uids and "VmRSS" in fields:
            total[uids[uid]] += int(fields["VmRSS"].split()[0]) * 1024
    return total


def percentiles(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    return f"median {statistics.median(values) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"


class Learner:
    def __init__(self, base: str, name: str, password: str):
        import requests

        self.base, self.name, self.password = base, name, password
        self.session = requests.Session()

    def login(self) -> float:
        """Sign in, wait for the server, pass the OAuth hand-off; seconds taken."""
        started = time.monotonic()
        s = self.session
        s.get(f"{self.base}/hub/login", timeout=60)
        s.post(
            f"{self.base}/hub/login",
            data={
                "username": self.name,
                "password": self.password,
                "_xsrf": s.cookies.get("_xsrf"),
            },
            timeout=300,
        )
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            r = s.get(f"{self.base}/user/{self.name}/api/status", timeout=60)
            if r.status_code == 200 and r.headers.get("content-type", "").startswith(
                "application/json"
            ):
                return time.monotonic() - started
            if r.status_code == 403:  # running, but this browser has not been through OAuth yet
                s.get(f"{self.base}/user/{self.name}/lab", timeout=300)  # as a browser lands
                continue
            if r.status_code == 424:  # not running: the hub turned the spawn away (429, busy)
                s.get(f"{self.base}/hub/spawn", timeout=300)  # as the learner's retry does
            time.sleep(2)
        raise RuntimeError(f"{self.name}: no server after 600 s")

    def xsrf(self) -> str:
        for cookie in self.session.cookies:
            if cookie.name == "_xsrf" and cookie.path.startswith(f"/user/{self.name}"):
                return cookie.value
        return self.session.cookies.get("_xsrf", "")

    def status_time(self) -> float:
        started = time.monotonic()
        self.session.get(f"{self.base}/user/{self.name}/api/status", timeout=60).raise_for_status()
        return time.monotonic() - started

    async def open_lesson(self, cells: list[str]) -> float:
        """Start a kernel on lesson 01 (a session, as JupyterLab does) and run its code cells."""
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        started = time.monotonic()
        loop = asyncio.get_running_loop()
        # JupyterLab's page first, as a browser loads it (it also sets the server's xsrf cookie)
        page = await loop.run_in_executor(
            None, lambda: self.session.get(f"{self.base}/user/{self.name}/lab", timeout=300)
        )
        page.raise_for_status()
        xsrf = self.xsrf()
        headers = {"X-XSRFToken": xsrf, "Content-Type": "application/json"}
        path = "notebooks/01-aspirations-vs-goals.ipynb"  # where the hub puts the lessons
        body = {"path": path, "name": path, "type": "notebook", "kernel": {"name": "python3"}}
        r = await loop.run_in_executor(
            None,
            lambda: self.session.post(
                f"{self.base}/user/{self.name}/api/sessions",
                json=body,
                headers=headers,
                timeout=300,
            ),
        )
        r.raise_for_status()
        kernel = r.json()["kernel"]["id"]
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.session.cookies)
        url = (
            self.base.replace("http", "ws", 1)
            + f"/user/{self.name}/api/kernels/{kernel}/channels?_xsrf={xsrf}"
        )
        ws = await websocket_connect(
            HTTPRequest(
                url,
                headers={"Cookie": cookie, "X-XSRFToken": xsrf},
                connect_timeout=300,
                request_timeout=300,
            )
        )
        try:
            for code in cells:
                msg_id = uuid.uuid4().hex
                await ws.write_message(
                    json.dumps(
                        {
                            "header": {
                                "msg_id": msg_id,
                                "msg_type": "execute_request",
                                "session": kernel,
                                "username": self.name,
                                "version": "5.3",
                            },
                            "parent_header": {},
                            "metadata": {},
                            "content": {
                                "code": code,
                                "silent": False,
                                "store_history": True,
                                "user_expressions": {},
                                "allow_stdin": False,
                            },
                            "channel": "shell",
                        }
                    )
                )
                while True:
                    message = await asyncio.wait_for(ws.read_message(), 300)
                    if message is None:
                        raise RuntimeError(f"{self.name}: the kernel's connection closed")
                    reply = json.loads(message)
                    if (
                        reply.get("msg_type") == "execute_reply"
                        and reply["parent_header"].get("msg_id") == msg_id
                    ):
                        if reply["content"]["status"] != "ok":
                            raise RuntimeError(
                                f"{self.name}: a lesson cell failed: {reply['content']}"
                            )
                        break
        finally:
            ws.close()
        return time.monotonic() - started


def lesson_cells() -> list[str]:
    nb = json.loads(LESSON.read_text(encoding="utf-8"))
    return [
        "".join(c["source"])
        for c in nb["cells"]
        if c["cell_type"] == "code" and "".join(c["source"]).strip()
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--env", default=str(ROOT / "build" / "hub-learner-env"))
    parser.add_argument("--cull-idle", type=int, default=120)
    parser.add_argument("--cull-every", type=int, default=15)
    parser.add_argument("--probes", type=int, default=200, help="requests per response-time figure")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("run as root: the bench creates one system account per learner")
    sys.path.insert(0, str(ROOT))
    from course.hub.run import free_port
    from course.hub.setup import remove_account

    names = [f"bench-{n:02d}" for n in range(1, args.learners + 1)]
    base_dir = Path(tempfile.mkdtemp(prefix="cak-bench-hub-", dir="/tmp"))
    os.chmod(base_dir, 0o755)
    root = base_dir / "ws"
    roster = base_dir / "roster.csv"
    roster.write_text("ID\n" + "".join(f"{n}\n" for n in names), encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "COURSE_NO_VENV": "1"}
    figures: dict[str, str] = _Figures()
    proc = None
    try:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "course",
                "hub",
                "init",
                str(root),
                "--roster",
                str(roster),
                "--port",
                str(port),
                "--facilitator",
                "bench-facilitator",
                "--env",
                args.env,
                "--cull-idle",
                str(args.cull_idle),
                "--cull-every",
                str(args.cull_every),
            ],
            check=True,
            capture_output=True,
            env=env,
        )
        with (root / "hub" / "state" / "passwords.csv").open(encoding="utf-8-sig") as f:
            passwords = {row[0]: row[2] for row in list(csv.reader(f))[1:]}
        log = (base_dir / "hub.log").open("w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "course", "hub", "start", str(root)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
        )
        import requests

        for _ in range(120):
            try:
                requests.get(f"{url}/hub/api", timeout=5).raise_for_status()
                break
            except requests.RequestException:
                time.sleep(1)
        idle_hub = [_timed(lambda: requests.get(f"{url}/hub/api", timeout=30)) for _ in range(50)]
        figures["hub /hub/api, no learners"] = percentiles(idle_hub)

        learners = [Learner(url, n, passwords[n]) for n in names]
        started = time.monotonic()
        with ThreadPoolExecutor(len(learners)) as pool:
            login_times = list(pool.map(Learner.login, learners))
        figures[f"{len(names)} log in at once: all servers running"] = (
            f"{time.monotonic() - started:.0f} s"
        )
        figures["one learner's log-in to running server"] = (
            f"median {statistics.median(login_times):.0f} s, slowest {max(login_times):.0f} s"
        )
        time.sleep(5)
        memory = rss_by_user(names)
        figures["memory per learner server (jupyter server, no kernel)"] = _mb(memory)

        # Response times under load: a background thread keeps every server busy with status
        # calls while the probes run.
        stop = threading.Event()

        def chatter() -> None:
            while not stop.is_set():
                for learner in learners:
                    with contextlib.suppress(Exception):
                        learner.status_time()

        noise = threading.Thread(target=chatter, daemon=True)
        noise.start()
        hub_times = [
            _timed(lambda: requests.get(f"{url}/hub/api", timeout=30)) for _ in range(args.probes)
        ]
        proxy_times = [learners[i % len(learners)].status_time() for i in range(args.probes)]
        stop.set()
        noise.join()
        figures[f"hub /hub/api with {len(names)} servers up"] = percentiles(hub_times)
        figures["proxy to a learner's server (/user/NAME/api/status)"] = percentiles(proxy_times)

        cells = lesson_cells()

        async def everyone() -> list[float]:
            return list(
                await asyncio.gather(
                    *(learner.open_lesson(cells) for learner in learners), return_exceptions=True
                )
            )

        started = time.monotonic()
        outcomes = asyncio.run(everyone())
        lesson_times = [o for o in outcomes if isinstance(o, float)]
        failed = [str(o) for o in outcomes if not isinstance(o, float)]
        figures[f"{len(names)} open lesson 01 at once (kernel + every code cell)"] = (
            f"all done in {time.monotonic() - started:.0f} s; one learner: median "
            f"{statistics.median(lesson_times):.0f} s, slowest {max(lesson_times):.0f} s"
            + (f"; {len(failed)} failed: {failed[0][:120]}" if failed else "")
        )
        time.sleep(3)
        figures["memory per learner server (with lesson 01's kernel)"] = _mb(rss_by_user(names))

        # The idle culler: nobody touches anything now; count the running servers.
        quiet_since = time.monotonic()
        admin = Learner(url, "bench-facilitator", passwords["bench-facilitator"])
        admin.session.get(f"{url}/hub/login", timeout=60)
        admin.session.post(
            f"{url}/hub/login",
            data={
                "username": admin.name,
                "password": admin.password,
                "_xsrf": admin.session.cookies.get("_xsrf"),
            },
            allow_redirects=False,
            timeout=60,
        )
        running = len(names)
        deadline = quiet_since + args.cull_idle + 10 * args.cull_every + 300
        while running and time.monotonic() < deadline:
            time.sleep(5)
            running = sum(1 for n in names if sum(rss_by_user([n]).values()) > 0)
        figures["idle culler"] = (
            f"{len(names) - running} of {len(names)} servers stopped "
            f"{time.monotonic() - quiet_since:.0f} s after the last activity "
            f"(--cull-idle {args.cull_idle} s, checked every {args.cull_every} s)"
        )
    finally:
        if proc is not None:
            from course.hub.run import stop
            from course.hub.setup import Hub as HubFiles

            stop(HubFiles(root), proc)
        for name in [*names, "bench-facilitator"]:
            try:
                remove_account(name)
            except Exception as exc:  # report and go on: the others still need removing
                print(f"could not remove {name}: {exc}", file=sys.stderr)
    cpus = os.cpu_count()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"\nMachine: {cpus} CPUs, {mem:.0f} GB RAM; {len(names)} learners\n")
    print("| measure | figure |\n| --- | --- |")
    for what, figure in figures.items():
        print(f"| {what} | {figure} |")
    return 0


class _Figures(dict):
    """Figures by measure, each printed as soon as it is measured (a later failure keeps it)."""

    def __setitem__(self, key: str, value: str) -> None:
        print(f"measured: {key}: {value}", flush=True)
        super().__setitem__(key, value)


def _timed(call: Any) -> float:
    started = time.monotonic()
    call().raise_for_status()
    return time.monotonic() - started


def _mb(memory: dict[str, int]) -> str:
    values = [v / 2**20 for v in memory.values() if v]
    if not values:
        return "no process found"
    return (
        f"median {statistics.median(values):.0f} MB, largest {max(values):.0f} MB, "
        f"total {sum(values) / 1024:.1f} GB for {len(values)} servers"
    )


if __name__ == "__main__":
    sys.exit(main())
