"""A company profile as the coach matches it: name, values and plans, the job's own words."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from course.coach.text import TOKEN, coerce, plain, stem, stems
from course.coach.vocab import STOP, P

_MAX_PROFILE_ITEMS = 40
_MAX_PROFILE_CHARS = 400


def _field(company: Any, name: str) -> list[str]:
    """One profile field as a list of strings, whatever shape it came in (lenient)."""
    try:
        is_mapping = isinstance(company, Mapping)
        value = company.get(name) if is_mapping else getattr(company, name, None)
    except Exception:  # a profile object with a broken attribute counts as missing that field
        return []
    if value is None:
        return []
    if isinstance(value, str):
        values: Iterable[Any] = (value,)
    elif isinstance(value, (list, tuple, set, frozenset)):
        values = list(value)[:_MAX_PROFILE_ITEMS]
    else:
        values = (value,)
    out = []
    for item in values:
        if item is None:
            continue
        item_text = item if isinstance(item, str) else coerce(item)
        out.append(plain(item_text[:_MAX_PROFILE_CHARS]))
    return out


@dataclass(frozen=True)
class Profile:
    """The parts of a company profile the coach matches against."""

    name_keys: frozenset[str]
    items: tuple[frozenset[str], ...]  # content stems of each value and plan
    labels: tuple[str, ...]  # each value and plan as written, for reasons
    job: frozenset[str]  # stems of the role, industry and skills
    role: frozenset[str]  # stems of the role title alone
    listed: tuple[frozenset[str], ...] = ()  # every value, plan and skill, all their stems
    fixed_term: bool = False  # a placement or fixed-term role: going back to study is expected
    phrases: tuple[frozenset[str], ...] = ()  # each value and plan (as items): all its stems

    @property
    def specific(self) -> frozenset[str]:
        """Every content stem of the values and plans together."""
        return frozenset().union(*self.items) if self.items else frozenset()

    def hits(
        self, draft_stems: set[str], every: frozenset[str], pointed: bool = False
    ) -> list[int]:
        """The values and plans echoed: two of an item's content words, or one where the
        sentence points at the company ("your plan", "the reason I applied").

        An item with one distinctive word ("new voices", "waste nothing", "pride in the work")
        needs that word and another word of the item (`every`: the stems of all the sentence's
        words, common ones included): "voices" alone is not the value "new voices"."""
        out = []
        for i, item in enumerate(self.items):
            found = len(item & draft_stems)
            if pointed or len(item) >= 2:
                echoed = found >= min(1 if pointed else 2, len(item))
            else:
                echoed = found == 1 and len(self.phrases[i] & every) >= 2
            if echoed:
                out.append(i)
        return out


def read(company: Any) -> Profile | None:
    """Read a profile leniently: a mapping, an object with as_mapping(), or plain attributes."""
    if company is None:
        return None
    if not isinstance(company, Mapping):
        as_mapping = getattr(company, "as_mapping", None)
        if callable(as_mapping):
            with contextlib.suppress(Exception):  # else fall back to reading attributes
                company = as_mapping()
    role: set[str] = set()
    for item in _field(company, "role"):
        role |= stems(item)
    job = set(role)
    for name in ("industry", "skills"):
        for item in _field(company, name):
            job |= stems(item)
    # Name: distinctive tokens only (not the industry words a name often carries).
    name_keys = set()
    for item in _field(company, "name"):
        for token in TOKEN.findall(item):
            low = token.lower()
            if low not in STOP and len(low) > 2 and stem(low) not in job:
                name_keys.add(low)
    items, labels, phrases = [], [], []
    for name in ("values", "plans"):
        for item in _field(company, name):
            # A value's words that are also the job's own words do not show research.
            item_stems = frozenset(
                s for s in stems(item) if s not in job and not s.isdigit() and len(s) > 2
            )
            if not item_stems:  # "grow our own people": every word common; match them all
                item_stems = frozenset(stem(t) for t in TOKEN.findall(item) if len(t) > 3)
            if item_stems:
                items.append(item_stems)
                labels.append(item)
                phrases.append(every_stem(item))
    listed = [
        frozenset(stems(item))
        for name in ("values", "plans", "skills")
        for item in _field(company, name)
        if stems(item)
    ]
    return Profile(
        frozenset(name_keys),
        tuple(items),
        tuple(labels),
        frozenset(job),
        frozenset(role),
        tuple(listed),
        any(P["fixed_term_role"].search(item) for item in _field(company, "role")),
        tuple(phrases),
    )


def every_stem(text: str) -> frozenset[str]:
    """The stems of every word of a text of two letters or more, common words included."""
    return frozenset(stem(t) for t in TOKEN.findall(text) if len(t) > 1)
