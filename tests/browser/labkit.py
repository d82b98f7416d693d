"""Drive a real JupyterLab in headless Chromium: the server, the browser and one lab page.

The server is the kit's own `lab_command()` / `lab_environment()` (the workshop settings), plus
`--LabApp.expose_app_in_browser` so tests can reach `window.jupyterapp` (as JupyterLab's galata
does). Learners' actions (menu clicks, typing, Tab and Space) go through the real page; the app
object is only used to open documents and to read state that the DOM hides (execution counts).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # then every browser test skips (fails under CI) in require_browser()
    expect = None

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CAK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: The repository whose notebooks/, exercises/ and solutions/ the lab serves (a copy of them).
SOURCE = Path(os.environ.get("CAK_BROWSER_SOURCE") or ROOT)
ARTIFACTS = Path(os.environ.get("CAK_BROWSER_ARTIFACTS") or ROOT / "test-artifacts" / "browser")
VIEWPORT = {"width": 1366, "height": 900}

LESSONS = (
    "00-start-here",
    "01-aspirations-vs-goals",
    "02-research-the-company",
    "03-align-your-aspirations",
    "04-keep-it-relevant",
    "05-draft-your-answer",
    "06-practice-and-reflect",
)

STDERR = "application/vnd.jupyter.stderr"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: Text that JupyterLab's widget manager writes when a widget view fails or never arrives,
#: and the text/plain fallback a kernel sends when no widget manager is listening.
WIDGET_FAILURES = (
    "Error displaying widget",
    "model not found",
    "Loading widget...",
    "VBox(children=",
    "HBox(children=",
)


def unavailable_reason() -> str | None:
    """Why the browser suite cannot run here, or None when it can."""
    if not CHROMIUM.exists():
        return (
            f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium; "
            "or set CAK_CHROMIUM); browsers are never downloaded"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_repository(dest: Path) -> Path:
    """A learner's view of the repository: notebooks/, exercises/, solutions/, no answers."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("notebooks", "exercises", "solutions"):
        src = SOURCE / name
        if src.exists():
            shutil.copytree(
                src,
                dest / name,
                ignore=shutil.ignore_patterns(
                    "*.answers.json*", ".ipynb_checkpoints", "*.out.ipynb", "__pycache__"
                ),
            )
    return dest


# --------------------------------------------------------------------------- the server


@dataclass
class LabServer:
    """One `jupyter lab` on a free loopback port, with a token and a throwaway home."""

    root: Path
    base: Path
    port: int = field(default_factory=free_port)
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.base / "lab.log"

    def log(self, tail: int = 4000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-tail:]
        except OSError:
            return ""

    def environment(self) -> dict[str, str]:
        from course.cli.lab import lab_environment

        env = lab_environment(dict(os.environ))
        # tests/conftest.py sets Agg for headless runs; a lab kernel must draw inline.
        env.pop("MPLBACKEND", None)
        for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
            env.pop(name, None)
        folders = {
            "HOME": self.base / "home",
            "JUPYTERLAB_WORKSPACES_DIR": self.base / "workspaces",
            "JUPYTERLAB_SETTINGS_DIR": self.base / "settings",
            "IPYTHONDIR": self.base / "home" / ".ipython",
        }
        for name, folder in folders.items():
            folder.mkdir(parents=True, exist_ok=True)
            env[name] = str(folder)
        env["JUPYTER_TOKEN"] = self.token
        return env

    def command(self) -> list[str]:
        from course.cli.lab import lab_command

        return [
            *lab_command(self.port, "127.0.0.1", self.root, open_browser=False),
            "--LabApp.expose_app_in_browser=True",
        ]

    def start(self, timeout: float = 90) -> LabServer:
        self.base.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("w", encoding="utf-8") as log:
            self.proc = subprocess.Popen(
                self.command(),
                cwd=self.root,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.proc.returncode}:\n{self.log()}")
            try:
                self.api("status")
                return self
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer within {timeout} s:\n{self.log()}")

    def api(self, path: str, method: str = "GET") -> Any:
        request = urllib.request.Request(
            f"{self.url}/api/{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def stop(self) -> None:
        """Shut the server down through its API (kernels too); terminate, then kill, if stuck."""
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(OSError, urllib.error.HTTPError):
            self.api("shutdown", method="POST")
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


# --------------------------------------------------------------------------- the page

_FIND = """
const find = (path) => {
  for (const w of Array.from(window.jupyterapp.shell.widgets('main'))) {
    if (w.context && w.context.path === path) return w;
  }
  return null;
};
"""

_OPEN = (
    "async (path) => {"
    + _FIND
    + """
  const app = window.jupyterapp;
  let w = find(path);
  if (!w) w = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  await w.context.ready;
  await w.sessionContext.ready;
  app.shell.activateById(w.id);
  return w.id;
}"""
)

#: Done when the kernel is idle, no prompt shows [*], and every non-empty code cell either ran
#: or sits after an error (Run All stops at the first error).
_STATE = (
    "(path) => {"
    + _FIND
    + """
  const w = find(path);
  if (!w) return {found: false};
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  const cells = Array.from(w.content.widgets);
  const code = cells.filter(c => c.model.type === 'code'
                              && c.model.sharedModel.getSource().trim() !== '');
  const prompts = code.map(c => {
    const p = c.node.querySelector('.jp-InputArea-prompt');
    return p ? p.textContent.trim() : '';
  });
  const outputs = code.map(c => c.model.outputs.toJSON());
  const errors = [];
  outputs.forEach((outs, i) => outs.forEach(o => {
    if (o.output_type === 'error') {
      errors.push({cell: cells.indexOf(code[i]), kind: 'error',
                   text: `${o.ename}: ${o.evalue}`});
    } else if (o.output_type === 'stream' && o.name === 'stderr') {
      errors.push({cell: cells.indexOf(code[i]), kind: 'stderr', text: String(o.text)});
    }
  }));
  const views = outputs.flat().filter(o => o.data && o.data[WIDGET_VIEW]
                                     && o.data[WIDGET_VIEW].model_id)
                        .map(o => o.data[WIDGET_VIEW].model_id);
  return {
    found: true,
    kernel: kernel ? kernel.status : 'none',
    running: prompts.filter(p => p.includes('*')).length,
    notRun: code.filter(c => c.model.executionCount === null).map(c => cells.indexOf(c)),
    codeCells: code.length,
    errors,
    widgetViews: views.length,
    shownTwice: views.filter((id, i) => views.indexOf(id) !== i),
  };
}""".replace("WIDGET_VIEW", repr(WIDGET_VIEW))
)

_RENDERED = (
    "(path) => {"
    + _FIND
    + """
  const w = find(path);
  const node = w.content.node;
  const outputs = Array.from(node.querySelectorAll('.jp-OutputArea-output'));
  // Widgets a cell displayed, not those drawn inside another widget (a live Output part
  // rebuilds an exercise inside itself: course.learner.live).
  const roots = outputs.filter(o => o.firstElementChild
                                 && o.firstElementChild.classList.contains('jupyter-widgets')
                                 && !o.parentElement.closest('.jupyter-widgets'));
  return {
    // textContent, not innerText: off-screen cells (content-visibility) have no innerText.
    text: outputs.map(o => o.textContent).join(' '),
    widgets: roots.length,
    boxes: node.querySelectorAll('.jupyter-widgets, .widget-box').length,
    stderr: Array.from(node.querySelectorAll("[data-mime-type=STDERR]"))
                 .map(e => e.innerText.slice(0, 500)),
  };
}""".replace("STDERR", repr(STDERR))
)


class LabPage:
    """One JupyterLab page: open notebooks, Run All from the menu, wait, inspect, screenshot."""

    def __init__(self, page: Any, server: LabServer):
        self.page = page
        self.server = server
        #: Uncaught JavaScript errors of the page, in order (tests compare before and after).
        self.page_errors: list[str] = []
        page.on("pageerror", lambda exc: self.page_errors.append(f"pageerror: {exc}"))

    def load(self, timeout: float = 90_000) -> LabPage:
        self.page.goto(f"{self.server.url}/lab?token={self.server.token}", timeout=timeout)
        self.page.wait_for_function("() => window.jupyterapp !== undefined", timeout=timeout)
        self.page.evaluate("() => window.jupyterapp.restored.then(() => true)")
        self.page.wait_for_selector("#jp-main-dock-panel", timeout=timeout)
        return self

    # ---------------------------------------------------------------- notebooks

    def open(self, path: str) -> Any:
        """Open a notebook (kernel started), make it the current tab; return its panel locator."""
        widget_id = self.page.evaluate(_OPEN, path)
        panel = self.page.locator(f'[id="{widget_id}"]')
        panel.wait_for(state="visible")
        return panel

    def command(self, name: str, args: dict | None = None) -> Any:
        return self.page.evaluate(
            "([name, args]) => window.jupyterapp.commands.execute(name, args).then(() => true)",
            [name, args or {}],
        )

    def menu(self, *labels: str) -> None:
        """Click through the main menu, e.g. menu('Run', 'Run All Cells')."""
        top, *items = labels
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{top}$")).click()
        for label in items:
            item = self.page.locator(
                ".lm-Menu:visible .lm-Menu-itemLabel", has_text=re.compile(rf"^{label}$")
            )
            item.first.click()

    def state(self, path: str) -> dict[str, Any]:
        return self.page.evaluate(_STATE, path)

    def rendered(self, path: str) -> dict[str, Any]:
        return self.page.evaluate(_RENDERED, path)

    def wait_until_done(self, path: str, timeout: float = 120) -> dict[str, Any]:
        """Wait for Run All to end: kernel idle, no [*], each code cell ran or an error stopped it.

        Returns the final state; the widgets' views get a moment to render too.
        """
        deadline = time.monotonic() + timeout
        stable, state = 0, {}
        while time.monotonic() < deadline:
            state = self.state(path)
            done = (
                state.get("kernel") == "idle"
                and state["running"] == 0
                and (not state["notRun"] or any(e["kind"] == "error" for e in state["errors"]))
            )
            stable = stable + 1 if done else 0
            if stable >= 3:
                break
            self.page.wait_for_timeout(250)
        else:
            raise AssertionError(f"{path}: Run All did not finish within {timeout} s: {state}")
        # Views render after the kernel goes idle: wait (briefly) for the last placeholders.
        with contextlib.suppress(Exception):
            self.page.wait_for_function(
                "(path) => {" + _FIND + "const w = find(path); return w && "
                "!w.content.node.innerText.includes('Loading widget...'); }",
                arg=path,
                timeout=15_000,
            )
        return state

    def run_all(self, path: str, timeout: float = 120) -> dict[str, Any]:
        """Clear outputs, then Run > Run All Cells from the menu, and wait until it is done."""
        self.command("notebook:clear-all-cell-outputs")
        self.menu("Run", "Run All Cells")
        return self.wait_until_done(path, timeout)

    def restart_and_run_all(self, path: str, timeout: float = 120) -> dict[str, Any]:
        """Kernel > Restart Kernel and Run All Cells..., accepting the dialog; wait until done."""
        self.command("notebook:clear-all-cell-outputs")
        self.menu("Kernel", "Restart Kernel and Run All Cells…")
        self.page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click()
        return self.wait_until_done(path, timeout)

    def save(self) -> None:
        self.command("docmanager:save")

    def close_and_shutdown(self, path: str) -> None:
        """Shut the notebook's kernel down and close its tab without a prompt (frees a core)."""
        self.page.evaluate(
            "async (path) => {" + _FIND + "const w = find(path); if (!w) return;"
            "await w.sessionContext.shutdown(); w.context.model.dirty = false; w.dispose(); }",
            path,
        )

    # ---------------------------------------------------------------- artefacts

    def screenshot(self, panel: Any, name: str) -> Path:
        """A full-length picture of a notebook, as a learner scrolling through it would see it."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        inner = panel.locator(".jp-WindowedPanel-inner").first
        height = inner.evaluate("n => n.scrollHeight") if inner.count() else VIEWPORT["height"]
        tall = {"width": VIEWPORT["width"], "height": min(int(height) + 250, 16_000)}
        self.page.set_viewport_size(tall)
        try:
            panel.locator(".jp-WindowedPanel-outer").first.evaluate("n => n.scrollTo(0, 0)")
            self.page.wait_for_timeout(600)
            self.page.screenshot(path=str(path), full_page=True)
        finally:
            self.page.set_viewport_size(VIEWPORT)
        return path

    def snapshot(self, locator: Any, name: str) -> Path:
        """A picture of one widget after an interaction (e.g. feedback after Check)."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        box = locator.bounding_box() or {"height": 0}
        tall = {"width": VIEWPORT["width"], "height": min(int(box["height"]) + 300, 16_000)}
        self.page.set_viewport_size(max(tall, VIEWPORT, key=lambda v: v["height"]))
        try:
            locator.scroll_into_view_if_needed()
            self.page.wait_for_timeout(300)
            locator.screenshot(path=str(path))
        finally:
            self.page.set_viewport_size(VIEWPORT)
        return path


def lesson_path(lab_root: Path, lesson: str) -> str:
    """The lesson's notebook path relative to the lab root; skips (with why) if not written yet."""
    relative = f"notebooks/{lesson}.ipynb"
    if not (lab_root / relative).exists():
        pytest.skip(f"{relative} does not exist yet (lesson not written): not tested")
    for stale in (lab_root / "notebooks").glob(f"{lesson}.answers.json*"):
        stale.unlink()  # each test starts as a new learner
    return relative


def read_answers(path: Path) -> dict[str, Any]:
    """The answers a notebook's sidecar file holds (empty when there is none yet)."""
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get("answers", {})


def wait_for(predicate: Any, timeout: float = 10, interval: float = 0.2) -> Any:
    """Poll `predicate` until it returns something truthy; return that, or the last value."""
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = predicate()
    return value


# --------------------------------------------------------------------------- exercise widgets


def exercise(panel: Any, text: str) -> Any:
    """The exercise widget (a `.cak-ex` box) whose header or items contain `text`."""
    return panel.locator(".cak-ex").filter(has_text=text).first


def classify_rows(widget: Any, items: Any) -> list[tuple[Any, Any]]:
    """(row locator, content item) for each statement of a Classify widget, in screen order.

    Rows are matched to the content by their statement text, so a reordering of the items
    cannot make a test click the wrong answer.
    """
    by_text = {item.text: item for item in items}
    rows = widget.locator(".cak-item")
    pairs = []
    for n in range(rows.count()):
        row = rows.nth(n)
        shown = (row.locator(".widget-html").first.text_content() or "").strip()
        statement = re.sub(r"^\d+\.\s*", "", shown)
        assert statement in by_text, f"row {n + 1} shows an unknown statement: {shown!r}"
        pairs.append((row, by_text[statement]))
    return pairs


def toggle(row: Any, label: str) -> Any:
    """The radio button of one Classify row that stands for `label` (e.g. 'goal'), by role and
    accessible name, as assistive technology finds it."""
    return row.get_by_role("radio", name=re.compile(rf"^\s*{re.escape(label)}\s*$", re.I))


def chosen(row: Any) -> Any:
    """The checked radio button(s) of one Classify row (the accessibility tree's view)."""
    return row.get_by_role("radio", checked=True)


def button(widget: Any, name: str) -> Any:
    """A push button of an exercise (Check, Hint, Reset) by its text."""
    return widget.locator("button.jupyter-button", has_text=re.compile(rf"^\s*{name}\s*$"))


def expect_text(locator: Any, pattern: str, timeout: float = 10, present: bool = True) -> str:
    """Wait until the element's visible text (innerText) matches `pattern` (or stops matching).

    innerText keeps the line breaks a learner sees ("of 18" and "6 words" stay apart), which
    textContent, and so Playwright's to_contain_text, runs together.
    """
    locator.scroll_into_view_if_needed()
    regex = re.compile(pattern, re.I)
    text = wait_for(
        lambda: (lambda t: t if bool(regex.search(t)) == present else "")(locator.inner_text()),
        timeout,
    )
    if not text:
        text = locator.inner_text()
        verb = "show" if present else "stop showing"
        raise AssertionError(f"did not {verb} {pattern!r} within {timeout} s; it shows:\n{text}")
    return text
