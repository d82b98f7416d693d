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
    assert c.Spawner.default_url == "/lab"
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
