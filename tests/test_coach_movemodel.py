"""The sentence-move model: its shipped weights, its limits and its training script."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from course import coach
from course.coach import movemodel, pipeline
from course.coach.moves import MOVES

ROOT = Path(__file__).resolve().parents[1]


def _trainer() -> Any:
    spec = importlib.util.spec_from_file_location(
        "train_move_model", ROOT / "tools/train_move_model.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_move_model"] = module
    spec.loader.exec_module(module)
    return module


def test_shipped_weights_are_small_readable_and_name_only_known_moves() -> None:
    table = movemodel.weights()
    assert table, "course/coach/data/move_model.tsv is missing or empty"
    assert movemodel.WEIGHTS.stat().st_size < 150_000
    kinds = {f.split("=", 1)[0] for f in table if f != movemodel.BIAS}
    known = {"rule", "future", "digression", "cue", "w", "b", "company_tie", *movemodel.READINGS}
    assert kinds <= known
    assert {m for per in table.values() for m in per} <= set(MOVES)
    # Every line is feature, move, weight: a facilitator can read and edit it.
    for line in movemodel.WEIGHTS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            assert len(line.split("\t")) == 3, line


def test_without_weights_the_rules_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(movemodel, "weights", lambda: {})
    text = "I'd probably like to be a team manager at some point. I ran the rota at a cafe."
    with_model = [s["move"] for s in coach.analyze(text).sentences]
    rules = [s.move for s in pipeline.read(text, model=False).sentences]
    assert with_model == rules


def test_the_model_never_invents_a_digression(monkeypatch: pytest.MonkeyPatch) -> None:
    table = {movemodel.BIAS: {"digression": 50.0, "evidence": 1.0}}
    monkeypatch.setattr(movemodel, "weights", lambda: table)
    plain, pay = pipeline.read(
        "I kept the sign-in sheets at the library. The pay is better."
    ).sentences
    assert not plain.digressions and plain.move == "evidence"
    assert pay.digressions and pay.move == "digression"


def test_a_changed_move_is_explained_with_the_features_behind_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    table = {"w=rota": {"contribution": 5.0}, movemodel.BIAS: {"other": 0.1}}
    monkeypatch.setattr(movemodel, "weights", lambda: table)
    fb = coach.analyze("I can run the rota.")
    (s,) = fb.sentences
    assert s["move"] == "contribution"
    assert s["features"][-1].startswith("settled by the model (the rules said")
    assert 'the word "rota"' in s["features"][-1]


def test_training_reads_no_holdout_and_writes_weights_that_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trainer = _trainer()
    data = trainer.examples()
    assert len(data) >= 400
    assert not any(group.startswith(("h4-", "h5-", "hs4-", "hs5-")) for *_, group in data)
    small = data[:80]
    table = trainer.prune(trainer.fit(small, steps=40))
    model_acc, rules_acc = trainer.accuracy(table, small)
    assert model_acc >= rules_acc  # it fits what it was trained on at least as well as the rules
    monkeypatch.setattr(movemodel, "WEIGHTS", tmp_path / "move_model.tsv")
    trainer.write(table, len(small))
    movemodel.weights.cache_clear()
    try:
        loaded = movemodel.weights()
        assert loaded == table
    finally:
        movemodel.weights.cache_clear()


def test_every_coach_data_file_is_installed_with_the_package() -> None:
    import fnmatch
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["course"]
    data = ROOT / "course" / "coach" / "data"
    for path in data.iterdir():
        if path.suffix in (".txt", ".tsv"):
            name = f"coach/data/{path.name}"
            assert any(fnmatch.fnmatch(name, g) for g in globs), name


def test_the_model_overrules_the_rules_only_by_a_clear_margin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (rules,) = pipeline.read("I can run the rota.", model=False).sentences
    close = {"w=rota": {"skills": movemodel.MARGIN / 2}}
    clear = {"w=rota": {"skills": movemodel.MARGIN * 2}}
    monkeypatch.setattr(movemodel, "weights", lambda: close)
    assert coach.analyze("I can run the rota.").sentences[0]["move"] == rules.move
    monkeypatch.setattr(movemodel, "weights", lambda: clear)
    assert coach.analyze("I can run the rota.").sentences[0]["move"] == "skills" != rules.move


def test_a_weights_file_edited_out_of_shape_still_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "move_model.tsv"
    broken.write_text(
        "# a comment\nw=rota\tskills\t2.5\nno tabs here\nw=x\tskills\tnot-a-number\n"
        "w=y\tnot-a-move\t1.0\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(movemodel, "WEIGHTS", broken)
    movemodel.weights.cache_clear()
    try:
        assert movemodel.weights() == {"w=rota": {"skills": 2.5}}
        assert coach.analyze("I can run the rota.").sentences[0]["move"] == "skills"
    finally:
        movemodel.weights.cache_clear()
