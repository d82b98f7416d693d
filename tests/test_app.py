"""The learner app (`python -m course app`): its Voilà command line, the landing page's data and
template, and "Download my work" (course.learner.handin, handin_view). No server runs here;
tests/browser/test_browser_app.py drives the real app."""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import jinja2
import pytest

from course.cli import app
from course.errors import KitError
from course.learner import content, handin, handin_view

KIT_TEMPLATE = app.TEMPLATE_ROOT / "voila" / "templates" / app.TEMPLATE


def _args(**overrides) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    app.add_arguments(parser)
    args = parser.parse_args([])
    for key, value in overrides.items():
        setattr(args, key, value)
    return args


def _answers(path: Path, answers: dict, kinds: dict | None = None) -> None:
    data = {"schema": 2, "notebook": path.name.split(".")[0], "answers": answers}
    data["kinds"] = kinds or {}
    path.write_text(json.dumps(data), encoding="utf-8")


# --------------------------------------------------------------------------- the command


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("myhost.example", False),
    ],
)
def test_only_loopback_addresses_count_as_this_computer(host, loopback):
    assert app.is_loopback(host) is loopback


def test_a_reachable_address_is_refused_without_allow_remote(repo_copy):
    with pytest.raises(KitError, match=r"shares one set of answers.*--allow-remote"):
        app.run(_args(ip="0.0.0.0", root=str(repo_copy)))


def test_a_folder_without_lessons_is_refused_with_what_to_do(tmp_path):
    with pytest.raises(KitError, match=r"no lessons in .*run this from the kit folder"):
        app.run(_args(root=str(tmp_path)))


def test_allow_remote_warns_that_everyone_shares_one_set_of_answers(repo_copy, monkeypatch, capsys):
    served = {}
    monkeypatch.setattr(app, "serve", lambda argv: served.setdefault("argv", argv) and 0)
    monkeypatch.setattr(app.os, "chdir", lambda path: None)
    monkeypatch.setattr(app.os, "environ", {})  # nothing leaks into this test process
    app.run(_args(ip="0.0.0.0", allow_remote=True, root=str(repo_copy), no_browser=True))
    err = capsys.readouterr().err
    assert "Everyone who opens it works on ONE set of answers" in err
    assert "--Voila.auto_token=True" in served["argv"], "a reachable app is not open to all"


def test_voila_runs_the_kit_template_with_no_code_and_no_tracebacks(tmp_path):
    argv = app.voila_argv(tmp_path, 8123, "127.0.0.1", open_browser=False)
    assert argv[0] == str(tmp_path), "tree mode on the kit folder"
    for option in (
        "--port=8123",
        "--Voila.ip=127.0.0.1",
        "--Voila.open_browser=False",
        "--Voila.port_retries=0",
        "--VoilaConfiguration.template=kit",
        "--VoilaConfiguration.classic_tree=True",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.allow_template_override=NO",
    ):
        assert option in argv
    assert not any("token" in a for a in argv), "on this computer only, no token to copy"
    instruction = next(a for a in argv if a.startswith("--VoilaExecutor.cell_error_instruction"))
    assert "Voil" not in instruction.split("=", 1)[1], "plain English, not Voilà's options"


def test_voila_parses_the_command_line_the_kit_gives_it(tmp_path):
    pytest.importorskip("voila")
    (tmp_path / "notebooks").mkdir()
    code = (
        "import json, sys; from course.cli.app import _app_class; a = _app_class()(); "
        "a.initialize(sys.argv[1:]); c = a.voila_configuration; "
        "print(json.dumps([c.template, c.strip_sources, c.show_tracebacks, c.classic_tree, "
        "c.extension_denylist, a.root_dir, a.template_paths[0], a.open_browser]))"
    )
    argv = app.voila_argv(tmp_path, 8123, "127.0.0.1", open_browser=False)
    out = subprocess.run(
        [sys.executable, "-c", code, *argv],
        env=app.app_environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [
        "kit",
        True,
        False,
        True,
        app.BROKEN_LAB_EXTENSIONS,
        str(tmp_path),
        str(KIT_TEMPLATE),
        False,
    ]


def test_every_lesson_and_exercise_has_a_kernel_started_ahead_and_nothing_else(tmp_path):
    argv = app.voila_argv(tmp_path, 8123, "127.0.0.1", open_browser=False)
    assert "--VoilaConfiguration.preheat_kernel=True" in argv
    assert "--VoilaConfiguration.default_pool_size=0" in argv, "no pool for other notebooks"
    cold = app.voila_argv(tmp_path, 8123, "127.0.0.1", open_browser=False, preheat=False)
    assert "--VoilaConfiguration.preheat_kernel=False" in cold
    assert _args().no_preheat is False
    pools = app.pools(app.Path(__file__).resolve().parents[1])
    assert pools.pop("default") == {"pool_size": 0}
    lessons = [f"notebooks/{lesson.notebook}" for lesson in content.lessons()]
    assert set(lessons) <= set(pools), "every lesson, named as Voilà names it"
    assert any(name.startswith("exercises/") for name in pools), "and the graded exercises"
    assert all(p == {"pool_size": 1} for p in pools.values()), "one kernel each: one learner"
    assert app.pools(tmp_path) == {"default": {"pool_size": 0}}, "only notebooks that exist"


def _page_opens(port: int, before_sending) -> threading.Thread:
    """A stand-in for Voilà's voila/query socket: runs `before_sending`, then sends the request."""
    from websockets.sync.server import serve

    def handler(socket) -> None:
        assert socket.request.path == "/voila/query/kernel-1"
        before_sending()
        socket.send(json.dumps({"QUERY_STRING": "from=test"}))

    server = serve(handler, "127.0.0.1", port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    thread.server = server
    return thread


def test_a_pre_heated_kernel_reads_the_answers_when_the_page_opens_not_before(
    tmp_path, monkeypatch
):
    from course.learner import preheat
    from course.learner.answers import AnswerStore

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(preheat, "_waited", False)
    for key, value in {
        "VOILA_PREHEAT": "True",
        "VOILA_APP_PORT": str(port),
        "VOILA_KERNEL_ID": "kernel-1",
        "VOILA_SERVER_URL": "/",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    # The learner answered on an earlier visit after this kernel was started.
    answers = tmp_path / "01-aspirations-vs-goals.answers.json"
    page = _page_opens(port, lambda: _answers(answers, {"strengths": "listening"}))
    try:
        store = AnswerStore("01-aspirations-vs-goals", tmp_path)
        assert store.get("strengths") == "listening", "answers read when the page opened"
        assert os.environ["QUERY_STRING"] == "from=test", "the page's request reaches the kernel"
        AnswerStore("02-research-the-company", tmp_path)  # only the first store waits
    finally:
        page.server.shutdown()
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setattr(preheat, "_waited", False)
    assert preheat.wait_for_page() is False, "JupyterLab and Voilà's own kernels never wait"


def test_the_template_extends_voilas_lab_template_and_loads_nothing_from_the_internet():
    conf = json.loads((KIT_TEMPLATE / "conf.json").read_text(encoding="utf-8"))
    assert conf["base_template"] == "lab"
    assert app.TEMPLATE_ROOT.name == "app" and app.app_environment({})["JUPYTER_PATH"].startswith(
        str(app.TEMPLATE_ROOT)
    )
    for name in ("tree.html", "kit.css"):  # the lesson pages: the browser test's request log
        text = (KIT_TEMPLATE / name).read_text(encoding="utf-8")
        assert not re.search(r"https?://", text), f"{name} loads from the internet"


def test_the_command_is_listed_and_its_help_is_plain():
    out = subprocess.run(
        [sys.executable, "-m", "course", "app", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0
    assert "--allow-remote" in out.stdout and "--no-browser" in out.stdout


# --------------------------------------------------------------------------- the landing page


def test_the_landing_page_lists_every_lesson_in_teaching_order_with_links(repo_copy):
    data = app.landing(repo_copy, base_url="/base/")
    ids = [lesson["id"] for lesson in data["lessons"]]
    assert ids == [lesson.id for lesson in content.lessons()]
    first = data["lessons"][0]
    assert first["url"] == f"/base/voila/render/notebooks/{ids[0]}.ipynb"
    assert first["answered"] == 0
    graded = [lesson for lesson in data["lessons"] if lesson["exercise"]]
    assert graded, "the lessons with a graded exercise link to it"
    for lesson in graded:
        ex = lesson["exercise"]
        assert ex["url"].startswith("/base/voila/render/exercises/")
        assert ex["parts"] >= 1 and ex["done"] == 0
    assert data["coach"] is None and not data["has_work"]
    assert data["handin_url"] == "/base/kit/my-work.zip"


def test_progress_is_read_from_the_answers_files(repo_copy):
    lesson_id = "01-aspirations-vs-goals"
    _answers(repo_copy / "notebooks" / f"{lesson_id}.answers.json", {"a": 1, "b": "x"})
    folder = repo_copy / "exercises" / lesson_id
    parts = app._exercise_parts(folder / f"{lesson_id}.ipynb")
    assert len(parts) >= 2
    _answers(folder / f"{lesson_id}.answers.json", {parts[0]: {"a1": "goal"}, parts[1]: {}})
    entry = next(e for e in app.landing(repo_copy)["lessons"] if e["id"] == lesson_id)
    assert entry["answered"] == 2
    assert entry["exercise"]["done"] == 1, "an empty answer is not a started part"
    assert app.landing(repo_copy)["has_work"]


def test_a_broken_answers_file_shows_as_not_started(repo_copy):
    (repo_copy / "notebooks" / "00-start-here.answers.json").write_text("{not json", "utf-8")
    assert app.landing(repo_copy)["lessons"][0]["answered"] == 0


def test_the_coach_scores_the_latest_draft(repo_copy):
    import os

    older = repo_copy / "notebooks" / "05-draft-your-answer.answers.json"
    _answers(older, {"draft-answer": "Short."}, {"draft-answer": "draft"})
    os.utime(older, (1_000_000, 1_000_000))
    newer = repo_copy / "exercises" / "05-draft-your-answer" / "05-draft-your-answer.answers.json"
    text = (
        "In the long run I want to lead a data team that helps a hospital decide faster. "
        "This analyst role builds the SQL and stakeholder skills that path needs, and I "
        "would bring the reporting I automated in my last job."
    )
    _answers(newer, {"draft": text}, {"draft": "draft"})
    coach = app.landing(repo_copy)["coach"]
    from course import coach as coach_module

    expected = coach_module.analyze(text, None)
    assert coach["score"] == expected.score and coach["out_of"] == 18
    assert coach["where"] == "graded exercise 05"


def _render_landing(data: dict) -> str:
    # As Voilà builds its environment for the tree page: autoescape on.
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(KIT_TEMPLATE)),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.globals["kit_landing"] = lambda: data
    return env.get_template("tree.html").render()


def test_the_landing_template_escapes_what_it_shows(repo_copy):
    data = app.landing(repo_copy)
    data["lessons"][0]["title"] = "<script>alert(1)</script>"
    data["lessons"][0]["summary"] = 'a " onmouseover="x'
    data["coach"] = {"score": 9, "out_of": 18, "words": 3, "where": "<b>lesson</b>"}
    page = _render_landing(data)
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;lesson&lt;/b&gt;" in page
    assert 'onmouseover="x' not in page
    assert page.count('class="cak-lesson"') == len(data["lessons"])
    assert "Download my work" not in page, "no hand-in button before any graded work"
    data["has_work"] = True
    assert 'href="/kit/my-work.zip"' in _render_landing(data)


# --------------------------------------------------------------------------- Download my work


def test_the_handin_holds_each_worked_exercise_in_the_layout_grade_takes(repo_copy):
    done = "01-aspirations-vs-goals"
    folder = repo_copy / "exercises" / done
    _answers(folder / f"{done}.answers.json", {"statements": {"a1": "goal"}})
    (folder / f"{done}.answers.json.bak-20260101T000000-000000").write_text("{}", "utf-8")
    (folder / f"{done}.answers.json.lock").write_text("", "utf-8")
    (folder / "notes.txt").write_text("mine", "utf-8")
    with zipfile.ZipFile(io.BytesIO(handin.build_zip(repo_copy))) as archive:
        names = archive.namelist()
        assert names == [f"{done}/{done}.ipynb", f"{done}/{done}.answers.json"]
        for info in archive.infolist():
            assert (info.external_attr >> 16) & 0o170000 in (0, 0o100000), "plain files"
        saved = json.loads(archive.read(f"{done}/{done}.answers.json"))
    assert saved["answers"] == {"statements": {"a1": "goal"}}
    assert handin.build_zip(repo_copy) == handin.build_zip(repo_copy), "same work, same zip"


def test_nothing_to_hand_in_says_what_to_do(repo_copy):
    with pytest.raises(handin.HandInError, match="answer at least one graded exercise"):
        handin.build_zip(repo_copy)


def test_the_kit_folder_is_found_from_a_lesson_or_an_exercise(repo_copy, monkeypatch):
    assert handin.find_root(repo_copy / "notebooks") == repo_copy.resolve()
    assert handin.find_root(repo_copy / "exercises" / "01-aspirations-vs-goals") == (
        repo_copy.resolve()
    )
    monkeypatch.chdir(repo_copy / "notebooks")
    assert handin.find_root() == repo_copy.resolve()


def test_write_zip_saves_my_work_in_the_kit_folder(repo_copy):
    ex = "02-research-the-company"
    _answers(repo_copy / "exercises" / ex / f"{ex}.answers.json", {"notes": "x"})
    path = handin.write_zip(repo_copy)
    assert path == repo_copy / "my-work.zip"
    assert zipfile.ZipFile(path).namelist()[-1] == f"{ex}/{ex}.answers.json"
    assert not list(repo_copy.glob(".*partial"))


def test_the_download_button_offers_the_zip_as_a_link_that_needs_no_server(repo_copy):
    pytest.importorskip("ipywidgets")
    ex = "03-align-your-aspirations"
    _answers(repo_copy / "exercises" / ex / f"{ex}.answers.json", {"lead-with": ["a"]})
    box = handin_view.download_button(repo_copy / "notebooks")
    assert box.button.description == "Download my work"
    box.make()
    link = re.search(r'download="my-work.zip" href="data:application/zip;base64,([^"]+)"', box.html)
    assert link, box.html
    data = base64.b64decode(link.group(1))
    assert data == (repo_copy / "my-work.zip").read_bytes() == handin.build_zip(repo_copy)
    assert box.output.outputs[0]["data"]["text/html"] == box.html


def test_the_download_button_explains_when_there_is_nothing_yet(repo_copy):
    pytest.importorskip("ipywidgets")
    box = handin_view.download_button(repo_copy / "notebooks")
    box.make()
    assert "There is nothing to hand in yet" in box.html and "data:" not in box.html
    assert not (repo_copy / "my-work.zip").exists()


def test_grading_takes_the_handin_as_one_learners_work(repo_copy, tmp_path):
    intake = pytest.importorskip("course.grader.intake")
    names = sorted(p.name for p in (repo_copy / "exercises").iterdir() if p.is_dir())
    for ex in names[:2]:
        _answers(repo_copy / "exercises" / ex / f"{ex}.answers.json", {"x": "y"})
    zip_path = handin.write_zip(repo_copy, tmp_path / "my-work.zip")
    roster = [{"id": "ann", "first_name": "Ann", "last_name": "Lee", "email": ""}]
    submitted = tmp_path / "submitted"
    result = intake.take_in(zip_path, submitted, roster=roster, assignments=names, learner="ann")
    assert not result.unplaced and not result.renamed, result.report()
    for ex in names[:2]:
        assert sorted(p.name for p in (submitted / "ann" / ex).iterdir()) == [
            f"{ex}.answers.json",
            f"{ex}.ipynb",
        ]
    assert sorted(p.name for p in (submitted / "ann").iterdir()) == names[:2]


# --------------------------------------------------------------------------- nothing needs a re-run


def test_a_live_part_redraws_when_its_answers_are_saved_and_only_then(tmp_path):
    from course.learner.answers import AnswerStore
    from course.learner.live import live

    store = AnswerStore("01-aspirations-vs-goals", tmp_path)
    part = live(lambda: print("goal:", store.get("stepping-stone")), "stepping-stone", store=store)
    assert part.output.outputs[0]["text"] == "goal: None\n"
    AnswerStore("01-aspirations-vs-goals", tmp_path).set(
        "stepping-stone", "in 6 months"
    )  # another store
    assert part.output.outputs[0]["text"] == "goal: in 6 months\n" and part.redraws == 2
    store.set("strengths", "listening")  # not one of its exercises
    AnswerStore("other", tmp_path).set("stepping-stone", "x")  # not its file
    assert part.redraws == 2
    store.reset()  # everything cleared
    assert part.output.outputs[0]["text"] == "goal: None\n" and part.redraws == 3


def test_running_a_live_cell_again_replaces_it_and_a_failure_reads_plainly(tmp_path):
    from course.learner.answers import AnswerStore
    from course.learner.live import FAILED, live

    store = AnswerStore("nb", tmp_path)

    def broken():
        raise ValueError("boom")

    first = live(broken, "x", store=store)
    second = live(broken, "x", store=store)
    store.set("x", 1)
    assert first.redraws == 1 and second.redraws == 2  # the first one stopped listening
    html = second.output.outputs[0]["data"]["text/html"]
    assert FAILED in html and "boom" not in html and "Traceback" not in html


def test_a_live_part_sees_answers_files_written_by_another_page(tmp_path):
    import os

    from course.learner.answers import AnswerStore, answers_path
    from course.learner.live import live

    other = answers_path("02-research-the-company", tmp_path)
    part = live(lambda: None, files=[other])
    assert not part.poll()
    AnswerStore("02-research-the-company", tmp_path).set("company-choice", "own")
    os.utime(other, (1, 1))  # a different time even within the file system's resolution
    assert part.poll() and not part.poll()


def _markdown_cells(path: Path) -> list[dict]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [c for c in cells if c["cell_type"] == "markdown"]


JUPYTER_ONLY = re.compile(
    r"Shift\+Enter|run (this|each|the) cells?|restart|kernel|terminal|python -m", re.I
)


@pytest.mark.parametrize(
    "notebook",
    sorted(Path("notebooks").glob("0*.ipynb")) + sorted(Path("exercises").glob("*/*.ipynb")),
    ids=lambda p: p.stem,
)
def test_text_about_jupyterlab_is_tagged_so_the_app_leaves_it_out(notebook):
    for cell in _markdown_cells(notebook):
        text = "".join(cell["source"])
        if "lab-only" in cell.get("metadata", {}).get("tags", []):
            assert "JupyterLab" in text or "terminal" in text, text  # it says where it applies
        else:
            assert not JUPYTER_ONLY.search(text), f"{notebook.name}: {text[:200]}"


def test_the_app_template_leaves_out_lab_only_cells():
    template = (app.TEMPLATE_ROOT / "voila/templates/kit/index.html.j2").read_text("utf-8")
    assert "block any_cell" in template and "'lab-only' not in cell.metadata" in template


def test_each_graded_exercise_ends_with_hand_in_and_a_link_back_to_its_lesson():
    for lesson in content.lessons():
        if not lesson.exercise:
            continue
        path = Path("exercises") / lesson.exercise / f"{lesson.exercise}.ipynb"
        last = "".join(_markdown_cells(path)[-1]["source"])
        assert "Download my work" in last
        assert f"](../../notebooks/{lesson.notebook})" in last


def test_lesson_06_offers_download_my_work():
    cells = json.loads(Path("notebooks/06-practice-and-reflect.ipynb").read_text("utf-8"))["cells"]
    assert any("download_button()" in "".join(c["source"]) for c in cells)


def test_an_unreadable_answers_file_is_told_in_the_exercise_not_on_stderr(tmp_path, recwarn):
    from course.learner.lesson import Lesson

    (tmp_path / "00-start-here.answers.json").write_text("{not json", encoding="utf-8")
    lesson = Lesson("00-start-here", folder=tmp_path)
    quiz = lesson.quiz("warm-up", title="Warm-up")
    assert "could not be read" in quiz.status.value and "cak-warn" in quiz.status.value
    assert "Error" not in quiz.status.value  # no Python exception names
    assert not [w for w in recwarn if "could not be read" in str(w.message)]


def test_reset_asks_before_clearing(tmp_path):
    from course.learner.lesson import Lesson

    lesson = Lesson("00-start-here", folder=tmp_path)
    quiz = lesson.quiz("warm-up", title="Warm-up")
    quiz.set_value({"why-asked": "fit"})
    quiz.reset_button.click()
    assert quiz.store.get("warm-up") and quiz.confirm.layout.display == "flex"
    assert [b.description for b in (quiz.confirm_button, quiz.keep_button)] == [
        "Yes, start over",
        "Keep my answers",
    ]
    quiz.confirm_button.click()
    assert quiz.store.get("warm-up") is None and quiz.confirm.layout.display == "none"
