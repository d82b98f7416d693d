"""A demo class: simulated learners of varied skill, graded and reported like a real workshop.

Each simulated learner's folder holds exactly what a real learner hands in: the released
notebook and the answers file that their widget choices wrote. The answers go through the same
code path as clicks: the released notebook's own cells run (in this process, no kernel needed)
with the choices injected as the `answers` parameter, so the exercises' widgets save them
through AnswerStore. Skill varies per learner; wrong choices lean towards each item's most
tempting wrong option, so the report shows misconceptions. Deterministic for a seed.

The keys needed to simulate right answers are read from the source notebooks at run time
(course.grader.keys); nothing here holds a graded key.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course import coach
from course.errors import KitError
from course.grader import grading, keys
from course.grader import workshop as ws
from course.grader.grading import GradeRun, Progress
from course.grader.options import GradeOptions
from course.grader.report import write_report
from course.grader.workshop import Workshop
from course.learner import content, kinds
from course.learner.scoring import company_choice, open_store, read_only

__all__ = ["DemoClass", "build", "draft_for", "learner_answers", "simulate_submission"]

COMPANIES = ("northwind-health", "brightpath-learning", "solvane-energy")
#: The file that marks a folder as a demo workshop (the demo recreates only such folders).
MARKER = "DEMO.txt"

# Sentences to assemble drafts from, weakest to strongest; {name}, {value}, {plan}, {role} and
# {skill} come from the company profile.
_STRONG = [
    "In the long run I want to become someone who turns {skill} into decisions people trust.",
    "That is why the {role} role at {name} appeals to me: it builds exactly those skills.",
    'What drew me to {name} is its value "{value}", which matches how I like to work.',
    "Your plan to {plan} is where I would love to contribute and grow.",
    "In my last job I took on a project nobody owned, learned fast, and delivered it early.",
    "I am ready for responsibility early, and I welcome challenges that stretch me.",
    "Over the next year my goal is to master {skill} here, as a first step toward that.",
]
_MIDDLE = [
    "I want to keep growing in my career and learn new things.",
    "I think {name} is a good company and the {role} role sounds interesting.",
    "I hope to get more responsibility over time if things go well.",
]
_WEAK = [
    "Honestly I have not thought about it much.",
    "I mostly want a higher salary and good holidays.",
    "I might go back to university in a year or so.",
    "My real dream is to travel the world.",
]


def draft_for(rng: random.Random, skill: float, company_id: str) -> str:
    """A simulated draft: stronger, longer and more specific with skill."""
    company = content.company(company_id)
    fill = {
        "name": company.name.split()[0] if rng.random() < 0.5 else company.name,
        "role": company.role,
        "value": rng.choice(company.values),
        "plan": rng.choice(company.plans),
        "skill": rng.choice(company.skills),
    }
    sentences = []
    strong = [s for s in _STRONG if rng.random() < skill]
    sentences.extend(strong)
    if skill < 0.7:
        sentences.extend(rng.sample(_MIDDLE, k=rng.randint(1, len(_MIDDLE))))
    if skill < 0.45:
        sentences.extend(rng.sample(_WEAK, k=rng.randint(1, 2)))
    if not sentences:
        sentences = [_WEAK[0]]
    rng.shuffle(sentences)
    text = " ".join(s.format(**fill) for s in sentences)
    if skill > 0.8 and rng.random() < 0.5:  # a strong learner expands with an example
        text += " " + _STRONG[4].format(**fill) + " " + _STRONG[2].format(**fill)
    return text


def learner_answers(
    rng: random.Random, skill: float, scorings: Mapping[str, keys.Scoring]
) -> dict[str, Any]:
    """Answers to a notebook's keyed exercises for a learner of `skill` (0 to 1)."""
    answers: dict[str, Any] = {}
    for scoring in scorings.values():
        kind = kinds.for_check(scoring.kind)  # each exercise kind simulates its own learner
        key, previous = dict(scoring.key or {}), answers.get(scoring.exercise)
        answer = kind.simulate(rng, skill, key, scoring.options, previous)
        if answer is not None:
            answers[scoring.exercise] = answer
    return answers


def _code_cells(notebook: Mapping[str, Any]) -> list[str]:
    """The code a learner's session runs: every code cell but the tests and the parameters."""
    cells = []
    for cell in notebook.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.get("cell_type") != "code" or meta.get("grade") or "parameters" in tags:
            continue
        source = cell.get("source", "")
        cells.append("".join(source) if isinstance(source, list) else source)
    return cells


def simulate_submission(
    release_notebook: Path, folder: Path, answers: Mapping[str, Any] | None
) -> None:
    """Make `folder` hold what a learner hands in: the released notebook, and (when `answers`
    is not None) the answers file their choices wrote through the exercises' widgets."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(release_notebook, folder / release_notebook.name)
    if answers is None:
        return
    notebook = json.loads(release_notebook.read_text(encoding="utf-8"))
    namespace: dict[str, Any] = {"answers": dict(answers), "__name__": "__demo__"}
    with contextlib.chdir(folder), contextlib.redirect_stdout(io.StringIO()):
        for source in _code_cells(notebook):
            exec(compile(source, str(release_notebook), "exec"), namespace)
    for leftover in folder.glob("*.answers.json.lock"):
        leftover.unlink(missing_ok=True)


@dataclass
class DemoClass:
    """A built demo class: its workshop, and its grading run and report when asked for."""

    workshop: Workshop
    graded: GradeRun | None = None
    report: Path | None = None


def _fresh_folder(root: Path, ids: list[str]) -> Workshop:
    """(Re)create a demo workshop folder with `ids` on its roster; refuse any other folder."""
    marker = root / MARKER
    if root.exists() and any(root.iterdir()) and not marker.exists():
        raise KitError(
            f"{root} exists and is not a demo workshop; the demo recreates its folder, so pick "
            "a new or empty one"
        )
    if (root / "submitted").exists():
        shutil.rmtree(root / "submitted")
    for stale in ("autograded", "feedback", "results", "report"):
        shutil.rmtree(root / stale, ignore_errors=True)
    (root / "gradebook.db").unlink(missing_ok=True)
    root.mkdir(parents=True, exist_ok=True)
    marker.write_text("A simulated class made by `python -m course demo`; safe to delete.\n")
    roster = root / "roster.csv"
    roster.write_text("id,first_name,last_name\n" + "".join(f"{i},Demo,{i}\n" for i in ids))
    return ws.init(root, roster=roster)


def _simulate(workshop: Workshop, ids: list[str], rng: random.Random) -> None:
    """Every simulated learner's submissions: one absent, one who added a cell of their own."""
    names = workshop.assignments()
    absent = {ids[-1]} if len(ids) >= 5 else set()
    tinkerer = ids[1] if len(ids) >= 5 else None
    for n, learner in enumerate(ids):
        if learner in absent:  # on the roster, never handed anything in
            continue
        skill = min(0.97, max(0.15, rng.betavariate(4, 2.2)))
        for name in names:
            if rng.random() < 0.05 and n > 0:  # an assignment not handed in
                continue
            scorings = keys.scorings(workshop.source_notebook(name))
            answers = learner_answers(rng, skill, scorings)
            if name.startswith("05"):
                company = rng.choice(COMPANIES)
                answers = {"company": company, "draft": draft_for(rng, skill, company)}
            folder = workshop.submission(learner, name)
            simulate_submission(workshop.release_notebook(name), folder, answers)
            if learner == tinkerer and name == names[0]:
                _add_scratch_cell(folder / f"{name}.ipynb")


def build(
    root: str | Path,
    learners: int = 30,
    seed: int = 1,
    *,
    grade: bool = True,
    report: bool = True,
    options: GradeOptions | None = None,
    progress: Progress | None = None,
) -> DemoClass:
    """Create a workshop with `learners` simulated learners, grade it (with `options`; progress
    reported to `progress`) and write its report."""
    if learners < 1:
        raise KitError("--learners must be at least 1")
    rng = random.Random(seed)
    ids = [f"learner{n:02d}" for n in range(1, learners + 1)]
    workshop = _fresh_folder(Path(root), ids)
    _simulate(workshop, ids, rng)
    built = DemoClass(workshop)
    if grade:
        built.graded = grading.grade(workshop.root, options, progress=progress)
        _simulated_rubric_grades(workshop, rng)
        if report:
            built.report = write_report(workshop)
    return built


def _add_scratch_cell(notebook: Path) -> None:
    """A learner who added a harmless code cell of their own (the grader flags it)."""
    data = json.loads(notebook.read_text(encoding="utf-8"))
    data["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "scratch-cell",
            "metadata": {},
            "outputs": [],
            "source": "print('trying things out')",
        }
    )
    notebook.write_text(json.dumps(data, indent=1), encoding="utf-8")


def _simulated_rubric_grades(workshop: Workshop, rng: random.Random) -> None:
    """A simulated grader: each rubric cell gets the coach's pre-score, off by one now and then.

    Only for the demo, so the report's rubric chart has data; real rubric scores come from
    graders in the formgrader.
    """
    from nbgrader.api import MissingEntry  # nbgrader takes seconds to import: only to grade

    name = next((a for a in workshop.assignments() if a.startswith("05")), None)
    if name is None:
        return
    criteria = content.rubric().ids
    with workshop.gradebook() as gb:
        for student in list(gb.students):
            try:
                gb.find_submission(name, student.id)
            except MissingEntry:
                continue
            with read_only():
                store = open_store(name, workshop.submission(student.id, name))
                text = store.get("draft") if isinstance(store.get("draft"), str) else ""
                profile = company_choice(store)[1]
                levels = coach.analyze(text or "", company=profile or None).to_dict()["criteria"]
            for criterion in criteria:
                try:
                    grade = gb.find_grade(f"rubric-{criterion}", name, name, student.id)
                except MissingEntry:
                    continue
                level = levels.get(criterion) if text else 0
                level = int(level) if isinstance(level, int) else 2
                if text and rng.random() < 0.25:
                    level = max(1, min(3, level + rng.choice((-1, 1))))
                grade.manual_score = float(level)
                grade.needs_manual_grade = False
        gb.db.commit()
