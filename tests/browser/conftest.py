"""Browser suite fixtures: one JupyterLab server and one headless Chromium for the whole session.

The lab serves a temporary copy of the repository (notebooks/, exercises/, solutions/) with a
fresh home, workspace and settings folder, so nothing a test clicks reaches the real tree.
Without Chromium or Playwright the suite skips with the reason; under CI=true it fails instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from labkit import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    LabPage,
    LabServer,
    copy_repository,
    unavailable_reason,
)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def require_browser() -> None:
    """Skip (or, under CI=true, fail) when this machine cannot run the browser suite."""
    reason = unavailable_reason()
    if reason is None:
        return
    if _in_ci():
        pytest.fail(f"CI=true, so the browser tests must run, but: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="package")
def lab_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the lab serves: a copy of the repository taken when the session starts."""
    require_browser()
    return copy_repository(tmp_path_factory.mktemp("browser") / "repo")


@pytest.fixture(scope="package")
def lab_server(lab_root: Path) -> Iterator[LabServer]:
    server = LabServer(root=lab_root, base=lab_root.parent / "lab").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="package")
def chromium() -> Iterator[object]:
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="package")
def lab(chromium, lab_server: LabServer) -> Iterator[LabPage]:
    """One JupyterLab page shared by the suite (a lab load costs seconds on two cores)."""
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    lab_page = LabPage(context.new_page(), lab_server).load()
    try:
        yield lab_page
    finally:
        context.close()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if ARTIFACTS.exists() and any(ARTIFACTS.glob("*.png")):
        terminalreporter.write_line(f"browser screenshots: {ARTIFACTS}")
