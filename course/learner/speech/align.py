"""What was said against what was drafted: sentences skipped, and words said that were not drafted.

The transcript (fillers removed) and the draft are aligned word by word (difflib's longest
matching blocks). A draft sentence counts as said when at least SAID_SHARE of its words were
matched in order, so a recognizer's odd mistake does not make a sentence look skipped; a run
of at least ADDED_WORDS unmatched spoken words is something said that the draft did not have.
"""

from __future__ import annotations

import difflib
import itertools
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
#: Such a stretch is shown only when it took time the draft did not: the speech between the
#: draft words heard either side of it (ANCHOR_WORDS or more in draft order) lasts at least
#: OFF_DRAFT_EXTRA seconds longer than the draft words between them would take at the
#: speaker's own pace. Draft speech the recognizer misheard takes the draft's time; an addition
#: takes extra. Chosen on speech_eval's dev clips (en-us and en-gb): added sentences took 4.7 s
#: or more extra, misheard draft stretches 2.0 s or less.
OFF_DRAFT_EXTRA = 3.0
ANCHOR_WORDS = 2
#: A silence longer than this (seconds) is not speaking time (a pause, not a slow word).
SPEAKING_GAP = 0.5


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


def off_draft(words: Sequence[Word], draft: str = "") -> list[dict[str, object]]:
    """Stretches of speech the draft-biased decoder could not follow: likely said, not drafted.

    Biased to the draft, the decoder turns new speech into draft words, but out of the draft's
    order: it reaches them as lone words (lback 1) or by starting a new sentence. A run of at
    least OFF_DRAFT_WORDS such words, broken by at most OFF_DRAFT_GAP words in draft order, is
    reported with where it fell and what it sounded like to the decoder (often a garble).
    Given the draft, a stretch is kept only if it took extra time (`took_extra`); stretches
    between the same two draft anchors are joined into one.
    """
    stretches = _loose_runs(words)
    if not draft or not stretches:
        return stretches
    return took_extra(stretches, words, draft)


def _loose_runs(words: Sequence[Word]) -> list[dict[str, object]]:
    """The runs of lone (out-of-draft-order) words, as off_draft reports them."""
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


def _speaking(words: Sequence[Word], start: float, end: float) -> float:
    """Seconds of speech between `start` and `end`: words and the short gaps between them."""
    total, previous = 0.0, None
    for word in words:
        if word.end <= start or word.start >= end:
            continue
        a, b = max(word.start, start), min(word.end, end)
        total += b - a
        if previous is not None and 0 < a - previous < SPEAKING_GAP:
            total += a - previous
        previous = b
    return total


def took_extra(
    stretches: list[dict[str, object]], words: Sequence[Word], draft: str
) -> list[dict[str, object]]:
    """The stretches that took OFF_DRAFT_EXTRA seconds more than the draft words they replace.

    The transcript (fillers removed) is aligned with the draft; runs of ANCHOR_WORDS or more
    matched words are anchors. Around each stretch, the anchor before and after it give the
    draft words missing between them, and the speaking time between them. Stretches between
    overlapping anchors are one stretch (no draft word was heard in order between them).
    """
    from course.learner.speech import fillers

    texts = [w.text for w in words]
    gaps = [0.0] + [max(0.0, b.start - a.end) for a, b in itertools.pairwise(words)]
    content, kept = fillers.strip(texts, gaps)
    heard = [words[i] for i in kept]
    if not heard:
        return []
    drafted = tokens(draft)
    matcher = difflib.SequenceMatcher(None, drafted, content, autojunk=False)
    # Spoken index -> draft index, for words in matched runs of ANCHOR_WORDS or more.
    anchors = {
        block.b + k: block.a + k
        for block in matcher.get_matching_blocks()
        if block.size >= ANCHOR_WORDS
        for k in range(block.size)
    }
    per_word = _speaking(heard, heard[0].start, heard[-1].end) / len(heard)
    # Each stretch's anchors either side; stretches whose anchor spans overlap are joined.
    groups: list[tuple[int, int, list[dict[str, object]]]] = []
    for stretch in stretches:
        start = float(stretch["at"])  # type: ignore[arg-type]
        end = start + float(stretch["seconds"])  # type: ignore[arg-type]
        before = [i for i in anchors if heard[i].end <= start + 0.05]
        after = [i for i in anchors if heard[i].start >= end - 0.05]
        first, last = (max(before) if before else -1, min(after) if after else len(heard))
        if groups and first < groups[-1][1]:
            previous = groups.pop()
            first, last = previous[0], max(last, previous[1])
            groups.append((first, last, [*previous[2], stretch]))
        else:
            groups.append((first, last, [stretch]))
    # The draft's skipped sentences, as ranges of draft word indices.
    skipped, at = [], 0
    for sentence, share in align(draft, content).sentences:
        size = len(tokens(sentence))
        if share < SAID_SHARE:
            skipped.append((at, at + size))
        at += size
    out = []
    for first, last, group in groups:
        draft_from = anchors[first] if first >= 0 else -1
        draft_to = anchors[last] if last < len(heard) else len(drafted)
        t0 = heard[first].end if first >= 0 else heard[0].start
        t1 = heard[last].start if last < len(heard) else heard[-1].end
        missing = max(0, draft_to - draft_from - 1)
        speaking = _speaking(heard, t0, t1)
        # Said in place of a skipped sentence (a replacement): the time is the draft's, but
        # the sentence was not heard, so what took its place was something else.
        replaced = any(draft_from < a and b <= draft_to for a, b in skipped)
        extra = speaking if replaced else speaking - missing * per_word
        if extra < OFF_DRAFT_EXTRA:
            continue
        at = float(group[0]["at"])  # type: ignore[arg-type]
        end = max(float(g["at"]) + float(g["seconds"]) for g in group)  # type: ignore[arg-type]
        out.append(
            {
                "at": round(at, 1),
                "seconds": round(end - at, 1),
                "heard": " ... ".join(str(g["heard"]) for g in group),
            }
        )
    return out
