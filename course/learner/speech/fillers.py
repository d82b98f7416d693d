"""Filler words in a transcript, by rules a learner can read (docs/rehearse.md explains them).

Always fillers: um, uh, er, erm, ah, hmm, and "basically". The others are fillers only in some
places, because they are ordinary words elsewhere:

- "like" is a verb in "I'd like to lead", "I like working with people" and a comparison in
  "looks like", "something like that", "people like me". It counts as a filler only when
  nothing before it makes it a verb or a comparison (the word before is a conjunction such as
  "and" or "so", another filler, or a pause, or it starts the answer), or when it is wedged
  before a word it cannot take ("I like want to", "it was like really hard").
- "you know" is a filler unless it asks or states something: "do you know", "if you know",
  "you know what/how/that/why" are not.
- "sort of" is a filler unless it names a sort: "a sort of", "the sort of", "what sort of",
  "this sort of", "some sort of" are not.

A pause of PAUSE_BEFORE_LIKE or more before "you know" or "sort of" cuts it from the word
before: "the ... sort of" and "do ... you know" are fillers.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Words that are fillers wherever they fall.
ALWAYS = frozenset({"um", "uh", "er", "erm", "ah", "hmm", "basically"})
#: The fillers this kit counts, as reported (docs and the recorder list these).
FILLERS = ("um", "uh", "er", "like", "you know", "sort of", "basically")
#: A pause at least this long (seconds) before "like" makes it a fresh start, hence a filler.
PAUSE_BEFORE_LIKE = 0.25

#: Before "like", these leave it a filler: a new clause starts, or another filler came first.
_LOOSE_BEFORE = (
    frozenset(
        {"and", "but", "so", "or", "because", "then", "well", "yeah", "okay", "ok", "right", "oh"}
    )
    | ALWAYS
)
#: After "like", these show it was not a verb or a comparison: a verb, an intensifier, a filler.
_CANNOT_FOLLOW = frozenset(
    {
        "want", "wanted", "think", "thought", "was", "is", "went", "said", "really", "totally",
        "literally", "very", "so", "actually", "just", "um", "uh", "er", "basically", "like",
    }
)  # fmt: skip
#: Before "you know", these make it a question or a condition, not a filler.
_ASKING_BEFORE = frozenset({"do", "did", "if", "whether", "don't", "didn't", "as"})
#: After "you know", these make it a statement ("you know what I mean" is still a filler).
_STATING_AFTER = frozenset({"that", "how", "why", "where", "when", "who", "whether", "if"})
#: Before "sort of", these make "sort" a noun.
_NOUN_BEFORE = frozenset({"a", "the", "what", "this", "that", "some", "any", "which", "one"})


def find(words: Sequence[str], gaps: Sequence[float] | None = None) -> list[tuple[int, str]]:
    """(index of the filler's first word, filler) for each filler in a list of lower-case words.

    `gaps[i]` is the silence in seconds before words[i] (optional): a pause before "like"
    makes it a filler.
    """
    found: list[tuple[int, str]] = []
    i = 0
    while i < len(words):
        word = words[i]
        before = words[i - 1] if i else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        if word in ALWAYS:
            found.append((i, word))
        elif word == "like" and _like_is_filler(before, after, gaps[i] if gaps else 0.0, i):
            found.append((i, "like"))
        elif word == "you" and after == "know":
            beyond = words[i + 2] if i + 2 < len(words) else ""
            paused = bool(gaps) and gaps[i] >= PAUSE_BEFORE_LIKE  # type: ignore[index]
            if (paused or before not in _ASKING_BEFORE) and beyond not in _STATING_AFTER:
                found.append((i, "you know"))
                i += 1
        elif (
            word == "sort"
            and after == "of"
            and (
                before not in _NOUN_BEFORE or (bool(gaps) and gaps[i] >= PAUSE_BEFORE_LIKE)  # type: ignore[index]
            )
        ):
            found.append((i, "sort of"))
            i += 1
        i += 1
    return found


def _like_is_filler(before: str, after: str, gap: float, index: int) -> bool:
    if after in _CANNOT_FOLLOW:
        return True
    return index == 0 or gap >= PAUSE_BEFORE_LIKE or before in _LOOSE_BEFORE


def strip(words: Sequence[str], gaps: Sequence[float] | None = None) -> tuple[list[str], list[int]]:
    """The words with fillers removed, and the index in `words` of each word kept."""
    drop: set[int] = set()
    for start, filler in find(words, gaps):
        drop.update(range(start, start + len(filler.split())))
    kept = [i for i in range(len(words)) if i not in drop]
    return [words[i] for i in kept], kept
