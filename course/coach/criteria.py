"""The six rubric criteria, each computed from the sentences' moves and their order."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from course.coach.moves import Sentence
from course.coach.profile import Profile
from course.coach.text import stems
from course.coach.vocab import OTHER, P
from course.speaking import (
    RAMBLING_SECONDS,
    STRONG_MAX_SECONDS,
    STRONG_MIN_SECONDS,
    TOO_SHORT_SECONDS,
)

SHAPE_ADVICE = OTHER["shape_advice"]


@dataclass
class Reading:
    """A draft as read: its sentences (with moves), text, length and the company profile."""

    text: str
    sentences: list[Sentence]
    words: int
    seconds: float
    profile: Profile | None
    stems: set[str]
    _tallies: dict[str, int] = field(default_factory=dict, repr=False)
    _found: dict[str, re.Match[str] | None] = field(default_factory=dict, repr=False)

    def tally(self, key: str) -> int:
        """How many times a named pattern matches in the whole draft (counted once)."""
        if key not in self._tallies:
            self._tallies[key] = sum(1 for _ in P[key].finditer(self.text))
        return self._tallies[key]

    @functools.cached_property
    def cliches(self) -> frozenset[str]:
        """The distinct stock phrases in the draft (found once)."""
        return cliches(self.text)

    def has(self, key: str) -> re.Match[str] | None:
        """The first match of a named pattern in the whole draft (searched once)."""
        if key not in self._found:
            self._found[key] = P[key].search(self.text)
        return self._found[key]

    def count(self, move: str) -> int:
        """How many sentences make a move."""
        return sum(s.move == move for s in self.sentences)

    @property
    def builds(self) -> bool:
        """The present part of the shape: the role named with what it will teach."""
        return any(s.builds for s in self.sentences)

    @property
    def dated(self) -> bool:
        """A dated step: an intention with a set time frame, whatever move it makes."""
        return any(s.find("intent") and s.find("deadline") for s in self.sentences)

    @property
    def company_hits(self) -> set[int]:
        """The profile items echoed, each within one sentence (not one about pay, leaving,
        personal life or a complaint: a value named there ties nothing to the aspiration)."""
        return {i for s in self.sentences if not s.digressions for i in s.company}

    def digression_count(self, flag: str) -> int:
        """How many sentences digress in one way (a digression counts once per sentence)."""
        return sum(flag in s.digressions for s in self.sentences)


def aspiration(r: Reading) -> tuple[int, str]:
    """Level for the aspiration criterion, from what each sentence states about the future."""
    kinds = [s.future for s in r.sentences]
    strong, hedged, weak = kinds.count("strong"), kinds.count("hedged"), kinds.count("weak")
    long_strong = sum(s.future == "strong" and s.long for s in r.sentences)
    goals = kinds.count("goal")
    direction = strong + hedged + weak
    near = r.has("near_term") is not None or goals > 0 or r.dated or r.builds
    passive = r.has("passive") is not None
    if direction == 0:
        if passive:
            return 1, "no direction: the answer says it has none yet"
        if any("exit_plan" in s.digressions and s.find("intent") for s in r.sentences):
            return 2, "a direction, but it leads away from this role"
        if "title" in kinds:
            return 1, "only a job title, no long-term direction"
        if goals:
            return 1, "only dated, short-term goals; no long-term direction"
        if "vague" in kinds:
            return 1, "only general growth (more responsibility, learning), no named direction"
        return 1, "no long-term direction found"
    open_strong = any(s.future == "strong" and s.open and s.long for s in r.sentences)
    if goals > direction and not open_strong:
        # Dated goals are the stepping stones a clear long-term direction needs (rubric 3);
        # without one they blur it.
        return 2, "a direction, outweighed by dated goals"
    if r.has("undecided") and not strong:
        # "I haven't worked out what I want yet" beside a hedged "maybe something in care":
        # the answer says itself that it has no direction.
        return 1, "no direction: the answer says it has none yet, and what follows is hedged"
    if passive:
        return 2, "a direction, but the answer also says it has not thought about one"
    if not near:
        return 2, "a direction, but no near-term step toward it"
    # An open direction set beside a dated step is long-term by contrast, said with or without
    # "one day" (plain English often leaves the horizon out).
    beside_step = any(s.future == "strong" and s.open for s in r.sentences) and (
        goals or r.dated or r.builds
    )
    if strong and (long_strong or strong >= 2 or beside_step):
        if any(s.digressions for s in r.sentences):
            return 2, "a clear direction, but blurred by a digression (pay, leaving, personal life)"
        return 3, "a clear long-term direction with a near-term step"
    if hedged and not strong:
        return 2, "a direction, but hedged (maybe, probably)"
    return 2, "a direction, but vague or without a long-term horizon"


def alignment(r: Reading) -> tuple[int, str]:
    """Level for alignment: the company's values and plans echoed, sentence by sentence."""
    p = r.profile
    named = any(s.names_company for s in r.sentences)
    if p is None:
        specific = len(
            {
                m.group(0).lower()
                for s in r.sentences
                for m in P["generic_specific"].finditer(s.text)
            }
        )
        if specific >= 2:
            return 3, "refers to the company's values or plans (no profile to check)"
        if specific or named:
            return 2, "names the company, not its values or plans (no profile to check)"
        return 1, "could fit any company: it names none and none of its values or plans"
    hits = len(r.company_hits)
    if hits:
        return 3, f"ties to {hits} of the company's values or plans"
    if named:
        return 2, "names the company but barely ties to its values or plans"
    return 1, "nothing specific to this company"


#: What a sentence says of the future when it names a direction (see moves.future).
DIRECTIONS = frozenset({"strong", "hedged", "weak"})
#: Moves that say something about the work ahead (a past example does not touch this role's work
#: on its own; any sentence stating an intention may).
_WORK_MOVES = frozenset({"aspiration", "goal", "skills", "contribution", "company"})
#: Job stems too common to show the role's work ("work", "working").
_COMMON_JOB_STEMS = frozenset({"work", "job", "role", "team"})


def _on_topic(r: Reading) -> bool:
    """The draft says something about this role's work or the company's, in a sentence that
    looks ahead: a tie to the company, how the role builds skills, or an aim or goal in the
    role's own words ("I want to be an electrician" alone never touches the work)."""
    if r.company_hits or r.builds:
        return True
    if r.profile is None:
        return False
    job = r.profile.job - _COMMON_JOB_STEMS
    # A short answer must name the work plainly (two of its words); a fuller one, once.
    need = 1 if r.seconds >= TOO_SHORT_SECONDS else 2
    return any(
        (s.move in _WORK_MOVES or (s.find("intent") and s.move not in ("hedge", "digression")))
        and len(job & stems(s.text)) >= need
        for s in r.sentences
    )


def relevance(r: Reading) -> tuple[int, str]:
    """Level for relevance: how many sentences digress, and in how many ways."""
    counts = {f: r.digression_count(f) for f in ("salary_focus", "exit_plan", "personal_life")}
    kinds = {f for s in r.sentences for f in s.digressions}
    if counts["exit_plan"] or counts["personal_life"] >= 2 or counts["salary_focus"] >= 2:
        return 1, "large parts are about pay, personal life or leaving"
    if len(kinds) >= 2:
        return 1, "large parts are about pay, personal life or leaving"
    about = kinds - {"wants_interviewer_job"}  # wanting a job here is about this workplace
    if about and not _on_topic(r) and not any(s.future in DIRECTIONS for s in r.sentences):
        # One digression, with no aim and nothing on the role's work beside it: the answer is
        # about the digression (rubric level 1), however few sentences it takes.
        return 1, "it is mostly about pay, personal life, a complaint or leaving, not this role"
    if kinds:
        return 2, "mostly relevant, with one digression"
    if not _on_topic(r):
        return 2, "never says what the role or the company's work involves"
    return 3, "everything relates to the role and company"


def hedging(r: Reading) -> float:
    """Hedges in a draft: a hard one counts 1, a soft one ("I think I could") a half."""
    return r.tally("hedges") + r.tally("undecided") + r.tally("soft_hedges") / 2


def confidence(r: Reading) -> tuple[int, str]:
    """Level for confidence: drive against hedges, passivity and overclaiming."""
    hedged = hedging(r)
    # Drive said in stock phrases ("ready to hit the ground running") is not said plainly.
    # Drive told of the past ("leading a team of eight in the army") is evidence, not drive.
    drive = 0
    for s in r.sentences:
        if s.move == "evidence":
            continue
        stock = [m.span() for m in P["cliches"].finditer(s.text)]
        drive += sum(
            1
            for m in P["drive"].finditer(s.text)
            if not any(m.start() < b and a <= m.end() + 10 for a, b in stock)
        )
    passive = r.has("passive") is not None
    your_job = r.digression_count("wants_interviewer_job")
    # Heavily hedged: more hedges than sentences, or three or more in an answer of a few
    # sentences (a long answer says "I think" more often).
    many = len(r.sentences) * 0.6
    if r.has("arrogant"):
        return 1, "sounds arrogant: claims to outdo others instead of welcoming the challenge"
    if r.has("apologetic"):
        return 1, "apologetic: apologises or runs yourself down instead of saying what you will do"
    if (
        r.has("implausible")
        or (passive and (not drive or hedged >= 2))
        or hedged >= max(5, many)
        or (not drive and (hedged >= max(3, many / 2) or hedged > len(r.sentences)))
    ):
        return 1, "passive, heavily hedged or overclaiming"
    if hedged >= 1 or your_job or not drive or passive:
        return 2, "some drive, but hedged or not stated plainly"
    return 3, "welcomes challenge and responsibility plainly"


def authenticity(r: Reading) -> tuple[int, str]:
    """Level for authenticity: a real example from the past, without stock phrases."""
    if r.has("implausible"):
        return 1, "implausible or overclaiming"
    stock = len(r.cliches)
    if stock >= 3 and not any(s.example for s in r.sentences):
        return 1, "stock phrases only, with nothing from your own past"
    if stock >= 2:
        return 2, "plausible but generic: stock phrases"
    # An example told inside a digression (a complaint, the pay) backs nothing in the answer.
    if not any(s.example and s.move != "digression" for s in r.sentences):
        return 2, "plausible but generic: no example from your past"
    return 3, "specific and backed by a real example"


def cliches(text: str) -> frozenset[str]:
    """The distinct stock phrases in a text."""
    return frozenset(m.group(0).lower() for m in P["cliches"].finditer(text))


def shape(r: Reading, aspiration_level: int) -> list[str]:
    """The parts of the three-part shape that are missing, or the order fault, in words."""
    missing = [
        name
        for name, found in (
            ("a long-term aspiration", aspiration_level >= 2),
            (
                "how this role builds toward it",
                r.builds or r.dated or any(s.future == "goal" for s in r.sentences),
            ),
            (
                "what you will contribute",
                any(s.contributes or s.move == "contribution" for s in r.sentences),
            ),
        )
        if not found
    ]
    if not missing and r.sentences and r.sentences[-1].move in ("digression", "hedge"):
        missing.append("an ending on your aspiration or contribution, not a digression or hedge")
    return missing


def concision(r: Reading, aspiration_level: int) -> tuple[int, str]:
    """Level for concision: speaking time and the three-part shape, in order."""
    s = r.seconds
    long_sentences = r.words / max(1, len(r.sentences)) > 45
    if s < TOO_SHORT_SECONDS or s > RAMBLING_SECONDS:
        return 1, "far too short or too long to follow"
    if s > STRONG_MAX_SECONDS and long_sentences:
        return 1, "long and rambling"
    if s < STRONG_MIN_SECONDS:
        return 2, f"a little short: aim for {STRONG_MIN_SECONDS} to {STRONG_MAX_SECONDS} s spoken"
    missing = shape(r, aspiration_level)
    if s > STRONG_MAX_SECONDS:
        if missing:
            # Over two minutes with no shape to follow: the rubric's "rambling".
            return 1, "long and rambling: over two minutes, with no clear shape to follow"
        return 2, f"a little long: aim for {STRONG_MIN_SECONDS} to {STRONG_MAX_SECONDS} s spoken"
    if not missing:
        return 3, "a good length with the three-part shape"
    return 2, f"a good length, but {SHAPE_ADVICE} (not found: {'; '.join(missing)})"
