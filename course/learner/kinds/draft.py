"""Draft: the learner's spoken answer written out, with live feedback; graded on its basics."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from course.learner import checks, content
from course.learner.answers import AnswerStore
from course.learner.kinds.base import Kind, Record, Spec, quote_paragraphs, register
from course.speaking import (
    STRONG_MAX_SECONDS,
    STRONG_MIN_SECONDS,
    count_words,
    seconds_for_words,
)

#: Exercise id suffix of the own-company form beside a company choice ("company-own").
OWN = "own"


def company_choice(store: AnswerStore, exercise: str = "company") -> tuple[str, dict[str, Any]]:
    """(name, profile) of the company a learner answers for, from their saved choice.

    A shipped fictional company by id, or "own" with the name and role typed in the form
    `<exercise>-own`; ("", {}) when nothing usable is saved.
    """
    choice = store.get(exercise)
    if not isinstance(choice, str):
        return "", {}
    if choice == OWN:
        values, _ = checks.normalize_text_map(store.get(f"{exercise}-{OWN}"), ("name", "role"))
        name = " ".join(values.get("name", "").split())[:200]
        role = " ".join(values.get("role", "").split())[:200]
        return name, ({"name": name, "role": role} if name else {})
    try:
        company = content.company(choice)
    except KeyError:
        return "", {}
    return company.name, company.as_mapping()


class Draft(Kind):
    """Free text; graded cells score its speaking time and whether it names the company."""

    name = "draft"
    widget = "course.learner.widgets:Draft"
    checks = ("speaking-time", "names-company")

    def normalize(self, spec: Spec, value: Any) -> tuple[Any, list[str]]:
        return checks.normalize_text(value, "draft")

    def record_lines(self, spec: Spec, value: Any) -> Record:
        text, _ = self.normalize(spec, value)
        words = count_words(text)
        title = spec.title or spec.id
        if not words:
            return Record(title, ((("i", "No draft saved."),),))
        line = (("", f"{words} words, about {seconds_for_words(words):.0f} s spoken."),)
        return Record(title, (line,), quote_paragraphs(text))

    def score(
        self,
        check: str,
        store: AnswerStore,
        exercise: str,
        key: Mapping[str, Any] | None,
        *,
        labels: Iterable[str] | None = None,
        company: str = "company",
    ) -> checks.Result:
        text, problems = checks.normalize_text(store.get(exercise), "draft")
        scorers = {
            "speaking-time": lambda: checks.check_speaking_time(
                exercise, text, STRONG_MIN_SECONDS, STRONG_MAX_SECONDS
            ),
            "names-company": lambda: checks.check_names_company(
                exercise, text, company_choice(store, company)[0]
            ),
        }
        outcome = scorers[check]()
        if not problems:
            return outcome
        return checks.Result(
            outcome.exercise,
            outcome.score,
            outcome.total,
            outcome.attempted,
            outcome.items,
            (*problems, *outcome.problems),
        )


KIND = register(Draft())
