"""The hub's configuration as JupyterHub loads it, account names and passwords (no root needed)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from course.errors import KitError
from course.hub import setup


def load_config(text: str) -> object:
    """Run a jupyterhub_config.py as JupyterHub does: `c = get_config()` in its namespace."""
    from traitlets.config import Config

    config = Config()
    exec(compile(text, "jupyterhub_config.py", "exec"), {"get_config": lambda: config})
    return config


def test_the_rendered_configuration_is_what_jupyterhub_reads(tmp_path: Path) -> None:
    pytest.importorskip("jupyterhub")
    pytest.importorskip("nativeauthenticator")
    hub = setup.Hub(tmp_path / "ws")
    hub.folder.mkdir(parents=True)
    settings = setup.HubSettings(port=8123, facilitator="fac", cull_idle=600, env="/opt/env")
    hub.settings_file.write_text(json.dumps(settings.__dict__), encoding="utf-8")
    c = load_config(setup._render(hub, ["alice", "bob"], settings))

    assert c.JupyterHub.authenticator_class == "nativeauthenticator.NativeAuthenticator"
    assert c.NativeAuthenticator.enable_signup is False  # accounts come from the roster only
    assert c.Authenticator.admin_users == {"fac"}
    assert c.Authenticator.allowed_users == {"alice", "bob", "fac"}
    assert c.JupyterHub.spawner_class == "jupyterhub.spawner.LocalProcessSpawner"
    assert c.Spawner.cmd == ["/opt/env/bin/jupyterhub-singleuser"]
    assert c.Spawner.default_url == "/voila/tree"  # the learner app's landing page
    assert c.Spawner.environment["JUPYTER_CONFIG_PATH"] == str(hub.learner_config)
    assert c.JupyterHub.bind_url == "http://127.0.0.1:8123"
    assert c.ConfigurableHTTPProxy.command == [str(setup.chp_path(hub))]
    assert str(hub.state) in c.JupyterHub.db_url
    assert c.JupyterHub.last_activity_interval == 200  # a third of the idle time
    assert c.Spawner.environment["JUPYTERHUB_ACTIVITY_INTERVAL"] == "200"
    (culler,) = c.JupyterHub.services
    assert "--timeout=600" in culler["command"]
    role = c.JupyterHub.load_roles[0]
    assert role["services"] == ["idle-culler"] and "delete:servers" in role["scopes"]


def test_ids_that_cannot_be_accounts_are_refused_with_the_reason() -> None:
    assert setup.account_name_problem("alice") is None or "already" in (
        setup.account_name_problem("alice") or ""
    )
    assert "cannot name a system account" in setup.account_name_problem("Alice Smith")
    assert "cannot name a system account" in setup.account_name_problem("a@example.org")
    assert "cannot name a system account" in setup.account_name_problem("1abc")
    assert "did not create" in setup.account_name_problem("root")


def test_first_login_passwords_are_readable_aloud_and_differ() -> None:
    passwords = {setup._new_password() for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", password)
        assert not set("01ilo") & set(password)


def test_init_refuses_a_roster_whose_ids_cannot_be_accounts(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("Email\nalice@example.org\nroot\n", encoding="utf-8")
    with pytest.raises(KitError, match="root"):
        setup.init(tmp_path / "ws", roster, accounts=False, environment=False)
    assert not (tmp_path / "ws").exists()  # nothing written


def test_a_learner_server_serves_the_learner_app_with_the_kit_settings(tmp_path: Path) -> None:
    """A Jupyter server on the learners' config (as `hub init` writes it) serves the app:
    the kit's landing page at /voila/tree with a link to JupyterLab, lessons without code."""
    pytest.importorskip("voila")
    import os
    import shutil
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from course.paths import KIT_ROOT

    roster = tmp_path / "roster.csv"
    roster.write_text("ID\nalice\n", encoding="utf-8")
    hub = setup.init(tmp_path / "ws", roster, accounts=False, environment=False)["hub"]
    config = json.loads((hub.learner_config / "jupyter_server_config.json").read_text())
    extensions = config["ServerApp"]["jpserver_extensions"]
    assert extensions["course.cli.app_extension"] and not extensions["voila.server_extension"]
    home = tmp_path / "home"
    shutil.copytree(KIT_ROOT / "notebooks", home / "notebooks")
    (home / "exercises").mkdir()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "JUPYTER_CONFIG_PATH": str(hub.learner_config), "HOME": str(home)}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            f"--ServerApp.port={port}",
            "--IdentityProvider.token=t",
            "--ServerApp.allow_root=True",
            "--ServerApp.open_browser=False",
            "--ServerApp.base_url=/user/alice/",
            f"--ServerApp.root_dir={home}",
        ],
        env=env,
        cwd=home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/user/alice/"

    def get(path: str) -> str:
        with urllib.request.urlopen(f"{base}{path}?token=t", timeout=120) as response:
            return response.read().decode()

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                landing = get("voila/tree")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()[-3000:]
                assert time.monotonic() < deadline, "the learner server did not start"
                time.sleep(0.5)
        assert "What are your career aspirations?" in landing
        assert 'href="/user/alice/lab"' in landing  # JupyterLab one link away
        assert 'href="/user/alice/voila/render/notebooks/01-aspirations-vs-goals.ipynb"' in landing
        page = get("voila/render/notebooks/01-aspirations-vs-goals.ipynb")
        assert "cak-appnav" in page  # the kit template
        assert "import course" not in page and "answers = None" not in page  # no code
    finally:
        server.terminate()
        server.wait(timeout=30)
