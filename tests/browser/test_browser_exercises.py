"""Browser to grade: answer a graded exercise in JupyterLab, save, grade it with the kit.

The learner's folder (the notebook as saved from the browser, and the answers file the widgets
wrote) is handed in to a workshop built from the exercise's source notebook, and
`python -m course grade` must give exactly the score those clicks earn.
"""

from __future__ import annotations

import ast
import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from labkit import (
    LabPage,
    classify_rows,
    exercise,
    expect,
    read_answers,
    toggle,
    wait_for,
)

pytestmark = pytest.mark.browser

ASSIGNMENT = "01-aspirations-vs-goals"
LEARNER = "browser-learner"
#: The leading parameters of course.learner.graded.Assignment.classify and .quiz.
POSITIONAL = {
    "classify": ("exercise_id", "items", "labels"),
    "quiz": ("exercise_id", "questions"),
}
WRONG = 1  # answered the other way in each exercise: a score short of full marks


class Item(NamedTuple):
    id: str
    text: str


def exercise_calls(notebook: Path) -> dict[str, tuple[str, dict[str, Any]]]:
    """{exercise id: (kind, literal arguments by name)} of each A.classify/A.quiz call."""
    found = {}
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        try:
            tree = ast.parse("".join(cell["source"]))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("classify", "quiz")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names = POSITIONAL[node.func.attr]
                args = {n: ast.literal_eval(a) for n, a in zip(names, node.args, strict=False)}
                args.update(
                    (kw.arg, ast.literal_eval(kw.value)) for kw in node.keywords if kw.arg in names
                )
                found[args["exercise_id"]] = (node.func.attr, args)
    return found


def grading_tools() -> Any:
    try:
        from course.grader import grading, keys, workshop  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"the grading workflow is not there yet ({exc}): not tested")
    return keys


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout[-3000:]}\n{result.stderr}"
    return result


def test_graded_exercise_answered_in_the_browser_grades_as_clicked(
    lab: LabPage, lab_root: Path, tmp_path: Path
):
    keys = grading_tools()
    path = f"exercises/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
    source = lab_root / "solutions" / ASSIGNMENT
    if not (lab_root / path).exists() or not (source / f"{ASSIGNMENT}.ipynb").exists():
        pytest.skip(f"{path} or its source in solutions/ does not exist yet: not tested")
    key = keys.solution_answers(source / f"{ASSIGNMENT}.ipynb")
    scorings = keys.scorings(source / f"{ASSIGNMENT}.ipynb")
    calls = exercise_calls(lab_root / path)
    answers_file = lab_root / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.answers.json"
    answers_file.unlink(missing_ok=True)

    panel = lab.open(path)
    chosen: dict[str, dict[str, str]] = {}
    expected = 0.0
    try:
        lab.run_all(path)
        for exercise_id, (kind, args) in calls.items():
            right = key.get(exercise_id)
            if not right:
                continue
            chosen[exercise_id] = {}
            if kind == "classify":
                items = [Item(i, t) for i, t in args["items"]]
                labels = list(args["labels"])
                widget = exercise(panel, items[0].text)
                for n, (row, item) in enumerate(classify_rows(widget, items)):
                    label = right[item.id]
                    if n < WRONG:
                        label = next(x for x in labels if x != label)
                    toggle(row, label).click()
                    chosen[exercise_id][item.id] = label
            else:  # quiz: one radio button per option, named by its label
                questions = args["questions"]
                widget = exercise(panel, questions[0][1])
                rows = widget.locator(".cak-item")
                for n, (qid, text, options) in enumerate(questions):
                    option = right[qid]
                    if n < WRONG:
                        option = next(o for o, _ in options if o != option)
                    label = dict(options)[option]
                    row = rows.filter(has_text=text).first  # shown in the learner's own order
                    radio = row.get_by_role("radio", name=label, exact=True)
                    radio.click()
                    expect(radio).to_be_checked()
                    chosen[exercise_id][qid] = option
            scoring = scorings[exercise_id]
            hits = sum(chosen[exercise_id][i] == v for i, v in right.items())
            expected += scoring.max_points * hits / len(right)
        assert chosen, f"{path} shows no keyed exercise the test knows how to answer"
        saved = wait_for(lambda: read_answers(answers_file) == chosen)
        assert saved, f"the answers file holds {read_answers(answers_file)}, not {chosen}"
        lab.save()
    finally:
        lab.close_and_shutdown(path)

    # A workshop built from this exercise's source, and the learner's folder handed in as saved.
    one = tmp_path / "source"
    shutil.copytree(source, one / ASSIGNMENT)
    workshop = tmp_path / "workshop"
    run(
        "-c",
        "import sys; from course.grader.workshop import init; "
        "init(sys.argv[1], source=sys.argv[2])",
        str(workshop),
        str(one),
        cwd=tmp_path,
    )
    shutil.copytree(
        lab_root / "exercises" / ASSIGNMENT,
        workshop / "submitted" / LEARNER / ASSIGNMENT,
        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.lock", "*.bak-*", "*.tmp"),
    )
    run("-m", "course", "grade", "--workshop", str(workshop), "--quiet", cwd=tmp_path)

    record = json.loads((workshop / "results" / f"{LEARNER}.json").read_text(encoding="utf-8"))
    entry = record["assignments"][ASSIGNMENT]
    total = sum(s.max_points for s in scorings.values() if s.exercise in chosen)
    assert record["flags"] == [], record["flags"]
    assert entry["status"] == "graded", entry
    assert entry["score"] == pytest.approx(expected), (entry, chosen)
    assert expected < total, "sanity: some answers were wrong on purpose"
    with (workshop / "grades.csv").open(newline="", encoding="utf-8-sig") as handle:
        rows = [r for r in csv.DictReader(handle) if r["student_id"] == LEARNER]
    assert [float(r["score"]) for r in rows] == [pytest.approx(expected)], rows
