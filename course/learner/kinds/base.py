"""What every exercise kind carries, the registry they join, and the one path that shows them.

A kind is one object (an instance of a Kind subclass, one per module of this package) that every
consumer asks: lessons and graded notebooks build its widget and show its record, the grading
host scores it, the class report labels its items, the prep sheet and keys find its content and
its solution, the demo simulates learners. Kept light: the widget class is named by a dotted
string and imported only when a widget is built, so the grading host never imports ipywidgets.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from course.errors import KitError
from course.learner import checks, content
from course.learner.answers import AnswerStore
from course.learner.safe import escape

__all__ = [
    "Kind",
    "Lazy",
    "Record",
    "Spec",
    "all_kinds",
    "check_names",
    "find",
    "for_check",
    "get",
    "present",
    "register",
]

#: A piece of a record line: (style, text), style "" (plain), "b" (bold) or "i" (italic).
Segment = tuple[str, str]


@dataclass
class Spec:
    """What an exercise shows: enough to build its widget or to print its record."""

    kind: str
    id: str
    title: str = ""
    prompt: str = ""
    hint: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    questions: list[tuple[str, str, list[tuple[str, str]]]] = field(default_factory=list)
    context: str = ""
    fields: list[Any] = field(default_factory=list)
    columns: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Record:
    """A learner's recorded answer as lines of segments and quoted paragraphs (text or HTML)."""

    title: str
    lines: tuple[tuple[Segment, ...], ...] = ()
    quotes: tuple[str, ...] = ()

    def html(self) -> str:
        """Safe HTML with only the tags nbgrader's feedback sanitiser keeps."""
        # b, strong, em, i, ul, ol, li, blockquote, code survive nbconvert's sanitiser.
        rows = "".join(f"<li>{''.join(_segment_html(s) for s in line)}</li>" for line in self.lines)
        quotes = "".join(f"<blockquote>{escape(q)}</blockquote>" for q in self.quotes)
        return f"<strong>{escape(self.title)}</strong><ul>{rows}</ul>{quotes}"

    def text(self) -> str:
        """The same record as plain text, one line per row, quotes indented."""
        out = [self.title]
        for line in self.lines:
            out.append("- " + "".join(f"({t})" if style == "i" else t for style, t in line))
        out += [f"    {q}" for q in self.quotes]
        return "\n".join(out)


def _segment_html(segment: Segment) -> str:
    style, text = segment
    return f"<{style}>{escape(text)}</{style}>" if style else escape(text)


@dataclass(frozen=True)
class Lazy:
    """A callable or class named by "module:attribute", imported only when used."""

    target: str

    def resolve(self) -> Any:
        module, _, attribute = self.target.partition(":")
        return getattr(importlib.import_module(module), attribute)


def quote_paragraphs(text: str) -> tuple[str, ...]:
    """Learner text split into the paragraphs a record quotes."""
    return tuple(p.strip() for p in text.replace("\r", "").split("\n") if p.strip())


class Kind:
    """One kind of exercise; the base holds the behaviour of a kind with no key and no content."""

    #: The kind's name: what answers files record and `Lesson`/`Assignment` methods are called.
    name = ""
    #: The widget class as "module:Class" (imported only when a widget is built).
    widget = ""
    #: Names a graded test cell's `points(name, ...)` may use to score this kind.
    checks: tuple[str, ...] = ()
    #: Whether items have a key: the class report labels them and counts wrong choices.
    keyed = False
    #: Whether the learner ticks any number of options (check boxes) rather than one per item.
    multiple = False
    #: Whether every item is answered with one of the same named labels (classify's scale),
    #: so "the same label for everything" is a strategy a learner can follow.
    one_scale = False
    #: Whether items and options are shown in an order of the learner's own (their seed), so
    #: a key cannot be read from position (keys are always by id).
    shuffles = False
    #: The content loader of this kind's practice sets (set id -> set), if it has any.
    load: Callable[[str], Any] | None = None
    #: The content file (course/content/<name>.yaml) holding those sets.
    content_file = ""

    # ------------------------------------------------------------------ widget

    def widget_class(self) -> type:
        """The widget class, imported now (never on the grading host)."""
        return Lazy(self.widget).resolve()

    def widget_args(self, spec: Spec) -> list[Any]:
        """The widget's positional arguments after (store, exercise id)."""
        return []

    def build(self, store: AnswerStore, spec: Spec, mode: str, **extra: Any) -> Any:
        """The widget for `spec`, bound to `store`; Lazy values in `extra` are resolved first."""
        extra = {k: v.resolve() if isinstance(v, Lazy) else v for k, v in extra.items()}
        if self.shuffles:
            extra.setdefault("shuffle", True)
        return self.widget_class()(
            store,
            spec.id,
            *self.widget_args(spec),
            title=spec.title,
            prompt=spec.prompt,
            hint=spec.hint,
            mode=mode,
            **extra,
        )

    def set_ids(self) -> tuple[str, ...]:
        """The ids of this kind's practice sets in the content (none for most kinds)."""
        if not self.content_file:
            return ()
        return tuple(content._set_file(self.content_file))

    def practice(self, set_id: str) -> tuple[Spec, dict[str, Any]]:
        """The Spec and widget keywords (key, explanations) of a practice set from content."""
        raise KitError(f"exercises of kind {self.name!r} have no practice sets in the content")

    # ------------------------------------------------------------------ answers

    def normalize(self, spec: Spec, value: Any) -> tuple[Any, list[str]]:
        """A saved value as this kind's answer, with problems for wrong types."""
        return value, []

    def record_lines(self, spec: Spec, value: Any) -> Record:
        """The learner's answer as a Record (what graded runs and feedback reports show)."""
        return Record(spec.title or spec.id)

    def record_html(self, spec: Spec, value: Any) -> str:
        """The learner's recorded answer as safe HTML."""
        return self.record_lines(spec, value).html()

    def record_text(self, spec: Spec, value: Any) -> str:
        """The learner's recorded answer as plain text."""
        return self.record_lines(spec, value).text()

    # ------------------------------------------------------------------ grading

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
        """The verdict of one graded check of this kind on the saved answer."""
        raise KitError(f"exercises of kind {self.name!r} are not scored by a test cell")

    def solution(self, key: Mapping[str, Any], previous: Any) -> Any:
        """The answer that earns every point of `key` (merged into `previous`), or None."""
        return None

    def simulate(
        self,
        rng: random.Random,
        skill: float,
        key: Mapping[str, Any],
        options: Mapping[str, Any],
        previous: Any,
    ) -> Any:
        """A simulated learner's answer for `key` at `skill` (0 to 1), or None (the demo)."""
        return None

    # ------------------------------------------------------------------ reports

    def texts(self, spec: Any) -> dict[str, Any] | None:
        """{"items", "options"} from a graded cell's literal exercise spec (class report)."""
        return None

    def item_label(self, entry: Mapping[str, Any], item: str, short: Callable[..., str]) -> str:
        """The class report's label of one item (`entry` is the exercise's public text)."""
        return item.replace("-", " ")

    def choice_label(
        self, entry: Mapping[str, Any], item: str, given: Any, short: Callable[..., str]
    ) -> str | None:
        """How the class report names a wrong choice; None where wrong choices are not tallied."""
        return None


def wrong_choice(rng: random.Random, right: Any, choices: list[Any], tempting: Any) -> Any:
    """A simulated wrong answer: usually the tempting one, else any other choice."""
    others = [c for c in choices if c != right]
    if not others:
        return right
    if tempting in others and rng.random() < 0.7:
        return tempting
    return rng.choice(others)


# --------------------------------------------------------------------------- the registry

_KINDS: dict[str, Kind] = {}
#: The kind that answers for names no kind registered (e.g. a missing kind in an old record).
DEFAULT = Kind()


def register(kind: Kind) -> Kind:
    """Add a kind to the registry (each module of this package registers its one kind)."""
    if not kind.name or kind.name in _KINDS:
        raise KitError(f"an exercise kind needs a new name, got {kind.name!r}")
    taken = {c for k in _KINDS.values() for c in k.checks}
    if taken & set(kind.checks):
        raise KitError(f"checks {sorted(taken & set(kind.checks))} already belong to a kind")
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> Kind:
    """The kind called `name`; KitError naming the known kinds if there is none."""
    try:
        return _KINDS[name]
    except KeyError:
        raise KitError(f"unknown exercise kind {name!r}; expected one of {tuple(_KINDS)}") from None


def find(name: str) -> Kind | None:
    """The kind called `name`, or None."""
    return _KINDS.get(name)


def all_kinds() -> tuple[Kind, ...]:
    """Every registered kind, in registration order."""
    return tuple(_KINDS.values())


def check_names() -> tuple[str, ...]:
    """Every name a graded test cell's `points(...)` may use, in registration order."""
    return tuple(c for k in _KINDS.values() for c in k.checks)


def for_check(name: str) -> Kind:
    """The kind a graded check belongs to; DEFAULT for names no kind claims."""
    for kind in _KINDS.values():
        if name in kind.checks:
            return kind
    return DEFAULT


# --------------------------------------------------------------------------- showing


def present(
    kind: Kind,
    spec: Spec,
    store: AnswerStore,
    *,
    shown: MutableMapping[str, Any],
    injected: Mapping[str, Any],
    mode: str,
    grading: bool = False,
    widget: Any = None,
    **extra: Any,
) -> Any:
    """Show one exercise: its record under nbgrader, else its widget with any injected answer.

    The one path of `Lesson.show` and `Assignment`: `widget` is a widget already built (e.g.
    lesson 05's coach draft); otherwise the kind builds it from `spec` and `extra`.
    """
    from IPython.display import HTML, display

    if grading:
        display(HTML(kind.record_html(spec, store.get(spec.id))))
        return None
    exercise = widget if widget is not None else kind.build(store, spec, mode, **extra)
    shown[spec.id] = exercise
    if spec.id in injected:
        exercise.set_value(injected[spec.id])
    display(exercise)
    return exercise
