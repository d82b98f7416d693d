"""Load the course content (YAML under course/content/) into small frozen dataclasses, validated.

Content is data: statements, company profiles, the rubric, the lesson outline, quizzes and the
other exercise sets live in YAML. Every entry is checked on load with explicit checks (no
jsonschema: it costs 1.4 s to import) and any problem raises one ContentError naming the file,
the entry and the field.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from course.errors import ContentError
from course.learner.content_models import (
    ChooseOption,
    ChooseSet,
    ClassifyItem,
    ClassifySet,
    Company,
    Criterion,
    FollowUpGuide,
    FormField,
    FormSpec,
    Lesson,
    ModelAnswer,
    ModelAnswers,
    ModelSentence,
    Quiz,
    QuizOption,
    QuizQuestion,
    Rewrite,
    RewriteStep,
    Rubric,
    Situation,
    SituationExample,
)
from course.paths import CONTENT_DIR

__all__ = [
    "CONTENT_DIR",
    "ChooseOption",
    "ChooseSet",
    "ClassifyItem",
    "ClassifySet",
    "Company",
    "ContentError",
    "Criterion",
    "FollowUpGuide",
    "FormField",
    "FormSpec",
    "Lesson",
    "ModelAnswer",
    "ModelAnswers",
    "ModelSentence",
    "Quiz",
    "QuizOption",
    "QuizQuestion",
    "Rewrite",
    "RewriteStep",
    "Rubric",
    "Situation",
    "SituationExample",
    "choose_set",
    "classify_set",
    "companies",
    "company",
    "follow_up_guides",
    "follow_up_questions",
    "form",
    "lesson",
    "lessons",
    "load_company",
    "model_answers",
    "quiz",
    "rubric",
    "situations",
]


# --------------------------------------------------------------------------- validation


class _Entry:
    """Typed field access on one YAML entry; every failure names file, entry and field."""

    def __init__(self, file: Path | str, entry: str, data: Any):
        self.file = str(file)
        self.entry = entry
        if not isinstance(data, Mapping):
            raise ContentError(self.file, entry, None, f"expected a mapping, got {_kind(data)}")
        self.data = data

    def fail(self, field: str, message: str) -> ContentError:
        return ContentError(self.file, self.entry, field, message)

    def _get(self, field: str, required: bool) -> Any:
        if field not in self.data or self.data[field] is None:
            if required:
                raise self.fail(field, "is missing")
            return None
        return self.data[field]

    def str(self, field: str, required: bool = True, default: str = "") -> str:
        value = self._get(field, required)
        if value is None:
            return default
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field, f"expected non-empty text, got {_kind(value)}")
        return value.strip()

    def strs(self, field: str, required: bool = True) -> tuple[str, ...]:
        value = self._get(field, required)
        if value is None:
            return ()
        if not isinstance(value, list) or not value:
            raise self.fail(field, f"expected a non-empty list of text, got {_kind(value)}")
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{field}[{i}]", f"expected non-empty text, got {_kind(item)}")
        return tuple(item.strip() for item in value)

    def int(self, field: str, minimum: int = 0, maximum: int = 10_000) -> int:
        value = self._get(field, True)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(field, f"expected a whole number, got {_kind(value)}")
        if not minimum <= value <= maximum:
            raise self.fail(field, f"expected a number from {minimum} to {maximum}, got {value}")
        return value

    def bool(self, field: str, required: bool = True, default: bool = False) -> bool:
        value = self._get(field, required)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(field, f"expected true or false, got {_kind(value)}")
        return value

    def choice(self, field: str, allowed: tuple[str, ...]) -> str:
        value = self.str(field)
        if value not in allowed:
            raise self.fail(field, f"expected one of {', '.join(allowed)}, got {value!r}")
        return value

    def list(self, field: str) -> list[Any]:
        value = self._get(field, True)
        if not isinstance(value, list) or not value:
            raise self.fail(field, f"expected a non-empty list, got {_kind(value)}")
        return value

    def mapping(self, field: str) -> Mapping[str, Any]:
        value = self._get(field, True)
        if not isinstance(value, Mapping) or not value:
            raise self.fail(field, f"expected a non-empty mapping, got {_kind(value)}")
        return value

    def child(self, field: str, index_or_key: int | str, data: Any) -> _Entry:
        where = f"[{index_or_key}]" if isinstance(index_or_key, int) else f".{index_or_key}"
        return _Entry(self.file, f"{self.entry}.{field}{where}", data)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"a true/false value ({value})"
    return f"{type(value).__name__} {value!r}"[:80]


def _read_yaml(path: Path) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(str(path), None, None, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(str(path), None, None, f"cannot be read: {exc}") from None
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise ContentError(str(path), None, None, f"is not valid YAML: {exc}") from None


def _top(path: Path) -> _Entry:
    """The file's top-level mapping."""
    return _Entry(path, "(top level)", _read_yaml(path))


def _unique(entry: _Entry, field: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i, item_id in enumerate(ids):
        if item_id in seen:
            raise entry.fail(f"{field}[{i}].id", f"duplicate id {item_id!r}")
        seen.add(item_id)


def _ident(entry: _Entry, field: str = "id") -> str:
    value = entry.str(field)
    if not all(ch.isalnum() or ch in "-_" for ch in value):
        raise entry.fail(field, f"expected letters, digits, '-' or '_', got {value!r}")
    return value


# --------------------------------------------------------------------------- parsers


def parse_company(data: Any, file: Path | str, company_id: str) -> Company:
    """Validate one company profile mapping (the YAML profile format)."""
    e = _Entry(file, company_id, data)
    return Company(
        id=company_id,
        name=e.str("name"),
        industry=e.str("industry"),
        role=e.str("role"),
        values=e.strs("values"),
        plans=e.strs("plans"),
        skills=e.strs("skills"),
    )


def load_company(path: str | Path) -> Company:
    """Load one company profile from a YAML file (a learner's own, or a shipped one)."""
    path = Path(path)
    return parse_company(_read_yaml(path), path, path.stem)


def parse_rubric(data: Any, file: Path | str) -> Rubric:
    top = _Entry(file, "(top level)", data)
    names = top.strs("level_names")
    if len(names) != 3:
        raise top.fail("level_names", f"expected 3 level names, got {len(names)}")
    criteria = []
    for i, raw in enumerate(top.list("criteria")):
        e = top.child("criteria", i, raw)
        cid = _ident(e)
        e.entry = cid
        levels = e.mapping("levels")
        texts = []
        for level in (1, 2, 3):
            text = levels.get(level, levels.get(str(level)))
            if not isinstance(text, str) or not text.strip():
                raise e.fail(f"levels.{level}", f"expected the level-{level} descriptor text")
            texts.append(text.strip())
        criteria.append(
            Criterion(cid, e.str("name"), e.str("question"), (texts[0], texts[1], texts[2]))
        )
    _unique(top, "criteria", [c.id for c in criteria])
    return Rubric(level_names=(names[0], names[1], names[2]), criteria=tuple(criteria))


def parse_outline(data: Any, file: Path | str) -> tuple[Lesson, ...]:
    top = _Entry(file, "(top level)", data)
    lessons = []
    for i, raw in enumerate(top.list("lessons")):
        e = top.child("lessons", i, raw)
        lid = _ident(e)
        e.entry = lid
        lessons.append(
            Lesson(
                id=lid,
                title=e.str("title"),
                summary=e.str("summary"),
                objectives=e.strs("objectives"),
                key_points=e.strs("key_points"),
                teach_minutes=e.int("teach_minutes", 0, 240),
                practice_minutes=e.int("practice_minutes", 0, 240),
                exercise=e.str("exercise", required=False) or None,
            )
        )
    _unique(top, "lessons", [lesson.id for lesson in lessons])
    return tuple(lessons)


def _sets(data: Any, file: Path | str, parse_one: Callable[[_Entry, str], Any]) -> dict[str, Any]:
    top = _Entry(file, "(top level)", data)
    result = {}
    for set_id, raw in top.mapping("sets").items():
        e = _Entry(file, str(set_id), raw)
        result[str(set_id)] = parse_one(e, str(set_id))
    return result


def _parse_classify(e: _Entry, set_id: str) -> ClassifySet:
    labels = e.strs("labels")
    items = []
    for i, raw in enumerate(e.list("items")):
        item = e.child("items", i, raw)
        item_id = _ident(item)
        items.append(
            ClassifyItem(
                item_id, item.str("text"), item.choice("label", labels), item.str("explanation")
            )
        )
    _unique(e, "items", [it.id for it in items])
    return ClassifySet(set_id, e.str("prompt"), labels, e.str("hint"), tuple(items))


def _parse_choose(e: _Entry, set_id: str) -> ChooseSet:
    options = []
    for i, raw in enumerate(e.list("options")):
        o = e.child("options", i, raw)
        options.append(ChooseOption(_ident(o), o.str("text"), o.bool("applies"), o.str("reason")))
    _unique(e, "options", [o.id for o in options])
    if not any(o.applies for o in options):
        raise e.fail("options", "at least one option must apply")
    return ChooseSet(
        set_id, e.str("prompt"), e.str("context", required=False), e.str("hint"), tuple(options)
    )


def _parse_quiz(e: _Entry, set_id: str) -> Quiz:
    questions = []
    for i, raw in enumerate(e.list("questions")):
        q = e.child("questions", i, raw)
        options = []
        for j, oraw in enumerate(q.list("options")):
            o = q.child("options", j, oraw)
            options.append(
                QuizOption(_ident(o), o.str("text"), o.bool("correct"), o.str("feedback"))
            )
        _unique(q, "options", [o.id for o in options])
        if sum(o.correct for o in options) != 1:
            raise q.fail("options", "exactly one option must be correct")
        questions.append(QuizQuestion(_ident(q), q.str("text"), tuple(options)))
    _unique(e, "questions", [q.id for q in questions])
    return Quiz(set_id, e.str("prompt"), e.str("hint"), tuple(questions))


def _parse_form(e: _Entry, set_id: str) -> FormSpec:
    fields = []
    for i, raw in enumerate(e.list("fields")):
        f = e.child("fields", i, raw)
        fields.append(
            FormField(
                _ident(f),
                f.str("label"),
                f.str("placeholder", required=False),
                f.bool("multiline", required=False),
                f.bool("required", required=False, default=True),
            )
        )
    _unique(e, "fields", [f.id for f in fields])
    return FormSpec(set_id, e.str("prompt"), e.str("hint", required=False), tuple(fields))


# --------------------------------------------------------------------------- cached accessors


@functools.cache
def rubric() -> Rubric:
    """The rubric for a drafted answer (content/rubric.yaml)."""
    path = CONTENT_DIR / "rubric.yaml"
    return parse_rubric(_read_yaml(path), path)


@functools.cache
def lessons() -> tuple[Lesson, ...]:
    """The lesson outline in teaching order (content/outline.yaml)."""
    path = CONTENT_DIR / "outline.yaml"
    return parse_outline(_read_yaml(path), path)


def lesson(lesson_id: str) -> Lesson:
    """One lesson of the outline, by id (e.g. '01-aspirations-vs-goals')."""
    for item in lessons():
        if item.id == lesson_id:
            return item
    raise KeyError(f"no lesson {lesson_id!r} in the outline")


@functools.cache
def companies() -> dict[str, Company]:
    """The fictional company profiles shipped for practice, by id (file stem)."""
    folder = CONTENT_DIR / "companies"
    return {p.stem: load_company(p) for p in sorted(folder.glob("*.yaml"))}


def company(company_id: str) -> Company:
    """One shipped company profile by id."""
    try:
        return companies()[company_id]
    except KeyError:
        raise KeyError(f"no company profile {company_id!r}") from None


@functools.cache
def _set_file(name: str) -> dict[str, Any]:
    parsers = {
        "classify": _parse_classify,
        "choose": _parse_choose,
        "quiz": _parse_quiz,
        "forms": _parse_form,
    }
    path = CONTENT_DIR / f"{name}.yaml"
    return _sets(_read_yaml(path), path, parsers[name])


def _lookup(name: str, set_id: str) -> Any:
    try:
        return _set_file(name)[set_id]
    except KeyError:
        raise KeyError(f"no set {set_id!r} in content/{name}.yaml") from None


def classify_set(set_id: str) -> ClassifySet:
    return _lookup("classify", set_id)


def choose_set(set_id: str) -> ChooseSet:
    return _lookup("choose", set_id)


def quiz(set_id: str) -> Quiz:
    return _lookup("quiz", set_id)


def form(set_id: str) -> FormSpec:
    return _lookup("forms", set_id)


@functools.cache
def follow_up_questions() -> tuple[str, ...]:
    """Follow-up questions interviewers ask after the aspirations answer (lesson 06's deck).

    The file's `questions`, then each guide's question and practice prompt not already listed.
    """
    path = CONTENT_DIR / "follow_ups.yaml"
    deck = list(_top(path).strs("questions"))
    for guide in follow_up_guides():
        deck += [q for q in (guide.question, guide.practice) if q not in deck]
    return tuple(deck)


def validate_all() -> list[str]:
    """Load every content file; return the names loaded (raises ContentError on the first fault)."""
    loaded = ["rubric", "outline", "companies"]
    rubric()
    lessons()
    companies()
    for name in ("classify", "choose", "quiz", "forms"):
        if (CONTENT_DIR / f"{name}.yaml").exists():
            _set_file(name)
            loaded.append(name)
    if (CONTENT_DIR / "follow_ups.yaml").exists():
        follow_up_questions()
        loaded.append("follow_ups")
    for name, load in (("model_answers", model_answers), ("situations", situations)):
        if (CONTENT_DIR / f"{name}.yaml").exists():
            load()
            loaded.append(name)
    return loaded


# --------------------------------------------------------------------------- model answers
# Model answers, the weak-to-strong rewrite, situations and follow-up guides (lessons 05, 06).

#: The moves a model answer's sentences make; every answer makes each of MOVES at least once.
MOVES = ("aspiration", "alignment", "skills", "goal", "evidence", "contribution")
#: Model answers run 60 to 90 seconds at 130 words a minute (course.speaking).
MODEL_WORDS = (130, 195)


def _company_of(e: _Entry) -> Company:
    """A shipped company (`company: id`) or an inline profile (`profile:`), never both."""
    if e.data.get("profile") is not None:
        if e.data.get("company") is not None:
            raise e.fail("company", "give either company or profile, not both")
        return parse_company(e.data["profile"], e.file, f"{e.entry}.profile")
    company_id = e.str("company")
    try:
        return company(company_id)
    except KeyError:
        known = ", ".join(companies())
        raise e.fail("company", f"no shipped company {company_id!r} (known: {known})") from None


def parse_model_answers(data: Any, file: Path | str) -> ModelAnswers:
    """Validate model_answers.yaml: moves known, every move made, 130 to 195 words, companies."""
    from course.speaking import count_words

    top = _Entry(file, "(top level)", data)
    labels = {str(k): str(v).strip() for k, v in top.mapping("moves").items()}
    missing = [m for m in MOVES if m not in labels]
    if missing:
        raise top.fail("moves", f"missing labels for {', '.join(missing)}")
    answers = []
    for i, raw in enumerate(top.list("answers")):
        e = top.child("answers", i, raw)
        aid = _ident(e)
        e.entry = aid
        sentences = []
        for j, sraw in enumerate(e.list("sentences")):
            s = e.child("sentences", j, sraw)
            moves = s.strs("moves")
            for k, move in enumerate(moves):
                if move not in labels:
                    raise s.fail(f"moves[{k}]", f"unknown move {move!r}")
            note = s.str("note", required="alignment" in moves)
            sentences.append(ModelSentence(" ".join(s.str("text").split()), moves, note))
        made = {m for s in sentences for m in s.moves}
        absent = [m for m in MOVES if m not in made]
        if absent:
            raise e.fail("sentences", f"no sentence makes the move {', '.join(absent)}")
        answer = ModelAnswer(
            id=aid,
            persona=e.str("persona"),
            name=e.str("name"),
            description=e.str("description"),
            company=_company_of(e),
            situation=e.str("situation", required=False) or None,
            sentences=tuple(sentences),
        )
        words = count_words(answer.text)
        if not MODEL_WORDS[0] <= words <= MODEL_WORDS[1]:
            low, high = MODEL_WORDS
            raise e.fail("sentences", f"{words} words; a model answer has {low} to {high}")
        answers.append(answer)
    _unique(top, "answers", [a.id for a in answers])
    r = _Entry(file, "rewrite", top.mapping("rewrite"))
    criteria = rubric().ids
    steps = []
    for i, raw in enumerate(r.list("steps")):
        s = r.child("steps", i, raw)
        steps.append(
            RewriteStep(
                s.choice("criterion", criteria), s.str("change"), " ".join(s.str("text").split())
            )
        )
    rewrite = Rewrite(
        id=_ident(r),
        name=r.str("name"),
        description=r.str("description"),
        company=_company_of(r),
        draft=" ".join(r.str("draft").split()),
        steps=tuple(steps),
    )
    from types import MappingProxyType

    return ModelAnswers(MappingProxyType(labels), tuple(answers), rewrite)


@functools.cache
def model_answers() -> ModelAnswers:
    """The annotated model answers and the weak-to-strong rewrite (content/model_answers.yaml)."""
    path = CONTENT_DIR / "model_answers.yaml"
    return parse_model_answers(_read_yaml(path), path)


def parse_follow_up_guides(
    data: Any, file: Path | str, personas: set[str]
) -> tuple[FollowUpGuide, ...]:
    """Validate follow_ups.yaml's `guides`; each model reply names a model answer's persona."""
    top = _Entry(file, "(top level)", data)
    if top.data.get("guides") is None:
        return ()
    guides = []
    for i, raw in enumerate(top.list("guides")):
        e = top.child("guides", i, raw)
        gid = _ident(e)
        e.entry = gid
        reply = e.child("model_reply", "", e.mapping("model_reply"))
        reply.entry = f"{gid}.model_reply"
        persona = reply.str("persona")
        if persona not in personas:
            raise reply.fail("persona", f"no model answer {persona!r} in model_answers.yaml")
        guides.append(
            FollowUpGuide(
                id=gid,
                question=e.str("question"),
                guidance=e.strs("guidance"),
                reply_persona=persona,
                reply=" ".join(reply.str("text").split()),
                practice=e.str("practice"),
            )
        )
    _unique(top, "guides", [g.id for g in guides])
    return tuple(guides)


@functools.cache
def follow_up_guides() -> tuple[FollowUpGuide, ...]:
    """The guided follow-up questions of lesson 06 (content/follow_ups.yaml, `guides`)."""
    path = CONTENT_DIR / "follow_ups.yaml"
    personas = {a.id for a in model_answers().answers}
    return parse_follow_up_guides(_read_yaml(path), path, personas)


def parse_situations(data: Any, file: Path | str, answers: set[str]) -> tuple[Situation, ...]:
    """Validate situations.yaml; each `model_answer` names an answer in model_answers.yaml."""
    top = _Entry(file, "(top level)", data)
    found = []
    for i, raw in enumerate(top.list("situations")):
        e = top.child("situations", i, raw)
        sid = _ident(e)
        e.entry = sid
        x = e.child("example", "", e.mapping("example"))
        x.entry = f"{sid}.example"
        model = e.str("model_answer", required=False) or None
        if model is not None and model not in answers:
            raise e.fail("model_answer", f"no model answer {model!r} in model_answers.yaml")
        example = SituationExample(
            " ".join(x.str("weak").split()),
            " ".join(x.str("strong").split()),
            " ".join(x.str("why").split()),
        )
        found.append(Situation(sid, e.str("title"), e.str("who"), e.strs("advice"), example, model))
    _unique(top, "situations", [s.id for s in found])
    return tuple(found)


@functools.cache
def situations() -> tuple[Situation, ...]:
    """Notes for candidates in particular situations (content/situations.yaml)."""
    path = CONTENT_DIR / "situations.yaml"
    answers = {a.id for a in model_answers().answers}
    return parse_situations(_read_yaml(path), path, answers)
