"""A workshop folder: a complete nbgrader course where one class's submissions are graded.

`init(DIR)` writes DIR/nbgrader_config.py (source: the kit's solutions/; the gradebook, release
and every grading output inside DIR), generates the release with nbgrader (which fills the
gradebook with the assignments), and adds a roster's learners. Plain `nbgrader autograde
ASSIGNMENT` works inside DIR; `python -m course grade --workshop DIR` wraps it.

Layout: submitted/<learner>/<assignment>/<assignment>.ipynb and <assignment>.answers.json (what
each learner hands in); autograded/ and feedback/ (nbgrader's); results/<learner>.json (the kit's
per-learner grading record), grades.csv, flags.json and report/ (the kit's outputs).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course.errors import KitError
from course.grader.keys import assignments as source_assignments
from course.grader.procs import tools_on_path
from course.paths import SOLUTIONS_DIR

__all__ = ["COURSE_ID", "LEARNER_ID", "Workshop", "init", "open_workshop", "read_roster"]

COURSE_ID = "career-aspirations"
#: Learner ids become folder names and parts of nbgrader's path patterns: keep them plain.
LEARNER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
KIT_SOLUTIONS = SOLUTIONS_DIR
#: Default per-cell time limit (seconds) when nbgrader executes a submission.
CELL_TIMEOUT = 10

CONFIG = '''"""nbgrader configuration of a workshop folder (`python -m course workshop init`).

Source notebooks: the kit's solutions/ (hidden tests included: keep this folder to graders).
Everything grading writes stays in this folder: gradebook.db, release/, submitted/, autograded/,
feedback/, and the kit's grades.csv, flags.json, results/ and report/.
"""

import os

c = get_config()  # noqa: F821 (nbgrader provides get_config when it loads this file)
HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.source_directory = {source!r}
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")
# Lock files and backups of answers files are never part of a submission's grading.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback",
    "*.answers.json.lock", "*.answers.json.bak-*", "*.answers.json.tmp*", ".*.answers.json.*",
]

# Grading: a time limit per cell, deleted test cells restored, and a learner's answers file never
# overwritten by a file of the same name in the source folder.
c.Execute.timeout = {timeout}
c.Execute.interrupt_on_timeout = True
c.Execute.extra_arguments = ["--IPKernelApp.log_level=ERROR"]  # no start-up chatter per kernel
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "course.grader.preprocessors.RestoreMissingCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.Autograde.exclude_overwriting = {exclude!r}

# Feedback: hidden tests and their tracebacks stripped (nbgrader's own feedback keeps them, its
# issue #917), widget outputs and outputs of added cells replaced by a note, HTML sanitised.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "course.grader.preprocessors.StripHiddenTests",
    "course.grader.preprocessors.StripWidgetOutputs",
    "course.grader.preprocessors.StripAddedCellOutputs",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
c.HTMLExporter.sanitize_html = True
'''

README = """# Career Aspirations workshop: grading folder

Made by `python -m course workshop init`. Graders only: the gradebook and the autograded
notebooks hold the graded keys.

- `submitted/<learner>/<assignment>/`: what each learner hands in, the notebook and its
  `<assignment>.answers.json` (or `python -m course grade --workshop . --from learners.zip`).
- `python -m course grade --workshop .`: autograde everyone; writes `grades.csv`, `flags.json`.
- `python -m course formgrader --workshop .`: grade the rubric of 05 by hand.
- `python -m course feedback --workshop .`: per-learner feedback in `feedback/`.
- `python -m course report --workshop .`: the class report in `report/index.html`.
"""


@dataclass(frozen=True)
class Workshop:
    """Paths and nbgrader access for one workshop folder."""

    root: Path

    @property
    def config_file(self) -> Path:
        return self.root / "nbgrader_config.py"

    @property
    def submitted(self) -> Path:
        return self.root / "submitted"

    @property
    def autograded(self) -> Path:
        return self.root / "autograded"

    @property
    def feedback(self) -> Path:
        return self.root / "feedback"

    @property
    def release(self) -> Path:
        return self.root / "release"

    @property
    def results(self) -> Path:
        return self.root / "results"

    @property
    def report(self) -> Path:
        return self.root / "report"

    @property
    def db_url(self) -> str:
        return "sqlite:///" + str(self.root / "gradebook.db")

    def config(self, **overrides: Any) -> Any:
        """The workshop's nbgrader Config (from its nbgrader_config.py), with overrides."""
        from traitlets.config.loader import PyFileConfigLoader

        config = PyFileConfigLoader(self.config_file.name, path=str(self.root)).load_config()
        for dotted, value in overrides.items():
            section, _, name = dotted.partition(".")
            setattr(config[section], name, value)
        return config

    @property
    def source(self) -> Path:
        """The folder of source notebooks (the kit's solutions/)."""
        return Path(self.config().CourseDirectory.source_directory)

    def assignments(self) -> list[str]:
        return source_assignments(self.source)

    def api(self, **overrides: Any) -> Any:
        """nbgrader's NbGraderAPI on this workshop (imports nbgrader: seconds)."""
        tools_on_path()
        _quiet_sqlalchemy()
        from nbgrader.apps import NbGraderAPI

        return NbGraderAPI(config=self.config(**overrides))

    def gradebook(self, db_url: str | None = None) -> Any:
        """nbgrader's Gradebook of this workshop (or the one at `db_url`), as a context manager."""
        tools_on_path()
        _quiet_sqlalchemy()
        from nbgrader.api import Gradebook

        return Gradebook(db_url or self.db_url, COURSE_ID)

    def source_notebook(self, assignment: str) -> Path:
        return self.source / assignment / f"{assignment}.ipynb"

    def release_notebook(self, assignment: str) -> Path:
        return self.release / assignment / f"{assignment}.ipynb"

    def submission(self, learner: str, assignment: str) -> Path:
        return self.submitted / learner / assignment

    def submitted_learners(self) -> list[str]:
        """Learner folders found in submitted/ (any name; check with LEARNER_ID)."""
        if not self.submitted.is_dir():
            return []
        return sorted(p.name for p in self.submitted.iterdir() if p.is_dir())

    def roster(self) -> list[str]:
        """Learner ids in the gradebook."""
        with self.gradebook() as gb:
            return sorted(student.id for student in gb.students)


def _quiet_sqlalchemy() -> None:
    """Silence SQLAlchemy's session warnings from inside nbgrader's gradebook (not ours to fix)."""
    import warnings

    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)


def open_workshop(root: str | os.PathLike[str]) -> Workshop:
    """An existing workshop folder (KitError with what to do when it is not one)."""
    workshop = Workshop(Path(root).resolve())
    if not workshop.config_file.is_file() or not (workshop.root / "gradebook.db").is_file():
        raise KitError(
            f"{workshop.root} is not a workshop folder: create it with "
            f"`python -m course workshop init {root}`"
        )
    return workshop


def read_roster(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """Learners from a CSV with an `id` column (optional first_name, last_name, email)."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise KitError(f"cannot read roster {path}: {exc}") from None
    learners = []
    for n, row in enumerate(rows, start=2):
        learner = (row.get("id") or "").strip()
        if not LEARNER_ID.match(learner):
            raise KitError(
                f"{path}, line {n}: learner id {learner!r} must be 1-64 letters, digits, '.', "
                "'_', '@' or '-' (it names the learner's folder); the roster needs an 'id' column"
            )
        extra = {k: (row.get(k) or "").strip() for k in ("first_name", "last_name", "email")}
        learners.append({"id": learner, **{k: v for k, v in extra.items() if v}})
    return learners


def add_learners(workshop: Workshop, learners: Iterable[dict[str, str]]) -> list[str]:
    """Add (or update) learners in the gradebook; return their ids."""
    ids = []
    with workshop.gradebook() as gb:
        for learner in learners:
            data = dict(learner)
            learner_id = data.pop("id")
            gb.update_or_create_student(learner_id, **data)
            ids.append(learner_id)
    return ids


def init(
    root: str | os.PathLike[str],
    roster: str | os.PathLike[str] | None = None,
    source: str | os.PathLike[str] = KIT_SOLUTIONS,
    cell_timeout: int = CELL_TIMEOUT,
) -> Workshop:
    """Create (or refresh) a workshop folder; return it. Existing submissions are kept."""
    tools_on_path()
    source = Path(source).resolve()
    names = source_assignments(source)
    if not names:
        raise KitError(f"no source notebooks found in {source}")
    learners = read_roster(roster) if roster else []
    workshop = Workshop(Path(root).resolve())
    workshop.root.mkdir(parents=True, exist_ok=True)
    exclude = {name: [f"{name}.answers.json"] for name in names}
    workshop.config_file.write_text(
        CONFIG.format(
            course_id=COURSE_ID, source=str(source), timeout=int(cell_timeout), exclude=exclude
        ),
        encoding="utf-8",
    )
    readme = workshop.root / "README.md"
    if not readme.exists():
        readme.write_text(README, encoding="utf-8")
    workshop.submitted.mkdir(exist_ok=True)
    api = workshop.api()
    for name in names:
        outcome = api.generate_assignment(name, force=True, create=True)
        if not outcome.get("success"):
            detail = outcome.get("error") or outcome.get("log") or "no detail"
            raise KitError(f"nbgrader could not generate {name} in {workshop.root}:\n{detail}")
    add_learners(workshop, learners)
    return workshop
