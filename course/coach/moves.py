"""What each sentence does: its move (aspiration, goal, tie to the company, ...) and why."""

# Each sentence is read on its own, with the phrases behind the decision kept as features so
# the learner (and a facilitator) can see why. Criteria are computed from these readings and
# their order (criteria.py), never from a keyword anywhere in the text.

from __future__ import annotations

import re
from dataclasses import dataclass, field

from course.coach.profile import Profile, every_stem
from course.coach.text import phrase, stems, words
from course.coach.vocab import FIRST_PERSON, FLAG_LABELS, MOVE_CRITERIA, MOVE_LABELS, P

#: The moves, in the order a sentence is tested for them (the first that applies is its move).
MOVES: tuple[str, ...] = (
    "digression",
    "evidence",
    "goal",
    "aspiration",
    "skills",
    "company",
    "contribution",
    "hedge",
    "other",
)
#: Which flag each kind of digression raises.
DIGRESSIONS: tuple[tuple[str, str], ...] = (
    ("salary", "salary_focus"),
    ("exit", "exit_plan"),
    ("your_job", "wants_interviewer_job"),
    ("personal", "personal_life"),
)
#: A past example shorter than this is a mention ("I did a project on solar"), not an example
#: that says what happened (it still tells the past: the move is evidence, but authenticity
#: needs an example) ...
MIN_EXAMPLE_WORDS = 12
#: ... and shorter than this it is too short to be about the past at all.
MIN_EVIDENCE_WORDS = 6


@dataclass
class Sentence:
    """One sentence of a draft, read: its move, what else it does, and the phrases why."""

    text: str
    move: str = "other"
    future: str = ""  # strong, hedged, weak, vague, title or goal: what it says of the future
    open: bool = False  # its direction is an open outcome (not only a field with a horizon)
    long: bool = False  # a long horizon or an aspiration word
    digressions: tuple[str, ...] = ()  # flags
    evidence: bool = False  # says what the speaker did or has been
    example: bool = False  # ... in enough words to be an example (authenticity)
    company: tuple[int, ...] = ()  # profile items it echoes
    names_company: bool = False
    role: bool = False  # refers to the role
    builds: bool = False  # the role (here or just before) with something named to learn
    contributes: bool = False
    first_person: bool = False
    features: list[str] = field(default_factory=list)
    _found: dict[str, re.Match[str] | None] = field(default_factory=dict, repr=False)

    def find(self, key: str) -> re.Match[str] | None:
        """The first match of a named pattern in this sentence (each searched once)."""
        if key not in self._found:
            self._found[key] = P[key].search(self.text)
        return self._found[key]

    @property
    def label(self) -> str:
        """The move in plain English."""
        return MOVE_LABELS.get(self.move, self.move)

    @property
    def criterion(self) -> str:
        """The rubric criterion this sentence serves ('' for none)."""
        return MOVE_CRITERIA.get(self.move, "")

    def to_dict(self) -> dict[str, object]:
        """Plain data for JSON and the live view."""
        return {
            "text": self.text,
            "move": self.move,
            "label": self.label,
            "criterion": self.criterion,
            "features": list(self.features),
        }


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """Whether a match's span lies within one of the given spans."""
    return any(start <= span[0] and span[1] <= end for start, end in spans)


def open_direction(sentence: str, after: int = 0) -> bool:
    """An open outcome that names a direction, not just growth ("more responsibility"), said
    at or after position `after` (where the speaker's intention starts)."""
    vague = [m.span() for m in P["vague"].finditer(sentence)]
    return any(
        m.start() >= after and not _inside(m.span(), vague) for m in P["open"].finditer(sentence)
    )


def names_learning(sentence: str) -> bool:
    """A learning verb with something named to learn, not "learn a lot" or "gain experience"."""
    vague = [m.span() for m in P["vague_build"].finditer(sentence)]
    return any(not _inside(m.span(), vague) for m in P["build"].finditer(sentence))


def future(s: Sentence) -> tuple[str, bool]:
    """What a sentence says about the future: (kind, long horizon). Kind is '' for none."""
    sentence = s.text
    cues = [m.start() for k in ("horizon", "asp_word", "intent") if (m := s.find(k))]
    if not cues:
        if s.find("bare_goal") and (s.find("deadline") or s.find("measure")):
            return "goal", False  # an instruction to oneself with a time frame
        return "", False  # about the past or the present: no intention here
    horizon = s.find("horizon") is not None
    named = s.find("asp_word") is not None
    stated = s.find("intent") is not None
    # What the speaker aims at comes after the intention ("Northwind is a leader in health
    # data and I'd love to join" names the company's field, not the speaker's).
    in_field = any(m.start() >= min(cues) for m in P["field"].finditer(sentence))
    title = s.find("title") is not None
    long = horizon or named
    if s.find("goal_word") and not horizon:
        return "goal", long  # "My first goal is to ...": a goal, said as one
    if stated and not horizon and not named and s.find("deadline"):
        return "goal", long  # a step with a set time frame is a goal, whatever it names
    s.open = bool(s.find("open") and open_direction(sentence, min(cues)))
    if s.open or (horizon and in_field and not title):
        if s.find("hedges") or s.find("doubted_intent"):
            return "hedged", long
        return "strong", long
    if stated and not horizon and (s.find("deadline") or s.find("measure")):
        return "goal", long  # a dated step ("I hope to pass my units by June"): a goal
    if s.find("open"):
        return "vague", long  # growth with nothing named: more responsibility, keep learning
    if named or (horizon and stated):
        # No open outcome: a named field is a direction; a bare job title is not (rubric 1).
        return ("weak" if in_field else "title" if title else "vague"), long
    if stated and (s.find("deadline") or s.find("measure")):
        return "goal", long
    if stated and s.find("work_in"):
        return ("hedged" if s.find("hedges") else "weak"), long  # "I'd like to work in editing"
    return "", long


def digressions(s: Sentence, fixed_term: bool = False) -> tuple[str, ...]:
    """The flags a sentence's digressions raise (a denied exit plan does not count, nor going
    back to study at the end of a placement or fixed-term role)."""
    past_gap = s.find("gap_context") is not None
    out = []
    for key, flag in DIGRESSIONS:
        if key == "exit":
            hit = s.find("exit") is not None and _real_exit(s.text, fixed_term)
        elif key == "personal" and past_gap:
            # One plain sentence on a caring gap is context, not a digression; part-time
            # hours or a family's wishes still are.
            hit = s.find("personal_strong") is not None
        elif key == "personal":
            hit = s.find("personal") is not None or s.find("personal_strong") is not None
        else:
            hit = s.find(key) is not None
        if hit:
            out.append(flag)
    if s.find("harsh") or (s.find("people") and s.find("negative")):
        out.append("negativity")
    return tuple(out)


def _real_exit(sentence: str, fixed_term: bool) -> bool:
    """An exit-plan phrase that is not denied ("no plans to leave") and, in a fixed-term role,
    is not the expected return to study."""
    return any(
        not P["denied_before"].search(sentence[: m.start()])
        and not (fixed_term and P["study_return"].search(m.group(0)))
        for m in P["exit"].finditer(sentence)
    )


def is_evidence(s: Sentence, min_words: int = MIN_EXAMPLE_WORDS) -> bool:
    """A past example: something the speaker did, or a context made specific by a named piece
    of work or a number, told in at least `min_words` words."""
    if len(s.text.split()) < min_words:
        return False
    if s.find("evidence_action"):
        # Time out for caring is said plainly, as context; it is not an example of the work.
        gaps = [m.span() for m in P["gap_context"].finditer(s.text)]
        if not gaps:
            return True
        return any(
            not any(a < m.end() + 12 and m.start() < b for a, b in gaps)
            for m in P["evidence_action"].finditer(s.text)
        )
    return bool(s.find("evidence_context") and s.find("work"))


#: A specific detail in a short past sentence: a number or a capitalised name (not "I").
_SPECIFIC = re.compile(r"\d|\b(?!I\b)[A-Z][a-z]+")


def _short_example(s: Sentence) -> bool:
    """A short past sentence that says what the speaker did (not only what they were or where
    they worked) with a specific detail: "I managed a small supermarket in Romania"."""
    return _SPECIFIC.search(s.text[1:]) is not None and any(
        not P["evidence_state"].fullmatch(m.group(0)) for m in P["evidence_action"].finditer(s.text)
    )


#: After the company's name: a possessive, or a verb it is the subject of ("Northwind works",
#: "Marlow & Finch grows its own people", "Solvane is").
_SUBJECT_VERBS = re.compile(
    r"^(?:'s|s'|’s| (?:really |also |already |now )?(?:is|are|has|have|will|was|can|does|"
    r"[a-z]{2,}s)\b)"
)


def _company_as_subject(text: str, name_keys: frozenset[str]) -> bool:
    """Whether the company's name is the subject of a clause or owns something in a sentence:
    "Northwind works ...", "Marlow & Finch's plan"."""
    low = text.lower()
    return any(
        _SUBJECT_VERBS.search(low[m.end() :])
        for key in name_keys
        for m in re.finditer(rf"\b{re.escape(key)}\b", low)
    )


def read_sentence(text: str, profile: Profile | None) -> Sentence:
    """Read one sentence: every signal it carries, then its move."""
    s = Sentence(text)
    s.future, s.long = future(s)
    s.digressions = digressions(s, profile is not None and profile.fixed_term)
    s.evidence = is_evidence(s, MIN_EVIDENCE_WORDS) and s.future not in ("strong", "hedged", "goal")
    # An example counts for authenticity whatever the move; plain English says it in short
    # sentences, so a short one with a specific detail (a number, a place, a name) counts too.
    s.example = is_evidence(s) or (s.evidence and _short_example(s))
    own = stems(text)
    if profile is not None:
        s.names_company = bool(profile.name_keys & {w for w in words(text)})
        # One word of a value or plan is enough only where the sentence points at the
        # company: "your plan", "the reason I applied", or the company as the subject
        # ("Northwind works closely with ..."); naming it in passing ("my first year at
        # Northwind") needs two words, as anywhere else.
        pointed = s.find("generic_specific") is not None or (
            s.names_company and _company_as_subject(text, profile.name_keys)
        )
        s.company = tuple(profile.hits(own, every_stem(text), pointed))
        s.role = bool(profile.role) and len(profile.role & own) >= min(2, len(profile.role))
    else:
        s.names_company = s.find("proper_name") is not None
    if not s.company and profile is None and s.find("generic_specific"):
        s.company = (-1,)
    s.role = s.role or s.find("role_ref") is not None
    s.contributes = s.find("contribute") is not None
    s.first_person = any(w in FIRST_PERSON for w in words(text))
    return s


#: For each move, the patterns whose phrases explain it (features shown to the learner).
_EXPLAINED_BY = {
    "goal": (("deadline", "time frame"), ("measure", "measure"), ("intent", "intention")),
    "aspiration": (
        ("horizon", "long horizon"),
        ("asp_word", "aspiration word"),
        ("open", "open outcome"),
        ("hedges", "hedge"),
    ),
    "skills": (("role_ref", "the role"), ("build", "learning")),
    "evidence": (("evidence_action", "past action"), ("evidence_context", "past context")),
    "contribution": (("contribute", "contribution"),),
    "hedge": (("hedges", "hedge"), ("passive", "passive"), ("apologetic", "apology")),
}


def explain(s: Sentence, profile: Profile | None) -> None:
    """Fill in the features: the phrases behind the sentence's move (and company ties)."""
    for key, name in _EXPLAINED_BY.get(s.move, ()):
        if m := s.find(key):
            s.features.append(f"{name}: {phrase(m)}")
    if profile is not None:
        s.features += [f"company: {profile.labels[i]}" for i in s.company if i >= 0]
    for flag in s.digressions:
        keys = [k for k, f in (*DIGRESSIONS, ("personal_strong", "personal_life")) if f == flag]
        found = next((m for k in [*keys, "harsh", "negative"] if (m := s.find(k))), None)
        words_of = f" ({phrase(found)})" if found else ""
        s.features.append(f"digression: {FLAG_LABELS.get(flag, flag)}{words_of}")


def assign_moves(sentences: list[Sentence], profile: Profile | None = None) -> None:
    """Give each sentence its move, and explain it; how the role builds skills may span two
    sentences ("This role ..." then "I want to learn ...")."""
    for i, s in enumerate(sentences):
        prev_role = i > 0 and sentences[i - 1].role
        s.builds = bool(
            (s.role or prev_role) and s.find("build") is not None and names_learning(s.text)
        )
        builds = s.builds
        if s.digressions:
            s.move = "digression"
        elif s.find("gap_context") and not s.evidence and not s.future:
            s.move = "other"  # a gap said once, plainly: context
        elif s.company and s.find("company_first"):
            s.move = "company"  # "Your plan to ... is where I want to grow": the tie leads
        elif s.evidence:
            s.move = "evidence"
        elif s.future == "goal":
            s.move = "goal"
        elif s.future in ("strong", "hedged", "weak"):
            s.move = "aspiration"
        elif builds:
            s.move = "skills"
        elif s.company or s.find("generic_specific"):
            s.move = "company"  # naming the company with praise alone is not a tie to it
        elif s.contributes or (s.first_person and s.find("drive")):
            s.move = "contribution"
        elif s.find("hedges") or s.find("passive") or s.find("apologetic"):
            s.move = "hedge"
        else:
            s.move = "other"
        explain(s, profile)
