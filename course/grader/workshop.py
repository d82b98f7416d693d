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
import io
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course.errors import KitError
from course.grader.keys import assignments as source_assignments
from course.grader.procs import tools_on_path
from course.paths import SOLUTIONS_DIR

__all__ = [
    "COURSE_ID",
    "LEARNER_ID",
    "Workshop",
    "folder_learners",
    "init",
    "one_line",
    "open_workshop",
    "read_roster",
    "roster_entries",
    "unlisted_folders",
    "unlisted_learners",
    "update_roster",
]

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

    @property
    def settings_file(self) -> Path:
        return self.root / "workshop.json"

    def exercises(self) -> list[str]:
        """The exercises set in this workshop (`workshop init --exercises`); all by default.

        Grading, flags, feedback, the report and exports cover these only.
        """
        import json

        names = self.assignments()
        try:
            chosen = json.loads(self.settings_file.read_text(encoding="utf-8"))["exercises"]
        except (OSError, ValueError, KeyError, TypeError):
            return names
        kept = [name for name in names if name in chosen]
        return kept or names

    def set_exercises(self, wanted: str | Iterable[str] | None) -> list[str]:
        """Set which exercises count ("01,04", names, or None/"all" for every one); return them."""
        import json

        chosen = choose_exercises(self.assignments(), wanted)
        settings = {}
        if self.settings_file.is_file():
            try:
                settings = json.loads(self.settings_file.read_text(encoding="utf-8"))
            except ValueError:
                settings = {}
        settings["exercises"] = chosen
        self.settings_file.write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")
        return chosen

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


def choose_exercises(names: list[str], wanted: str | Iterable[str] | None) -> list[str]:
    """The exercises `wanted` names ("01,04", "01-aspirations-vs-goals", "all"), in order."""
    if wanted is None or (isinstance(wanted, str) and wanted.strip().lower() in ("", "all")):
        return list(names)
    items = wanted.split(",") if isinstance(wanted, str) else list(wanted)
    chosen = set()
    for item in (i.strip() for i in items if i.strip()):
        found = [n for n in names if n == item or (item.isdigit() and n[:2] == item.zfill(2))]
        if not found:
            raise KitError(
                f"no exercise {item!r}: the exercises are {', '.join(n[:2] for n in names)} "
                f"({', '.join(names)})"
            )
        chosen.update(found)
    return [n for n in names if n in chosen]


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


#: Header names spreadsheets use, by the field they fill (compared lower case, '_'/'-' as spaces).
HEADERS = {
    "id": (
        "id",
        "student id",
        "studentid",
        "learner id",
        "learner",
        "user id",
        "username",
        "user name",
        "login",
        "student number",
        "student no",
        "candidate id",
    ),
    "first_name": ("first name", "firstname", "given name", "given names", "forename", "prénom"),
    "last_name": ("last name", "lastname", "surname", "family name", "nom"),
    "email": ("email", "e mail", "email address", "e mail address", "mail"),
    "name": ("name", "full name", "fullname", "student name", "learner name", "display name"),
}


def _decode(data: bytes) -> str:
    """Text of a spreadsheet export: UTF-8 (with or without a byte-order mark) or Windows-1252."""
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")


def _dialect(text: str) -> str:
    """The delimiter: comma, semicolon (European Excel) or tab."""
    head = text.splitlines()[0] if text.strip() else ""
    counts = {d: head.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _field_of(header: str) -> str | None:
    key = " ".join(header.strip().casefold().replace("_", " ").replace("-", " ").split())
    return next((name for name, known in HEADERS.items() if key in known), None)


def one_line(text: str | None) -> str:
    """A name, email or cell on one line: runs of whitespace, line breaks included, become one
    space (a spreadsheet cell, a CSV row or an LMS field with a line break in it breaks)."""
    return " ".join((text or "").split())


def safe_id(text: str) -> str:
    """A plain learner id made from a name: 'Chloé Martin' -> 'chloe-martin'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9._@]+", "-", text.casefold()).strip("-._")[:64] or "learner"


#: Canvas's gradebook export: Student ("Last, First"), ID (Canvas's number), SIS User ID, SIS
#: Login ID, Section, then the assignments; its second row is "    Points Possible".
CANVAS = ("student", "id", "sis user id", "sis login id")
#: Rows Canvas adds that are no learner: the scores' maxima, posting policy, its test student.
CANVAS_ROWS = {"points possible", "manual posting", "muted", "test student", "student, test"}


def _canvas_columns(header: list[str]) -> dict[str, int] | None:
    """The columns of a Canvas gradebook export (None when `header` is not one): the name from
    Student, the id from SIS Login ID (what the learner logs in with, the column the kit's
    Canvas export matches on), else from ID (Canvas's own number) when no SIS login is given."""
    keys = [" ".join(h.strip().casefold().split()) for h in header]
    if keys[: len(CANVAS)] != list(CANVAS):
        return None
    return {"name": 0, "id": keys.index("sis login id"), "canvas_id": 1}


def read_roster(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """Learners from a CSV as spreadsheets save it; each {"id", "first_name", "last_name", "email"}.

    Any encoding Excel writes (UTF-8 with or without BOM, Windows-1252), comma, semicolon or tab,
    and common headers (ID, Student ID, Email, First name, Last name, Name), Moodle's grade export
    (First name, Last name, Email address: the id from the email) and Canvas's gradebook export
    (Student "Last, First", the id from SIS Login ID, else Canvas's ID; its Points Possible row
    and Test Student left out). An id that is not a plain name ('Chloé', 'Ann Lee') becomes a
    safe one ('chloe', 'ann-lee'), the name kept for display. Whitespace in every cell, line
    breaks included, becomes one space. Duplicate ids are refused with their line numbers.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
        if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            raise KitError(
                f"{path} is a spreadsheet workbook (.xlsx/.xls), not a CSV: open it and save "
                "it as 'CSV UTF-8' (Excel: File > Save As), then give that file"
            )
        text = _decode(data)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text))
        rows, start = [], 1
        for row in reader:  # (the file's line the row starts on, its cells on one line each)
            rows.append((start, [one_line(cell) for cell in row]))
            start = reader.line_num + 1
    except (OSError, csv.Error) as exc:
        raise KitError(f"cannot read roster {path}: {exc}") from None
    rows = [(n, row) for n, row in rows if any(row)]
    if not rows:
        return []
    canvas = _canvas_columns(rows[0][1])
    columns = dict(canvas or {})
    for n, header in enumerate(rows[0][1] if canvas is None else []):
        name = _field_of(header)
        if name and name not in columns:
            columns[name] = n
    if not {"id", "email", "name"} & columns.keys() and "first_name" not in columns:
        raise KitError(
            f"{path}: no learner id column; the first row needs a header such as ID, "
            f"Student ID, Email or Name (found: {', '.join(repr(h) for h in rows[0][1])})"
        )
    learners, lines = [], {}
    for n, row in rows[1:]:
        cell = {k: (row[i] if i < len(row) else "") for k, i in columns.items()}
        if canvas and (cell["name"].casefold() in CANVAS_ROWS or not any(cell.values())):
            continue  # Canvas's own rows: Points Possible, Manual Posting, the Test Student
        if canvas and not cell["id"]:
            cell["id"] = cell.pop("canvas_id")
        elif canvas and "@" in cell["id"]:
            cell["email"] = cell["id"]  # a login that is an email: folders named 'jsmith' match
        first, last = cell.get("first_name", ""), cell.get("last_name", "")
        if cell.get("name") and not (first or last):
            if "," in cell["name"]:  # "Smith, Jane": last name first, as LMS exports write it
                last, _, first = (part.strip() for part in cell["name"].partition(","))
            else:
                first, _, last = cell["name"].partition(" ")
        email = cell.get("email", "")
        raw = cell.get("id") or email.split("@")[0] or f"{first} {last}".strip()
        if not raw:
            raise KitError(f"{path}, line {n}: no id, email or name for this learner")
        learner = raw if LEARNER_ID.match(raw) else safe_id(raw)
        if not LEARNER_ID.match(learner) or "/" in raw or ".." in raw:
            raise KitError(
                f"{path}, line {n}: learner id {raw!r} must be 1-64 letters, digits, '.', "
                "'_', '@' or '-' (it names the learner's folder)"
            )
        if learner != raw and not (first or last):
            first = raw  # the name as the roster spells it, for display
        lines.setdefault(learner, []).append(n)
        extra = {"first_name": first, "last_name": last, "email": email}
        learners.append({"id": learner, **{k: v for k, v in extra.items() if v}})
    twice = {k: v for k, v in lines.items() if len(v) > 1}
    if twice:
        listed = "; ".join(f"{k!r} on lines {', '.join(map(str, v))}" for k, v in twice.items())
        raise KitError(f"{path}: the same learner id twice ({listed}): give each their own id")
    return learners


def roster_entries(workshop: Workshop) -> list[dict[str, str]]:
    """The gradebook's learners with their names and emails (as read_roster gives them)."""
    with workshop.gradebook() as gb:
        return [
            {
                "id": s.id,
                **{k: getattr(s, k) for k in ("first_name", "last_name", "email") if getattr(s, k)},
            }
            for s in sorted(gb.students, key=lambda s: s.id)
        ]


def unlisted_folders(workshop: Workshop) -> list[str]:
    """Folders in submitted/ that are not on the roster (a typo on either side)."""
    listed = set(workshop.roster()) - _marked(workshop)[1]
    return [name for name in workshop.submitted_learners() if name not in listed]


def _marked(workshop: Workshop) -> tuple[dict[str, Any], set[str]]:
    """DIR/workshop.json's settings and the learners it keeps as not on the roster."""
    import json

    try:
        settings = json.loads(workshop.settings_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        settings = {}
    settings = settings if isinstance(settings, dict) else {}
    return settings, {str(i) for i in settings.get("not_on_roster") or []}


def folder_learners(workshop: Workshop) -> set[str]:
    """Learners grading added to the gradebook from folders in submitted/, named by no roster."""
    return _marked(workshop)[1]


def unlisted_learners(workshop: Workshop) -> list[str]:
    """Learners in the gradebook only because grading found their folder in submitted/: on no
    roster given (init, roster --update). None when no roster was given at all."""
    marked = _marked(workshop)[1]
    if not marked:
        return []
    roster = set(workshop.roster())
    return sorted(marked & roster) if roster - marked else []


def roster_changes(old: list[dict[str, str]], new: list[dict[str, str]]) -> dict[str, list[Any]]:
    """What updating the roster from `old` to `new` does: add, rename, remove, update."""
    before, after = {e["id"]: e for e in old}, {e["id"]: e for e in new}
    added = [i for i in after if i not in before]
    removed = [i for i in before if i not in after]

    def same_person(a: dict[str, str], b: dict[str, str]) -> bool:
        if a.get("email") and a.get("email", "").casefold() == b.get("email", "").casefold():
            return True
        name = f"{a.get('first_name', '')} {a.get('last_name', '')}".strip().casefold()
        return bool(name) and name == (
            f"{b.get('first_name', '')} {b.get('last_name', '')}".strip().casefold()
        )

    renamed = []
    for old_id in list(removed):
        match = [new_id for new_id in added if same_person(before[old_id], after[new_id])]
        if len(match) == 1:
            renamed.append((old_id, match[0]))
            removed.remove(old_id)
            added.remove(match[0])
    updated = [i for i in after if i in before and after[i] != before[i]]
    return {"added": added, "renamed": renamed, "removed": removed, "updated": updated}


def update_roster(
    workshop: Workshop, learners: list[dict[str, str]], dry_run: bool = False
) -> tuple[dict[str, list[Any]], list[str]]:
    """Make the gradebook's roster `learners`; return the changes and their description.

    A renamed learner's hand-ins move to the new id's folder; a removed learner's move to
    removed/<id>/ (kept, out of grading). Their grades are dropped from the gradebook: grade
    again after an update.
    """
    unlisted = _marked(workshop)[1]  # graded from a folder only: "added" if the CSV has them
    changes = roster_changes(
        [e for e in roster_entries(workshop) if e["id"] not in unlisted], learners
    )
    by_id = {e["id"]: e for e in learners}

    def who(i: str) -> str:
        e = by_id.get(i, {})
        name = f"{e.get('first_name', '')} {e.get('last_name', '')}".strip()
        return f"{i} ({name})" if name else i

    lines = [f"+ add {who(i)}" for i in changes["added"]]
    lines += [f"~ rename {a} -> {who(b)}" for a, b in changes["renamed"]]
    lines += [f"- remove {i} (hand-ins kept in removed/{i}/)" for i in changes["removed"]]
    lines += [f"= update {who(i)}" for i in changes["updated"]]
    if dry_run or not any(changes.values()):
        return changes, lines
    import shutil

    with workshop.gradebook() as gb:
        for old_id, new_id in changes["renamed"]:
            source, target = workshop.submitted / old_id, workshop.submitted / new_id
            if source.is_dir() and not target.exists():
                shutil.move(str(source), str(target))
            gb.remove_student(old_id)
        for old_id in changes["removed"]:
            source = workshop.submitted / old_id
            if source.is_dir():
                (workshop.root / "removed").mkdir(exist_ok=True)
                shutil.move(str(source), str(workshop.root / "removed" / old_id))
            gb.remove_student(old_id)
    for old_id in [a for a, _ in changes["renamed"]] + changes["removed"]:
        (workshop.results / f"{old_id}.json").unlink(missing_ok=True)
    add_learners(workshop, [by_id[i] for i in by_id])
    return changes, lines


def add_learners(
    workshop: Workshop, learners: Iterable[dict[str, str]], *, on_roster: bool = True
) -> list[str]:
    """Add (or update) learners in the gradebook; return their ids. `on_roster=False`: grading
    adds them from folders in submitted/, and DIR/workshop.json keeps them as not on the roster
    until a roster names them."""
    import json

    ids = []
    with workshop.gradebook() as gb:
        for learner in learners:
            data = dict(learner)
            learner_id = data.pop("id")
            gb.update_or_create_student(learner_id, **data)
            ids.append(learner_id)
    settings, marked = _marked(workshop)
    now = marked | set(ids) if not on_roster else marked - set(ids)
    if now != marked:
        settings["not_on_roster"] = sorted(now)
        workshop.settings_file.write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")
    return ids


def init(
    root: str | os.PathLike[str],
    roster: str | os.PathLike[str] | None = None,
    source: str | os.PathLike[str] = KIT_SOLUTIONS,
    cell_timeout: int = CELL_TIMEOUT,
    exercises: str | Iterable[str] | None = None,
) -> Workshop:
    """Create (or refresh) a workshop folder; return it. Existing submissions are kept.

    `exercises` sets which exercises count ("01,04"); None keeps the folder's choice (all at
    first)."""
    tools_on_path()
    source = Path(source).resolve()
    names = source_assignments(source)
    if not names:
        raise KitError(f"no source notebooks found in {source}")
    choose_exercises(names, exercises)  # a wrong number is refused before anything is written
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
    # Keys and learners' names: never committed, never linted, wherever the folder is made.
    ignore = workshop.root / ".gitignore"
    if not ignore.exists():
        ignore.write_text(
            "# A workshop folder holds graded keys and learners' names: keep it out of git.\n*\n",
            encoding="utf-8",
        )
    workshop.submitted.mkdir(exist_ok=True)
    api = workshop.api()
    for name in names:
        outcome = api.generate_assignment(name, force=True, create=True)
        if not outcome.get("success"):
            detail = outcome.get("error") or outcome.get("log") or "no detail"
            raise KitError(f"nbgrader could not generate {name} in {workshop.root}:\n{detail}")
    add_learners(workshop, learners)
    if exercises is not None or not workshop.settings_file.exists():
        workshop.set_exercises(exercises)
    return workshop
