"""Graded keys stay in solutions/: nothing a learner receives holds a hidden-test line.

Every line inside a `### BEGIN HIDDEN TESTS` block of solutions/ is collected; none may appear in
exercises/, notebooks/ or the `course` package (the bundle and feedback reports are checked in
test_release.py and test_grading.py). Graded items are not practice items, and no answers file
ever sits in solutions/ or exercises/ (nbgrader would copy it over every submission).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course.facilitator.release import answers_files
from course.grader import keys

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"


def hidden_lines() -> list[str]:
    return [
        line
        for name in keys.assignments(SOLUTIONS)
        for line in keys.hidden_lines(keys.source_notebook(SOLUTIONS, name))
    ]


def texts_under(folder: Path, suffixes: tuple[str, ...]) -> dict[str, str]:
    return {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix in suffixes and "__pycache__" not in path.parts
    }


def test_the_solutions_have_hidden_keys():
    assert len(keys.assignments(SOLUTIONS)) >= 5
    lines = hidden_lines()
    assert len(lines) >= 8
    code = [
        line
        for name in keys.assignments(SOLUTIONS)
        for line in keys.hidden_code_lines(keys.source_notebook(SOLUTIONS, name))
    ]
    assert len(code) >= 8 and all(line.startswith("points(") for line in code)
    assert len(lines) > len(code)  # the explanations shown after grading are hidden too


@pytest.mark.parametrize(
    ("folder", "suffixes"),
    [
        ("exercises", (".ipynb", ".py", ".json", ".md", ".txt")),
        ("notebooks", (".ipynb", ".py", ".json", ".md")),
        ("course", (".py", ".yaml", ".json", ".md", ".txt", ".j2", ".html", ".css", ".js")),
    ],
)
def test_no_hidden_line_reaches_what_learners_receive(folder, suffixes):
    if not (ROOT / folder).is_dir():
        pytest.skip(f"{folder}/ not present")
    files = texts_under(ROOT / folder, suffixes)
    assert files
    leaks = [
        (name, line) for name, text in files.items() for line in hidden_lines() if line in text
    ]
    assert leaks == []


def test_the_released_test_cells_keep_only_their_visible_part():
    for name in keys.assignments(ROOT / "exercises"):
        notebook = json.loads(
            keys.source_notebook(ROOT / "exercises", name).read_text(encoding="utf-8")
        )
        for cell in notebook["cells"]:
            source = "".join(cell["source"])
            assert "HIDDEN TESTS" not in source
            if cell["metadata"].get("nbgrader", {}).get("grade") and name != "05-draft-your-answer":
                assert "points(" not in source, (name, cell["metadata"]["nbgrader"]["grade_id"])


def test_graded_items_are_not_the_lessons_practice_items():
    practice = "\n".join(
        path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "course" / "content").rglob("*.yaml"))
    )
    for name in keys.assignments(SOLUTIONS):
        for exercise in keys.exercise_texts(keys.source_notebook(SOLUTIONS, name)).values():
            for text in exercise["items"].values():
                assert text not in practice, (name, text)


def test_no_answers_file_in_solutions_or_exercises():
    assert answers_files(SOLUTIONS, ROOT / "exercises") == []


# --------------------------------------------------------------------------- audit-keys


def test_audit_keys_prints_every_keyed_exercise_beside_chance(capsys):
    """`python -m course audit-keys --json`: one row per keyed practice and graded exercise."""
    from course.__main__ import main
    from course.learner import kinds

    assert main(["audit-keys", "--json", "--seeds", "2"]) == 0
    rows = json.loads(capsys.readouterr().out)
    graded = {r["exercise"] for r in rows if r["source"] != "practice"}
    keyed = {
        s.exercise
        for name in keys.assignments(SOLUTIONS)
        for s in keys.scorings(keys.source_notebook(SOLUTIONS, name)).values()
        if kinds.for_check(s.kind).keyed
    }
    assert graded == keyed
    assert any(r["source"] == "practice" for r in rows)
    for row in rows:
        assert 0 < row["chance"] < 100
        assert set(row["scores"]) == {"first", "last", "alternating", "one label", "random"}
        assert row["excess"] == pytest.approx(max(row["scores"].values()) - row["chance"], abs=0.2)
    assert main(["audit-keys", "--seeds", "0"]) == 2


@pytest.mark.slow
def test_no_position_strategy_beats_chance_by_more_than_10_points():
    """Keys measure understanding: over 100 learners, answering by position or by one label
    for everything scores at most 10 points above chance on every keyed exercise."""
    from course.cli import audit_keys

    rows = audit_keys.audit(audit_keys.SEEDS)
    over = [r for r in rows if r.excess > audit_keys.MARGIN]
    assert not over, "\n" + audit_keys.table(over)
