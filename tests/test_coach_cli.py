"""Tests for `python -m course coach` and `python -m course classify`: output shapes, exit codes."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_coach import BASE as DRAFT  # the strong Northwind draft of the coach tests

from course import coach
from course.cli import classify as classify_cli
from course.cli import coach as coach_cli

ROOT = Path(__file__).resolve().parents[1]
NORTHWIND = ROOT / "course" / "content" / "companies" / "northwind-health.yaml"


def run_cli(module, argv: list[str]) -> int:
    """Parse argv with the module's own arguments and run it, as the dispatcher does."""
    parser = argparse.ArgumentParser(prog=f"course {module.NAME}")
    module.add_arguments(parser)
    return module.run(parser.parse_args(argv))


@pytest.fixture
def draft_file(tmp_path: Path) -> Path:
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT, encoding="utf-8")
    return path


def _northwind() -> dict:
    import yaml

    with NORTHWIND.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str | bytes) -> None:
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))


def test_modules_declare_the_dispatcher_interface() -> None:
    assert coach_cli.NAME == "coach" and classify_cli.NAME == "classify"
    for module in (coach_cli, classify_cli):
        assert isinstance(module.HELP, str) and "\n" not in module.HELP and module.HELP
        assert callable(module.add_arguments) and callable(module.run)


# --------------------------------------------------------------------------- coach


def test_coach_json_matches_analyze(draft_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(coach_cli, [str(draft_file), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == coach.analyze(DRAFT).to_dict()
    assert list(data) == ["criteria", "score", "words", "seconds", "flags", "tips", "sentences"]
    assert coach.NO_COMPANY_TIP in data["tips"]


def test_coach_with_company_file(draft_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = run_cli(coach_cli, [str(draft_file), "--company-file", str(NORTHWIND), "--json"])
    assert rc == 0
    data = json.loads(capsys.readouterr().out)
    assert data["criteria"]["alignment"] == 3
    assert coach.NO_COMPANY_TIP not in data["tips"]
    assert data["score"] == 18


def test_coach_reads_stdin_by_default(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "I guess I want a higher salary, maybe.")
    assert run_cli(coach_cli, ["--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"too_short", "salary_focus", "hedging"} <= set(data["flags"])
    assert data["words"] == 8


def test_coach_dash_reads_stdin_and_tolerates_bad_bytes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, b"\xff\xfe I want to lead \x80 one day")
    assert run_cli(coach_cli, ["-", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["words"] >= 5


def test_coach_reads_a_text_only_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("One day I want to lead a team."))
    assert run_cli(coach_cli, ["--json"]) == 0
    assert json.loads(capsys.readouterr().out)["words"] == 8


def test_coach_human_report(draft_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = draft_file.read_text(encoding="utf-8") + " I guess I want a higher salary."
    draft_file.write_text(text, encoding="utf-8")
    assert run_cli(coach_cli, [str(draft_file), "--company-file", str(NORTHWIND)]) == 0
    out = capsys.readouterr().out
    fb = coach.analyze(text, _northwind())
    assert f"Score: {fb.score}/18" in out
    for criterion in coach.CRITERIA:
        level = getattr(fb, criterion)
        assert criterion in out
        assert coach.RUBRIC[criterion][level - 1] in out
    assert coach.LEVEL_NAMES[fb.confidence] in out
    assert f"{fb.words} words" in out
    assert "salary_focus" in out and coach.TIPS["salary_focus"] in out
    assert "hedging" in out and coach.TIPS["hedging"] in out
    assert 'About "I guess I want a higher salary"' in out  # each tip quotes its sentence
    assert "Sentences (move" not in out  # only with --explain


def test_coach_explain_shows_each_sentence_with_its_move(
    draft_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = draft_file.read_text(encoding="utf-8") + " I guess I want a higher salary."
    draft_file.write_text(text, encoding="utf-8")
    argv = [str(draft_file), "--company-file", str(NORTHWIND), "--explain"]
    assert run_cli(coach_cli, argv) == 0
    out = capsys.readouterr().out
    fb = coach.analyze(text, _northwind())
    listing = out.split("Sentences (move -> criterion it serves):", 1)[1]
    for n, sentence in enumerate(fb.sentences, 1):
        serves = f" -> {sentence['criterion']}" if sentence["criterion"] else ""
        assert f"{n:2d}. [{sentence['label']}{serves}] {sentence['text']}" in listing
    assert "[digression -> relevance] I guess I want a higher salary" in listing
    assert "because: digression: talk of pay or money (salary)" in listing


def test_coach_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.txt"
    assert run_cli(coach_cli, [str(missing)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "nope.txt" in captured.err and "No such file" in captured.err


def test_coach_directory_as_draft_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(coach_cli, [str(tmp_path)]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_coach_missing_company_file_exits_2(
    draft_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "ghost.yaml"
    assert run_cli(coach_cli, [str(draft_file), "--company-file", str(profile)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "ghost.yaml" in captured.err


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("name: [unclosed\n", "YAML"),
        ("name: Acme\nindustry: x\nrole: y\nvalues: [a]\nplans: [b]\n", "skills"),
        ("- just\n- a list\n", "bad.yaml"),
    ],
)
def test_coach_bad_company_file_exits_2_with_the_loader_message(
    draft_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    needle: str,
) -> None:
    profile = tmp_path / "bad.yaml"
    profile.write_text(content, encoding="utf-8")
    assert run_cli(coach_cli, [str(draft_file), "--company-file", str(profile)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert needle in captured.err and "bad.yaml" in captured.err


# --------------------------------------------------------------------------- classify


def test_classify_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(classify_cli, ["I want to pass the CPA exam by June.", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["label", "reasons"]
    assert data["label"] == "goal"
    assert "has a deadline: by June" in data["reasons"]


def test_classify_text_output_joins_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(classify_cli, ["One", "day", "I'd", "like", "to", "lead", "a", "lab"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "aspiration"
    assert any("a long-term horizon: One day" in line for line in out[1:])


def test_classify_empty_text_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(classify_cli, ["   "]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "empty" in captured.err


def test_classify_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "Cut waste by 10% before March.")
    assert run_cli(classify_cli, ["-", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["label"] == "goal"


# --------------------------------------------------------------------------- python -m course


def _python_m(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "course", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_python_m_course_coach_json_from_stdin() -> None:
    proc = _python_m("coach", "--json", "--company-file", str(NORTHWIND), stdin=DRAFT)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["score"] == 18 and data["flags"] == []


def test_python_m_course_coach_missing_file() -> None:
    proc = _python_m("coach", "does-not-exist.txt")
    assert proc.returncode == 2
    assert "does-not-exist.txt" in proc.stderr and proc.stdout == ""


def test_python_m_course_coach_bad_company_file(tmp_path: Path) -> None:
    profile = tmp_path / "broken.yaml"
    profile.write_text("name: [", encoding="utf-8")
    proc = _python_m("coach", "--company-file", str(profile), stdin=DRAFT)
    assert proc.returncode == 2
    assert "broken.yaml" in proc.stderr


def test_python_m_course_classify() -> None:
    proc = _python_m("classify", "Eventually I hope to lead a design studio.", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["label"] == "aspiration"


def test_coach_and_rehearse_say_the_same_when_the_draft_cannot_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from course.cli import rehearse as rehearse_cli

    missing = str(tmp_path / "nowhere.txt")
    assert run_cli(coach_cli, [missing]) == 2
    assert capsys.readouterr().err.startswith(f"coach: cannot read the draft {missing!r}: ")
    assert run_cli(rehearse_cli, [str(tmp_path / "a.wav"), "--draft", missing]) == 2
    err = capsys.readouterr().err
    if not err.startswith("rehearse: cannot read the draft"):  # no speech extra: it says so
        assert "speech" in err
    else:
        assert err.startswith(f"rehearse: cannot read the draft {missing!r}: ")
