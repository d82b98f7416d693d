"""AnswerStore: persistence, atomicity, corruption, concurrent writers, read-only grading runs."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from course.errors import AnswerError
from course.learner import answers as answers_mod
from course.learner.answers import SCHEMA, AnswerFileWarning, AnswerStore, answers_path

HOSTILE = {
    "emoji": "I aspire to lead 🚀 teams 👩🏽‍💻 with care ✨",
    "rtl": "أريد أن أصبح قائدة فريق في مجال الطاقة المتجددة — שלום",
    "html": '<script>alert("x")</script><img src=x onerror=alert(1)>',
    "nul": "a\x00b",
}


@pytest.fixture(autouse=True)
def _not_grading(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_missing_file_reads_empty_and_creates_nothing(tmp_path):
    store = AnswerStore("01-aspirations-vs-goals.ipynb", tmp_path)
    assert store.all() == {}
    assert store.get("x", "default") == "default"
    assert not store.path.exists()
    assert store.path == tmp_path / "01-aspirations-vs-goals.answers.json"


def test_every_change_is_written_at_once_in_the_documented_format(tmp_path):
    store = AnswerStore("01-aspirations-vs-goals", tmp_path)
    store.set("classify", {"s01": "goal"})
    doc = read(store.path)
    assert doc["schema"] == SCHEMA
    assert doc["notebook"] == "01-aspirations-vs-goals"
    assert doc["answers"] == {"classify": {"s01": "goal"}}
    assert doc["updated"].endswith("+00:00")
    store.set("form", {"goal": "finish the course"})
    assert read(store.path)["answers"]["form"] == {"goal": "finish the course"}


def test_answers_restore_in_a_new_store_after_a_kernel_restart(tmp_path):
    AnswerStore("nb", tmp_path).set("q", ["a", "b"])
    assert AnswerStore("nb", tmp_path).get("q") == ["a", "b"]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_unicode_and_hostile_values_round_trip(tmp_path, name):
    AnswerStore("nb", tmp_path).set("text", HOSTILE[name])
    assert AnswerStore("nb", tmp_path).get("text") == HOSTILE[name]


def test_one_megabyte_value_round_trips(tmp_path):
    big = "é" * (1024 * 1024)
    AnswerStore("nb", tmp_path).set("draft", big)
    assert AnswerStore("nb", tmp_path).get("draft") == big


def test_oversized_and_unserialisable_values_are_refused_clearly_and_change_nothing(tmp_path):
    store = AnswerStore("nb", tmp_path)
    store.set("keep", "me")
    with pytest.raises(AnswerError, match="most one answer can hold"):
        store.set("huge", "x" * (answers_mod.MAX_VALUE_BYTES + 10))
    with pytest.raises(AnswerError, match="plain text, numbers"):
        store.set("obj", object())
    with pytest.raises(AnswerError, match="plain text, numbers"):
        store.set("nan", float("nan"))
    assert read(store.path)["answers"] == {"keep": "me"}
    assert store.all() == {"keep": "me"}


def test_interrupted_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    store = AnswerStore("nb", tmp_path)
    store.set("a", "old value")
    before = store.path.read_bytes()

    def crash(src, dst):
        raise OSError("disk pulled out mid-write")

    monkeypatch.setattr(answers_mod.os, "replace", crash)
    with pytest.raises(AnswerError, match="could not save"):
        store.set("a", "new value")
    assert store.path.read_bytes() == before
    assert not list(tmp_path.glob("*.tmp")), "the temporary file is cleaned up"


def _kill_mid_write(folder: str) -> None:
    """In a child process: start writing a large answer and die before os.replace."""
    import os as _os

    from course.learner import answers as mod

    real_fdopen = _os.fdopen

    class Dying:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def write(self, text):
            self.handle.write(text[: len(text) // 2])
            self.handle.flush()
            _os._exit(9)  # the kernel dies half way through the temp file

        def flush(self):
            pass

        def fileno(self):
            return self.handle.fileno()

    mod.os.fdopen = lambda fd, *a, **k: Dying(real_fdopen(fd, *a, **k))
    mod.AnswerStore("nb", folder).set("a", "new " * 10000)


def test_a_process_killed_mid_write_leaves_the_old_file(tmp_path):
    AnswerStore("nb", tmp_path).set("a", "old")
    proc = multiprocessing.get_context("fork").Process(
        target=_kill_mid_write, args=(str(tmp_path),)
    )
    proc.start()
    proc.join(30)
    assert proc.exitcode == 9
    assert AnswerStore("nb", tmp_path).get("a") == "old"


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe garbage",
        b'["a list"]',
        b'{"schema": 99, "answers": {}}',
        b'{"schema": 1, "answers": "oops"}',
        b"",
    ],
)
def test_corrupt_file_is_kept_as_bak_with_a_warning_and_a_fresh_store_starts(tmp_path, content):
    path = answers_path("nb", tmp_path)
    path.write_bytes(content)
    with pytest.warns(AnswerFileWarning, match="could not be read"):
        store = AnswerStore("nb", tmp_path)
    backups = list(tmp_path.glob("nb.answers.json.bak-*"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == content
    assert store.all() == {}
    assert store.messages and backups[0].name in store.messages[0]
    store.set("a", 1)
    assert read(path)["answers"] == {"a": 1}
    assert backups[0].read_bytes() == content, "the corrupt original is never overwritten"


def test_two_stores_on_one_file_keep_each_others_answers(tmp_path):
    tab1 = AnswerStore("nb", tmp_path)
    tab2 = AnswerStore("nb", tmp_path)
    tab1.set("q1", "from tab 1")
    tab2.set("q2", "from tab 2")
    tab1.set("q3", "tab 1 again")
    assert read(tab1.path)["answers"] == {
        "q1": "from tab 1",
        "q2": "from tab 2",
        "q3": "tab 1 again",
    }
    tab2.reset("q1")
    assert "q1" not in read(tab1.path)["answers"]
    assert read(tab1.path)["answers"]["q3"] == "tab 1 again"


def _writer(folder: str, prefix: str, n: int) -> None:
    store = AnswerStore("nb", folder)
    for i in range(n):
        store.set(f"{prefix}{i}", i)


def test_concurrent_writer_processes_merge_without_loss(tmp_path):
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), p, 25)) for p in "abcd"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    saved = read(answers_path("nb", tmp_path))["answers"]
    assert len(saved) == 100
    assert all(saved[f"{p}{i}"] == i for p in "abcd" for i in range(25))


def test_reset_keeps_a_backup(tmp_path):
    store = AnswerStore("nb", tmp_path)
    store.set("a", 1)
    store.set("b", 2)
    kept = store.reset("a")
    assert kept is not None and read(kept)["answers"] == {"a": 1, "b": 2}
    assert read(store.path)["answers"] == {"b": 2}
    kept_all = store.reset()
    assert read(kept_all)["answers"] == {"b": 2}
    assert read(store.path)["answers"] == {}


def test_nbgrader_execution_writes_nothing_not_even_a_backup(tmp_path, monkeypatch):
    path = answers_path("nb", tmp_path)
    path.write_text("{corrupt", encoding="utf-8")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.warns(AnswerFileWarning):
        store = AnswerStore("nb", tmp_path)
    store.set("a", 1)
    store.reset("a")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb.answers.json"]
    assert path.read_text(encoding="utf-8") == "{corrupt"


def test_nbgrader_execution_reads_a_valid_file(tmp_path, monkeypatch):
    AnswerStore("nb", tmp_path).set("a", "saved by learner")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    before = answers_path("nb", tmp_path).read_bytes()
    store = AnswerStore("nb", tmp_path)
    assert store.read_only and store.get("a") == "saved by learner"
    store.set("a", "changed in grading")
    assert answers_path("nb", tmp_path).read_bytes() == before


def test_lock_timeout_is_reported_not_raised_as_a_crash(tmp_path, monkeypatch):
    from filelock import FileLock

    store = AnswerStore("nb", tmp_path)
    monkeypatch.setattr(answers_mod, "LOCK_TIMEOUT_SECONDS", 0.1)
    other = FileLock(str(store.lock_path))
    with other, pytest.raises(AnswerError, match="locked by another program"):
        store.set("a", 1)
    assert store.get("a") == 1, "the answer is kept in the session"
    store.set("b", 2)
    assert read(store.path)["answers"] == {"a": 1, "b": 2}


def test_bad_notebook_names_are_refused():
    with pytest.raises(AnswerError):
        AnswerStore("")
    with pytest.raises(AnswerError):
        AnswerStore(".ipynb")


def test_files_are_human_readable(tmp_path):
    store = AnswerStore("nb", tmp_path)
    store.set("draft", "Ünïcödé stays readable")
    text = store.path.read_text(encoding="utf-8")
    assert "Ünïcödé stays readable" in text
    assert text.count("\n") > 3
    assert os.stat(store.path).st_size < 500


# --------------------------------------------------------------------------- schema 2: kinds

#: A file as schema 1 wrote it (named so .gitignore's *.answers.json leaves it in the repo).
SCHEMA1 = Path(__file__).parent / "data" / "answers-schema1.json"


def test_a_schema_1_file_still_loads_with_no_kinds_and_is_upgraded_on_write(tmp_path):
    """Files written before answers recorded their kinds (schema 1) keep every answer."""
    assert read(SCHEMA1)["schema"] == 1
    path = answers_path("answers-schema1", tmp_path)
    path.write_bytes(SCHEMA1.read_bytes())
    store = AnswerStore("answers-schema1", tmp_path)
    assert store.messages == []
    assert store.all() == read(SCHEMA1)["answers"]
    assert store.kind("signals") is None and store.kinds() == {}
    store.set("signals", ["o2"], kind="choose")
    doc = read(path)
    assert doc["schema"] == SCHEMA == 2
    assert doc["kinds"] == {"signals": "choose"}
    assert doc["answers"]["draft-answer"] == read(SCHEMA1)["answers"]["draft-answer"]
    assert [p.name for p in tmp_path.iterdir() if ".bak" in p.name] == []


def test_each_answer_records_its_kind_and_a_reset_forgets_it(tmp_path):
    store = AnswerStore("nb", tmp_path)
    store.set("cls", {"s1": "goal"}, kind="classify")
    store.set("free", "text")
    assert read(store.path)["kinds"] == {"cls": "classify"}
    other = AnswerStore("nb", tmp_path)
    assert other.kind("cls") == "classify" and other.kind("free") is None
    other.set("free", "more", kind="draft")
    store.refresh()
    assert store.kinds() == {"cls": "classify", "free": "draft"}
    store.reset("cls")
    assert read(store.path)["kinds"] == {"free": "draft"}


def test_kinds_of_the_wrong_type_are_left_out_not_fatal(tmp_path):
    path = answers_path("nb", tmp_path)
    doc = {"schema": 2, "answers": {"a": 1, "b": 2}, "kinds": {"a": 5, "b": "pick"}}
    path.write_text(json.dumps(doc), encoding="utf-8")
    store = AnswerStore("nb", tmp_path)
    assert store.all() == {"a": 1, "b": 2} and store.kinds() == {"b": "pick"}
    path.write_text(json.dumps({**doc, "kinds": ["nope"]}), encoding="utf-8")
    assert AnswerStore("nb", tmp_path).kinds() == {}


def test_a_read_only_store_writes_and_moves_nothing(tmp_path):
    """AnswerStore(..., read_only=True): what the grading host uses to read a submission."""
    AnswerStore("nb", tmp_path).set("a", "saved by learner")
    before = answers_path("nb", tmp_path).read_bytes()
    store = AnswerStore("nb", tmp_path, read_only=True)
    assert store.read_only and store.get("a") == "saved by learner"
    store.set("a", "changed")
    store.reset()
    assert answers_path("nb", tmp_path).read_bytes() == before
    assert "NBGRADER_EXECUTION" not in os.environ
    corrupt = answers_path("bad", tmp_path)
    corrupt.write_text("{corrupt", encoding="utf-8")
    with pytest.warns(AnswerFileWarning):
        assert AnswerStore("bad", tmp_path, read_only=True).all() == {}
    assert corrupt.read_text(encoding="utf-8") == "{corrupt"
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock"))
    assert left == ["bad.answers.json", "nb.answers.json"]


def test_the_learners_seed_is_kept_in_the_file_once_something_is_saved(tmp_path):
    """The seed of the order exercises are shown in: stable across restarts and re-runs."""
    fresh = AnswerStore("nb", tmp_path)
    assert isinstance(fresh.seed, int) and not fresh.path.exists()
    store = AnswerStore("nb", tmp_path, seed=42)
    store.set("a", 1)
    assert read(store.path)["seed"] == 42
    assert AnswerStore("nb", tmp_path, seed=7).seed == 42, "the file's seed wins"
    assert AnswerStore("nb", tmp_path, read_only=True).seed == 42
    schema1 = answers_path("old", tmp_path)
    schema1.write_text(json.dumps({"schema": 1, "answers": {"a": 1}}), encoding="utf-8")
    old = AnswerStore("old", tmp_path, seed=3)
    old.set("b", 2)
    assert read(schema1)["seed"] == 3 and AnswerStore("old", tmp_path).seed == 3
