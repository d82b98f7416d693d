"""Packaging: pyproject and environment.yml agree; the import budget holds; the CLI dispatches."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("matplotlib", "nbformat", "nbgrader", "jsonschema", "nbconvert", "papermill")


def _name(requirement: str) -> str:
    name = re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0]
    return name.lower().replace("_", "-")


def test_environment_yml_names_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        declared |= {_name(r) for r in extra}
    # conda splits dask[distributed] into its two packages
    if "dask" in declared:
        declared.add("distributed")
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    listed = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            listed |= {_name(r) for r in dep.get("pip", [])}
        else:
            listed.add(_name(dep))
    listed -= {"python", "pip"}
    assert listed == declared


#: What only grading, scale-out and the tests need: never part of a learner's install.
GRADING_ONLY = ("nbgrader", "papermill", "sqlalchemy", "alembic", "dask", "distributed", "tqdm")


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_learner_install_is_the_lessons_only_and_extras_carry_the_rest():
    project = _project()
    base = {_name(r) for r in project["dependencies"]}
    assert base == {
        "jupyterlab",
        "ipywidgets",
        "matplotlib",
        "pyyaml",
        "filelock",
        "jinja2",
        "voila",  # the learner app (python -m course app)
        "jsonschema",  # pinned below 4.24 only: it comes with jupyterlab (a 1 s import after)
    }
    extras = {k: {_name(r) for r in v} for k, v in project["optional-dependencies"].items()}
    assert {"nbgrader", "papermill", "tqdm"} <= extras["grading"]
    assert extras["grading"] | extras["scale"] <= extras["test"], "make test needs them all"
    assert project["license"] == "MIT", "an SPDX string (a table is deprecated)"


def test_every_learner_module_works_with_the_grading_packages_missing():
    """A lesson kernel and the learner commands, with nbgrader & co. made unimportable."""
    block = "; ".join(f"sys.modules[{m!r}] = None" for m in GRADING_ONLY)
    learner = sorted(
        f"course.learner.{p.stem}" for p in (ROOT / "course" / "learner").glob("[a-z]*.py")
    )
    code = (
        f"import sys, importlib; {block}\n"
        f"for m in {learner!r} + ['course.graded', 'course.coach']: importlib.import_module(m)\n"
        "from course.__main__ import main\n"
        "for argv in (['lab', '--help'], ['reset', '--help'], ['prep-sheet', '--help']):\n"
        "    try: main(argv)\n"
        "    except SystemExit as e: assert e.code == 0, argv\n"
        "import course.learner.content as c; c.validate_all()\n"
        "print('ok')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-3000:]


def test_a_command_missing_its_extra_says_what_to_install_in_one_line():
    code = (
        "import sys; sys.modules['nbgrader'] = None\n"
        "from course.__main__ import main; sys.exit(main(['release', '--check']))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "grading extra" in done.stderr and 'pip install -e ".[grading]"' in done.stderr


def test_a_fresh_checkout_without_venv_is_told_to_set_up_first(tmp_path, monkeypatch):
    from course import __main__ as cli

    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    monkeypatch.setattr(cli, "KIT_ROOT", tmp_path)
    message = cli.missing_message(ModuleNotFoundError("x", name="yaml"))
    assert "set the kit up first with `make lab`" in message and "\n" not in message
    (tmp_path / ".venv").mkdir()
    message = cli.missing_message(ModuleNotFoundError("x", name="papermill.engines"))
    assert message.endswith('pip install -e ".[grading]"') and "papermill" in message


def test_python_outside_the_venv_reruns_the_command_in_the_kits_venv(tmp_path):
    """`python -m course` from the kit folder with another Python runs in .venv (docs say so)."""
    from course import __main__ as cli

    venv = ROOT / ".venv"
    if Path(sys.prefix).resolve() != venv.resolve():
        pytest.skip("the tests run outside the kit's .venv")
    assert cli._venv_python() is None, "inside .venv: no re-run"
    base = Path(sys.base_prefix) / "bin" / "python3"
    if not base.is_file():
        pytest.skip("no base interpreter found")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    from course.learner.answers import AnswerStore

    AnswerStore("01-x", tmp_path).set("a", 1)  # resetting it needs filelock
    argv = [str(base), "-m", "course", "reset", str(tmp_path / "01-x.ipynb")]
    alone = subprocess.run(
        argv, capture_output=True, text=True, cwd=ROOT, env={**env, "COURSE_NO_VENV": "1"}
    )
    if alone.returncode == 0:
        pytest.skip("the base Python has the kit's packages: nothing to tell apart")
    assert "Traceback" not in alone.stderr and "pip install" in alone.stderr, alone.stderr
    done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 0 and "Cleared all answers" in done.stdout, done.stderr


def _modules_after(statement: str) -> set[str]:
    code = f"import sys, json; {statement}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {m.split(".")[0] for m in json.loads(out.stdout)}


def test_import_course_pulls_in_nothing_heavy():
    loaded = _modules_after("import course")
    assert not loaded & {*HEAVY, "ipywidgets", "yaml", "filelock"}


def test_a_lesson_kernel_imports_nothing_heavy():
    loaded = _modules_after(
        "from course.learner.lesson import Lesson; import course.learner.widgets;"
        "import course.learner.checks, course.learner.answers;"
        "import course.learner.content as c; c.validate_all()"
    )
    assert "ipywidgets" in loaded, "sanity: the statement did import the widgets"
    assert not loaded & set(HEAVY)


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "course", *args], capture_output=True, text=True, cwd=cwd
    )


def test_help_lists_the_commands():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("lab", "reset"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.M), result.stdout


def test_no_command_prints_help_and_exits_2():
    result = run_cli()
    assert result.returncode == 2 and "usage" in result.stdout


def test_reset_command_clears_answers_and_keeps_a_backup(tmp_path):
    from course.learner.answers import AnswerStore

    store = AnswerStore("01-x", tmp_path)
    store.set("a", 1)
    store.set("b", 2)
    result = run_cli("reset", str(tmp_path / "01-x.ipynb"), "--exercise", "a")
    assert result.returncode == 0, result.stderr
    assert "Backup kept" in result.stdout
    assert AnswerStore("01-x", tmp_path).all() == {"b": 2}
    assert len(list(tmp_path.glob("01-x.answers.json.bak-*"))) == 1
    result = run_cli("reset", str(tmp_path / "01-x.ipynb"))
    assert AnswerStore("01-x", tmp_path).all() == {}
    nothing = run_cli("reset", str(tmp_path / "none.ipynb"))
    assert nothing.returncode == 0 and "Nothing to reset" in nothing.stdout


def test_lab_settings_apply_without_touching_home(monkeypatch, tmp_path):
    from course.cli import lab

    env = lab.lab_environment({"PATH": "/usr/bin", "JUPYTER_CONFIG_PATH": "/mine"})
    paths = env["JUPYTER_CONFIG_PATH"].split(":")
    assert paths[0] == str(lab.CONFIG_DIR) and paths[1] == "/mine"
    assert env["PATH"].split(":")[0] == str(Path(sys.executable).parent)
    page = json.loads((lab.CONFIG_DIR / "labconfig" / "page_config.json").read_text())
    for plugin in ("formgrader", "assignment-list", "course-list", "create-assignment"):
        assert page["disabledExtensions"][f"@jupyter/nbgrader:{plugin}"] is True
    overrides = json.loads(
        (lab.CONFIG_DIR / "labconfig" / "default_setting_overrides.json").read_text()
    )
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def test_lab_is_headless_without_a_display(monkeypatch):
    from course.cli import lab

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert lab.has_display() is False
    cmd = lab.lab_command(8899, "127.0.0.1", ROOT, open_browser=False)
    assert "--no-browser" in cmd and "--ServerApp.port=8899" in cmd
    monkeypatch.setenv("DISPLAY", ":0")
    assert lab.has_display() is True


@pytest.mark.slow
def test_lab_serves_jupyterlab_with_the_workshop_settings(tmp_path):
    """A real `python -m course lab`: /lab answers, nbgrader's lab extensions are disabled."""
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "course",
            "lab",
            "--port",
            str(port),
            "--no-browser",
            "--root",
            str(ROOT),
        ],
        env={**env, "JUPYTER_TOKEN": "t0ken"},
        stdout=(tmp_path / "lab.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.time() + 60
        body = ""
        while time.time() < deadline:
            try:
                url = f"http://127.0.0.1:{port}/lab?token=t0ken"
                body = urllib.request.urlopen(url, timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.5)
        log = (tmp_path / "lab.log").read_text()
        assert "jupyter-config-data" in body, f"JupyterLab did not serve /lab:\n{log[-3000:]}"
        assert "token=" in log, "the URL with its token is printed"
        config = json.loads(
            body.split('id="jupyter-config-data"')[1].split(">", 1)[1].split("</script>")[0]
        )
        disabled = config.get("disabledExtensions", [])
        assert "@jupyter/nbgrader:formgrader" in disabled
        assert config.get("news", {}).get("disabled") is True
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/formgrader?token=t0ken", timeout=5)
        assert not (tmp_path / ".jupyter").exists() or not any(
            (tmp_path / ".jupyter").rglob("page_config.json")
        ), "nothing of ours is written into the home folder"
    finally:
        proc.terminate()
        proc.wait(20)


def test_every_committed_notebook_is_saved_without_outputs():
    notebooks = [
        path
        for folder in ("notebooks", "solutions", "exercises")
        for path in sorted((ROOT / folder).rglob("*.ipynb"))
        if ".ipynb_checkpoints" not in path.parts
    ]
    assert len(notebooks) >= 17, "7 lessons, 5 solutions and 5 exercises"
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert nb["metadata"]["kernelspec"]["name"] == "python3", path
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                where = f"{path.relative_to(ROOT)} cell {cell.get('id')}"
                assert cell["outputs"] == [], f"{where} has outputs"
                assert cell["execution_count"] is None, f"{where} has an execution count"


@pytest.mark.slow
def test_the_bundle_goes_from_unzipped_to_a_running_lesson_with_one_command(tmp_path):
    """A learner's machine: the system Python (no venv), the bundle unzipped, `sh start.sh`.

    It makes .venv in the folder, installs the wheel (the lessons' packages only) from the
    package index (pip's cache), and serves the learner app (or JupyterLab); lesson 00 then runs
    headless there.
    """
    import os
    import socket
    import time
    import urllib.request
    import zipfile

    from course.facilitator.bundle import build_bundle, start_command

    system = Path(sys.base_prefix) / "bin" / "python3"
    if not system.is_file() or os.name != "posix":
        pytest.skip("needs a POSIX system Python")
    with zipfile.ZipFile(build_bundle(tmp_path / "learners.zip")) as archive:
        archive.extractall(tmp_path)
    folder = tmp_path / "learners"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k.startswith(("PIP_", "LANG", "LC_"))}
    env.update(
        PATH=f"{system.parent}:/usr/bin:/bin",
        HOME=str(tmp_path / "home"),
        PIP_CACHE_DIR=os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip")),
        JUPYTER_TOKEN="t0ken",
    )
    # What start.sh opens: the learner app (Voila) where the kit has one, else JupyterLab.
    if start_command() == "app":
        url, expected = f"http://127.0.0.1:{port}/", "<html"
    else:
        url, expected = f"http://127.0.0.1:{port}/lab?token=t0ken", "jupyter-config-data"
    log = tmp_path / "start.log"
    started = time.monotonic()
    proc = subprocess.Popen(
        ["sh", "start.sh", "--no-browser", "--port", str(port)],
        cwd=folder,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        body, installed = "", None
        while time.monotonic() - started < 900 and proc.poll() is None:
            if installed is None and (folder / ".venv" / ".ready").exists():
                installed = time.monotonic() - started
            try:
                body = urllib.request.urlopen(url, timeout=5).read().decode()
                break
            except OSError:
                time.sleep(1)
        text = log.read_text()
        assert expected in body, f"nothing served at {url}:\n{text[-3000:]}"
        assert "Python 3.11 or newer" in text and " MB of disk" in text
        python = folder / ".venv" / "bin" / "python"
        size = sum(f.stat().st_size for f in (folder / ".venv").rglob("*") if f.is_file())
        print(f"\nlearner install: {installed or 0:.0f} s, {size / 2**20:.0f} MB in .venv")
        modules = list(GRADING_ONLY)
        check = f"import importlib.util as u; print([m for m in {modules} if u.find_spec(m)])"
        done = subprocess.run([python, "-c", check], capture_output=True, text=True)
        assert done.stdout.strip() == "[]", "no grading package in a learner's install"
        lesson = (
            "import nbformat, nbclient\n"
            "nb = nbformat.read('notebooks/00-start-here.ipynb', as_version=4)\n"
            "nbclient.NotebookClient(nb, timeout=120, kernel_name='python3',"
            " resources={'metadata': {'path': 'notebooks'}}).execute()\n"
            "print('ran', sum(c.cell_type == 'code' for c in nb.cells), 'cells')\n"
        )
        done = subprocess.run(
            [python, "-c", lesson], cwd=folder, capture_output=True, text=True, env=env
        )
        assert done.returncode == 0 and "ran" in done.stdout, done.stderr[-3000:]
    finally:
        proc.terminate()
        proc.wait(30)
