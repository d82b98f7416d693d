"""The learner's prep sheet: their work from every lesson on one printable, phone-friendly page.

`python -m course prep-sheet LEARNER_DIR -o FILE.html [--zip]` gathers every `*.answers.json`
under LEARNER_DIR (read through AnswerStore) and renders the aspiration, stepping-stone goal,
company research, alignment, the final drafted answer with the coach's score and tips, and the
practice notes. Answers the sheet has no section for (new exercises, graded notebooks) are shown
in a generic section, readably, so nothing a learner wrote is left out. Every piece of learner
text is escaped. `--zip` packs the raw answers files beside the HTML so a learner can carry
their work to another machine: unzip it into the kit's notebooks/ folder there.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from course.errors import KitError
from course.learner import content, kinds, profile
from course.learner.answers import SUFFIX, AnswerStore
from course.paths import TEMPLATES_DIR

__all__ = [
    "AnswersFile",
    "PrepSheetError",
    "gather",
    "pack_answers",
    "prep_sheet_button",
    "render",
    "write_prep_sheet",
]

GOALS = "01-aspirations-vs-goals"
RESEARCH = "02-research-the-company"
ALIGN = "03-align-your-aspirations"
DRAFT = "05-draft-your-answer"
PRACTICE = "06-practice-and-reflect"
#: Exercise ids with a section of their own (lesson, exercise id); the rest go to "More".
KNOWN = {
    (GOALS, "stepping-stone"),
    (RESEARCH, "company-choice"),
    (RESEARCH, "company-profile"),
    (ALIGN, "my-aspirations"),
    (ALIGN, "alignment-matrix"),
    (DRAFT, "draft-answer"),
    (PRACTICE, "peer-feedback"),
    (PRACTICE, "reflection"),
}
#: The final answer: lesson 06's revision when there is one, else lesson 05's draft.
DRAFT_IDS = ((PRACTICE, "revised-answer"), (PRACTICE, "final-answer"), (DRAFT, "draft-answer"))
#: Longest text shown for one answer (a 1 MB paste must not make a 1 MB page).
MAX_TEXT = 4000
MAX_ITEMS = 60
MAX_DEPTH = 5
RESTORE_NOTE = """\
Your answers from the Career Aspirations Workshop Kit.

To carry on with them on another machine, unzip this file into the kit's notebooks/ folder
(the folder that holds 00-start-here.ipynb), keeping the folder structure:

    unzip -o {zip_name} -d notebooks/
    (or, where unzip is missing:  python -m zipfile -e {zip_name} notebooks/)

Answers files with the same names in that folder are replaced, so copy them aside first if
they hold work you want to keep. Then open the lessons: every exercise shows your answers again.
"""


class PrepSheetError(KitError):
    """The prep sheet cannot be made (no such folder, output not writable)."""


@dataclass
class AnswersFile:
    """One answers file found under the learner's folder."""

    path: Path
    relative: str
    notebook: str
    answers: dict[str, Any]
    saved: datetime
    messages: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- gathering


#: Folders never searched for answers files (environments, caches, checkpoints).
PRUNE = {"__pycache__", "node_modules", "site-packages"}


def _answers_files(root: Path) -> list[Path]:
    """Every answers file under `root`, hidden folders and environments left out (not walked)."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in PRUNE)
        found += [Path(folder) / name for name in files if name.endswith(SUFFIX)]
    return sorted(found)


def gather(folder: str | os.PathLike[str]) -> list[AnswersFile]:
    """Every answers file under `folder`, read through AnswerStore: lessons first, in order."""
    root = Path(folder)
    if not root.is_dir():
        raise PrepSheetError(f"{root} is not a folder: give the folder holding your notebooks")
    found = []
    for path in _answers_files(root):
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            store = AnswerStore(path.name, path.parent)
        found.append(
            AnswersFile(
                path=path,
                relative=path.relative_to(root).as_posix(),
                notebook=store.notebook,
                answers=store.all(),
                saved=datetime.fromtimestamp(path.stat().st_mtime) if path.exists() else None,
                messages=list(store.messages),
            )
        )
    # A lesson's own answers (the shallowest file of that name) come first, in lesson order.
    order = {lesson.id: i for i, lesson in enumerate(content.lessons())}
    found.sort(key=lambda f: (f.relative.count("/"), order.get(f.notebook, 99), f.relative))
    return found


def _lesson_files(files: list[AnswersFile]) -> dict[str, AnswersFile]:
    """The answers file of each lesson notebook: the shallowest one of that name."""
    chosen: dict[str, AnswersFile] = {}
    for f in files:
        chosen.setdefault(f.notebook, f)
    return chosen


# --------------------------------------------------------------------------- rendering helpers


def esc(value: Any) -> str:
    """Escape anything for HTML text or attributes."""
    return html.escape(str(value), quote=True)


def _clip(text: str, limit: int = MAX_TEXT) -> str:
    if len(text) <= limit:
        return esc(text)
    more = len(text) - limit
    return f'{esc(text[:limit])}<span class="muted"> … ({more:,} more characters not shown)</span>'


def text_block(text: Any, css: str = "text") -> str:
    """Learner text as an escaped block that keeps its line breaks."""
    if not isinstance(text, str) or not text.strip():
        return '<span class="muted">(empty)</span>'
    return f'<div class="{css}">{_clip(text.strip())}</div>'


def humanize(key: Any) -> str:
    """'strength-what' -> 'Strength what' (for ids without a label)."""
    words = str(key).replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else "(no name)"


def render_value(value: Any, depth: int = 0) -> str:
    """Any answer value as readable, escaped HTML: text, lists, mappings, numbers, yes/no."""
    if value is None:
        return '<span class="muted">(empty)</span>'
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return esc(value)
    if isinstance(value, str):
        return text_block(value)
    if depth >= MAX_DEPTH:
        return f'<div class="text">{_clip(json.dumps(value, ensure_ascii=False), 500)}</div>'
    if isinstance(value, list):
        if not value:
            return '<span class="muted">(empty)</span>'
        items = "".join(f"<li>{render_value(v, depth + 1)}</li>" for v in value[:MAX_ITEMS])
        more = _more(len(value))
        return f"<ul>{items}</ul>{more}"
    if isinstance(value, Mapping):
        if not value:
            return '<span class="muted">(empty)</span>'
        rows = "".join(
            f"<dt>{esc(humanize(k))}</dt><dd>{render_value(v, depth + 1)}</dd>"
            for k, v in list(value.items())[:MAX_ITEMS]
        )
        return f"<dl>{rows}</dl>{_more(len(value))}"
    return esc(value)


def _more(count: int) -> str:
    if count <= MAX_ITEMS:
        return ""
    return f'<p class="muted">… and {count - MAX_ITEMS} more not shown.</p>'


def _labelled(value: Any, labels: Mapping[str, str]) -> str:
    """A form's answer with its field labels, in the form's order, extra keys after."""
    if not isinstance(value, Mapping):
        return render_value(value)
    rows = []
    for key in [*labels, *(k for k in value if k not in labels)]:
        if key in value and value[key] not in ("", None):
            label = labels.get(key, humanize(key))
            rows.append(f"<dt>{esc(label)}</dt><dd>{render_value(value[key], 1)}</dd>")
    return f"<dl>{''.join(rows)}</dl>" if rows else '<span class="muted">(empty)</span>'


def describe(exercise_id: str, value: Any) -> str:
    """An answer rendered with what the course content knows about its exercise, if anything."""
    for kind in kinds.all():
        if kind.load is None:
            continue
        try:
            found = kind.load(exercise_id)
            rendered = _SHEET_RENDERERS[type(found)](found, value)
        except (KeyError, KitError, TypeError, AttributeError, ValueError):
            rendered = None
        if rendered is not None:
            return rendered
    return render_value(value)


def _as_form(spec: content.FormSpec, value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return None
    return _labelled(value, {f.id: f.label for f in spec.fields})


def _as_classify(spec: content.ClassifySet, value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return None
    texts = {item.id: item.text for item in spec.items}
    rows = "".join(
        f"<tr><td>{esc(texts.get(k, humanize(k)))}</td><td>{esc(v)}</td></tr>"
        for k, v in list(value.items())[:MAX_ITEMS]
    )
    return f'<div class="table-wrap"><table><tbody>{rows}</tbody></table></div>'


def _as_quiz(spec: content.Quiz, value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return None
    rows = []
    for q in spec.questions:
        if q.id in value:
            options = {o.id: o.text for o in q.options}
            chosen = value[q.id]
            answer = options.get(chosen, chosen) if isinstance(chosen, str) else chosen
            rows.append(f"<dt>{esc(q.text)}</dt><dd>{render_value(answer, 1)}</dd>")
    return f"<dl>{''.join(rows)}</dl>" if rows else None


def _as_choose(spec: content.ChooseSet, value: Any) -> str | None:
    if not isinstance(value, list):
        return None
    texts = {o.id: o.text for o in spec.options}
    items = "".join(f"<li>{esc(texts.get(v, v))}</li>" for v in value[:MAX_ITEMS])
    return f"<p>You picked:</p><ul>{items}</ul>" if items else None


#: How the sheet shows an answer, by the type of the practice set its kind's content loader
#: returns (course.learner.kinds: each kind names its loader).
_SHEET_RENDERERS: dict[type, Callable[[Any, Any], str | None]] = {
    content.ClassifySet: _as_classify,
    content.ChooseSet: _as_choose,
    content.Quiz: _as_quiz,
    content.FormSpec: _as_form,
}


def _coach(text: str, company: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The coach's analysis as plain data, or None where the coach trips over odd input."""
    from course.coach import analyze

    try:
        return analyze(text, company=company).to_dict()
    except Exception:  # the sheet must still be made if the coach trips over odd input
        try:
            return analyze(text).to_dict()
        except Exception:
            return None


# --------------------------------------------------------------------------- sections


@dataclass
class _Sheet:
    """What the sections need: the lesson answers files and the parts already shown."""

    files: list[AnswersFile]
    lessons: dict[str, AnswersFile]
    shown: set[tuple[str, str]] = field(default_factory=set)

    def get(self, lesson: str, exercise_id: str) -> Any:
        f = self.lessons.get(lesson)
        if f is None or exercise_id not in f.answers:
            return None
        self.shown.add((f.relative, exercise_id))
        return f.answers[exercise_id]

    def folder(self, lesson: str) -> Path | None:
        f = self.lessons.get(lesson)
        return f.path.parent if f else None


def _section(title: str, body: str, css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    anchor = title.lower().replace(" ", "-")
    return f'<section id="{esc(anchor)}"{cls}><h2>{esc(title)}</h2>{body}</section>'


def _field(value: Any, key: str) -> str | None:
    if isinstance(value, Mapping):
        text = value.get(key)
        if isinstance(text, str) and text.strip():
            return text
    return None


def _aspiration_section(sheet: _Sheet) -> str:
    stone = sheet.get(GOALS, "stepping-stone")
    mine = sheet.get(ALIGN, "my-aspirations")
    parts = []
    main = _field(stone, "aspiration")
    if main:
        parts.append(f"<h3>Your aspiration</h3>{text_block(main, 'text lead')}")
    others = []
    if isinstance(mine, Mapping):
        for key in sorted(k for k in mine if str(k).startswith("aspiration")):
            text = _field(mine, key)
            if text and text.strip() != (main or "").strip():
                others.append(f"<li>{text_block(text)}</li>")
    if others:
        heading = "Your aspirations" if not main else "More of your aspirations"
        parts.append(f"<h3>{heading}</h3><ul>{''.join(others)}</ul>")
    evidence = _field(mine, "evidence")
    if evidence:
        parts.append(f"<h3>Evidence from your past</h3>{text_block(evidence)}")
    if not parts:
        body = _empty("Write your aspiration in lesson 01 (the stepping-stone worksheet).")
        return _section("Aspiration", body)
    return _section("Aspiration", "".join(parts))


def _goal_section(sheet: _Sheet) -> str:
    stone = sheet.get(GOALS, "stepping-stone")
    goal = _field(stone, "goal")
    if not goal:
        return _section("Stepping-stone goal", _empty("Lesson 01 turns an aspiration into a goal."))
    rows = [f"<dt>Goal</dt><dd>{text_block(goal)}</dd>"]
    months = _field(stone, "months")
    if months:
        rows.append(f"<dt>Within (months)</dt><dd>{text_block(months)}</dd>")
    measure = _field(stone, "measure")
    if measure:
        rows.append(f"<dt>How you will know</dt><dd>{text_block(measure)}</dd>")
    return _section("Stepping-stone goal", f"<dl>{''.join(rows)}</dl>")


def _company(sheet: _Sheet) -> tuple[dict[str, Any] | None, bool]:
    """The learner's company profile and whether it is a shipped fictional one."""
    choice = sheet.get(RESEARCH, "company-choice")
    form = sheet.get(RESEARCH, "company-profile")
    folder = sheet.folder(RESEARCH)
    if folder is not None:
        try:
            company = profile.company_from_answers(folder)
        except Exception:
            company = None
        shipped = isinstance(choice, str) and choice in content.companies()
        return company, shipped
    if isinstance(form, Mapping):
        return dict(form), False
    return None, False


def _list(entries: Any) -> str:
    if isinstance(entries, str):
        entries = [line for line in entries.splitlines() if line.strip()]
    if not isinstance(entries, list) or not entries:
        return '<span class="muted">(none yet)</span>'
    return "<ul>" + "".join(f"<li>{_clip(str(e))}</li>" for e in entries[:MAX_ITEMS]) + "</ul>"


def _company_section(sheet: _Sheet, company: Mapping[str, Any] | None, shipped: bool) -> str:
    form = sheet.get(RESEARCH, "company-profile")
    if not company:
        body = _empty("Lesson 02: pick a practice company or fill in the research worksheet.")
        return _section("Company research", body)
    name = company.get("name") or "Your company (no name yet)"
    note = ' <span class="tag">fictional, for practice</span>' if shipped else ""
    head = f'<p class="company"><b>{esc(name)}</b>{note}</p>'
    facts = [
        f"{label}: <b>{esc(company[key])}</b>"
        for key, label in (("role", "Role"), ("industry", "Industry"))
        if company.get(key)
    ]
    grid = "".join(
        f"<div><h3>{label}</h3>{_list(company.get(key))}</div>"
        for key, label in (
            ("values", "Values and culture"),
            ("plans", "Plans for the future"),
            ("skills", "Skills the role asks for"),
        )
    )
    sources = _field(form, "sources") if not shipped else None
    tail = f"<h3>Sources</h3>{text_block(sources)}" if sources else ""
    facts_html = f"<p>{' · '.join(facts)}</p>" if facts else ""
    body = f'{head}{facts_html}<div class="grid">{grid}</div>{tail}'
    return _section("Company research", body, "wide")


LEVEL_NAMES = {0: "none", 1: "some", 2: "strong"}


def _alignment_section(sheet: _Sheet, company: Mapping[str, Any] | None) -> str:
    sheet.get(ALIGN, "alignment-matrix")  # shown here, whatever its shape
    folder = sheet.folder(ALIGN)
    data = None
    if folder is not None:
        try:
            data = profile.alignment_from_answers(folder, company=company)
        except Exception:
            data = None
    if not data or not data.get("aspirations") or not data.get("columns"):
        return _section(
            "Alignment",
            _empty("Lesson 03 rates how your aspirations meet the company's values and plans."),
        )
    strong = []
    head = "".join(f"<th scope='col'>{esc(c)}</th>" for c in data["columns"])
    rows = []
    for aspiration, ratings in zip(data["aspirations"], data["grid"], strict=False):
        cells = []
        for column, rating in zip(data["columns"], ratings, strict=False):
            name = LEVEL_NAMES.get(rating, "") if rating is not None else ""
            cells.append(f'<td class="lvl-{esc(name or "none-yet")}">{esc(name or "–")}</td>')
            if rating == 2:
                strong.append((aspiration, column))
        rows.append(f"<tr><th scope='row'>{esc(aspiration)}</th>{''.join(cells)}</tr>")
    table = (
        f'<div class="table-wrap"><table class="matrix"><thead><tr><th></th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    lead = ""
    if strong:
        items = "".join(f"<li>{esc(a)} <b>↔</b> {esc(c)}</li>" for a, c in strong[:8])
        lead = f"<h3>Lead with these overlaps</h3><ul>{items}</ul>"
    return _section("Alignment", lead + table, "wide")


def _final_answer(sheet: _Sheet) -> tuple[str | None, str]:
    for lesson, exercise_id in DRAFT_IDS:
        value = sheet.get(lesson, exercise_id)
        if isinstance(value, str) and value.strip():
            return value, lesson
    return None, ""


def _answer_section(sheet: _Sheet, company: Mapping[str, Any] | None) -> str:
    text, lesson = _final_answer(sheet)
    if not text:
        return _section(
            "Your answer", _empty("Lesson 05: draft your answer; the coach scores it as you type.")
        )
    parts = [text_block(text, "text answer")]
    analysis = _coach(text, company)
    if analysis:
        parts.append(_coach_html(analysis, company is not None))
    source = "lesson 06 (revised)" if lesson == PRACTICE else "lesson 05"
    parts.append(f'<p class="muted small">From {source}.</p>')
    return _section("Your answer", "".join(parts), "answer-section wide")


def _coach_html(analysis: Mapping[str, Any], with_company: bool) -> str:
    rubric = content.rubric()
    names = dict(zip((1, 2, 3), rubric.level_names, strict=True))
    criteria = analysis.get("criteria") or {}
    rows = []
    for criterion in rubric.criteria:
        level = criteria.get(criterion.id)
        if isinstance(level, int) and level in names:
            dots = "●" * level + "○" * (3 - level)
            rows.append(
                f"<li><b>{esc(criterion.name)}</b> <span class='dots' aria-label='{level} of 3'>"
                f"{dots}</span> {esc(names[level])}</li>"
            )
    score = analysis.get("score")
    words, seconds = analysis.get("words"), analysis.get("seconds")
    summary = []
    if isinstance(score, int):
        summary.append(
            f'<span class="score">Coach score {score} / {3 * len(rubric.criteria)}</span>'
        )
    if isinstance(words, int) and isinstance(seconds, int | float):
        summary.append(f"{words} words ≈ {round(seconds)} s spoken")
    if not with_company:
        summary.append("(no company profile: alignment judged on general signals)")
    tips = analysis.get("tips") or []
    tips_html = "".join(f"<li>{esc(t)}</li>" for t in tips[:6] if isinstance(t, str))
    return (
        f'<p class="coach-summary">{" · ".join(summary)}</p>'
        f'<ul class="chips">{"".join(rows)}</ul>'
        + (f"<h3>Coach's tips</h3><ul>{tips_html}</ul>" if tips_html else "")
    )


def _practice_section(sheet: _Sheet) -> str:
    parts = []
    for exercise_id, title in (
        ("peer-feedback", "Feedback from your triad"),
        ("reflection", "Your reflection"),
    ):
        value = sheet.get(PRACTICE, exercise_id)
        if value:
            parts.append(f"<h3>{esc(title)}</h3>{describe(exercise_id, value)}")
    if not parts:
        body = _empty("Lesson 06: notes from the triad rounds and your reflection land here.")
        return _section("Practice notes", body)
    return _section("Practice notes", "".join(parts))


def _more_section(sheet: _Sheet) -> str:
    blocks = []
    for f in sheet.files:
        entries = []
        for exercise_id, value in f.answers.items():
            is_lesson_file = sheet.lessons.get(f.notebook) is f
            if is_lesson_file and (f.notebook, exercise_id) in KNOWN:
                continue
            if (f.relative, exercise_id) in sheet.shown:
                continue
            entries.append(
                f"<dt>{esc(humanize(exercise_id))} <code>{esc(exercise_id)}</code></dt>"
                f"<dd>{describe(exercise_id, value)}</dd>"
            )
        if entries:
            title = esc(_notebook_title(f.notebook))
            if f.relative != f"{f.notebook}{SUFFIX}":
                title += f' <span class="muted small">({esc(f.relative)})</span>'
            blocks.append(f"<h3>{title}</h3><dl class='more'>{''.join(entries)}</dl>")
    if not blocks:
        return ""
    return _section("More of your work", "".join(blocks), "more-section")


def _notebook_title(stem: str) -> str:
    try:
        lesson = content.lesson(stem)
    except KeyError:
        return humanize(stem)
    return f"{stem[:2]} {lesson.title}"


def _empty(hint: str) -> str:
    return f'<p class="muted">Nothing here yet. {esc(hint)}</p>'


def _problems(files: list[AnswersFile]) -> str:
    notes = [m for f in files for m in f.messages]
    if not notes:
        return ""
    items = "".join(f"<li>{esc(m)}</li>" for m in notes)
    return (
        f'<section class="warn"><h2>Some answers could not be read</h2><ul>{items}</ul></section>'
    )


# --------------------------------------------------------------------------- page

#: The sheet's styles (inlined, so the page is one self-contained file).
CSS_FILE = TEMPLATES_DIR / "prep-sheet" / "prep-sheet.css"


def render(folder: str | os.PathLike[str], now: datetime | None = None) -> str:
    """The prep sheet for the answers under `folder`, as a complete HTML page."""
    files = gather(folder)
    sheet = _Sheet(files, _lesson_files(files))
    company, shipped = _company(sheet)
    sections = [
        _problems(files),
        _aspiration_section(sheet),
        _goal_section(sheet),
        _company_section(sheet, company, shipped),
        _alignment_section(sheet, company),
        _answer_section(sheet, company),
        _practice_section(sheet),
        _more_section(sheet),
    ]
    when = (now or datetime.now()).strftime("%d %B %Y, %H:%M")
    role = ""
    if company and (company.get("role") or company.get("name")):
        bits = [company.get("role") or "", company.get("name") or ""]
        role = f"<p>For: <b>{esc(' at '.join(b for b in bits if b))}</b></p>"
    if not files:
        intro = (
            '<section class="warn"><h2>No answers found yet</h2><p>This folder holds no '
            "answers files. Work through the lessons (your answers are saved as you go), then "
            "make the prep sheet again.</p></section>"
        )
        sections = [intro]
    listed = ", ".join(
        f"{esc(f.relative)} ({f.saved:%d %b %Y %H:%M})" if f.saved else esc(f.relative)
        for f in files
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Interview prep sheet: What are your career aspirations?</title>\n"
        f"<style>\n{CSS_FILE.read_text(encoding='utf-8')}</style>\n</head>\n<body>\n<main>\n"
        "<header><h1>Interview prep sheet</h1>"
        "<p><i>“What are your career aspirations?”</i></p>"
        f"{role}<p class='muted small'>Made {esc(when)}</p></header>\n"
        '<div class="actions"><button type="button" onclick="window.print()">Print or save as PDF'
        "</button></div>\n"
        + "\n".join(s for s in sections if s)
        + f"\n<footer>Gathered from: {listed or 'no answers files'}.</footer>\n"
        "</main>\n</body>\n</html>\n"
    )


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def pack_answers(folder: str | os.PathLike[str], target: str | os.PathLike[str]) -> Path:
    """Zip every answers file under `folder` (paths kept relative) with a how-to-restore note."""
    target = Path(target)
    files = gather(folder)

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for f in files:
                archive.write(f.path, f.relative)
            archive.writestr("RESTORE.txt", RESTORE_NOTE.format(zip_name=target.name))

    _atomic_write(target, write)
    return target


def write_prep_sheet(
    folder: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    zip: bool = False,
) -> tuple[Path, Path | None]:
    """Write the prep sheet (default `folder`/prep-sheet.html) and, with `zip`, the answers zip."""
    folder = Path(folder)
    output = Path(output) if output is not None else folder / "prep-sheet.html"
    if output.suffix.lower() not in (".html", ".htm"):
        raise PrepSheetError(f"the prep sheet is an HTML page: name it *.html, not {output.name}")
    page = render(folder)
    try:
        _atomic_write(output, lambda tmp: tmp.write_text(page, encoding="utf-8"))
        packed = pack_answers(folder, output.with_suffix(".zip")) if zip else None
    except OSError as exc:
        raise PrepSheetError(f"could not write {output}: {exc}") from None
    return output, packed


def _href(path: Path) -> str:
    """A link to `path` relative to the kernel's folder (where the notebook is)."""
    try:
        rel = os.path.relpath(path, Path.cwd())
    except ValueError:  # another drive on Windows
        rel = str(path)
    return esc(Path(rel).as_posix())


def prep_sheet_button(folder: str | os.PathLike[str] = ".", with_zip: bool = True) -> Any:
    """A button that writes prep-sheet.html (and its answers zip) in `folder` and links them.

    Returns an ipywidgets VBox holding the button and an Output area, also reachable as
    `.button` and `.output`; `.html` is the HTML last shown (tests click `box.button.click()`
    and read `box.html`).
    """
    import ipywidgets as W

    button = W.Button(
        description="Make my prep sheet",
        icon="file-text-o",
        button_style="success",
        tooltip="Gather your answers from every lesson on one printable page",
        layout=W.Layout(width="auto"),
    )
    # An Output, not an HTML widget: its HTML goes through JupyterLab's renderer, which turns a
    # relative link into the server's files/<path> URL, makes a click open the file, and styles
    # links as links. (An HTML widget does none of that: its links showed as plain text.) The
    # output is set through `.outputs`, which works from a click callback and without a kernel.
    output = W.Output()

    def show(html: str, text: str) -> None:
        box.html = html
        output.outputs = (
            {
                "output_type": "display_data",
                "data": {"text/html": html, "text/plain": text},
                "metadata": {},
            },
        )

    def make(_button: Any = None) -> None:
        try:
            page, packed = write_prep_sheet(folder, Path(folder) / "prep-sheet.html", zip=with_zip)
        except KitError as exc:
            show(
                f'<div class="cak-warn">Could not make the prep sheet: {esc(exc)}</div>',
                f"Could not make the prep sheet: {exc}",
            )
            return
        # Relative to the notebook's folder: JupyterLab resolves them to files/<path>. The zip
        # keeps `download`, so a click saves it instead of opening it in a tab.
        # A click opens the sheet in a JupyterLab tab, which runs no scripts (its Print button
        # does nothing there); in a browser tab of its own it prints.
        to_print = (
            "a click opens it here; to print it or save it as PDF, open it in a new browser tab "
            "(right-click, Open link in new tab) and use its Print button"
        )
        links = [
            f'<a href="{_href(page)}" target="_blank" rel="noopener">{esc(page.name)}</a> '
            f"({to_print})"
        ]
        lines = [f"{page} ({to_print})"]
        if packed:
            links.append(
                f'<a href="{_href(packed)}" target="_blank" rel="noopener" download>'
                f"{esc(packed.name)}</a> (your answers files: unzip into notebooks/ on another "
                "machine to carry on there)"
            )
            lines.append(f"{packed} (your answers files)")
        stamp = datetime.now().strftime("%H:%M:%S")
        show(
            f"<div>Prep sheet written at {stamp}:<ul>"
            + "".join(f"<li>{link}</li>" for link in links)
            + f"</ul><small>Saved in {esc(Path(folder).resolve())}</small></div>",
            f"Prep sheet written at {stamp}: " + "; ".join(lines),
        )

    button.on_click(make)
    # Children keep their own width (a VBox stretches them to the cell's full width).
    box = W.VBox([button, output], layout=W.Layout(align_items="flex-start"))
    box.button, box.output, box.make, box.html = button, output, make, ""
    return box
