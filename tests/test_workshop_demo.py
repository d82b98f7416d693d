"""`python -m course demo`: a simulated class, graded and reported; deterministic for a seed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from course.facilitator import demo

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def answers_of(root: Path) -> dict[str, dict]:
    return {
        str(path.relative_to(root)): json.loads(path.read_text(encoding="utf-8"))["answers"]
        for path in sorted((root / "submitted").rglob("*.answers.json"))
    }


def test_the_same_seed_simulates_the_same_class(tmp_path):
    import random

    from course.grader import keys

    one = demo.build(tmp_path / "one", learners=5, seed=7, grade=False).workshop
    two = demo.build(tmp_path / "two", learners=5, seed=7, grade=False).workshop
    assert answers_of(one.root) == answers_of(two.root)
    scorings = keys.scorings(one.source_notebook("01-aspirations-vs-goals"))
    assert demo.learner_answers(random.Random(7), 0.6, scorings) != demo.learner_answers(
        random.Random(8), 0.6, scorings
    )
    # Each folder holds what a learner hands in: the released notebook and its answers file.
    for folder in (one.root / "submitted").glob("*/*"):
        names = sorted(p.name for p in folder.iterdir())
        assert names == [f"{folder.name}.answers.json", f"{folder.name}.ipynb"]
    assert not (one.root / "submitted" / "learner05").exists()  # on the roster, absent


def test_demo_grades_and_reports_and_exits_0(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "course", "demo", "--workshop", str(tmp_path / "d"),
         "--learners", "2", "--seed", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert (tmp_path / "d" / "report" / "index.html").is_file()
    assert (tmp_path / "d" / "grades.csv").is_file()
    results = sorted(p.stem for p in (tmp_path / "d" / "results").glob("*.json"))
    assert results == ["learner01", "learner02"]


def test_the_demo_never_overwrites_a_folder_that_is_not_a_demo(tmp_path):
    from course.errors import KitError

    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "gradebook.db").write_text("precious", encoding="utf-8")
    with pytest.raises(KitError, match="not a demo workshop"):
        demo.build(tmp_path / "real", learners=2, grade=False)
    assert (tmp_path / "real" / "gradebook.db").read_text(encoding="utf-8") == "precious"
