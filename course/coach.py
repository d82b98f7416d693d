"""Answer coach: scores a drafted career-aspirations answer on the rubric with explainable rules."""

# Everything here is a deterministic rule a learner can be told about: phrase patterns, word
# overlap with a company profile, sentence-level signals and speaking time. No network, no
# model, stdlib only, so it can run on every keystroke. Patterns are compiled at import.
# Calibrated against drafts a careful grader levelled by hand (tests/data/coach/calibration.yaml,
# measured by benchmarks/coach_eval.py): change a rule there first, then check the holdout.

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from course.speaking import (
    RAMBLING_SECONDS,
    STRONG_MAX_SECONDS,
    STRONG_MIN_SECONDS,
    TOO_SHORT_SECONDS,
    count_words,
    seconds_for_words,
)

__all__ = [
    "CRITERIA",
    "CRITERION_TIPS",
    "FLAGS",
    "FLAG_LABELS",
    "LEVEL_NAMES",
    "MAX_ANALYSED_CHARS",
    "NO_COMPANY_TIP",
    "RUBRIC",
    "SHAPE_ADVICE",
    "TIPS",
    "Classification",
    "Feedback",
    "analyze",
    "classify",
]

# --------------------------------------------------------------------------- vocabulary

#: The six rubric criteria, in the order every report uses.
CRITERIA: tuple[str, ...] = (
    "aspiration",
    "alignment",
    "relevance",
    "confidence",
    "authenticity",
    "concision",
)

#: Rubric level names (CONTENT.md, "Rubric for a drafted answer").
LEVEL_NAMES: Mapping[int, str] = MappingProxyType({1: "developing", 2: "competent", 3: "strong"})

#: The rubric's descriptors per criterion, levels 1 to 3 (paraphrased from CONTENT.md).
RUBRIC: Mapping[str, tuple[str, str, str]] = MappingProxyType(
    {
        "aspiration": (
            "none, only a job title or only dated goals",
            "a direction, blurred with goals",
            "a clear long-term aspiration, with a near-term goal as a stepping stone",
        ),
        "alignment": (
            "could fit any company",
            "names the company, not its values or plans",
            "ties the aspiration to specific values or future plans",
        ),
        "relevance": (
            "unrelated dreams, personal life, exit plans",
            "mostly relevant, one digression",
            "everything relates to this role and company",
        ),
        "confidence": (
            "passive or arrogant",
            "some drive, hedged",
            "welcomes challenge and responsibility, stated plainly",
        ),
        "authenticity": (
            "implausible or invented",
            "plausible but generic",
            "specific, believable, consistent with a real background",
        ),
        "concision": (
            "under about 20 s or over about 3 min, rambling",
            "somewhat short or long",
            "about 45 to 120 s, with a clear shape",
        ),
    }
)

#: Every flag the coach can raise, in reporting order.
FLAGS: tuple[str, ...] = (
    "too_short",
    "too_long",
    "no_aspiration",
    "generic_no_company",
    "salary_focus",
    "exit_plan",
    "wants_interviewer_job",
    "personal_life",
    "negativity",
    "hedging",
    "cliche",
    "implausible_claim",
)

#: What each flag means, in plain English for a learner (shown as "Watch out for: ...").
FLAG_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "too_short": "too short to carry an aspiration and a reason",
        "too_long": "too long: over two minutes spoken",
        "no_aspiration": (
            "no clear long-term aspiration: only general growth, a job title or dated goals"
        ),
        "generic_no_company": "nothing ties it to this company",
        "salary_focus": "talk of pay or money",
        "exit_plan": "plans to leave, or the job as a stopgap",
        "wants_interviewer_job": "aiming at the interviewer's own job",
        "personal_life": "personal plans rather than your career",
        "negativity": "criticism of past employers or colleagues",
        "hedging": "hedging words (I guess, maybe, I'm not sure, I think I could)",
        "cliche": "stock phrases instead of evidence",
        "implausible_claim": "claims that are hard to believe",
    }
)

#: What to do instead, one tip per flag. Tips never quote the learner's text.
TIPS: Mapping[str, str] = MappingProxyType(
    {
        "too_short": (
            "Say more: aim for 60 to 90 seconds (about 130 to 200 words) covering your "
            "aspiration, how this role builds toward it, and what you will contribute."
        ),
        "too_long": (
            "Trim it to under two minutes (60 to 90 seconds is ideal): keep one short example "
            "and the three-part shape, and drop the back story."
        ),
        "no_aspiration": (
            "Name a long-term direction (a field, a kind of work or the difference you want to "
            "make), not only more responsibility, a job title or dated targets; then give one "
            "near-term goal as the stepping stone."
        ),
        "generic_no_company": (
            "Make it specific to this company: name it and tie your aspiration to one of its "
            "values or future plans that you found in your research."
        ),
        "salary_focus": (
            "Leave pay out of this answer: talk about the skills, impact and responsibility you "
            "want to grow into; salary belongs in a later conversation."
        ),
        "exit_plan": (
            "Don't present the job as a stopgap or mention plans to leave: describe a direction "
            "you can pursue in this role and with this company."
        ),
        "wants_interviewer_job": (
            "Instead of aiming at the interviewer's job, describe the responsibility you want to "
            "grow into and how you would earn it here."
        ),
        "personal_life": (
            "Keep personal plans out of it: talk only about your professional direction and how "
            "it fits this role and company."
        ),
        "negativity": (
            "Don't criticise past employers or colleagues: say what you are moving toward and "
            "what you learned, not what you are escaping."
        ),
        "hedging": (
            "Drop the hedges (I guess, maybe, I'm not sure, I think I could, I hope to): state "
            "your aspiration plainly, as something you intend to pursue."
        ),
        "cliche": (
            "Swap the stock phrases for evidence: one short, concrete example of something you "
            "did says more than labels like team player or passionate."
        ),
        "implausible_claim": (
            "Keep it believable: aim for growth you can credibly reach, and let one concrete "
            "past result show your ability instead of superlatives."
        ),
    }
)

#: A hint per criterion, given when it scores below 3 and no flag already explains why.
CRITERION_TIPS: Mapping[str, str] = MappingProxyType(
    {
        "aspiration": (
            "Make the long-term aspiration explicit, then name one near-term goal in this role "
            "that serves it."
        ),
        "alignment": (
            "Tie your aspiration to a specific value or future plan of the company, in its own "
            "words where you can."
        ),
        "relevance": "Keep every sentence about this role and this company; cut anything else.",
        "confidence": (
            "Show that you welcome challenge and responsibility, said plainly: for example, "
            "what you want to take on and lead."
        ),
        "authenticity": (
            "Add one short, true example from your past that makes the aspiration believable."
        ),
        "concision": (
            "Use the three-part shape: your aspiration, how this role builds toward it, and what "
            "you will contribute, in 60 to 90 seconds."
        ),
    }
)

#: What a well-shaped answer holds, in order (the concision criterion's "clear shape").
SHAPE_ADVICE = (
    "add a clear shape: aspiration, then how this role builds toward it, then what you will "
    "contribute"
)

#: Added when analyze() gets no company profile.
NO_COMPANY_TIP = (
    "No company profile was given, so alignment was judged on generic signals only: load a "
    "company profile to check ties to its values and plans."
)

#: Patterns look at most this many characters (a 3-minute answer is about 2,500); words are
#: still counted over the whole text, so 1 MB of input stays fast.
MAX_ANALYSED_CHARS = 20_000
_MAX_SENTENCES = 400
#: A past example shorter than this is a mention ("I did a project on solar"), not an example
#: that says what happened.
_MIN_EXAMPLE_WORDS = 12
_MAX_PROFILE_ITEMS = 40
_MAX_PROFILE_CHARS = 400

# Which flags already explain a weak criterion (so its generic hint is not repeated).
_COVERED_BY: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "aspiration": ("no_aspiration",),
        "alignment": ("generic_no_company",),
        "relevance": (
            "salary_focus",
            "exit_plan",
            "wants_interviewer_job",
            "personal_life",
            "negativity",
        ),
        "confidence": ("hedging", "implausible_claim", "wants_interviewer_job"),
        "authenticity": ("cliche", "implausible_claim"),
        "concision": ("too_short", "too_long"),
    }
)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Feedback:
    """The coach's verdict on one draft: a level 1-3 per criterion, flags and tips."""

    aspiration: int
    alignment: int
    relevance: int
    confidence: int
    authenticity: int
    concision: int
    words: int
    seconds: float
    flags: tuple[str, ...]
    tips: tuple[str, ...]
    #: One short reason per criterion, in CRITERIA order (never quotes the learner).
    why: tuple[str, ...] = ()

    @property
    def criteria(self) -> dict[str, int]:
        """Criterion -> level, in CRITERIA order."""
        return {name: getattr(self, name) for name in CRITERIA}

    @property
    def score(self) -> int:
        """Sum of the six levels, 6 to 18."""
        return sum(getattr(self, name) for name in CRITERIA)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: criteria, score, words, seconds, flags, tips."""
        return {
            "criteria": self.criteria,
            "score": self.score,
            "words": self.words,
            "seconds": self.seconds,
            "flags": list(self.flags),
            "tips": list(self.tips),
        }


@dataclass(frozen=True)
class Classification:
    """Whether a statement reads as a long-term aspiration or a short-term goal, and why."""

    label: str
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: label and reasons."""
        return {"label": self.label, "reasons": list(self.reasons)}


# --------------------------------------------------------------------------- patterns


def _rx(*parts: str) -> re.Pattern[str]:
    """One case-insensitive pattern from alternatives, each already word-bounded as needed."""
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


_NUM = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"eighteen|twenty|thirty|forty|fifty|sixty|ninety|a couple of|couple of|a few|few)"
)
_COUNT = (
    r"(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|hundred|a dozen|dozens of|hundreds of)"
)
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|apr|jun|jul|aug|sept?|oct|nov|dec)"
)
_SEASON = r"(?:spring|summer|autumn|fall|winter|christmas|easter|the holidays|the holiday season)"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_PERIOD = (
    r"(?:week|month|quarter|semester|term|year|season|sprint|financial year|fiscal year|"
    r"academic year|spring|summer|autumn|fall|winter)"
)
_TIME_UNIT = r"(?:years?|months?|weeks?|days?|hours?|minutes?|times?|decades?|people|of)"
# A count of years short of a decade, alone or as a range ("five", "3", "three to four"); a
# decade or more reads as a long horizon instead (see _HORIZON).
_FEW = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|a couple of|[1-9])"
_YEARS = rf"(?:{_FEW}(?:(?: to | or |-){_FEW})? (?:more )?years?(?:'|'s)?)"
_AGE = r"(?:\d\d|twenty[a-z-]*|thirty[a-z-]*|forty[a-z-]*|fifty[a-z-]*)"

# A set time frame: the mark of a goal (CONTENT.md: "a goal usually has a set time frame").
_DEADLINE = _rx(
    rf"\b(?:by|before|until|no later than|at) (?:the )?(?:end|middle|start|beginning|close) of "
    rf"(?:the |this |next |my |our )?(?:{_PERIOD}|q[1-4]|{_MONTH}|\d{{4}}|probation|internship|"
    r"placement|contract|project|course|programme|program)\b",
    rf"\b(?:by|before|until|in|this|next|during|over) (?:the )?(?:next |this |early |late |mid-?)?"
    rf"(?:{_MONTH}|{_SEASON}|{_WEEKDAY})\b",
    r"\b(?:by|before|until|in) (?:19|20)\d\d\b",
    r"\b(?:by|in|for|during) q[1-4]\b",
    r"\b(?:in|by|during) the (?:first|second|third|fourth|last|next) (?:quarter|half|month|week|"
    r"term|semester|sprint)\b",
    rf"\b(?:within|in|inside|over|during) (?:the |my |our )?(?:next |coming |first |following )?"
    rf"(?:about |around |roughly |just |under |less than )?{_NUM} "
    r"(?:more )?(?:hours?|days?|weeks?|months?|quarters?|semesters?|terms?|sprints?)\b",
    r"\bduring (?:the|my|our) (?:[a-z-]+ )?(?:week|month|quarter|semester|term|sprint)\b",
    r"\bbefore (?:the|my|our) (?:[a-z-]+ ){1,3}(?:goes live|go live|launches|opens|is released|"
    r"arrives|starts|begins)\b",
    # A counted number of years is a set time frame however it is put: "within five years",
    # "in three to four years' time", "inside two years", "over the next two years".
    rf"\b(?:within|in|inside|over|during) (?:the |my |our )?(?:next |coming |first |following )?"
    rf"(?:about |around |roughly |approximately |just |under |less than )?{_YEARS}(?! ago\b)",
    rf"\b{_YEARS} (?:from now|from today|after (?:joining|starting|graduating|i start|i join))\b",
    # An age is a deadline too: "by the age of 28", "by my mid-thirties", "by thirty".
    rf"\bby (?:the age of |age |my |the time i(?:'m| am| turn) )?(?:early |mid-?|late )?{_AGE}\b"
    r"(?!\s?(?:%|per|percent|points?|units?|minutes?|seconds?|hours?|days?))",
    r"\b(?:within|in|during|over) (?:the|my) (?:next|first|coming) (?:year|12 months)\b",
    r"\b(?:this|next) (?:week|month|quarter|semester|term|year|sprint|fortnight)\b",
    r"\bevery (?:week|month|quarter|fortnight|term|semester)\b",
    r"\bbefore (?:my|the|our) [a-z-]+ (?:ends?|is (?:out|over|done)|starts?|begins?|finishes)\b",
    r"\b(?:by|at|before) (?:my|the|our) (?:first |next |annual |end-of-year |mid-year )?"
    r"(?:performance )?(?:review|appraisal|inspection|audit|graduation|deadline)\b",
    r"\bdeadline\b",
    rf"\b{_NUM} (?:days?|weeks?|months?|years?) from (?:now|today)\b",
    r"\bby the time (?:i|we|the|my|our)\b",
    r"\bby (?:then|that point|that time)\b",
)

# A measurable or single, checkable outcome: the other mark of a (SMART) goal.
_MEASURE = _rx(
    r"\d+(?:[.,]\d+)?\s?(?:%|per ?cent\b)",
    r"[$£€¥]\s?\d",
    rf"\b{_COUNT}\s+(?:(?!{_TIME_UNIT}\b)[a-z-]+ ){{0,2}}(?!{_TIME_UNIT}\b)[a-z-]+s\b",
    r"\b\d+-(?:hour|day|week|credit|point|mile|kilometre|km)\b",
    rf"\b(?:to|under|below|within|by) (?:\d+|{_COUNT}|one) (?:seconds|minutes|hours|days|points|"
    r"percent|per cent)\b",
    rf"\b(?:under|below|over|above|at least|more than|less than|fewer than) {_COUNT}\b",
    r"\b(?:fully )?certified\b",
)

# A named, checkable deliverable ("pass the exam", "ship the page").
_DELIVERABLE = _rx(
    r"\b(?:pass|passing|sit|earn|earning|obtain|complete|completing|finish|finishing|submit|"
    r"submitting|publish|publishing|present|presenting|ship|shipping|launch|hit|get|getting|"
    r"translate|onboard|write|writing|run|close|sign)\b (?:(?!and\b|or\b)[a-z'-]+ ){0,4}?"
    r"(?:exams?|certificates?|certification|licen[cs]e|degree|diploma|qualification|course|"
    r"module|training|target|quota|marathon|half marathon|paper|thesis|dissertation|review|"
    r"reports?|logbook|application|case stud(?:y|ies)|page|release|milestone|audit|induction|"
    r"portfolio|manual|payroll run)\b",
    r"\b(?:cpa|cfa|acca|cima|pmp|prince2|aws|ccna|nebosh|iosh|gre|gmat|ielts|toefl|lsat|mcat|"
    r"nclex|cissp|comptia)\b",
)

# A long or open horizon: the mark of an aspiration (its timeline varies).
_HORIZON = _rx(
    r"\b(?:one day|some ?day|eventually|ultimately|in the long (?:run|term)|long[- ]term|"
    r"longer[- ]term|long run)\b",
    r"\bover (?:the course of )?my (?:whole |working |entire )?(?:career|life|working life)\b",
    r"\b(?:throughout|across|later in|later on in|for the rest of|the rest of) my (?:career|"
    r"working life)\b",
    r"\bmy (?:career|working life)\b",
    r"\b(?:a|my|whole|lifelong|long) career\b",
    r"\bin the (?:years|decades) (?:ahead|to come)\b",
    r"\bover the (?:coming|next few|next several) (?:years|decades)\b",
    r"\bin the coming (?:years|decades)\b",
    # A decade or more ahead ("over the next decade", "in ten years' time"); five years or less
    # stays a deadline, the mark of a goal.
    r"\b(?:over|in|within|during|across) (?:the )?(?:next|coming|following) (?:decade|"
    r"(?:ten|fifteen|twenty|10|15|20) years)\b",
    r"\b(?:in|within) (?:a|the next) decade\b",
    r"\b(?:ten|fifteen|twenty|10|15|20) years (?:from now|down the (?:line|road|track))\b",
    r"\bin (?:ten|fifteen|twenty|10|15|20) years(?:'|'s)? time\b",
    r"\b(?:in|within|over|after|across) (?:the next |another )?(?:about |around )?(?:ten|fifteen|"
    r"twenty|twenty-five|thirty|[1-9]\d)(?: or (?:ten|fifteen|twenty|twenty-five|thirty|"
    r"[1-9]\d))? years\b",
    r"\b(?:in (?:the )?future|down the (?:road|line|track)|over time|in time|lifelong|later on|"
    r"later|at some point|for the long haul|years from now|before i retire|as i grow|"
    r"as i gain experience|once i'm experienced|once i have (?:more )?experience)\b",
    r"\bwhere (?:i'd|i would|i want to) (?:like to )?end up\b",
    r"\bthe direction i want\b",
)

# Open outcomes: room for different results (CONTENT.md: "leaves room for different outcomes").
_OPEN = _rx(
    r"\b(?:become|be|grow into|the|that's the) (?:the |a |an )?(?:kind|sort|type) of\b",
    r"\bthe kind where\b",
    # Whoever they want to become, described by what they will do ("become a transport planner
    # who makes ...", "grow into an economist whose work ..."), not by the title alone.
    r"\b(?:become|becoming|be|being|grow into|growing into) (?:a|an|the) (?:[a-z-]+ ){0,3}?"
    r"[a-z-]+ (?:who|whose)\b",
    r"\b(?:someone|somebody|the person|the one|a person|(?:a|an|the) (?:[a-z-]+ ){0,2}"
    r"(?:engineer|analyst|teacher|lawyer|leader|manager|nurse|designer|developer|professional|"
    r"specialist|expert|voice|scientist|architect|researcher|advocate|mentor|coach)) "
    r"(?:who|whose|that|people|others|clinicians|customers|colleagues|teams)\b",
    r"\bbe known (?:for|as)\b",
    r"\b(?:make|making|made|makes) (?:a |an )?(?:real |lasting |genuine |meaningful |positive |"
    r"big |bigger )?(?:difference|impact|contribution)\b",
    r"\b(?:have|has|having) (?:a |an )?(?:real |lasting |genuine |meaningful |positive |bigger |"
    r"wider |greater )?(?:impact|effect|influence|voice|say)\b",
    r"\bhelp(?:s|ing)? (?!me\b|you\b|us\b|them\b|him\b|her\b|it\b|out\b)[a-z]",
    r"\b(?:shape|shaping|shapes|transform|transforming|change|changing|improve|improving|"
    r"rethink) (?:how|the way|what|the future)\b",
    r"\b(?:whatever|wherever|whichever) (?:form|shape|path|direction|that takes|it takes)\b",
    r"\bwhether (?:that|it)(?:'s| is| means| turns out| ends up| be)\b",
    r"\bin [a-z]+ or in [a-z]+\b",
    r"\b(?:in|to) (?:some|whatever|any) form\b",
    r"\b(?:expert|expertise|specialist|leader|authority|voice|advocate|pioneer|mastery) "
    r"(?:in|on|for|of|at)\b",
    r"\b(?:deepen|deepening|broaden|broadening|keep (?:growing|learning|developing|taking)|"
    r"grow as|grow into|growing into|develop into|work my way)\b",
    r"\ba career (?:in|as|that|where|helping|making|building)\b",
    r"\bmore (?:responsibility|influence|autonomy|ownership|complex|senior|strategic)\b",
    r"\b(?:move|moving|get|break|transition|go) into (?:[a-z-]+ ){0,2}?(?:work|management|"
    r"policy|research|leadership|development|design|strategy|consulting|teaching|product|"
    r"engineering|analytics|a role|a position)\b",
    r"\b(?:mentor|mentoring|teach|teaching|train|training) (?:new|junior|younger|the next|other|"
    r"future)\b",
    r"\b(?:lead|leading|run|running|open|start|design|designing|build|building) (?:a |an |my own |"
    r"the |large |larger |big |bigger )?(?:[a-z-]+ ){0,2}?(?:team|teams|group|kitchen|practice|"
    r"business|department|projects|programmes?|organi[sz]ation|studio|bakery|lab|buildings|"
    r"infrastructure|company|work)\b",
)

# Words that name an aspiration outright.
_ASP_WORD = _rx(
    r"\b(?:aspire|aspires|aspiring|aspiration|aspirations|dream|dreams|ambition|ambitions|"
    r"vision|calling|north star)\b",
    r"\b(?:hope|hoping|long) to\b",
    r"\b(?:i'd|i would) love to\b",
    r"\bsee myself\b",
    r"\bworking towards?\b",
)

# A job title, which on its own is not an aspiration (rubric level 1: "only a job title").
_TITLE = _rx(
    r"\b(?:manager|director|supervisor|head of|executive|partner|ceo|cto|cfo|vp|analyst|engineer|"
    r"associate|consultant|officer|president|scientist|specialist|team lead|lead)s?\b",
)

# Growth with no direction named ("more responsibility", "keep learning", "move up", "lead a
# team"): said alone it is not an aspiration (rubric level 1: "none"). An open outcome that
# falls inside one of these phrases does not count as a direction.
_VAGUE = _rx(
    r"\bmore (?:responsibility|responsibilities|ownership|autonomy|influence|senior)\b"
    r"(?! (?:for|over (?!time)|in (?!the company|my|the role|the team|time)|of)\b)",
    r"\bkeep (?:growing|learning|developing|improving|progressing)\b"
    r"(?! (?:into|in (?!my|the company|the role)|towards?|as (?:a|an) (?!person|professional))\b)",
    r"\bgrow(?:ing)? as (?:a |an )?(?:person|professional|individual|employee|worker)\b",
    r"\b(?:grow|growing|develop|developing|move|moving|progress|progressing) (?:into|to) "
    r"(?:a |an |the )?(?:[a-z-]+ ){0,3}?(?:role|roles|position|positions|job|level|levels)\b"
    r"(?! (?:where|in which|that|who|with|on|in)\b)",
    r"\bwork my way up\b",
    r"\b(?:like|love|enjoy|enjoyed) helping (?:people|others|customers|everyone)\b",
    r"\b(?:expert|specialist|leader|authority|expertise) in (?:my|the|this|our|a) "
    r"(?:field|area|industry|sector|role|job|company)\b",
    r"\b(?:lead|leading|run|running|manage|managing) (?:a |the |my own |some |)?"
    r"(?:team|teams|projects|people|others)\b"
    r"(?! (?:of|that|who|which|on|in|working|building|delivering|through)\b)",
)
# A direction named by its field or kind of work ("in preventive care", "into policy",
# "on offshore wind"), as opposed to "in the company" or "over time".
_FIELD = re.compile(
    r"\b(?:in|into|towards?|on|around) (?:the |a |an )?(?:field of |area of |world of )?"
    r"(?!(?:company|companies|role|roles|team|teams|job|jobs|position|field|industry|sector|"
    r"future|time|long|short|near|next|years?|months?|weeks?|my|our|your|this|that|these|"
    r"those|it|things|general|place|organi[sz]ation|business|world|life|career|area|way|order|"
    r"charge|touch|turn|fact|particular|terms|front|mind|own|board|track|site|top|hand|return|"
    r"some|any|every|each|whatever|which|what|how|where|who|few|couple|several|lot|bit|one|"
    r"two|three|four|five|six|seven|eight|nine|ten|twenty|end|meantime|person|addition|"
    r"advance|practice|the|more|less|again|hold|trust)\b)[a-z][a-z-]{2,}",
    re.IGNORECASE,
)

# The speaker states an intention (as opposed to describing the past).
_INTENT = _rx(
    r"\bi(?:'d| would| will|'ll)\b",
    r"\bi(?:'m| am)? (?:want|wants|hope|aim|aiming|plan|planning|intend|aspire|expect|envision|"
    r"picture|mean|keen|ready|hoping|going to|working toward|working towards)\b",
    r"\bi want\b",
    r"\bmy (?:[a-z-]+ ){0,2}(?:aspiration|ambition|goal|aim|plan|dream|target|hope)\b",
    r"\bwhat (?:i want|i'm working|i am working)\b",
    r"\b(?:next step|my next)\b",
)

# The present: a near-term step, or this role as the stepping stone.
_NEAR_TERM = _rx(
    r"\b(?:right now|for now|at this stage|to start|to begin with|first step|next step|"
    r"stepping stone|in the near term|near[- ]term|short[- ]term|early on|at first|"
    r"early in my career|grounding|foundation|fundamentals)\b",
    r"\bin the first (?:year|few months|couple of years|months|two years)\b",
    r"\b(?:this|the) (?:[a-z-]+ ){0,4}?(?:role|position|job|opportunity|graduate scheme)\b",
)

# How the role builds toward the aspiration: a learning verb.
_BUILD = _rx(
    r"\b(?:learn|learning|build|develop|gain|sharpen|deepen|strengthen|master|grounding|teach|"
    r"train|grow|get fluent|become (?:properly )?competent|give me|teach me|help me)\b",
    r"\bget(?:ting)? (?:[a-z]+ |a lot )?(?:good|better) at\b",
)
# A learning verb with nothing named to learn ("learn a lot", "develop my skills", "gain
# experience"): it does not say how the role builds toward anything.
_VAGUE_BUILD = _rx(
    r"\b(?:learn|learning|develop|developing|gain|gaining|grow|growing|build|building)\b"
    r"(?:\s*$| (?:(?:a lot|lots|loads|a great deal)(?! (?:about|on|of (?!things|new|stuff)))|"
    r"new (?:things|skills)|things|everything|whatever|anything|what(?:ever)? (?:is|'s) needed|"
    r"as much as (?:i can|possible)|more|quickly|fast|from|myself|professionally|personally|"
    r"my (?:skills?|career|knowledge|experience|abilities)|(?:some |more |real |valuable |"
    r"practical |hands-on )?experience|skills|my technical skills|(?:the |my )?skill ?set|"
    r"with (?:the|a|your|this) (?:company|team|business|organi[sz]ation))\b)",
    r"\bhelp me (?:grow|develop|learn|progress|improve)\b(?! (?:into|my|in|as|how|the)\b)",
)
_ROLE_REF = _rx(
    r"\b(?:this|the|your) (?:[a-z-]+ ){0,4}?(?:role|position|job|opportunity|graduate scheme)\b",
    r"\b(?:your|the) team\b",
    r"\b(?:here|with you|at your company|in your team)\b",
)

# What the speaker will contribute (the third part of the shape).
_CONTRIBUTE = _rx(
    r"\b(?:i'd|i would|i will|i'll|i can|i could) (?:also )?(?:bring|contribute|offer|add|"
    r"deliver|take ownership|own|approach|feed|help|support)\b",
    r"\b(?:contribute|contribution|in return|add value|give back|take ownership|be part of the "
    r"team|be one of the people|be the person|bring (?:my|a|an|the|that|this))\b",
)

# Drive: welcoming challenge and responsibility (rubric level 3). Enthusiasm alone ("eager to
# learn", "I'm confident I can") is not the same thing and does not count.
_DRIVE = _rx(
    r"\b(?:challenge|challenges|challenging|responsibility|responsibilities|take on|step up|"
    r"stretch|ownership|own my|ready to|i'm ready|i am ready|not afraid|commit to|i welcome|"
    r"welcome the|hard question|difficult|lead|leading|lead them)\b",
)

# Passivity and "I haven't thought about it".
_PASSIVE = _rx(
    r"\bwhatever (?:comes|happens)\b",
    r"\bsee(?:ing)? (?:where|what) (?:it|life|things) (?:takes?|goes?|leads?|happens?)\b",
    r"\bgo with the flow\b",
    r"\b(?:haven't|have not|not) (?:really )?thought (?:about|much)\b",
    r"\bdon't (?:really )?know (?:what|where)\b",
    r"\bno idea (?:what|where)\b",
    r"\btake it as it comes\b",
    r"\bjust happy to have a job\b",
    r"\b(?:don't|do not) (?:yet )?have a (?:specific |fixed |clear |real )?(?:plan|idea)\b",
    r"\b(?:work|figure|working|figuring) out what i (?:really |actually )?want\b",
)

_HEDGES = _rx(
    r"\bi guess\b",
    r"\bmaybe\b",
    r"\bi(?:'m| am) not (?:really |totally |entirely |quite |completely |fully |100% )?sure\b",
    r"(?<!the )(?<!this )(?<!that )(?<!what )(?<!a )(?<!any )(?<!same )(?<!one )(?<!right )"
    r"(?<!wrong )(?<!some )(?<!every )(?<!other )(?<!which )(?<!different )\bkind of\b",
    r"(?<!the )(?<!this )(?<!that )(?<!what )(?<!a )(?<!any )(?<!same )(?<!one )(?<!right )"
    r"(?<!wrong )(?<!some )(?<!every )(?<!other )(?<!which )(?<!different )\bsort of\b",
    r"\bi suppose\b",
    r"\bprobably\b",
    r"\bperhaps\b",
    r"\bi don't (?:really )?know\b",
    r"\bhopefully\b",
    r"\bif that makes sense\b",
    r"\bor something\b",
    r"\bi might\b",
    r"\bpossibly\b",
    r"\bum+\b|\buh+\b|\berm\b",
    r"\bit (?:kind of )?depends\b",
    r"\bsomething like\b",
)
# Doubt said right before an intention ("I think eventually I'd like to ..."): a hedged
# direction, like a "maybe" in the same sentence.
_DOUBTED_INTENT = _rx(
    r"\bi (?:think|guess|suppose) (?:that )?(?:[a-z-]+ )?(?:i'd|i would|i want|i'll|i will|"
    r"i might|i could|i may)\b",
)
# Undecided about the details: a hedge for confidence, though an aspiration may stay open.
_UNDECIDED = _rx(
    r"\b(?:still|yet to|haven't|have not) (?:working|figuring|work|figure) (?:it |this |that )?"
    r"out\b",
    r"\b(?:haven't|have not) (?:yet )?decided\b",
)
# Softer hedges about oneself ("I think I could", "I hope to", "if I get the chance"): each
# counts half a hedge, so one is fine and two read as hedged.
_SOFT_HEDGES = _rx(
    r"\bi (?:think|believe|feel) (?:that )?(?:i|i'd|i'm|i'll|i've|i could|i would|i might)\b",
    r"\bi (?:think|believe|feel) (?:that )?(?:[a-z'-]+ ){1,7}?(?:would|could|might) "
    r"(?:be|suit|fit|help|give|work|let|make)\b",
    r"\bi(?:'d| would)? hope (?:to|that|i)\b",
    r"\bi(?:'m| am) hoping\b",
    r"\bif (?:i get|i'm given|given) (?:the|a) (?:chance|opportunity)\b",
    r"\bif (?:things|it|all|everything) (?:goes?|work(?:s)? out) (?:well|ok|okay|to plan)\b",
    r"\bwhen i(?:'m| am| feel) ready\b",
    r"\bi(?:'d| would| will|'ll) try\b",
    r"\b(?:i'll|i will|i'd|i would) do my best\b",
)
# These hedges alone are enough to flag: they say "I don't know my own mind".
_STRONG_HEDGES = _rx(
    r"\bi guess\b",
    r"\bi(?:'m| am) not (?:really |totally |entirely |quite |completely |fully )?sure\b",
    r"\bi don't (?:really )?know\b",
    r"\bif that makes sense\b",
)

_CLICHES = _rx(
    r"\bteam[- ]player\b",
    r"\bhard[- ]?work(?:er|ing)\b",
    r"\b(?:think )?outside the box\b",
    r"\bpassionate\b",
    r"\bpassion for\b",
    r"\bgo[- ]getter\b",
    r"\bself[- ]starter\b",
    r"\bdetail[- ]oriented\b",
    r"\bresults[- ](?:driven|oriented)\b",
    r"\bperfectionist\b",
    r"\b1[01]0 ?(?:%|per ?cent)",
    r"\bgive it my all\b",
    r"\bsynerg(?:y|ies)\b",
    r"\bpeople person\b",
    r"\bwear many hats\b",
    r"\b(?:fast|quick) learner\b",
    r"\babove and beyond\b",
    r"\bhit the ground running\b",
    r"\bdynamic (?:environment|team|company|place|individual|person)\b",
    r"\bthrive (?:in|under|on)\b",
    r"\bproactive\b",
    r"\brock ?star\b",
    r"\bninja\b",
    r"\b(?:highly )?motivated individual\b",
    r"\badd value\b",
    r"\bfrom day one\b",
    r"\bstrong work ethic\b",
    r"\bmove the needle\b",
    r"\bgame[- ]changer\b",
    r"\bdream job\b",
)

_SALARY = _rx(
    r"\b(?:salary|salaries|compensation|bonus(?:es)?|stock options|share options|"
    r"car allowance|benefits package|perks|six[- ]figures?|get rich|pay ?(?:rises?|raises?))\b",
    r"\ba (?:pay )?raise\b",
    r"\b(?:the|good|great) pay\b(?! (?:attention|off)\b)",
    r"\bpay and (?:benefits|conditions|perks)\b",
    r"\b(?:well|better|highest|best|higher)[- ]paid\b",
    r"\bpaid (?:very |really )?(?:well|more|better)\b",
    r"\b(?:high|higher|good|better|big|bigger|decent|my) (?:income|wage|wages|pay)\b",
    r"\b(?:make|making|earn|earning|more|good|decent|better|big) money\b",
    r"\bearning potential\b",
    r"\bearn(?:ing)? (?:a lot|more|good|a good|a really good|a decent|a high)\b",
    r"\bfinancial (?:security|freedom|independence|reward|rewards)\b",
    r"\bpay (?:bands?|grades?|scales?|packet|check|cheque)\b",
    r"\bwhat (?:senior |experienced )?[a-z]+s (?:earn|get paid|are paid)\b",
)

# Leaving soon, or the job as a stopgap. Only forward-looking forms: a career changer saying
# "I changed careers" or "I studied at business school" is not planning to leave.
_EXIT = _rx(
    r"\b(?:stopgap|stop-gap|for the time being|pay the bills)\b",
    r"(?<!got a )(?<!had a )(?<!did a )(?<!took a )(?<!found a )(?<!was a )(?<!held a )"
    r"\btemporary (?:job|role)\b",
    r"\b(?:try|trying) (?:something|anything) (?:else|different|new)\b",
    r"\bfor now,? i(?:'d| would)? (?:like|want|need) (?:something|anything|a job)\b",
    r"\bwhether i (?:want|would want|'d want) to stay\b",
    r"\buntil i (?:find|get|can|start|go|save|move|figure)\b",
    r"\bbefore i (?:go back|leave|move on|head off|start my own)\b",
    r"\bfor the next year or (?:so|two)\b",
    r"\b(?:only|just|stay|staying|here) (?:for )?(?:about |around )?a year or two\b",
    r"\b(?:role|job|position|stay|here|work) for (?:about |around |roughly |only |just )?"
    r"(?:a|one) year\b",
    r"\bfor the (?:year|months) i'm\b",
    r"\b(?:while i'm here|when i move on|when i leave)\b",
    r"\b(?:move on|leave|quit) (?:after|in|within|once)\b",
    r"\b(?:apply|applied|applying) (?:for|to) (?:a |an )?(?:master's|masters|mba|phd|doctorate|"
    r"grad(?:uate)? school|law school|med(?:ical)? school|postgrad)",
    r"\b(?:go|going|head|heading|return|returning) back to (?:university|uni|school|college)\b",
    r"\b(?:go|going|start|starting|head|heading|leave for|off|attend|attending|apply to) "
    r"(?:to )?(?:grad|graduate|law|med|medical|business) school\b",
    r"\b(?:phd|doctoral|master's|masters|mba) (?:programmes?|programs?|applications?|places?)\b",
    r"\b(?:a )?(?:completely |totally )?(?:different|another|second) career\b",
    r"\b(?:want|plan|planning|hope|hoping|intend|going|like|eventually|then|later) (?:to )?"
    r"(?:change|switch) (?:careers|fields|industries)\b",
    r"\bcompletely different (?:field|industry|job|line of work)\b",
    r"\b(?:start|set up|open) my own (?:business|company|firm|startup|start-up|agency)\b",
    r"\b(?:go freelance|move abroad|emigrate)\b",
    r"\bstepping stone to (?:something|another|a different|my real)\b",
    r"\bnot (?:planning|looking|going|intending) to stay\b",
    r"\bnot (?:planning|looking|going|intending) to (?:be|work|stay) (?:in|at|here)\b"
    r"[^.;]{0,40}\b(?:forever|for ever|for long|long[- ]term)\b",
    r"\bwhile i (?:work|figure) out\b",
)

# A denial that ends right where an exit-plan phrase starts: "no plans to", "not going to",
# "I don't want to", "I'd never". It must touch the phrase: "I won't leave until I find
# something better" still plans to leave.
_DENIED_BEFORE = re.compile(
    r"\b(?:no (?:plans?|intention|wish|desire)|not (?:planning|going|looking|intending|about)|"
    r"(?:do|does|did|will|would) not|(?:don't|doesn't|didn't|won't|wouldn't|'d never|never))"
    r"(?: (?:ever|really|at all))?(?: (?:want|plan|intend|need|mean|expect|wish|have))?"
    r"(?: to)?(?: (?:just|simply))? $",
    re.IGNORECASE,
)

_YOUR_JOB = _rx(
    r"\b(?:want|take|have|get|replace|after|doing|do|steal|taking|inherit|like|love|covet)\b "
    r"(?:[a-z']+ ){0,2}?your (?:job|position|seat|chair|desk|role|title)\b"
    r"(?! (?:description|advert|ad|posting|listing|spec|done|easier))",
    r"\b(?:sitting|sit|be) (?:right )?where you(?:'re| are)\b",
    r"\b(?:replace|replacing|taken over from|take over from|taking over from) you\b",
    r"\bin your (?:shoes|seat|chair)\b",
    r"\bbe your (?:boss|manager)\b",
)

_PERSONAL = _rx(
    r"\b(?:my|our) (?:wife|husband|partner|girlfriend|boyfriend|fianc[eé]e?|kids|children|baby|"
    r"babies|dog|cat|pets?|wedding|mortgage|hobbies|hobby|holidays?|vacations?|weekends?|"
    r"social life|personal life|family life)\b",
    r"\b(?:start|starting|have|having|raise|raising) (?:a family|kids|children)\b",
    r"\bget(?:ting)? married\b",
    r"\bget(?:ting)? settled\b(?! (?:in|into))",
    r"\b(?:buy|buying|bought) (?:a|our|my) (?:house|home|flat|car)\b",
    r"\bwork[- ]life balance\b",
    r"\bsettle down\b",
    r"\btravel(?:ling|ing)? the world\b",
    r"\b(?:retire early|early retirement)\b",
    r"\btime with my (?:family|kids|children|partner|friends)\b",
    r"\b(?:make|making) my (?:family|parents|mum|mom|dad) proud\b",
    r"\b(?:buy|buying) (?:a |my |our )?(?:own )?(?:house|home|flat|place|car)\b",
    r"\bfamily (?:commitments|responsibilities)\b",
    r"\b(?:point|stage|time) (?:in|of) my life\b",
)

# Negativity needs a past employer or a person and a negative judgement in the same sentence
# ("they" is left out: it is as often the patients or customers someone helped).
_PEOPLE = _rx(
    r"\b(?:my|our|the) (?:current |last |previous |old |former |ex-?|present )?(?:boss|bosses|"
    r"manager|managers|employer|company|job|team|colleagues|co-?workers|supervisor|lecturers?|"
    r"teachers?|clients?|management|workplace|organi[sz]ation|firm)\b",
    r"\b(?:he|she|everyone there|people there|team there)\b",
)
_NEGATIVE = _rx(
    r"\b(?:hopeless|useless|incompetent|lazy|terrible|awful|horrible|toxic|stupid|idiots?|"
    r"clueless|disorgani[sz]ed|worst|hate|hated|hates|pathetic|nightmare|dysfunctional|rude|"
    r"unfair|micromanag\w*)\b",
    r"\b(?:can't|couldn't|could not|cannot) stand\b",
    r"\b(?:fed up|sick of)\b",
    r"\b(?:never|didn't|doesn't|don't|did not|does not) (?:listened|listen|appreciated|appreciate|"
    r"cared|care|valued|value|understand|understood)\b",
    r"\b(?:took|takes|take) (?:the )?credit\b",
)
_HARSH = _rx(r"\b(?:toxic|incompetent|idiots|hopeless)\b")

_IMPLAUSIBLE = _rx(
    r"\b(?:ceo|cto|cfo|coo|chief [a-z]+ officer|managing director|director|vice[- ]president|"
    r"vp|president|(?:make|made|be|become) partner|head of [a-z]+)\b[^.;]{0,40}?"
    r"\b(?:(?:within|in) (?:a|one|two|three|six|1|2|3|a couple of|a few|the next (?:year|"
    r"two years|few months)) (?:years?|months?|weeks?)|(?:by|before) 20\d\d)\b",
    r"\b(?:run|running|lead|leading|head|heading|manage|managing|be in charge of) (?:the|this|"
    r"your) (?:whole |entire )?(?:[a-z-]+ )?(?:company|department|business|division|"
    r"organi[sz]ation|firm)\b[^.;]{0,40}?\b(?:within|in) (?:a|one|two|three|1|2|3|a couple of|"
    r"a few) (?:years?|months?)\b",
    r"\bexpect(?:ing)? to be promoted\b",
    r"\b(?:be|become|am|i'm|already) (?:the )?best [a-z ]{0,30}?in (?:the )?(?:world|country|"
    r"industry|business|field|company|sector)\b",
    r"\bbest in the world\b",
    r"\bi (?:never|don't|do not) (?:ever )?(?:make|made) (?:a |any )?mistakes?\b",
    r"\b(?:i'm|i am) (?:never wrong|always right)\b",
    r"\bnever been wrong\b",
    r"\bi (?:never|don't ever) fail\b",
    r"\b(?:no|zero) weaknesses\b",
    r"\bi know everything\b",
    r"\bsingle[- ]handedly\b",
    r"\brevolutioni[sz]e (?:the|this|your) (?:whole |entire )?(?:industry|field|company|sector)\b",
    r"\b(?:perfect|flawless) (?:record|employee|candidate|track record)\b",
    r"\b(?:better|smarter) than (?:everyone|anyone|all)\b",
    r"\bthe obvious (?:person|choice|candidate)\b",
    r"\b(?:take over|run|lead) [^.;]{0,50}?\b(?:almost )?"
    r"(?:immediately|straight away|right away|in no time)\b",
)

# Evidence from a real background: one compressed past example makes an answer credible. An
# action the speaker took is specific; a context alone ("in my degree") needs a number or a
# named piece of work too.
_EVIDENCE_ACTION = _rx(
    r"\b(?:i've|i have|i) (?:also |then |once |[a-z]+ly )?(?:re-?)?(?:been|worked|spent|built|"
    r"led|ran|managed|created|designed|wrote|written|taught|tutored|trained|volunteered|"
    r"studied|completed|handled|onboarded|organised|organized|analysed|analyzed|modelled|"
    r"modeled|redrew|produced|prepared|started|set up|launched|delivered|helped|supported|"
    r"grew up|came|did|collected|rewrote|noticed|learned|learnt|sat in|dealt|took on|took over|"
    r"won|fixed|automated|cut|reduced|raised|increased|improved|mentored|coordinated|"
    r"negotiated|resolved|presented|published|shipped|tested|migrated|cleaned|mapped|"
    r"drafted)\b",
)
_EVIDENCE_CONTEXT = _rx(
    r"\b(?:during|on|in|at|from) my (?:placement|internship|degree|final[- ]year|master's|msc|"
    r"bsc|phd|apprenticeship|last (?:role|job)|previous (?:role|job)|current (?:role|job)|"
    r"time)\b",
    r"\b(?:at|in) (?:university|uni|college)\b",
    r"\bas a (?:[a-z-]+ ){0,2}(?:assistant|volunteer|intern|tutor|student|agent|analyst|engineer|"
    r"teacher|nurse|representative|apprentice)\b",
    r"\blast (?:year|summer|term)\b",
)
# A named piece of work, which makes a context specific ("my dissertation on readmissions").
_WORK = _rx(
    r"\b(?:a|an|the|my|our|one|two|three) (?:[a-z-]+ ){0,2}?(?:project|dissertation|thesis|"
    r"report|dashboard|study|paper|app|tool|model|campaign|event|prototype|survey|website|"
    r"audit)s?\b",
    r"\d",
)

# Generic references to a company's specifics, for when no profile is given.
_GENERIC_SPECIFIC = _rx(
    r"\b(?:your|the company's|this company's|its) (?:own )?(?:mission|values?|vision|plans?|"
    r"strategy|expansion|growth|focus|commitment|culture|academy|programmes?|programs?|"
    r"partnerships?|launch|move|emphasis|work on|approach to)\b",
    r"\byou(?:'re| are) (?:opening|expanding|launching|building|adding|training|moving|growing|"
    r"doubling|publishing|investing)\b",
    r"\bthe plan to\b",
)
# A named organisation without a profile: a capitalised possessive, or "at/join/apply to Name".
_PROPER_NAME = re.compile(
    r"\b[A-Z][a-z]+[A-Za-z]*'s\b|\b(?:[Aa]t|[Jj]oin(?:ing)?|(?:applied|applying|apply) to|"
    r"(?:work|working) (?:at|for)) [A-Z][a-z]+\b"
)

_TAG = re.compile(r"<[^<>]{0,300}>")
_SPACE = re.compile(r"\s+")
_SENTENCE = re.compile(r"[.!?;:]+(?=\s|$)|\n+")
_TOKEN = re.compile(r"[^\W\d_]+|\d+")
# Typographic quotes and dashes to plain ones (one character each, so positions are kept).
_PLAIN = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2011": "-",
        "\u00a0": " ",
    }
)

# Words too common to show alignment with a company, whichever profile it is.
_STOP = frozenset(
    """
    a an the and or of in on to for with by from into over at as its it is are be our your
    their every new first second more most all any each comes come without through via per than
    then this that these those up out off own core local team work people what which who whom
    double grow add build launch open publish train expand make take use keep get give company
    companies group inc ltd llc plc co
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_SUFFIXES = (
    "ations",
    "ation",
    "ments",
    "ment",
    "ships",
    "ship",
    "ings",
    "ing",
    "ities",
    "ity",
    "ies",
    "ed",
    "es",
    "ly",
    "s",
)


# --------------------------------------------------------------------------- text helpers


def _stem(word: str) -> str:
    """A light stem: strip common English suffixes (twice), keep at most six letters."""
    w = word.lower()
    for _ in range(2):
        for suffix in _SUFFIXES:
            if w.endswith(suffix) and len(w) - len(suffix) >= 4:
                w = w[: -len(suffix)]
                break
        else:
            break
    return w[:6]


def _coerce_text(text: Any) -> str:
    """Any input to a string: None is empty, bytes are decoded, anything else is str()'d."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray)):
        return bytes(text).decode("utf-8", errors="replace")
    try:
        return str(text)
    except Exception:  # an object whose __str__ fails is simply treated as empty
        return ""


def _prepare(text: str) -> str:
    """The analysed part of a draft: capped, tags removed, quotes and dashes made plain."""
    head = text[:MAX_ANALYSED_CHARS].translate(_PLAIN)
    return _TAG.sub(" ", head)


def _sentences(text: str) -> list[str]:
    """Split into sentences or clauses (a colon or semicolon starts a new one)."""
    parts = (s.strip() for s in _SENTENCE.split(text, maxsplit=_MAX_SENTENCES))
    return [s for s in parts if s]


def _snippet(match: re.Match[str]) -> str:
    """A matched phrase for a reason, whitespace collapsed and length capped."""
    return _SPACE.sub(" ", match.group(0)).strip()[:40]


def _stems(text: str) -> set[str]:
    """Stems of the content words of a text (stop words left out)."""
    return {_stem(t) for t in _TOKEN.findall(text) if t.lower() not in _STOP}


# --------------------------------------------------------------------------- company profile


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
        item_text = item if isinstance(item, str) else _coerce_text(item)
        out.append(item_text[:_MAX_PROFILE_CHARS].translate(_PLAIN))
    return out


@dataclass(frozen=True)
class _Profile:
    """The parts of a company profile the coach matches against."""

    name_keys: frozenset[str]
    items: tuple[frozenset[str], ...]  # content stems of each value and plan
    job: frozenset[str]  # stems of the role, industry and skills
    role: frozenset[str]  # stems of the role title alone

    @property
    def specific(self) -> frozenset[str]:
        """Every content stem of the values and plans together."""
        return frozenset().union(*self.items) if self.items else frozenset()


def _profile(company: Any) -> _Profile | None:
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
        role |= _stems(item)
    job = set(role)
    for name in ("industry", "skills"):
        for item in _field(company, name):
            job |= _stems(item)
    # Name: distinctive tokens only (not the industry words a name often carries).
    name_keys = set()
    for item in _field(company, "name"):
        for token in _TOKEN.findall(item):
            low = token.lower()
            if low not in _STOP and len(low) > 2 and _stem(low) not in job:
                name_keys.add(low)
    items = []
    for name in ("values", "plans"):
        for item in _field(company, name):
            # A value's words that are also the job's own words do not show research.
            stems = frozenset(s for s in _stems(item) if s not in job and not s.isdigit())
            if stems:
                items.append(stems)
    return _Profile(frozenset(name_keys), tuple(items), frozenset(job), frozenset(role))


def _item_hit(item: frozenset[str], draft: set[str]) -> bool:
    """A value or plan is echoed when two of its content words appear (its only word if one)."""
    matched = len(item & draft)
    return matched >= min(2, len(item))


# --------------------------------------------------------------------------- analysis steps


@dataclass
class _Draft:
    """Working state while a draft is analysed (one pass per step, like a small pipeline)."""

    text: str
    sentences: list[str]
    words: int
    seconds: float
    profile: _Profile | None


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """Whether a match's span lies within one of the given spans."""
    return any(start <= span[0] and span[1] <= end for start, end in spans)


def _open_direction(sentence: str, after: int = 0) -> bool:
    """An open outcome that names a direction, not just growth ("more responsibility"), said
    at or after position `after` (where the speaker's intention starts: "Solvane is a leader
    in the field and I'd love to join" describes the company, not the speaker's aim)."""
    vague = [m.span() for m in _VAGUE.finditer(sentence)]
    return any(
        m.start() >= after and not _inside(m.span(), vague) for m in _OPEN.finditer(sentence)
    )


def _aspiration(d: _Draft) -> tuple[int, str]:
    """Level for the aspiration criterion, from what each sentence states about the future."""
    strong = hedged = weak = vague = titles = goals = long_strong = 0
    for sentence in d.sentences:
        cues = [m.start() for p in (_HORIZON, _ASP_WORD, _INTENT) if (m := p.search(sentence))]
        if not cues:
            continue  # about the past or the present: no intention here
        horizon = _HORIZON.search(sentence) is not None
        named = _ASP_WORD.search(sentence) is not None
        stated = _INTENT.search(sentence) is not None
        # What the speaker aims at comes after the intention ("Northwind is a leader in health
        # data and I'd love to join" names the company's field, not the speaker's).
        field = any(m.start() >= min(cues) for m in _FIELD.finditer(sentence))
        title = _TITLE.search(sentence) is not None
        if _open_direction(sentence, min(cues)) or (horizon and field and not title):
            # An open outcome, or a field named with a long horizon: a real direction, unless
            # it comes with a "maybe" or a "probably".
            if _HEDGES.search(sentence) or _DOUBTED_INTENT.search(sentence):
                hedged += 1
            else:
                strong += 1
                long_strong += horizon or named
        elif _OPEN.search(sentence):
            vague += 1  # growth with nothing named: more responsibility, keep learning
        elif named or (horizon and stated):
            # No open outcome: a named field is a direction; a bare job title is not (rubric 1).
            if field:
                weak += 1
            elif title:
                titles += 1
            else:
                vague += 1
        elif stated and (_DEADLINE.search(sentence) or _MEASURE.search(sentence)):
            goals += 1
    direction = strong + hedged + weak
    near = _NEAR_TERM.search(d.text) is not None or goals > 0 or _builds(d)
    passive = _PASSIVE.search(d.text) is not None
    if direction == 0:
        if passive:
            return 1, "no direction: the answer says it has none yet"
        if titles:
            return 1, "only a job title, no long-term direction"
        if goals:
            return 1, "only dated, short-term goals; no long-term direction"
        if vague:
            return 1, "only general growth (more responsibility, learning), no named direction"
        return 1, "no long-term direction found"
    if goals > direction:
        return 2, "a direction, outweighed by dated goals"
    if passive:
        return 2, "a direction, but the answer also says it has not thought about one"
    if not near:
        return 2, "a direction, but no near-term step toward it"
    if strong and (long_strong or strong >= 2):
        return 3, "a clear long-term direction with a near-term step"
    if hedged and not strong:
        return 2, "a direction, but hedged (maybe, probably)"
    return 2, "a direction, but vague or without a long-term horizon"


def _alignment(d: _Draft, stems: set[str], tokens: set[str]) -> tuple[int, str]:
    """Level for alignment: echoes of the profile's values and plans, or of its name."""
    p = d.profile
    if p is None:
        specific = len({m.group(0).lower() for m in _GENERIC_SPECIFIC.finditer(d.text)})
        if specific >= 2:
            return 3, "refers to the company's values or plans (no profile to check)"
        if specific or _PROPER_NAME.search(d.text):
            return 2, "names the company, not its values or plans (no profile to check)"
        # "This job", "here", "the company": words that could be said to any employer.
        return 1, "could fit any company: it names none and none of its values or plans"
    hits = sum(_item_hit(item, stems) for item in p.items)
    named = bool(p.name_keys & tokens)
    specific_words = len(p.specific & stems)
    if hits >= 2 or (hits == 1 and specific_words >= 3):
        return 3, f"ties to {hits} of the company's values or plans"
    if hits == 1 or named:
        return 2, "names the company but barely ties to its values or plans"
    return 1, "nothing specific to this company"


def _count(pattern: re.Pattern[str], text: str) -> int:
    """How many times a pattern matches (non-overlapping)."""
    return sum(1 for _ in pattern.finditer(text))


def _mentions_role(d: _Draft, sentence: str) -> bool:
    """A sentence refers to the role: 'this role', or most of the profile's role title."""
    if _ROLE_REF.search(sentence):
        return True
    role = d.profile.role if d.profile else frozenset()
    return bool(role) and len(role & _stems(sentence)) >= min(2, len(role))


def _builds(d: _Draft) -> bool:
    """The present part of the shape: the role is named with what it will teach (same or next
    sentence, since people often say 'this role...' and then 'I want to learn...')."""
    sentences = d.sentences
    for i, sentence in enumerate(sentences):
        if _mentions_role(d, sentence) and any(_names_learning(s) for s in sentences[i : i + 2]):
            return True
    return False


def _names_learning(sentence: str) -> bool:
    """A learning verb with something named to learn, not "learn a lot" or "gain experience"."""
    vague = [m.span() for m in _VAGUE_BUILD.finditer(sentence)]
    return any(not _inside(m.span(), vague) for m in _BUILD.finditer(sentence))


def _sentences_with(pattern: re.Pattern[str], d: _Draft, negatable: bool = False) -> int:
    """How many sentences a pattern matches in (a digression is counted once per sentence).

    With `negatable`, a match right after a denial ("I have no plans to leave after a year",
    "I don't want to try something else") does not count: the sentence says the opposite.
    """
    if not negatable:
        return sum(1 for s in d.sentences if pattern.search(s))
    return sum(
        1
        for s in d.sentences
        if any(not _DENIED_BEFORE.search(s[: m.start()]) for m in pattern.finditer(s))
    )


def _on_topic(d: _Draft, stems: set[str], hits: int) -> bool:
    """The draft says something about this role or company, not only what it avoids: the
    role's own words (two of its title, industry or skills), a value or plan echoed, or the
    role named with what it will teach."""
    if d.profile is not None and (len(d.profile.job & stems) >= 2 or hits):
        return True
    if d.profile is None and _GENERIC_SPECIFIC.search(d.text):
        return True
    return _builds(d)


def _negativity(d: _Draft) -> bool:
    """Harsh words anywhere, or a past employer or person judged negatively in one sentence."""
    if _HARSH.search(d.text):
        return True
    return any(_PEOPLE.search(s) and _NEGATIVE.search(s) for s in d.sentences)


# --------------------------------------------------------------------------- public API


def analyze(text: str, company: Mapping[str, Any] | Any | None = None) -> Feedback:
    """Score a drafted answer on the six rubric criteria, with flags and what-to-do-instead tips.

    `company` is a profile (name, industry, role, values, plans, skills) as a mapping or an
    object with those attributes; without it alignment is judged on generic signals only.
    Never raises; hostile or huge input still returns a valid Feedback quickly.
    """
    raw = _coerce_text(text)
    words = count_words(raw)
    seconds = seconds_for_words(words)
    body = _prepare(raw)
    try:
        profile = _profile(company)
    except Exception:  # a profile we cannot read is treated as no profile
        profile = None
    d = _Draft(body, _sentences(body), words, seconds, profile)
    tokens = {t.lower() for t in _TOKEN.findall(body)}
    stems = {_stem(t) for t in tokens if t not in _STOP}

    flags: set[str] = set()
    why: dict[str, str] = {}

    # ---- aspiration
    aspiration, why["aspiration"] = _aspiration(d)
    if aspiration == 1:
        flags.add("no_aspiration")

    # ---- alignment
    alignment, why["alignment"] = _alignment(d, stems, tokens)
    if alignment == 1:
        flags.add("generic_no_company")

    # ---- relevance: digressions away from this role and company
    salary = _sentences_with(_SALARY, d)
    exit_plan = _sentences_with(_EXIT, d, negatable=True)
    your_job = _sentences_with(_YOUR_JOB, d)
    personal = _sentences_with(_PERSONAL, d)
    negative = _negativity(d)
    for flag, hit in (
        ("salary_focus", salary),
        ("exit_plan", exit_plan),
        ("wants_interviewer_job", your_job),
        ("personal_life", personal),
        ("negativity", negative),
    ):
        if hit:
            flags.add(flag)
    digressions = sum(bool(x) for x in (salary, exit_plan, your_job, personal, negative))
    hits = sum(_item_hit(item, stems) for item in profile.items) if profile else 0
    on_topic = _on_topic(d, stems, hits)
    if exit_plan or personal >= 2 or salary >= 2 or digressions >= 2:
        relevance, why["relevance"] = 1, "large parts are about pay, personal life or leaving"
    elif digressions == 1:
        relevance, why["relevance"] = 2, "mostly relevant, with one digression"
    elif not on_topic:
        relevance, why["relevance"] = 2, "never says what the role or the company's work involves"
    else:
        relevance, why["relevance"] = 3, "everything relates to the role and company"

    # ---- confidence
    hard = _count(_HEDGES, body) + _count(_UNDECIDED, body)
    soft = _count(_SOFT_HEDGES, body)
    if hard + soft >= 2 or _STRONG_HEDGES.search(body):
        flags.add("hedging")
    # A soft hedge ("I think I could", "I hope to") counts half: one is fine, two read as hedged.
    hedging = hard + soft / 2
    implausible = _count(_IMPLAUSIBLE, body)
    if implausible:
        flags.add("implausible_claim")
    drive = _count(_DRIVE, body)
    passive = _PASSIVE.search(body) is not None
    # Level 1: overclaiming, passive, or so hedged (or hedged with no drive at all) that it
    # reads as "I haven't thought about it".
    if (
        implausible
        or (passive and (not drive or hedging >= 2))
        or hedging >= 5
        or (hedging > 2 and not drive)
    ):
        confidence, why["confidence"] = 1, "passive, heavily hedged or overclaiming"
    elif hedging >= 1 or your_job or not drive or passive:
        confidence, why["confidence"] = 2, "some drive, but hedged or not stated plainly"
    else:
        confidence, why["confidence"] = 3, "welcomes challenge and responsibility plainly"

    # ---- authenticity
    cliches = len({m.group(0).lower() for m in _CLICHES.finditer(body)})
    if cliches >= 2:
        flags.add("cliche")
    # A past example: something the speaker did, or a context made specific by a named piece
    # of work or a number ("my dissertation on ...", "forty tickets a day"), told in enough
    # words to say what happened.
    evidence = sum(
        1
        for s in d.sentences
        if (_EVIDENCE_ACTION.search(s) or (_EVIDENCE_CONTEXT.search(s) and _WORK.search(s)))
        and count_words(s) >= _MIN_EXAMPLE_WORDS
    )
    if implausible:
        authenticity, why["authenticity"] = 1, "implausible or overclaiming"
    elif cliches >= 2:
        authenticity, why["authenticity"] = 2, "plausible but generic: stock phrases"
    elif not evidence:
        authenticity, why["authenticity"] = 2, "plausible but generic: no example from your past"
    else:
        authenticity, why["authenticity"] = 3, "specific and backed by a real example"

    # ---- concision: speaking time and the three-part shape
    if seconds < TOO_SHORT_SECONDS:
        flags.add("too_short")
    if seconds > STRONG_MAX_SECONDS:
        flags.add("too_long")
    builds = _builds(d)
    contributes = _CONTRIBUTE.search(body) is not None
    parts = (aspiration >= 2) + builds + contributes
    long_sentences = words / max(1, len(d.sentences)) > 45
    if seconds < TOO_SHORT_SECONDS or seconds > RAMBLING_SECONDS:
        concision, why["concision"] = 1, "far too short or too long to follow"
    elif seconds > STRONG_MAX_SECONDS and long_sentences:
        concision, why["concision"] = 1, "long and rambling"
    elif STRONG_MIN_SECONDS <= seconds <= STRONG_MAX_SECONDS and parts == 3:
        concision, why["concision"] = 3, "a good length with the three-part shape"
    elif STRONG_MIN_SECONDS <= seconds <= STRONG_MAX_SECONDS:
        missing = [
            name
            for name, found in (
                ("a long-term aspiration", aspiration >= 2),
                ("how this role builds toward it", builds),
                ("what you will contribute", contributes),
            )
            if not found
        ]
        concision, why["concision"] = (
            2,
            (f"a good length, but {SHAPE_ADVICE} (not found: {'; '.join(missing)})"),
        )
    elif seconds < STRONG_MIN_SECONDS:
        concision, why["concision"] = (
            2,
            (f"a little short: aim for {STRONG_MIN_SECONDS} to {STRONG_MAX_SECONDS} s spoken"),
        )
    else:
        concision, why["concision"] = (
            2,
            (f"a little long: aim for {STRONG_MIN_SECONDS} to {STRONG_MAX_SECONDS} s spoken"),
        )

    levels = {
        "aspiration": aspiration,
        "alignment": alignment,
        "relevance": relevance,
        "confidence": confidence,
        "authenticity": authenticity,
        "concision": concision,
    }
    ordered_flags = tuple(f for f in FLAGS if f in flags)
    tips = [TIPS[f] for f in ordered_flags]
    for criterion in CRITERIA:
        if levels[criterion] < 3 and not flags.intersection(_COVERED_BY[criterion]):
            tips.append(CRITERION_TIPS[criterion])
    if profile is None:
        tips.append(NO_COMPANY_TIP)
    return Feedback(
        **levels,
        words=words,
        seconds=seconds,
        flags=ordered_flags,
        tips=tuple(tips),
        why=tuple(why[c] for c in CRITERIA),
    )


# classify() weighs the signals: a set time frame is the strongest mark of a goal (CONTENT.md),
# a long horizon the strongest of an aspiration; ties go to "aspiration" (the open reading).
_W_DEADLINE = 2.5
_W_MEASURE = 2.0
_W_DELIVERABLE = 1.0
_W_HORIZON = 2.0
_W_OPEN = 1.5
_W_ASP_WORD = 1.0


def classify(text: str) -> Classification:
    """Label a statement as a long-term "aspiration" or a short-term "goal", with the reasons.

    A goal has a set time frame and a specific, measurable outcome; an aspiration has a long or
    open horizon and leaves room for different outcomes. Without any time frame or measure a
    statement is read as an aspiration (its timeline is open).
    """
    body = _prepare(_coerce_text(text))
    goal_reasons: list[str] = []
    asp_reasons: list[str] = []
    goal = asp = 0.0
    if m := _DEADLINE.search(body):
        goal += _W_DEADLINE
        goal_reasons.append(f"has a deadline: {_snippet(m)}")
    if m := _MEASURE.search(body):
        goal += _W_MEASURE
        goal_reasons.append(f"a measurable target: {_snippet(m)}")
    if m := _DELIVERABLE.search(body):
        goal += _W_DELIVERABLE
        goal_reasons.append(f"a specific deliverable: {_snippet(m)}")
    if m := _HORIZON.search(body):
        asp += _W_HORIZON
        asp_reasons.append(f"a long-term horizon: {_snippet(m)}")
    if _OPEN.search(body):
        asp += _W_OPEN
        asp_reasons.append("an open-ended outcome")
    if m := _ASP_WORD.search(body):
        asp += _W_ASP_WORD
        asp_reasons.append(f"aspirational wording: {_snippet(m)}")
    if goal > asp:
        return Classification("goal", tuple(goal_reasons + asp_reasons))
    if not goal_reasons:
        asp_reasons.append("no set time frame or measurable target")
    return Classification("aspiration", tuple(asp_reasons + goal_reasons))
