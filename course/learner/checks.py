"""Pure checking functions: score each exercise type and explain each item, over plain data.

No widgets and no I/O here. The practice widgets, the hidden tests of the graded exercises and
the unit tests all call these functions, so a score means the same thing everywhere. Saved
answers come from a file a learner can edit, so every function first normalises what it is
given and reports values of the wrong type instead of raising.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["correct", "wrong", "missing", "partial"]

__all__ = [
    "ItemResult",
    "Result",
    "check_choose",
    "check_classify",
    "check_form",
    "check_matrix",
    "check_names_company",
    "check_quiz",
    "check_speaking_time",
    "mentions_name",
    "normalize_choice_map",
    "normalize_ratings",
    "normalize_selection",
    "normalize_text",
    "normalize_text_map",
]


@dataclass(frozen=True)
class ItemResult:
    """The verdict on one item of an exercise."""

    id: str
    status: Status
    points: float
    max_points: float
    message: str = ""
    given: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "points": self.points,
            "max_points": self.max_points,
            "message": self.message,
            "given": self.given,
        }


@dataclass(frozen=True)
class Result:
    """The verdict on a whole exercise: a score out of a total, and one ItemResult per item."""

    exercise: str
    score: float
    total: float
    attempted: bool
    items: tuple[ItemResult, ...] = ()
    problems: tuple[str, ...] = field(default=())

    @property
    def fraction(self) -> float:
        return self.score / self.total if self.total else 0.0

    def summary(self) -> str:
        """One plain line, e.g. 'classify-statements: 12/12' or '... not attempted (0/12)'."""
        score = f"{_num(self.score)}/{_num(self.total)}"
        if not self.attempted:
            return f"{self.exercise}: not attempted ({score})"
        return f"{self.exercise}: {score}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "exercise": self.exercise,
            "score": self.score,
            "total": self.total,
            "attempted": self.attempted,
            "items": [item.to_dict() for item in self.items],
            "problems": list(self.problems),
        }


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


# --------------------------------------------------------------------------- normalising


def normalize_text(value: Any, what: str = "answer") -> tuple[str, list[str]]:
    """Text from a saved value; anything else becomes '' with a problem message."""
    if value is None:
        return "", []
    if isinstance(value, str):
        return value, []
    return "", [f"the saved {what} was {type(value).__name__}, not text; it was ignored"]


def normalize_choice_map(
    value: Any, items: Iterable[str], labels: Iterable[str]
) -> tuple[dict[str, str], list[str]]:
    """{item: label} keeping only known items with allowed labels; problems for the rest."""
    items, labels = set(items), set(labels)
    if value is None:
        return {}, []
    if not isinstance(value, Mapping):
        return {}, [f"the saved answer was {type(value).__name__}, not a mapping; it was ignored"]
    result, problems = {}, []
    for key, label in value.items():
        if key not in items:
            problems.append(f"unknown item {str(key)[:40]!r} ignored")
        elif label is None:
            continue
        elif not isinstance(label, str) or label not in labels:
            problems.append(f"item {key!r}: {str(label)[:40]!r} is not one of the choices; ignored")
        else:
            result[key] = label
    return result, problems


def normalize_selection(value: Any, options: Iterable[str]) -> tuple[list[str], list[str]]:
    """A list of known option ids in a stable order; problems for anything else."""
    order = list(options)
    if value is None:
        return [], []
    if not isinstance(value, (list, tuple)):
        return [], [f"the saved answer was {type(value).__name__}, not a list; it was ignored"]
    chosen, problems = set(), []
    for item in value:
        if isinstance(item, str) and item in order:
            chosen.add(item)
        else:
            problems.append(f"unknown choice {str(item)[:40]!r} ignored")
    return [o for o in order if o in chosen], problems


def normalize_text_map(value: Any, fields: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """{field: text} for known fields; problems for wrong types and unknown fields."""
    fields = list(fields)
    if value is None:
        return {}, []
    if not isinstance(value, Mapping):
        return {}, [f"the saved answer was {type(value).__name__}, not a mapping; it was ignored"]
    result, problems = {}, []
    for key, text in value.items():
        if key not in fields:
            problems.append(f"unknown field {str(key)[:40]!r} ignored")
        elif isinstance(text, str):
            result[key] = text
        elif text is not None:
            problems.append(f"field {key!r} held {type(text).__name__}, not text; ignored")
    return result, problems


# --------------------------------------------------------------------------- checks


def check_classify(
    exercise: str,
    key: Mapping[str, str],
    answers: Any,
    explanations: Mapping[str, str] | None = None,
    labels: Iterable[str] | None = None,
) -> Result:
    """One point per item labelled as in `key`; `answers` maps item id to the learner's label."""
    explanations = explanations or {}
    allowed = set(labels) if labels is not None else set(key.values())
    given, problems = normalize_choice_map(answers, key, allowed)
    items = []
    for item_id, expected in key.items():
        choice = given.get(item_id)
        if choice is None:
            status: Status = "missing"
        else:
            status = "correct" if choice == expected else "wrong"
        items.append(
            ItemResult(
                item_id,
                status,
                1.0 if status == "correct" else 0.0,
                1.0,
                explanations.get(item_id, ""),
                choice,
            )
        )
    score = sum(i.points for i in items)
    return Result(exercise, score, float(len(items)), bool(given), tuple(items), tuple(problems))


def check_choose(
    exercise: str,
    key: Mapping[str, bool],
    selected: Any,
    reasons: Mapping[str, str] | None = None,
) -> Result:
    """One point per option decided right (picked if it applies, left if not).

    An empty selection counts as not attempted and scores 0, so leaving everything blank never
    earns the points of the options that do not apply.
    """
    reasons = reasons or {}
    chosen, problems = normalize_selection(selected, key)
    attempted = bool(chosen)
    items = []
    for option_id, applies in key.items():
        picked = option_id in chosen
        if not attempted:
            status: Status = "missing"
        else:
            status = "correct" if picked == applies else "wrong"
        items.append(
            ItemResult(
                option_id,
                status,
                1.0 if status == "correct" else 0.0,
                1.0,
                reasons.get(option_id, ""),
                picked,
            )
        )
    score = sum(i.points for i in items)
    return Result(exercise, score, float(len(items)), attempted, tuple(items), tuple(problems))


def check_quiz(
    exercise: str,
    key: Mapping[str, str],
    answers: Any,
    feedback: Mapping[tuple[str, str], str] | None = None,
    options: Mapping[str, Sequence[str]] | None = None,
) -> Result:
    """One point per question answered with its right option; feedback for the option chosen."""
    feedback = feedback or {}
    all_options = set()
    for opts in (options or {}).values():
        all_options.update(opts)
    all_options.update(key.values())
    given, problems = normalize_choice_map(answers, key, all_options)
    items = []
    for question_id, right in key.items():
        choice = given.get(question_id)
        if choice is None:
            status: Status = "missing"
            message = ""
        else:
            status = "correct" if choice == right else "wrong"
            message = feedback.get((question_id, choice), "")
        items.append(
            ItemResult(question_id, status, float(status == "correct"), 1.0, message, choice)
        )
    score = sum(i.points for i in items)
    return Result(exercise, score, float(len(items)), bool(given), tuple(items), tuple(problems))


def check_form(
    exercise: str,
    fields: Mapping[str, bool],
    values: Any,
    min_words: int = 1,
) -> Result:
    """Completeness of a form: one point per required field holding at least `min_words` words."""
    from course.speaking import count_words

    given, problems = normalize_text_map(values, fields)
    items = []
    for field_id, required in fields.items():
        words = count_words(given.get(field_id, ""))
        if not required:
            continue
        if words == 0:
            status: Status = "missing"
        elif words < min_words:
            status = "partial"
        else:
            status = "correct"
        message = "" if status == "correct" else f"{words} word(s); at least {min_words} needed"
        items.append(ItemResult(field_id, status, float(status == "correct"), 1.0, message, words))
    attempted = any(t.strip() for t in given.values())
    score = sum(i.points for i in items)
    return Result(exercise, score, float(len(items)), attempted, tuple(items), tuple(problems))


def normalize_ratings(
    value: Any, rows: Iterable[str], columns: Iterable[str], levels: Iterable[int]
) -> tuple[dict[str, dict[str, int]], list[str]]:
    """{row: {column: level}} for known rows and columns; problems for wrong types and levels.

    Unknown row or column ids are dropped without a message: a matrix's rows and columns follow
    the learner's own text (their aspirations, their company's values), so ratings of text that
    was since edited are expected, not a fault.
    """
    rows, columns, allowed = set(rows), set(columns), set(levels)
    if value is None:
        return {}, []
    if not isinstance(value, Mapping):
        return {}, [f"the saved answer was {type(value).__name__}, not a mapping; it was ignored"]
    result: dict[str, dict[str, int]] = {}
    problems = []
    for row, cells in value.items():
        if row not in rows:
            continue
        if not isinstance(cells, Mapping):
            problems.append(f"row {str(row)[:40]!r} held {type(cells).__name__}; ignored")
            continue
        for column, level in cells.items():
            if column not in columns or level is None:
                continue
            if isinstance(level, bool) or not isinstance(level, int) or level not in allowed:
                problems.append(f"rating {str(level)[:40]!r} is not one of the levels; ignored")
                continue
            result.setdefault(row, {})[column] = level
    return result, problems


def check_matrix(
    exercise: str,
    rows: Sequence[str],
    columns: Sequence[str],
    ratings: Any,
    levels: Iterable[int] = (0, 1, 2),
    key: Mapping[str, Mapping[str, int]] | None = None,
) -> Result:
    """Score a rating matrix: one point per cell rated as in `key`, or per cell rated at all.

    Without a key (the learner rates their own aspirations) the score measures completeness;
    with a key (a fictional case) each cell must match. Item ids are 'row/column'.
    """
    given, problems = normalize_ratings(ratings, rows, columns, levels)
    items = []
    for row in rows:
        for column in columns:
            level = given.get(row, {}).get(column)
            if level is None:
                status: Status = "missing"
            elif key is None:
                status = "correct"
            else:
                status = "correct" if key.get(row, {}).get(column) == level else "wrong"
            items.append(
                ItemResult(f"{row}/{column}", status, float(status == "correct"), 1.0, "", level)
            )
    score = sum(i.points for i in items)
    attempted = any(given.values())
    return Result(exercise, score, float(len(items)), attempted, tuple(items), tuple(problems))


# --------------------------------------------------------------------------- draft basics

#: Words a company name shares with many others: naming only these does not name the company.
GENERIC_NAME_WORDS = frozenset(
    {
        *("a", "an", "and", "the", "of", "for", "co", "company", "corp", "corporation"),
        *("group", "holdings", "inc", "llc", "ltd", "limited", "plc", "gmbh", "sa", "ag"),
        *("services", "solutions", "systems", "technologies", "technology"),
        *("international", "global"),
    }
)


def mentions_name(text: str, name: str) -> bool:
    """Whether `text` names the company `name`: its full name, or one distinctive word of it.

    Case-insensitive and on whole words: "Northwind" names "Northwind Health Analytics";
    "health" alone does not count when it is the only shared word that is generic.
    """
    import re

    words = re.findall(r"[^\W_]+", (name or "").lower())
    if not words:
        return False
    haystack = " " + " ".join(re.findall(r"[^\W_]+", (text or "").lower())) + " "
    if " " + " ".join(words) + " " in haystack:
        return True
    distinctive = [w for w in words if w not in GENERIC_NAME_WORDS and len(w) >= 4]
    # The first distinctive word is what people say ("Northwind", "Solvane", "Brightpath").
    return bool(distinctive) and f" {distinctive[0]} " in haystack


def check_speaking_time(exercise: str, text: Any, low: float, high: float) -> Result:
    """One point when the text takes `low` to `high` seconds to say (speaking.py's pace)."""
    from course.speaking import count_words, seconds_for_words

    text, problems = normalize_text(text, "draft")
    words = count_words(text)
    seconds = seconds_for_words(words)
    if not words:
        status: Status = "missing"
    else:
        status = "correct" if low <= seconds <= high else "wrong"
    message = f"{words} words, about {seconds:.0f} s spoken (aim for {low:.0f} to {high:.0f} s)"
    item = ItemResult("speaking-time", status, float(status == "correct"), 1.0, message, seconds)
    return Result(exercise, item.points, 1.0, bool(words), (item,), tuple(problems))


def check_names_company(exercise: str, text: Any, company: str) -> Result:
    """One point when the text names the company it is written for."""
    text, problems = normalize_text(text, "draft")
    attempted = bool(text.strip())
    if not attempted:
        status: Status = "missing"
        message = "no draft saved"
    elif not company:
        status = "wrong"
        message = "no company chosen"
    else:
        status = "correct" if mentions_name(text, company) else "wrong"
        message = f"names {company}" if status == "correct" else f"does not name {company}"
    item = ItemResult("names-company", status, float(status == "correct"), 1.0, message, company)
    return Result(exercise, item.points, 1.0, attempted, (item,), tuple(problems))
