"""Drafts written to please a keyword counter: repeats, keyword lists, echoes, recitals."""

# A draft can carry every word the criteria look for without saying anything: two good
# sentences pasted five times, a list of the company's words, the question or the rubric
# repeated back, the company's values recited with no "I" in them. Each raises a flag, and a
# draft with any of them scores at most CAP of 18 (rubric: "clearly invented for the
# interviewer" and no real shape).

from __future__ import annotations

import functools
from pathlib import Path

from course.coach.moves import Sentence
from course.coach.profile import Profile
from course.coach.text import normalise, stems, words
from course.coach.vocab import FIRST_PERSON, FUNCTION_WORDS, P

#: The highest total a gamed draft can get.
CAP = 11
#: A sentence this short can repeat by chance ("Thank you.").
_MIN_REPEAT_WORDS = 5
#: Prose has roughly two function words in five; a keyword list has almost none.
_MIN_FUNCTION_SHARE = 0.22
_MIN_WORDS_TO_JUDGE = 15
#: A sentence shares this much of its word triples with the question or rubric: an echo.
_ECHO_SHARE = 0.5
RUBRIC_FILE = Path(__file__).resolve().parents[1] / "content" / "rubric.yaml"
QUESTION = "What are your career aspirations?"


def repeated(sentences: list[Sentence]) -> list[Sentence]:
    """The sentences that repeat an earlier one (same words, case and punctuation aside)."""
    seen: set[str] = set()
    out = []
    for s in sentences:
        key = normalise(s.text)
        if len(key.split()) >= _MIN_REPEAT_WORDS and key in seen:
            out.append(s)
        seen.add(key)
    return out


def keyword_list(text: str, sentences: list[Sentence]) -> bool:
    """A list of words rather than sentences: few of the words that glue speech together."""
    tokens = words(text)
    if len(tokens) < _MIN_WORDS_TO_JUDGE:
        return False
    share = sum(t in FUNCTION_WORDS for t in tokens) / len(tokens)
    return share < _MIN_FUNCTION_SHARE


#: A value, plan or skill is copied when most of its words are in one sentence ...
_COPIED_SHARE = 0.6
#: ... and a draft that copies this many of them, this many a sentence on average (a real
#: answer ties one or two to itself; a stuffed one lists them), or one sentence this many.
_STUFFED_DRAFT, _STUFFED_DENSITY, _STUFFED_SENTENCE = 7, 1.5, 5
#: Short sentences cut from one template ("I aspire to X. I aspire to Y. ..."): how short,
#: and how many sharing their first two words make a template rather than a style.
_TEMPLATE_WORDS, _TEMPLATE_SENTENCES = 8, 6


def copied_items(sentence: Sentence, profile: Profile) -> int:
    """How many of the profile's values, plans and skills a sentence copies."""
    own = stems(sentence.text)
    return sum(len(item & own) >= max(1, _COPIED_SHARE * len(item)) for item in profile.listed)


def stuffed(sentences: list[Sentence], profile: Profile | None) -> bool:
    """The company's own list of values, plans and skills pasted in, rather than tied to you."""
    if profile is None or not profile.listed:
        return False
    counts = [copied_items(s, profile) for s in sentences]
    total = sum(counts)
    dense = total >= _STUFFED_DRAFT and total >= _STUFFED_DENSITY * len(counts)
    return dense or max(counts, default=0) >= _STUFFED_SENTENCE


def templated(sentences: list[Sentence]) -> list[Sentence]:
    """Short sentences that repeat one frame ("I aspire to X.", "I aspire to Y.", ...)."""
    groups: dict[tuple[str, ...], list[Sentence]] = {}
    for s in sentences:
        tokens = words(s.text)
        if 2 <= len(tokens) <= _TEMPLATE_WORDS:
            groups.setdefault(tuple(tokens[:2]), []).append(s)
    framed = [s for group in groups.values() if len(group) >= 3 for s in group[1:]]
    return framed if len(framed) + 2 >= _TEMPLATE_SENTENCES else []


def no_first_person(text: str) -> bool:
    """Enough words to say something, and none of them about the speaker."""
    tokens = words(text)
    return len(tokens) >= _MIN_WORDS_TO_JUDGE and not any(t in FIRST_PERSON for t in tokens)


@functools.cache
def _echo_triples() -> frozenset[tuple[str, ...]]:
    """Word triples of the interview question and the rubric's wording (rubric.yaml)."""
    texts = [QUESTION]
    try:
        import yaml  # only when a draft is long enough to check; the kernel has it loaded

        data = yaml.safe_load(RUBRIC_FILE.read_text(encoding="utf-8"))
        for c in data.get("criteria", []):
            texts += [str(c.get("question", "")), *map(str, (c.get("levels") or {}).values())]
    except Exception:  # without the rubric file, echoes of the question are still caught
        pass
    return frozenset(t for text in texts for t in _triples(words(text)))


def _triples(tokens: list[str]) -> list[tuple[str, ...]]:
    return [tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)]


def echoes(sentences: list[Sentence]) -> list[Sentence]:
    """Sentences that repeat the question or the rubric's own wording."""
    if not sentences:
        return []
    known = _echo_triples()
    out = []
    for s in sentences:
        triples = _triples(words(s.text))
        if len(triples) >= 3 and sum(t in known for t in triples) / len(triples) >= _ECHO_SHARE:
            out.append(s)
    return out


def flags(
    text: str, sentences: list[Sentence], profile: Profile | None = None
) -> dict[str, list[Sentence]]:
    """Gaming flag -> the sentences it is about (empty list: the whole draft)."""
    out: dict[str, list[Sentence]] = {}
    if rep := repeated(sentences) or templated(sentences):
        out["repetition"] = rep
    if keyword_list(text, sentences) or stuffed(sentences, profile):
        out["keyword_list"] = []
    echoed = echoes(sentences)
    if echoed and (len(echoed) >= 2 or 3 * len(echoed) >= len(sentences)):
        out["echo_prompt"] = echoed
    if no_first_person(text):
        out["no_first_person"] = []
    return out


#: A phrase said in this many sentences is a habit the learner should hear about ("I would
#: like to learn" four times) ...
_PHRASE_SENTENCES = 3
#: ... when it carries a word of content, not only "I would like to" (plain English repeats its
#: frames, and a second-language speaker must not be flagged for that).
_FRAME_WORDS = frozenset(
    {"like", "want", "would", "love", "hope", "think", "believe", "really", "just", "also"}
)


def repeated_phrase(sentences: list[Sentence]) -> list[Sentence]:
    """Sentences that share one content phrase (three words) with two or more others."""
    where: dict[tuple[str, ...], list[int]] = {}
    for i, s in enumerate(sentences):
        for t in set(_triples(words(s.text))):
            if any(w not in FUNCTION_WORDS and w not in _FRAME_WORDS for w in t):
                where.setdefault(t, []).append(i)
    hits = sorted({i for idx in where.values() if len(idx) >= _PHRASE_SENTENCES for i in idx})
    return [sentences[i] for i in hits]


def habits(sentences: list[Sentence]) -> dict[str, list[Sentence]]:
    """Habits worth a tip that do not make a draft a gaming case (its score is not capped):
    opening by restating the question, and one phrase said again and again."""
    out: dict[str, list[Sentence]] = {}
    if sentences and (P["echo_opening"].search(sentences[0].text) or echoes(sentences[:1])):
        out["echo_prompt"] = sentences[:1]
    if rep := repeated_phrase(sentences):
        out["repetition"] = rep
    return out


def cap(levels: dict[str, int], why: dict[str, str], reason: str) -> None:
    """Lower the levels until the total is at most CAP: shape and authenticity first."""
    for name in ("concision", "authenticity"):
        if levels[name] > 1:
            levels[name], why[name] = 1, f"not a real answer: {reason}"
    order = ("relevance", "alignment", "confidence", "aspiration")
    while sum(levels.values()) > CAP:
        name = max(order, key=lambda n: levels[n])
        levels[name] -= 1
        why[name] = f"{why[name]}; capped: {reason}"
