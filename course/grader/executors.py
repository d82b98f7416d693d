"""Where learners are graded: one executor protocol, three implementations.

nbgrader grades one submission after another (its issue #174). Each learner is an independent
task (course.grader.learner), so an executor spreads learners over whatever runs them and calls
`on_done(learner, record, gradebook_data)` in the calling thread as each finishes:

- `SerialExecutor`: one learner after another in this process, one NbGraderAPI for all.
- `LocalExecutor`: `jobs` worker processes (`python -m course.grader.worker`), supervised here.
  Each is handed one learner at a time, so the load balances itself (a learner whose kernel
  hangs holds up one worker, not a batch) and a worker that dies takes only the learner it was
  grading with it: that learner is flagged and graded again by another worker, and after
  ATTEMPTS deaths reported as not graded. Results come back over a pipe the learners' kernels
  cannot write to (the worker's stdout goes to its log).
- `DaskExecutor`: the same task per learner on a Dask cluster (a LocalCluster or a scheduler's
  address); each Dask worker process keeps one NbGraderAPI and a node-local gradebook copy.
  dask is imported only there.

Workers grade into their own copy of the workshop's gradebook (SQLite takes one writer at a
time) and hand back the learner's submissions as plain data (course.grader.merge.export), which
the caller merges into the workshop's gradebook (merge.absorb); the serial executor grades into
the workshop's gradebook directly and hands back None.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from course.errors import KitError
from course.grader import merge
from course.grader.learner import (
    failed_record,
    grade_and_export,
    grade_learner_safely,
    grading_api,
)
from course.grader.options import GradeOptions
from course.grader.procs import kill_tree, tools_env, tools_on_path
from course.grader.workshop import Workshop, open_workshop

__all__ = [
    "ATTEMPTS",
    "DaskExecutor",
    "Executor",
    "LocalExecutor",
    "OnDone",
    "SerialExecutor",
    "dask_task",
    "make_executor",
]

#: How many times a learner is tried before a worker dying on them is reported, not retried.
ATTEMPTS = 2
#: Seconds past the per-learner time limit after which a silent worker is stopped.
GRACE = 60.0

#: on_done(learner, record, gradebook data or None): one learner finished.
OnDone = Callable[[str, dict[str, Any], dict[str, Any] | None], None]


class Executor(Protocol):
    """Grades a list of learners somewhere and reports each as it finishes."""

    def run(self, learners: list[str], on_done: OnDone) -> str:
        """Grade `learners`, calling on_done in this thread as each finishes; return a phrase
        saying how they were graded (for the summary)."""
        ...

    def close(self, kill: bool = False) -> None:
        """Release what the executor holds (worker processes); idempotent."""
        ...


def make_executor(workshop: Workshop, options: GradeOptions, expected: int) -> Executor:
    """The executor `options` ask for; worker processes start at once (each imports nbgrader,
    seconds, while the caller prepares the class). `expected`: learners who handed in."""
    if options.dask:
        return DaskExecutor(workshop, options)
    if options.jobs > 1 and expected > 1:
        return LocalExecutor(workshop, options, jobs=min(options.jobs, expected))
    return SerialExecutor(workshop, options)


def crash_note(why: str) -> str:
    """The flag of a learner whose grading worker died."""
    return f"grading worker crashed while grading this learner ({why})"


def _handed_in(workshop: Workshop, learner: str) -> int:
    folder = workshop.submitted / learner
    return sum(1 for p in folder.glob("*/*.ipynb")) if folder.is_dir() else 0


def _busiest_first(workshop: Workshop, learners: list[str]) -> list[str]:
    """Learners with the most notebooks first: the class ends with short tasks."""
    return sorted(learners, key=lambda name: (-_handed_in(workshop, name), name))


# --------------------------------------------------------------------------- serial


class SerialExecutor:
    """Learners one after another in this process, with one NbGraderAPI for all."""

    def __init__(self, workshop: Workshop, options: GradeOptions) -> None:
        self.workshop = workshop
        self.options = options

    def run(self, learners: list[str], on_done: OnDone) -> str:
        api = grading_api(self.workshop, self.options.cell_timeout)
        for learner in learners:
            record = grade_learner_safely(self.workshop, learner, options=self.options, api=api)
            on_done(learner, record, None)
        return "one at a time"

    def close(self, kill: bool = False) -> None:
        pass


# --------------------------------------------------------------------------- worker processes


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


class LocalExecutor:
    """Worker processes handed one learner at a time; a dead worker's learner is retried.

    The workers start as soon as the pool is made (importing nbgrader takes each of them
    seconds) while the caller prepares the class; `run` then copies the workshop's gradebook
    for each of them and hands out the learners, those with the most notebooks first (the
    class ends with short tasks, so no worker idles long at the end).
    """

    #: How a worker process is started (tests start a stand-in that speaks the same protocol).
    worker_command: tuple[str, ...] = (sys.executable, "-m", "course.grader.worker")

    def __init__(self, workshop: Workshop, options: GradeOptions, *, jobs: int | None = None):
        self.workshop = workshop
        self.jobs = jobs or options.jobs
        self.cell_timeout = options.cell_timeout
        self.learner_timeout = options.learner_timeout
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
            for _ in range(self.jobs):
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
            *self.worker_command,
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
        code = worker.proc.wait()
        self.workers.remove(worker)
        if worker.task is not None:
            learner, attempt = worker.task
            why = (
                f"it gave no answer for {self.learner_timeout + GRACE:g} s and was stopped"
                if worker.overdue
                else _exit_reason(code)
            )
            self.crashes.setdefault(learner, []).append(crash_note(why))
            if attempt < ATTEMPTS:
                self.pending.appendleft((learner, attempt + 1))
            else:
                self.remaining.discard(learner)
                message = (
                    f"{crash_note(why)}; {attempt} attempts, not graded: earlier grades of this "
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
            order = _busiest_first(self.workshop, learners)
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


# --------------------------------------------------------------------------- Dask

_DASK_STATE: dict[str, Any] = {}


def dask_task(
    root: str, snapshot: str, learner: str, cell_timeout: int, learner_timeout: float
) -> dict[str, Any]:
    """One learner on a Dask worker (run there by DaskExecutor; needs one thread per worker).

    The first task in a worker process copies the gradebook snapshot to node-local storage and
    starts an NbGraderAPI on it; later tasks of the same run reuse both.
    """
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
    options = GradeOptions(cell_timeout=cell_timeout, learner_timeout=learner_timeout)
    return grade_and_export(
        _DASK_STATE["workshop"],
        learner,
        options=options,
        api=_DASK_STATE["api"],
        db_url=_DASK_STATE["db_url"],
    )


class DaskExecutor:
    """Learners on a Dask cluster: "local" starts a LocalCluster of `jobs` single-thread worker
    processes; anything else is a scheduler address (tcp://host:8786). Workers need the kit
    installed and the workshop folder and the source notebooks at the same paths (a shared
    filesystem)."""

    def __init__(self, workshop: Workshop, options: GradeOptions) -> None:
        self.workshop = workshop
        self.options = options
        self.address = options.dask or "local"

    def _client(self) -> tuple[Any, Any]:
        """(client, cluster or None); dask is imported here only."""
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise KitError(
                "--dask needs dask.distributed: pip install 'dask[distributed]' (or the kit's "
                "'scale' extra)"
            ) from None
        if self.address == "local":
            cluster = LocalCluster(
                n_workers=self.options.jobs,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            return Client(cluster), cluster
        try:
            return Client(self.address, timeout="30s"), None
        except OSError as exc:
            raise KitError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from None

    def run(self, learners: list[str], on_done: OnDone) -> str:
        from dask.distributed import as_completed  # dask is optional: imported only to use it

        root = self.workshop.root
        folder = Path(tempfile.mkdtemp(prefix=".grading-dask-", dir=root))
        snapshot = merge.copy_gradebook(root / "gradebook.db", folder / "snapshot.db")
        cluster = None
        try:
            client, cluster = self._client()
            with client:
                workers = len(client.scheduler_info().get("workers", {}))
                run = uuid.uuid4().hex[:8]
                futures = {
                    client.submit(
                        dask_task,
                        str(root),
                        str(snapshot),
                        learner,
                        int(self.options.cell_timeout),
                        float(self.options.learner_timeout),
                        key=f"course-grade-{run}-{learner}",
                        pure=False,
                    ): learner
                    for learner in _busiest_first(self.workshop, learners)
                }
                for future in as_completed(futures):
                    _dask_done(futures[future], future, on_done)
        finally:
            if cluster is not None:
                cluster.close()
            shutil.rmtree(folder, ignore_errors=True)
        where = "a local Dask cluster" if self.address == "local" else f"Dask at {self.address}"
        return f"{workers} workers on {where}"

    def close(self, kill: bool = False) -> None:
        pass


def _dask_done(learner: str, future: Any, on_done: OnDone) -> None:
    """Hand a finished Dask task's learner to on_done (a flagged record if its worker died)."""
    try:
        result = future.result()
    except Exception as exc:  # KilledWorker: its worker died, more than once
        why = f"Dask: {exc.__class__.__name__}: {exc}"[:300]
        note = f"{crash_note(why)}; not graded: earlier grades, if any, are unchanged"
        on_done(learner, failed_record(learner, note), None)
    else:
        on_done(learner, result["record"], result["gradebook"])
