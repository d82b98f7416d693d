"""The workshop hub end to end: real JupyterHub, NativeAuthenticator, configurable-http-proxy,
the local process spawner with one system account per learner, and nbgrader's exchange.

Two learners (system accounts made by `hub init`, removed after) log in through the hub's
login page in Chromium and land on the learner app's landing page (Voilà's server extension in
their own server: no code), open lesson 01 in the app and answer it there, go on to JupyterLab
by the landing page's link, fetch graded exercise 01 through nbgrader's Assignments server
extension into ~/exercises, answer it by clicking (each a different number wrong), and submit.
The facilitator collects and grades with the kit's commands; each learner fetches feedback that
shows their own score and no other learner's id; grades.csv holds exactly what was clicked; the
facilitator's server opens nbgrader's formgrader; and, as each learner's own account, no learner
can read another's home or answers file or list the exchange's hand-ins and feedback.

Needs root (useradd), Chromium, npm and the hub extra; skips without them (fails under CI=true).
The learners' Python environment is made once in build/hub-learner-env (about 3 minutes), then
only the kit in it is refreshed.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from labkit import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, LabPage, classify_rows, toggle  # noqa: E402

pytestmark = [pytest.mark.hub, pytest.mark.slow]

ASSIGNMENT = "01-aspirations-vs-goals"
LESSON = "01-aspirations-vs-goals"
COURSE = "career-aspirations"
#: Learner account -> how many of the 8 statements they label wrongly (their score is 8 - n).
#: Two learners are enough: each one's score, feedback and files are checked against the other's.
LEARNERS = {"hubt-alice": 0, "hubt-bob": 3}
FACILITATOR = "hubt-facilitator"
ENV = Path(os.environ.get("CAK_HUB_ENV") or ROOT / "build" / "hub-learner-env")


def _missing() -> str | None:
    if os.geteuid() != 0:
        return "the hub test creates system accounts: run it as root"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM}"
    if shutil.which("npm") is None or shutil.which("useradd") is None:
        return "npm or useradd is missing"
    try:
        import jupyterhub  # noqa: F401
        import nativeauthenticator  # noqa: F401
        import playwright  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is not installed (pip install -e '.[test]')"
    return None


def _require() -> None:
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"CI=true, so the hub test must run, but: {reason}", pytrace=False)
    pytest.skip(f"hub test skipped: {reason}")


def kit(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "course", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "COURSE_NO_VENV": "1"},
    )
    assert done.returncode == 0, (
        f"course {' '.join(args)}:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    )
    return done


def as_user(user: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run `argv` as that account, from its home (where its server runs)."""
    return subprocess.run(
        ["runuser", "-u", user, "--", *argv],
        capture_output=True,
        text=True,
        cwd=f"/home/{user}",
    )


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Hub:
    def __init__(self, root: Path, port: int, passwords: dict[str, str], proc: Any):
        self.root, self.port, self.passwords, self.proc = root, port, passwords, proc
        self.url = f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def hub() -> Iterator[Hub]:
    _require()
    from course.hub.setup import remove_account

    base = Path(tempfile.mkdtemp(prefix="cak-hub-", dir="/tmp"))
    os.chmod(base, 0o755)  # the learners' accounts pass through to the exchange
    root = base / "ws"
    roster = base / "roster.csv"
    roster.write_text(
        "ID,First name,Last name\n"
        + "".join(f"{n},{n.split('-')[1].title()},Tester\n" for n in LEARNERS),
        encoding="utf-8",
    )
    port = free_port()
    proc = None
    try:
        kit(
            "hub",
            "init",
            str(root),
            "--roster",
            str(roster),
            "--port",
            str(port),
            "--facilitator",
            FACILITATOR,
            "--env",
            str(ENV),
            timeout=900,
        )
        # The test drives JupyterLab through window.jupyterapp (as tests/browser does): exposed
        # for this test's servers only, through the learners' config folder.
        expose = json.dumps({"LabApp": {"expose_app_in_browser": True}})
        (root / "hub" / "learner" / "jupyter_lab_config.json").write_text(expose)
        with (root / "hub" / "state" / "passwords.csv").open(encoding="utf-8-sig") as f:
            passwords = {row[0]: row[2] for row in list(csv.reader(f))[1:]}
        assert set(passwords) == {*LEARNERS, FACILITATOR}
        log = (base / "hub.log").open("w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "course", "hub", "start", str(root)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "COURSE_NO_VENV": "1"},
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/hub/api", timeout=5)
                break
            except OSError:
                assert proc.poll() is None, (base / "hub.log").read_text()[-3000:]
                assert time.monotonic() < deadline, "the hub did not answer within 120 s"
                time.sleep(1)
        yield Hub(root, port, passwords, proc)
    finally:
        if proc is not None:
            from course.hub.run import stop
            from course.hub.setup import Hub as HubFiles

            stop(HubFiles(root), proc)  # the hub, its proxy; remove_account ends the servers
        for name in [*LEARNERS, FACILITATOR]:
            with contextlib.suppress(Exception):
                remove_account(name)
        shutil.rmtree(base, ignore_errors=True)


def login(browser: Any, hub: Hub, user: str) -> Any:
    """Sign in on the hub's login page; return the page (the server may still be starting)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", hub.passwords[user])
    page.click("#login_submit")
    return page


class HubLab(LabPage):
    """labkit's JupyterLab page, loaded through the hub at /user/NAME/lab."""

    def __init__(self, page: Any, user: str):
        super().__init__(page, server=None)
        self.user = user

    def load(self, timeout: float = 180_000) -> HubLab:
        self.page.wait_for_url(re.compile(rf"/user/{self.user}/lab"), timeout=timeout)
        self.page.wait_for_function("() => window.jupyterapp !== undefined", timeout=timeout)
        self.page.evaluate("() => window.jupyterapp.restored.then(() => true)")
        return self

    def assignments(self, action: str) -> Any:
        """nbgrader's Assignments server extension, as its tab calls it (POST, xsrf)."""
        return self.page.evaluate(
            """async ([user, action, course, assignment]) => {
              const xsrf = (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || '';
              const q = new URLSearchParams({course_id: course, assignment_id: assignment});
              const r = await fetch(`/user/${user}/assignments/${action}?${q}`,
                {method: 'POST', headers: {'X-XSRFToken': decodeURIComponent(xsrf)}});
              return {status: r.status, body: await r.text()};
            }""",
            [self.user, action, COURSE, ASSIGNMENT],
        )


def visible_code(page: Any) -> list[str]:
    """The code a learner should not see in the app, as selectors with a visible match."""
    from test_browser_app import CODE_SELECTORS

    return [s for s in CODE_SELECTORS if any(e.is_visible() for e in page.locator(s).all())]


def answer_lesson_in_app(page: Any, user: str, home: Path) -> HubLab:
    """From the app's landing page (the hub's default URL): lesson 01 answered in the app, back
    to the landing page, then JupyterLab by its link; the lab page, loaded."""
    from test_browser_app import ERROR_TEXTS, _wait_drawn

    page.wait_for_url(re.compile(rf"/user/{user}/voila/tree"), timeout=180_000)
    entry = page.locator(f'[data-lesson="{LESSON}"]')
    entry.wait_for()
    assert "What are your career aspirations?" in page.inner_text("body")
    assert not visible_code(page) and "Not started yet." in entry.inner_text()
    entry.locator("h2 a").click()
    page.wait_for_url(re.compile(rf"/user/{user}/voila/render/notebooks/{LESSON}\.ipynb"))
    _wait_drawn(page, timeout=180)
    text = page.inner_text("body")
    assert not visible_code(page), visible_code(page)
    assert not [t for t in ERROR_TEXTS if t in text], text[:1500]
    assert "answers = None" not in text and "import course" not in text
    first = page.locator(".cak-ex").first.get_by_role("radio").first
    first.scroll_into_view_if_needed()
    first.click()
    answers = home / "notebooks" / f"{LESSON}.answers.json"
    deadline = time.monotonic() + 20
    while not (answers.exists() and json.loads(answers.read_text()).get("answers")):
        assert time.monotonic() < deadline, "the lesson's answer was not saved in the home"
        time.sleep(0.5)
    page.get_by_role("link", name="All lessons and your progress").click()
    page.wait_for_url(re.compile(rf"/user/{user}/voila/tree"))
    assert "1 answer saved in this lesson" in entry.inner_text()
    page.get_by_role("link", name="Open JupyterLab").click()
    return HubLab(page, user).load()


def answer_exercise(lab: HubLab, wrong: int, items: list[tuple[str, str]], key: dict) -> None:
    from test_browser_exercises import Item

    path = f"exercises/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
    panel = lab.open(path)
    state = lab.run_all(path, timeout=180)
    assert not state["errors"], state["errors"]
    widget = panel.locator(".cak-ex").filter(has_text=items[0][1]).first
    for n, (row, item) in enumerate(classify_rows(widget, [Item(*i) for i in items])):
        label = (
            key[item.id]
            if n >= wrong
            else next(x for x in ("aspiration", "goal") if x != key[item.id])
        )
        toggle(row, label).click()
    lab.save()
    lab.page.wait_for_timeout(1500)  # the answers file is written on each change; let it land
    lab.close_and_shutdown(path)


def test_a_room_hands_in_through_the_exchange_and_each_sees_only_its_own_feedback(
    hub: Hub,
) -> None:
    # A fresh thread: Playwright's sync API refuses a thread where an earlier test (the browser
    # suite runs first) left an asyncio loop running. Failures are raised here again.
    failure: list[BaseException] = []

    def run() -> None:
        try:
            _room(hub)
        except BaseException as exc:  # re-raised in the test's own thread below
            failure.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if failure:
        raise failure[0]


def _room(hub: Hub) -> None:
    """Two learners and a facilitator, through the app, the exchange and grading."""
    from playwright.sync_api import sync_playwright
    from test_browser_exercises import exercise_calls

    from course.grader import keys

    started = time.monotonic()
    kit("hub", "release", str(hub.root), ASSIGNMENT)
    source = ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    key = keys.solution_answers(source)["statements"]
    items = exercise_calls(ROOT / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")["statements"][
        1
    ]["items"]
    homes = {name: Path(f"/home/{name}") for name in LEARNERS}

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            # Everyone signs in first: the hub starts the three servers (two learners' and the
            # facilitator's) side by side.
            pages = {name: login(browser, hub, name) for name in LEARNERS}
            facilitator = login(browser, hub, FACILITATOR)
            labs = {}
            for name, page in pages.items():
                lab = labs[name] = answer_lesson_in_app(page, name, homes[name])
                fetched = lab.assignments("fetch")
                assert fetched["status"] == 200, fetched
                assert (homes[name] / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()
                answer_exercise(lab, LEARNERS[name], items, key)
                sidecar = homes[name] / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.answers.json"
                assert len(json.loads(sidecar.read_text())["answers"]["statements"]) == 8
                submitted = lab.assignments("submit")
                assert submitted["status"] == 200 and '"success": false' not in submitted["body"]

            # The facilitator collects (the answers file travels with the notebook) and grades.
            kit("hub", "collect", str(hub.root), ASSIGNMENT)
            for name in LEARNERS:
                handed = hub.root / "submitted" / name / ASSIGNMENT
                assert (handed / f"{ASSIGNMENT}.answers.json").exists(), sorted(handed.iterdir())
            grade = subprocess.run(
                [
                    "runuser",
                    "-u",
                    FACILITATOR,
                    "--",
                    str(ENV / "bin" / "python"),
                    "-m",
                    "course",
                    "grade",
                    "--workshop",
                    str(hub.root),
                    "--jobs",
                    "2",
                    "--quiet",
                ],
                capture_output=True,
                text=True,
                cwd=hub.root,
                timeout=600,
                env={**os.environ, "PATH": f"{ENV / 'bin'}:/usr/sbin:/usr/bin:/sbin:/bin"},
            )
            assert grade.returncode in (0, 1), grade.stdout + grade.stderr  # 1: 02-05 not set
            with (hub.root / "grades.csv").open(encoding="utf-8-sig") as f:
                rows = [r for r in csv.DictReader(f) if r["assignment"] == ASSIGNMENT]
            got = {r["student_id"]: float(r["score"]) for r in rows}
            assert got == {name: 8.0 - wrong for name, wrong in LEARNERS.items()}
            kit("hub", "feedback", str(hub.root), ASSIGNMENT)

            # The facilitator's own server opens nbgrader's formgrader on the workshop.
            facilitator.wait_for_url(re.compile(rf"/user/{FACILITATOR}/formgrader"))
            facilitator.reload()  # the list of assignments as it is now, after grading
            deadline = time.monotonic() + 60
            shown = ""
            while ASSIGNMENT not in shown and time.monotonic() < deadline:
                facilitator.wait_for_timeout(1000)
                shown = facilitator.inner_text("body")
            assert ASSIGNMENT in shown and "Manage Assignments" in shown, (
                facilitator.url,
                shown[:1500],
            )

            # Each learner fetches their feedback in their own server and sees their own score.
            for name, lab in labs.items():
                assert lab.assignments("fetch_feedback")["status"] == 200
                pages_ = sorted(
                    (homes[name] / "exercises" / ASSIGNMENT / "feedback").glob("*/*.html")
                )
                assert pages_, f"no feedback reached {name}"
                relative = pages_[-1].relative_to(homes[name])
                lab.page.goto(f"{hub.url}/user/{name}/files/{relative}")
                text = lab.page.inner_text("body")
                # the kit's feedback page: "Graded exercise: ... (7 of 12 points)"
                assert f"({8.0 - LEARNERS[name]:g} of 12 points)" in text, text[:500]
                others = [o for o in LEARNERS if o != name]
                assert not any(o in text for o in others)
                assert not any(
                    f"({8.0 - LEARNERS[o]:g} of 12 points)" in text
                    for o in others
                    if LEARNERS[o] != LEARNERS[name]
                )
                # Back in the app: the fetched exercise is on the landing page with its
                # progress, and the app's "Download my work" zip holds this learner's answers.
                lab.page.goto(f"{hub.url}/user/{name}/voila/tree")
                entry = lab.page.locator(f'[data-lesson="{LESSON}"]')
                assert "1 of 2 parts started" in entry.inner_text(), entry.inner_text()
                zipped = lab.page.request.get(f"{hub.url}/user/{name}/kit/my-work.zip")
                assert zipped.ok and zipped.headers["content-type"] == "application/zip"
                with zipfile.ZipFile(io.BytesIO(zipped.body())) as archive:
                    inside = f"{ASSIGNMENT}/{ASSIGNMENT}.answers.json"
                    assert (
                        json.loads(archive.read(inside))["answers"]
                        == json.loads((homes[name] / "exercises" / inside).read_text())["answers"]
                    )
        finally:
            browser.close()

    # Isolation, checked as each learner's own system account.
    exchange = hub.root / "exchange" / COURSE
    for name in LEARNERS:
        other = next(o for o in LEARNERS if o != name)
        assert as_user(name, "ls", str(homes[other])).returncode != 0
        assert (
            as_user(
                name,
                "cat",
                str(homes[other] / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.answers.json"),
            ).returncode
            != 0
        )
        assert as_user(name, "ls", str(exchange / "inbound")).returncode != 0
        assert as_user(name, "ls", str(exchange / "feedback")).returncode != 0
        assert as_user(name, "cat", str(hub.root / "gradebook.db")).returncode != 0
        assert as_user(name, "ls", str(hub.root / "submitted")).returncode != 0
        assert (
            as_user(name, "cat", str(hub.root / "hub" / "state" / "passwords.csv")).returncode != 0
        )
        # a learner's server imports the kit from the hub's environment, not from the checkout
        where = as_user(
            name, str(ENV / "bin" / "python"), "-c", "import course; print(course.__file__)"
        )
        assert str(ENV) in where.stdout and "solutions" not in where.stdout
    print(f"hub e2e: {time.monotonic() - started:.0f} s after the hub started")
