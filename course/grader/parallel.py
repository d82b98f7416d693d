"""Grade a class in parallel: worker processes on this machine, or a Dask cluster.

nbgrader grades one submission after another (its issue #174). Each learner is an independent
task (course.grader.grading.grade_learner), so learners are spread over workers, each with its own
copy of the workshop's gradebook (SQLite takes one writer at a time) and one NbGraderAPI for all its
learners (starting one costs seconds):

- `run_local`: `jobs` worker processes (`python -m course.grader.parallel`), supervised here.
  Each is handed one learner at a time, so the load balances itself (a learner whose kernel hangs
  holds up one worker, not a batch) and a worker that dies takes only the learner it was
  grading with it: that learner is flagged and graded again by another worker, and after
  ATTEMPTS deaths reported as not graded. Results come back over a pipe the learners' kernels
  cannot write to (the worker's stdout goes to its log).
- `run_dask`: the same task per learner on a Dask cluster (a LocalCluster or a scheduler's
  address); each Dask worker process keeps one NbGraderAPI and a node-local gradebook copy.
  dask is imported only there.

Either way a finished learner comes back as plain data: its grading record and its submissions
(course.grader.merge.export), which the caller merges into the workshop's gradebook (merge.absorb).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from course.errors import KitError
from course.grader import merge
from course.grader.procs import kill_tree, tools_env, tools_on_path
from course.grader.workshop import Workshop, open_workshop

__all__ = [
    "ATTEMPTS",
    "CRASH_HOOK",
    "LocalPool",
    "default_jobs",
    "grade_task",
    "run_dask",
    "run_local",
]

#: How many times a learner is tried before a worker dying on them is reported, not retried.
ATTEMPTS = 2
#: Seconds past the per-learner time limit after which a silent worker is stopped.
GRACE = 60.0
#: Tests only: learners whose worker dies (SIGKILL) after grading them, before it reports
#: ("ann,bo:1": every attempt at ann, only the first at bo).
CRASH_HOOK = "COURSE_TEST_WORKER_CRASH"

OnDone = Callable[[str, dict[str, Any], dict[str, Any] | None], None]


def default_jobs() -> int:
    """The number of CPUs: the default number of grading workers."""
    return max(1, os.cpu_count() or 1)


def _crash_note(why: str) -> str:
    return f"grading worker crashed while grading this learner ({why})"


# --------------------------------------------------------------------------- one task


def grade_task(
    workshop: Workshop,
    learner: str,
    *,
    api: Any,
    db_url: str,
    cell_timeout: int,
    learner_timeout: float,
) -> dict[str, Any]:
    """Grade one learner into the gradebook at `db_url`; {"learner", "record", "gradebook"}.

    "gradebook" is the learner's submissions as merge.export data (None when nothing was
    graded). Never raises for a bad submission.
    """
    from course.grader.grading import grade_learner_safely

    record = grade_learner_safely(
        workshop,
        learner,
        cell_timeout=cell_timeout,
        learner_timeout=learner_timeout,
        api=api,
        db_url=db_url,
    )
    graded = [name for name, e in record["assignments"].items() if e.get("status") != "missing"]
    data = None
    if graded:
        try:
            with workshop.gradebook(db_url) as gb:
                data = merge.export(gb, learner, graded)
        except Exception as exc:
            record["flags"].append(
                f"grading failed: the worker's gradebook could not be read "
                f"({exc.__class__.__name__}: {exc}); grade this learner again"
            )
    return {"learner": learner, "record": record, "gradebook": data}


def _crash_hook(learner: str, attempt: int) -> None:
    """Die like a killed worker when CRASH_HOOK names this learner (tests only)."""
    for item in filter(None, os.environ.get(CRASH_HOOK, "").split(",")):
        name, _, times = item.partition(":")
        if name == learner and (not times or attempt <= int(times)):
            if hasattr(signal, "SIGKILL"):
                os.kill(os.getpid(), signal.SIGKILL)
            os._exit(70)


# --------------------------------------------------------------------------- local workers


def worker_main(argv: list[str] | None = None) -> int:
    """A grading worker: learners in on stdin, one JSON line each; results out on stdout."""
    parser = argparse.ArgumentParser(
        prog="python -m course.grader.parallel",
        description="a grading worker, started by `python -m course grade --jobs N`",
    )
    parser.add_argument("--workshop", required=True)
    parser.add_argument("--gradebook", required=True, help="this worker's own gradebook file")
    parser.add_argument("--cell-timeout", type=int, required=True)
    parser.add_argument("--learner-timeout", type=float, required=True)
    args = parser.parse_args(argv)
    # Keep the two pipes for the protocol (os.dup: not inherited by kernels); whatever else
    # writes to stdout (nbgrader, a kernel this process starts) goes to stderr, the log.
    results = os.fdopen(os.dup(1), "w", encoding="utf-8")
    tasks = os.fdopen(os.dup(0), "r", encoding="utf-8")
    os.dup2(2, 1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)

    def send(message: dict[str, Any]) -> None:
        results.write(json.dumps(message, ensure_ascii=False) + "\n")
        results.flush()

    from course.grader.grading import grading_api

    tools_on_path()
    workshop = open_workshop(args.workshop)
    db_url = "sqlite:///" + str(Path(args.gradebook).resolve())
    api = grading_api(workshop, args.cell_timeout, db_url)
    send({"ready": True, "pid": os.getpid()})
    while line := tasks.readline():
        task = json.loads(line)
        result = grade_task(
            workshop,
            task["learner"],
            api=api,
            db_url=db_url,
            cell_timeout=args.cell_timeout,
            learner_timeout=args.learner_timeout,
        )
        _crash_hook(task["learner"], task["attempt"])
        send(result)
    return 0


@dataclass
class _Worker:
    """One worker process as the supervisor sees it."""

    number: int
    proc: subprocess.Popen
    log: Path
    ready: bool = False
    closed: bool = False
    task: tuple[str, int] | None = None
    since: float = 0.0
    overdue: bool = False


def _exit_reason(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


def _tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.strip().splitlines()[-lines:]) or "(empty log)"


def _handed_in(workshop: Workshop, learner: str) -> int:
    folder = workshop.submitted / learner
    return sum(1 for p in folder.glob("*/*.ipynb")) if folder.is_dir() else 0


class LocalPool:
    """Worker processes handed one learner at a time; a dead worker's learner is retried.

    The workers start as soon as the pool is made (importing nbgrader takes each of them
    seconds) while the caller prepares the class; `run` then copies the workshop's gradebook
    for each of them and hands out the learners, those with the most notebooks first (the
    class ends with short tasks, so no worker idles long at the end).
    """

    def __init__(self, workshop: Workshop, *, jobs: int, cell_timeout: int, learner_timeout: float):
        self.workshop = workshop
        self.jobs = jobs
        self.cell_timeout = cell_timeout
        self.learner_timeout = learner_timeout
        self.on_done: OnDone = lambda learner, record, data: None
        self.pending: deque[tuple[str, int]] = deque()
        self.remaining: set[str] = set()
        self.crashes: dict[str, list[str]] = {}
        self.workers: list[_Worker] = []
        self.events: queue.Queue[tuple[_Worker, dict[str, Any] | None]] = queue.Queue()
        self.started = 0
        self.failed_starts = 0
        self.closed = False
        self.folder = Path(tempfile.mkdtemp(prefix=".grading-", dir=workshop.root))
        self.snapshot: Path | None = None
        try:
            for _ in range(jobs):
                self._start()
        except BaseException:
            self.close()
            raise

    # ---- processes

    def _start(self) -> None:
        self.started += 1
        number = self.started
        gradebook = self.folder / f"worker-{number}.db"
        if self.snapshot is not None:  # else `run` copies it before any learner is handed out
            shutil.copyfile(self.snapshot, gradebook)
        log = self.folder / f"worker-{number}.log"
        command = [
            sys.executable,
            "-m",
            "course.grader.parallel",
            "--workshop",
            str(self.workshop.root),
            "--gradebook",
            str(gradebook),
            "--cell-timeout",
            str(int(self.cell_timeout)),
            "--learner-timeout",
            str(float(self.learner_timeout)),
        ]
        with log.open("wb") as err:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                cwd=self.workshop.root,
                env=tools_env(),
            )
        worker = _Worker(number, proc, log)
        self.workers.append(worker)
        threading.Thread(
            target=self._read, args=(worker,), name=f"kit-grading-worker-{number}", daemon=True
        ).start()

    def _read(self, worker: _Worker) -> None:
        stream: IO[bytes] = worker.proc.stdout  # type: ignore[assignment]
        for line in stream:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            self.events.put((worker, message))
        self.events.put((worker, None))

    def _give(self, worker: _Worker) -> None:
        """Hand the worker its next learner, or tell it there is no more work."""
        stdin: IO[bytes] = worker.proc.stdin  # type: ignore[assignment]
        if not self.pending:
            worker.closed = True
            with contextlib.suppress(OSError):
                stdin.close()
            return
        learner, attempt = self.pending.popleft()
        try:
            stdin.write(json.dumps({"learner": learner, "attempt": attempt}).encode() + b"\n")
            stdin.flush()
        except OSError:  # it died; its end of output is on the way
            self.pending.appendleft((learner, attempt))
            return
        worker.task = (learner, attempt)
        worker.since = time.monotonic()

    def _top_up(self) -> None:
        """Start workers while there is work that no running or starting worker will take."""
        while self.pending:
            active = [w for w in self.workers if not w.closed]
            busy = sum(1 for w in active if w.task)
            if len(active) >= min(self.jobs, busy + len(self.pending)):
                return
            self._start()

    # ---- events

    def _finished(self, worker: _Worker, message: dict[str, Any]) -> None:
        learner = message["learner"]
        worker.task = None
        record = message["record"]
        notes = [f"{note}; graded again" for note in self.crashes.get(learner, [])]
        record["flags"][:0] = notes
        self.remaining.discard(learner)
        self.on_done(learner, record, message.get("gradebook"))
        self._give(worker)

    def _ended(self, worker: _Worker) -> None:
        from course.grader.grading import failed_record

        code = worker.proc.wait()
        self.workers.remove(worker)
        if worker.task is not None:
            learner, attempt = worker.task
            why = (
                f"it gave no answer for {self.learner_timeout + GRACE:g} s and was stopped"
                if worker.overdue
                else _exit_reason(code)
            )
            self.crashes.setdefault(learner, []).append(_crash_note(why))
            if attempt < ATTEMPTS:
                self.pending.appendleft((learner, attempt + 1))
            else:
                self.remaining.discard(learner)
                message = (
                    f"{_crash_note(why)}; {attempt} attempts, not graded: earlier grades of this "
                    f"learner, if any, are unchanged (worker logs: {self.folder})"
                )
                self.on_done(learner, failed_record(learner, message), None)
        elif not worker.ready:
            self.failed_starts += 1
            if self.failed_starts >= 3:
                raise KitError(
                    f"grading workers do not start ({_exit_reason(code)}); the last one's log:\n"
                    f"{_tail(worker.log)}"
                )
        self._top_up()

    def _stop_overdue(self) -> None:
        limit = self.learner_timeout + GRACE
        for worker in self.workers:
            if worker.task and not worker.overdue and time.monotonic() - worker.since > limit:
                worker.overdue = True
                kill_tree(worker.proc.pid)

    def run(self, learners: list[str], on_done: OnDone) -> str:
        """Grade `learners`; call on_done(learner, record, data) as each finishes (in this
        thread). Returns a phrase for the summary. The pool is closed afterwards."""
        try:
            self.snapshot = merge.copy_gradebook(
                self.workshop.root / "gradebook.db", self.folder / "snapshot.db"
            )
            for worker in self.workers:
                shutil.copyfile(self.snapshot, self.folder / f"worker-{worker.number}.db")
            order = sorted(learners, key=lambda name: (-_handed_in(self.workshop, name), name))
            self.pending.extend((learner, 1) for learner in order)
            self.remaining = set(learners)
            self.on_done = on_done
            self._run()
        except BaseException:  # an error here or Ctrl-C: stop the workers and their kernels
            self.close(kill=True)
            raise
        self.close()
        phrase = f"{min(self.jobs, len(learners))} worker processes"
        if self.crashes:
            count = sum(map(len, self.crashes.values()))
            phrase += f", {count} crashed; logs in {self.folder}"
        return phrase

    def _run(self) -> None:
        self._top_up()
        while self.remaining:
            try:
                worker, message = self.events.get(timeout=1.0)
            except queue.Empty:
                self._stop_overdue()
                continue
            if message is None:
                self._ended(worker)
            elif message.get("ready"):
                worker.ready = True
                self.failed_starts = 0
                self._give(worker)
            elif worker.task and message.get("learner") == worker.task[0]:
                self._finished(worker, message)

    def close(self, kill: bool = False) -> None:
        """Stop the workers (at once with `kill`), remove the scratch folder unless a worker
        crashed (then its logs stay). Idempotent."""
        if self.closed:
            return
        self.closed = True
        if kill:
            for worker in self.workers:
                kill_tree(worker.proc.pid)
        for worker in self.workers:
            if worker.proc.stdin and not worker.proc.stdin.closed:
                with contextlib.suppress(OSError):
                    worker.proc.stdin.close()
        deadline = time.monotonic() + 10
        for worker in self.workers:
            try:
                worker.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                kill_tree(worker.proc.pid)
                worker.proc.wait()
        if self.crashes:  # keep the workers' logs for a look; gradebook copies go
            for path in self.folder.glob("*.db"):
                path.unlink(missing_ok=True)
        else:
            shutil.rmtree(self.folder, ignore_errors=True)


def run_local(
    workshop: Workshop,
    learners: list[str],
    *,
    jobs: int,
    on_done: OnDone,
    cell_timeout: int,
    learner_timeout: float,
) -> str:
    """Grade `learners` in up to `jobs` worker processes (a LocalPool made and run at once)."""
    pool = LocalPool(
        workshop,
        jobs=min(jobs, len(learners)),
        cell_timeout=cell_timeout,
        learner_timeout=learner_timeout,
    )
    return pool.run(learners, on_done)


# --------------------------------------------------------------------------- Dask

_DASK_STATE: dict[str, Any] = {}


def dask_task(
    root: str, snapshot: str, learner: str, cell_timeout: int, learner_timeout: float
) -> dict[str, Any]:
    """One learner on a Dask worker (run there by `run_dask`; needs one thread per worker).

    The first task in a worker process copies the gradebook snapshot to node-local storage and
    starts an NbGraderAPI on it; later tasks of the same run reuse both.
    """
    import atexit

    from course.grader.grading import grading_api

    key = f"{root}|{snapshot}|{cell_timeout}"
    if _DASK_STATE.get("key") != key:
        tools_on_path()
        folder = Path(tempfile.mkdtemp(prefix="kit-grading-"))
        atexit.register(shutil.rmtree, folder, True)
        gradebook = merge.copy_gradebook(snapshot, folder / "gradebook.db")
        workshop = open_workshop(root)
        db_url = "sqlite:///" + str(gradebook)
        api = grading_api(workshop, cell_timeout, db_url)
        _DASK_STATE.clear()
        _DASK_STATE.update(key=key, workshop=workshop, api=api, db_url=db_url)
    return grade_task(
        _DASK_STATE["workshop"],
        learner,
        api=_DASK_STATE["api"],
        db_url=_DASK_STATE["db_url"],
        cell_timeout=cell_timeout,
        learner_timeout=learner_timeout,
    )


def run_dask(
    workshop: Workshop,
    learners: list[str],
    address: str,
    *,
    jobs: int,
    on_done: OnDone,
    cell_timeout: int,
    learner_timeout: float,
) -> str:
    """Grade `learners` on a Dask cluster: "local" starts a LocalCluster of `jobs` single-thread
    worker processes; anything else is a scheduler address (tcp://host:8786). Workers need the
    kit installed and the workshop folder and the source notebooks at the same paths (a shared
    filesystem). Returns a phrase for the summary."""
    import logging
    import uuid

    from course.grader.grading import failed_record

    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise KitError(
            "--dask needs dask.distributed: pip install 'dask[distributed]' (or the kit's "
            "'scale' extra)"
        ) from None
    folder = Path(tempfile.mkdtemp(prefix=".grading-dask-", dir=workshop.root))
    snapshot = merge.copy_gradebook(workshop.root / "gradebook.db", folder / "snapshot.db")
    cluster = None
    try:
        if address == "local":
            cluster = LocalCluster(
                n_workers=jobs,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
        else:
            try:
                client = Client(address, timeout="30s")
            except OSError as exc:
                raise KitError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        with client:
            workers = len(client.scheduler_info().get("workers", {}))
            run = uuid.uuid4().hex[:8]
            futures = {
                client.submit(
                    dask_task,
                    str(workshop.root),
                    str(snapshot),
                    learner,
                    int(cell_timeout),
                    float(learner_timeout),
                    key=f"course-grade-{run}-{learner}",
                    pure=False,
                ): learner
                for learner in sorted(learners, key=lambda n: (-_handed_in(workshop, n), n))
            }
            for future in as_completed(futures):
                learner = futures[future]
                try:
                    result = future.result()
                except Exception as exc:  # KilledWorker: its worker died, more than once
                    why = f"Dask: {exc.__class__.__name__}: {exc}"[:300]
                    note = f"{_crash_note(why)}; not graded: earlier grades, if any, are unchanged"
                    on_done(learner, failed_record(learner, note), None)
                else:
                    on_done(learner, result["record"], result["gradebook"])
    finally:
        if cluster is not None:
            cluster.close()
        shutil.rmtree(folder, ignore_errors=True)
    where = "a local Dask cluster" if address == "local" else f"Dask at {address}"
    return f"{workers} workers on {where}"


if __name__ == "__main__":
    sys.exit(worker_main())
