"""The course content's shapes: small frozen dataclasses that course.learner.content fills.

Kept apart from the loaders so that each file stays readable: this one says what a company, a
rubric, a lesson, an exercise set, a model answer or a situation note holds; content.py reads and
checks the YAML that fills them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ChooseOption",
    "ChooseSet",
    "ClassifyItem",
    "ClassifySet",
    "Company",
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
]


@dataclass(frozen=True)
class Company:
    """A company profile: what a learner researched, or a fictional company for practice."""

    id: str
    name: str
    industry: str
    role: str
    values: tuple[str, ...]
    plans: tuple[str, ...]
    skills: tuple[str, ...]

    def as_mapping(self) -> dict[str, Any]:
        """The profile as plain data, in the YAML profile format (the coach reads this)."""
        return {
            "name": self.name,
            "industry": self.industry,
            "role": self.role,
            "values": list(self.values),
            "plans": list(self.plans),
            "skills": list(self.skills),
        }


@dataclass(frozen=True)
class Criterion:
    """One rubric criterion with its three level descriptors (1 developing .. 3 strong)."""

    id: str
    name: str
    question: str
    levels: tuple[str, str, str]


@dataclass(frozen=True)
class Rubric:
    """The six-criterion rubric for a drafted answer."""

    level_names: tuple[str, str, str]
    criteria: tuple[Criterion, ...]

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with this id (KeyError if none)."""
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria)


@dataclass(frozen=True)
class Lesson:
    """One lesson of the outline: objectives, key points and minute timings."""

    id: str
    title: str
    summary: str
    objectives: tuple[str, ...]
    key_points: tuple[str, ...]
    teach_minutes: int
    practice_minutes: int
    exercise: str | None

    @property
    def minutes(self) -> int:
        return self.teach_minutes + self.practice_minutes

    @property
    def notebook(self) -> str:
        return f"{self.id}.ipynb"


@dataclass(frozen=True)
class ClassifyItem:
    """A statement to label, with its key and the reason for it."""

    id: str
    text: str
    label: str
    explanation: str


@dataclass(frozen=True)
class ClassifySet:
    """A practice set of statements, each to be given one of `labels`."""

    id: str
    prompt: str
    labels: tuple[str, ...]
    hint: str
    items: tuple[ClassifyItem, ...]


@dataclass(frozen=True)
class ChooseOption:
    """One option of a Choose set: whether it applies, and why."""

    id: str
    text: str
    applies: bool
    reason: str


@dataclass(frozen=True)
class ChooseSet:
    """A practice set: pick the options that apply."""

    id: str
    prompt: str
    context: str
    hint: str
    options: tuple[ChooseOption, ...]


@dataclass(frozen=True)
class QuizOption:
    id: str
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class QuizQuestion:
    id: str
    text: str
    options: tuple[QuizOption, ...]


@dataclass(frozen=True)
class Quiz:
    """Multiple-choice questions, one right option each, with feedback per option."""

    id: str
    prompt: str
    hint: str
    questions: tuple[QuizQuestion, ...]


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    placeholder: str
    multiline: bool
    required: bool


@dataclass(frozen=True)
class FormSpec:
    """A form of named free-text fields (a worksheet)."""

    id: str
    prompt: str
    hint: str
    fields: tuple[FormField, ...]


@dataclass(frozen=True)
class ModelSentence:
    """One sentence of a model answer, with the moves it makes and, for alignment, which tie."""

    text: str
    moves: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class ModelAnswer:
    """A complete model answer for one kind of candidate, annotated sentence by sentence."""

    id: str
    persona: str
    name: str
    description: str
    company: Company
    situation: str | None
    sentences: tuple[ModelSentence, ...]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


@dataclass(frozen=True)
class RewriteStep:
    """One step of the weak-to-strong rewrite: the rubric criterion it fixes, how, the result."""

    criterion: str
    change: str
    text: str


@dataclass(frozen=True)
class Rewrite:
    """A weak draft rewritten step by step, one rubric criterion per step."""

    id: str
    name: str
    description: str
    company: Company
    draft: str
    steps: tuple[RewriteStep, ...]


@dataclass(frozen=True)
class ModelAnswers:
    """content/model_answers.yaml: move labels, the answers and the rewrite."""

    move_labels: Mapping[str, str]
    answers: tuple[ModelAnswer, ...]
    rewrite: Rewrite

    def answer(self, answer_id: str) -> ModelAnswer:
        """The answer with this id (KeyError if none)."""
        for a in self.answers:
            if a.id == answer_id:
                return a
        raise KeyError(f"no model answer {answer_id!r}")


@dataclass(frozen=True)
class FollowUpGuide:
    """How to answer one follow-up question: guidance, a model reply and a practice prompt."""

    id: str
    question: str
    guidance: tuple[str, ...]
    reply_persona: str
    reply: str
    practice: str


@dataclass(frozen=True)
class SituationExample:
    """A weak and a strong version of the same moment, and why the strong one works."""

    weak: str
    strong: str
    why: str


@dataclass(frozen=True)
class Situation:
    """A note for candidates in one situation (a gap, a change of career...), with an example."""

    id: str
    title: str
    who: str
    advice: tuple[str, ...]
    example: SituationExample
    model_answer: str | None
