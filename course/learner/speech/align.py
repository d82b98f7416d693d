"""What was said against what was drafted: sentences skipped, and words said that were not drafted.

The transcript (fillers removed) and the draft are aligned word by word (difflib's longest
matching blocks). A draft sentence counts as said when at least SAID_SHARE of its words were
matched in order, so a recognizer's odd mistake does not make a sentence look skipped; a run
of at least ADDED_WORDS unmatched spoken words is something said that the draft did not have.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from course.learner.speech.recognizer import Word, sentences, tokens

#: Share of a draft sentence's words that must be heard for it to count as said: in
#: speech_eval, skipped sentences scored 0.24 or less and said ones 0.33 or more.
SAID_SHARE = 0.3
#: Unmatched spoken words in a row that make an addition worth showing.
ADDED_WORDS = 3
#: Words the decoder reached as lone words (out of the draft's order) that make a stretch of
#: speech off the draft, and how many draft-order words may interrupt them. Tuned on
#: speech_eval's en-us clips (dev), reported on the en-gb ones (held out): docs/rehearse.md.
OFF_DRAFT_WORDS = 6
OFF_DRAFT_GAP = 1


@dataclass(frozen=True)
class Alignment:
    """Each draft sentence with the share of its words heard; additions as spoken phrases."""

    sentences: tuple[tuple[str, float], ...]
    added: tuple[str, ...]

    @property
    def skipped(self) -> tuple[str, ...]:
        """The draft sentences not said."""
        return tuple(text for text, share in self.sentences if share < SAID_SHARE)

    @property
    def covered(self) -> float:
        """Share of the draft's sentences that were said (1.0 for an empty draft)."""
        if not self.sentences:
            return 1.0
        return sum(share >= SAID_SHARE for _, share in self.sentences) / len(self.sentences)

    def to_dict(self) -> dict[str, object]:
        """Plain data for JSON and the answers file."""
        return {
            "sentences": [{"text": t, "said": round(s, 2)} for t, s in self.sentences],
            "skipped": list(self.skipped),
            "added": list(self.added),
            "covered": round(self.covered, 2),
        }


def align(draft: str, spoken: Sequence[str]) -> Alignment:
    """Align spoken words (fillers already removed) with the draft's sentences."""
    drafted: list[str] = []
    owner: list[int] = []
    parts = sentences(draft)
    for n, sentence in enumerate(parts):
        words = tokens(sentence)
        drafted += words
        owner += [n] * len(words)
    heard = [0] * len(parts)
    said = [False] * len(spoken)
    matcher = difflib.SequenceMatcher(None, drafted, list(spoken), autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            heard[owner[block.a + k]] += 1
            said[block.b + k] = True
    shares = []
    for n, sentence in enumerate(parts):
        total = len(tokens(sentence))
        shares.append((sentence, heard[n] / total if total else 1.0))
    added: list[str] = []
    run: list[str] = []
    for word, matched in [*zip(spoken, said, strict=True), ("", True)]:
        if matched:
            if len(run) >= ADDED_WORDS:
                added.append(" ".join(run))
            run = []
        else:
            run.append(word)
    return Alignment(tuple(shares), tuple(added))


def off_draft(words: Sequence[Word]) -> list[dict[str, object]]:
    """Stretches of speech the draft-biased decoder could not follow: likely said, not drafted.

    Biased to the draft, the decoder turns new speech into draft words, but out of the draft's
    order: it reaches them as lone words (lback 1) or by starting a new sentence. A run of at
    least OFF_DRAFT_WORDS such words, broken by at most OFF_DRAFT_GAP words in draft order, is
    reported with where it fell and what it sounded like to the decoder (often a garble).
    """
    spoken = [w for w in words if w.lback]  # fillers heard as noises are not in the model
    runs: list[list[int]] = []
    run: list[int] = []
    tight = 0
    for i, word in enumerate(spoken):
        if word.lback <= 1:
            run.append(i)
            tight = 0
        elif word.restart:
            run.append(i)  # the jump counts as leaving the draft; the word itself follows it
            tight = 1
        elif run:
            tight += 1
            if tight > OFF_DRAFT_GAP:
                runs.append(run)
                run, tight = [], 0
    if run:
        runs.append(run)
    out: list[dict[str, object]] = []
    for run in runs:
        if sum(spoken[i].lback <= 1 for i in run) >= OFF_DRAFT_WORDS:
            first, last = spoken[run[0]], spoken[run[-1]]
            out.append(
                {
                    "at": round(first.start, 1),
                    "seconds": round(last.end - first.start, 1),
                    "heard": " ".join(w.text for w in spoken[run[0] : run[-1] + 1]),
                }
            )
    return out
