"""Workshop agendas generated from the lesson outline, with minutes that sum exactly to the session.

An agenda is a list of slots. Each slot has a minimum (what the session cannot do without), a
standard length (from the outline's teach and practice minutes) and a weight for growing past
that. Three formats scale the same outline:

- short (under 90 minutes): compressed teaching, drafting, one triad cycle; company research is
  pre-work, sent ahead on a one-page sheet (docs/pre-work-sheet.md), and debriefed in the session;
- standard (90 to 149): every lesson taught and practised, one triad cycle, a break from 110;
  company research gets at least RESEARCH_MINUTES of teaching and practice;
- half-day (150 and more): graded exercise slots, two breaks, two triad cycles, discussions.

`graded` (the exercises a workshop sets, e.g. ["01"]: `agenda --graded 01`) gives the short and
standard formats a graded slot after each of those lessons, and limits the half day's to them.

Minutes are handed out in three passes: every slot from its minimum toward its standard
length in proportion, then triad rounds from 10 up to 12 minutes, then what is left to the
slots that can usefully grow (practice, exercises, discussion). Largest-remainder rounding keeps
every number whole and the sum exact.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from course.errors import KitError
from course.learner import content

__all__ = [
    "KINDS",
    "MAX_MINUTES",
    "Agenda",
    "AgendaError",
    "Item",
    "build",
    "minimum_minutes",
    "parse_clock",
]

KINDS = ("teach", "practice", "exercise", "break", "discussion")
#: Longer than this is more than a half day: run it as two sessions.
MAX_MINUTES = 300
#: Where the standard and half-day formats begin (the short format starts at its minimum).
STANDARD_FROM = 90
HALF_DAY_FROM = 160
#: In the standard format, a break is scheduled from this length on.
STANDARD_BREAK_FROM = 110
#: Triad rounds last 10 to 12 minutes (ask / answer / observe, rotating).
ROUND_MIN, ROUND_MAX = 10, 12
ROLES = "ABC"
#: Company research (step 1) needs time to do, not only to hear about: in the standard and
#: half-day formats its teaching and practice together get at least this many minutes; the
#: short format sets it as pre-work with a one-page sheet the facilitator sends ahead.
RESEARCH = "02-research-the-company"
RESEARCH_MINUTES = 10
RESEARCH_TEACH_MIN = 4
PRE_WORK_SHEET = "docs/pre-work-sheet.md"
#: A graded exercise done in the session: at least GRADED_MIN minutes, GRADED_STD as standard.
GRADED_MIN, GRADED_STD = 4, 6


class AgendaError(KitError):
    """An agenda cannot be built for the requested length or start time."""


@dataclass(frozen=True)
class Item:
    """One agenda line: when it starts (minutes from the start), how long, what and which lesson."""

    offset: int
    minutes: int
    title: str
    kind: str
    lesson: str | None


@dataclass(frozen=True)
class Agenda:
    """A session plan: its format, its items in order, and an optional clock start (minutes)."""

    minutes: int
    format: str
    items: tuple[Item, ...]
    clock: int | None = None

    def start_of(self, item: Item) -> str:
        """The item's start as HH:MM: an offset from 00:00, or clock time with a start."""
        total = item.offset + (self.clock or 0)
        hours, minutes = divmod(total % (24 * 60), 60)
        return f"{hours:02d}:{minutes:02d}"

    @property
    def end(self) -> str:
        total = self.minutes + (self.clock or 0)
        hours, minutes = divmod(total % (24 * 60), 60)
        return f"{hours:02d}:{minutes:02d}"

    def to_dict(self) -> dict[str, list[dict[str, object]]]:
        """The JSON form: {"items": [{start, minutes, title, kind, lesson}, ...]}."""
        return {
            "items": [
                {
                    "start": self.start_of(item),
                    "minutes": item.minutes,
                    "title": item.title,
                    "kind": item.kind,
                    "lesson": item.lesson,
                }
                for item in self.items
            ]
        }

    def totals(self) -> dict[str, int]:
        """Minutes per kind, in KINDS order (kinds with no minutes left out)."""
        sums = {kind: 0 for kind in KINDS}
        for item in self.items:
            sums[item.kind] += item.minutes
        return {kind: n for kind, n in sums.items() if n}

    def heading(self) -> str:
        when = f", {self.start_of(self.items[0])} to {self.end}" if self.clock is not None else ""
        return f"{self.minutes}-minute workshop ({self.format} format{when})"

    def summary(self) -> str:
        parts = ", ".join(f"{kind} {n}" for kind, n in self.totals().items())
        return f"Total {self.minutes} minutes: {parts}."

    def table(self) -> str:
        """A plain-text table for the terminal."""
        lesson_width = max([len("Lesson")] + [len(i.lesson or "") for i in self.items])
        rows = [self.heading(), ""]
        rows.append(f"{'Start':<6} {'Min':>3}  {'Kind':<10}  {'Lesson':<{lesson_width}}  Activity")
        rows.append(f"{'-' * 6} {'-' * 3}  {'-' * 10}  {'-' * lesson_width}  {'-' * 8}")
        for item in self.items:
            rows.append(
                f"{self.start_of(item):<6} {item.minutes:>3}  {item.kind:<10}  "
                f"{item.lesson or '':<{lesson_width}}  {item.title}"
            )
        rows += ["", self.summary()]
        return "\n".join(rows)

    def markdown(self) -> str:
        """A Markdown table (the facilitator guide pastes this between markers)."""
        rows = [
            f"**{self.heading()}**",
            "",
            "| Start | Min | Kind | Activity | Lesson |",
            "| --- | ---: | --- | --- | --- |",
        ]
        for item in self.items:
            lesson = f"`{item.lesson}`" if item.lesson else ""
            title = item.title.replace("|", "\\|")
            rows.append(
                f"| {self.start_of(item)} | {item.minutes} | {item.kind} | {title} | {lesson} |"
            )
        rows += ["", self.summary()]
        return "\n".join(rows)


# --------------------------------------------------------------------------- slots


@dataclass
class _Slot:
    kind: str
    lesson: str | None
    title: str
    min: int
    std: int
    grow: float = 0.0
    minutes: int = 0
    #: Triad rounds are sized together (every person gets the same time), not one by one.
    is_round: bool = False


def _teach(lesson: content.Lesson, title: str, minimum: int, scale: float = 1.0) -> _Slot:
    std = max(round(lesson.teach_minutes * scale), minimum)
    return _Slot("teach", lesson.id, title, minimum, std)


def _activity(lesson: content.Lesson) -> str:
    """'Step 1: research the company' -> 'research the company' (for 'Practice: ...')."""
    name = re.sub(r"^Step \d+:\s*", "", lesson.title)
    return name[:1].lower() + name[1:]


def _practice(lesson: content.Lesson, title: str, minimum: int, grow: float = 1.0) -> _Slot:
    std = max(lesson.practice_minutes, minimum)
    return _Slot("practice", lesson.id, title, minimum, std, grow)


def _rounds(lesson: content.Lesson, cycle: int, cycles: int) -> list[_Slot]:
    slots = []
    for k in range(3):
        number = cycle * 3 + k + 1
        answers, asks, observes = ROLES[k], ROLES[(k + 1) % 3], ROLES[(k + 2) % 3]
        title = (
            f"Triad round {number} of {cycles * 3}: {answers} answers, {asks} asks, "
            f"{observes} observes"
        )
        if cycle:
            title += " (with follow-up questions)"
        slots.append(_Slot("practice", lesson.id, title, ROUND_MIN, ROUND_MIN, is_round=True))
    return slots


def _graded_slot(lesson: content.Lesson) -> _Slot:
    title = f"Graded exercise: {lesson.exercise}"
    return _Slot("exercise", lesson.id, title, GRADED_MIN, GRADED_STD, 0.5)


def choose_graded(
    wanted: Sequence[str] | str | None, lessons: tuple[content.Lesson, ...]
) -> tuple[str, ...] | None:
    """The exercises `wanted` names ("01,04", "01-aspirations-vs-goals", "all"; None: the
    format's default), checked against the outline; AgendaError for one it does not have."""
    if wanted is None:
        return None
    items = wanted.split(",") if isinstance(wanted, str) else list(wanted)
    names = [lesson.exercise for lesson in lessons if lesson.exercise]
    chosen = set()
    for item in (str(i).strip() for i in items if str(i).strip()):
        if item.lower() == "all":
            chosen.update(names)
            continue
        found = [n for n in names if n == item or (item.isdigit() and n[:2] == item.zfill(2))]
        if not found:
            raise AgendaError(
                f"no graded exercise {item!r}: the outline's are {', '.join(n[:2] for n in names)}"
            )
        chosen.update(found)
    return tuple(n for n in names if n in chosen)


def _slots(
    fmt: str,
    minutes: int,
    lessons: tuple[content.Lesson, ...],
    graded: tuple[str, ...] | None = None,
) -> list[_Slot]:
    """The slots of one format, in agenda order, before minutes are handed out. `graded`: the
    exercises done in the session (None: every one in a half day, none otherwise)."""
    if len(lessons) < 3:
        raise AgendaError(
            "the outline needs an opening lesson, a lesson to teach and a closing one"
        )
    first, middle, last = lessons[0], lessons[1:-1], lessons[-1]
    draft = middle[-1]  # the lesson before the triads: learners draft the answer they rehearse
    half_day = fmt == "half-day"
    #: The short format compresses teaching to about 60 % of the outline's minutes.
    scale = 0.6 if fmt == "short" else 1.0
    opening = f"{first.title}: the question and why interviewers ask it"
    slots = [_teach(first, opening, 2, scale)]
    break_after = middle[min(2, len(middle) - 1)]
    for lesson in middle:
        research = lesson.id == RESEARCH
        if research and fmt == "short":
            title = f"{lesson.title}: debrief the pre-work (sheet sent ahead: {PRE_WORK_SHEET})"
            slots.append(_teach(lesson, title, 3, scale))
        elif research:
            slots.append(_teach(lesson, lesson.title, RESEARCH_TEACH_MIN, scale))
        else:
            slots.append(_teach(lesson, lesson.title, 3, scale))
        if lesson is draft:
            slots.append(_practice(lesson, f"Practice: {_activity(lesson)}", 5))
        elif research and fmt != "short":
            minimum = RESEARCH_MINUTES - RESEARCH_TEACH_MIN
            slots.append(_practice(lesson, f"Practice: {_activity(lesson)}", minimum))
        elif fmt != "short" and lesson.practice_minutes:
            slots.append(_practice(lesson, f"Practice: {_activity(lesson)}", 3))
        if lesson.exercise and (lesson.exercise in graded if graded is not None else half_day):
            slots.append(_graded_slot(lesson))
        if lesson is break_after and half_day:
            slots.append(
                _Slot(
                    "discussion",
                    lesson.id,
                    "Discussion: where do your aspirations meet the company's plans?",
                    5,
                    8,
                    0.5,
                )
            )
        if lesson is break_after and (
            half_day or (fmt == "standard" and minutes >= STANDARD_BREAK_FROM)
        ):
            slots.append(
                _Slot("break", None, "Break", 10 if half_day else 5, 15 if half_day else 10)
            )
    if half_day:
        slots.append(_Slot("break", None, "Break", 10, 15))
    briefing = f"{last.title}: the triad protocol and the feedback rubric"
    slots.append(_teach(last, briefing, 2, scale))
    cycles = 2 if half_day else 1
    slots += _rounds(last, 0, cycles)
    if half_day:
        slots.append(
            _Slot(
                "discussion",
                last.id,
                "Debrief: what made answers land? Revise your draft",
                5,
                8,
                0.5,
            )
        )
        slots += _rounds(last, 1, cycles)
    slots.append(
        _Slot("discussion", last.id, "Close: reflect, take your prep sheet, next steps", 3, 5, 0.5)
    )
    return slots


def _fill(extra: int, rooms: list[int], weights: list[float]) -> list[int]:
    """Split `extra` whole minutes by weight, never past a slot's room (water-filling).

    Continuous shares first: slots whose share would overflow their room are filled and the
    rest is split again among the others. Then largest-remainder rounding to whole minutes.
    """
    n = len(rooms)
    exact = [0.0] * n
    active = [i for i in range(n) if rooms[i] > 0 and weights[i] > 0]
    remaining = float(extra)
    while active and remaining > 1e-9:
        total = sum(weights[i] for i in active)
        full = [i for i in active if remaining * weights[i] / total >= rooms[i] - exact[i]]
        if not full:
            for i in active:
                exact[i] += remaining * weights[i] / total
            break
        for i in full:
            remaining -= rooms[i] - exact[i]
            exact[i] = float(rooms[i])
            active.remove(i)
    shares = [min(rooms[i], math.floor(round(exact[i], 9))) for i in range(n)]
    left = extra - sum(shares)
    order = sorted(range(n), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order:
        if left <= 0:
            break
        if shares[i] < rooms[i]:
            shares[i] += 1
            left -= 1
    return shares


def _allocate(slots: list[_Slot], minutes: int, teach_priority: float = 1.0) -> None:
    """Hand out `minutes` over the slots (see the module docstring); the sum is exact."""
    for slot in slots:
        slot.minutes = slot.min
    extra = minutes - sum(s.min for s in slots)
    # 1. every slot toward its standard length, in proportion to how far it has to go
    room = [s.std - s.min for s in slots]
    if extra <= sum(room):
        weights = [
            r * (teach_priority if s.kind == "teach" else 1.0)
            for s, r in zip(slots, room, strict=True)
        ]
        for slot, share in zip(slots, _fill(extra, room, weights), strict=True):
            slot.minutes += share
        return
    for slot in slots:
        slot.minutes = slot.std
    extra -= sum(room)
    # 2. triad rounds from 10 toward 12 minutes, all rounds the same length
    rounds = [s for s in slots if s.is_round]
    while rounds and extra >= len(rounds) and rounds[0].minutes < ROUND_MAX:
        for slot in rounds:
            slot.minutes += 1
        extra -= len(rounds)
    # 3. what is left to the slots that can grow (no cap: `extra` is at most MAX_MINUTES)
    rooms = [extra if s.grow else 0 for s in slots]
    for slot, share in zip(slots, _fill(extra, rooms, [s.grow for s in slots]), strict=True):
        slot.minutes += share


def _format(minutes: int) -> str:
    if minutes >= HALF_DAY_FROM:
        return "half-day"
    if minutes >= STANDARD_FROM:
        return "standard"
    return "short"


def minimum_minutes(
    lessons: tuple[content.Lesson, ...] | None = None, graded: Sequence[str] | None = None
) -> int:
    """The shortest session that holds the essentials (the short format at its minimum), with
    the graded exercises `graded` if any."""
    lessons = lessons if lessons is not None else content.lessons()
    return sum(s.min for s in _slots("short", 0, lessons, choose_graded(graded, lessons)))


def parse_clock(text: str) -> int:
    """Minutes after midnight for 'HH:MM' (24-hour clock)."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", text or "")
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise AgendaError(
            f"a start time must be HH:MM on a 24-hour clock, e.g. 09:30; got {text!r}"
        )
    return int(match[1]) * 60 + int(match[2])


def build(
    minutes: int,
    start: str | None = None,
    lessons: tuple[content.Lesson, ...] | None = None,
    graded: Sequence[str] | str | None = None,
) -> Agenda:
    """The agenda for a session of `minutes` from the outline; AgendaError if impossible.

    `graded` names the graded exercises done in the session ("01,04"; a slot after each of
    those lessons); None keeps the format's default (a half day's every one, else none).
    """
    lessons = lessons if lessons is not None else content.lessons()
    chosen = choose_graded(graded, lessons)
    clock = parse_clock(start) if start is not None else None
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise AgendaError(f"the session length must be whole minutes, got {minutes!r}")
    least = minimum_minutes(lessons, chosen)
    if minutes < least:
        raise AgendaError(
            f"{minutes} minutes cannot hold the essentials: a compressed teaching part, time to "
            f"draft an answer and one triad cycle (three {ROUND_MIN}-minute rounds, so that each "
            f"person answers once) need at least {least} minutes. Ask for --minutes {least} or "
            "more, or give the lessons as self-paced work (docs/self-paced.md)."
        )
    if minutes > MAX_MINUTES:
        raise AgendaError(
            f"{minutes} minutes is more than this kit plans in one session (at most "
            f"{MAX_MINUTES}). Run it as two sessions, e.g. --minutes 150 twice."
        )
    fmt = _format(minutes)
    slots = _slots(fmt, minutes, lessons, chosen)
    needed = sum(s.min for s in slots)
    if needed > minutes:  # a format's own minimum, with graded slots added
        raise AgendaError(
            f"{minutes} minutes cannot hold the {fmt} format with {len(chosen or ())} graded "
            f"exercises: they need {needed} minutes. Grade fewer in the session (set the others "
            "as homework) or ask for more minutes."
        )
    # A half day has time to teach: its teaching reaches the outline's minutes first.
    _allocate(slots, minutes, teach_priority=2.0 if fmt == "half-day" else 1.0)
    items, offset = [], 0
    for slot in slots:
        items.append(Item(offset, slot.minutes, slot.title, slot.kind, slot.lesson))
        offset += slot.minutes
    if offset != minutes:  # an invariant: a failure here is a bug in _allocate
        raise AssertionError(f"agenda of {offset} minutes for a {minutes}-minute session")
    return Agenda(minutes, fmt, tuple(items), clock)
