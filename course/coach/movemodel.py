"""A small linear model for sentence moves, over words and the rules' own readings.

The rules (moves.py) read each sentence first: its future, its evidence, its digressions, its
ties to the company and the move they give it. The model then weighs those readings together
with the sentence's words and bigrams, one weight per feature and move; the move with the
highest sum wins where it beats the rules' own move by a clear margin. Its weights are a plain
data file (data/move_model.tsv, written by tools/train_move_model.py from the labelled
development sentences in tests/data/coach/eval/), so a facilitator can read every weight, and
each decision shows the features that carried it. No numpy: a few hundred additions a sentence.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable
from pathlib import Path

from course.coach.moves import MOVES, Sentence
from course.coach.text import stem, words
from course.coach.vocab import FLAG_LABELS, MOVE_LABELS

WEIGHTS = Path(__file__).resolve().parent / "data" / "move_model.tsv"
#: The rules' pattern readings given to the model as features ("cue=hedges"). Most are searched
#: by the rules already (each sentence keeps its matches); slow ones that carried little weight
#: in cross-validation (stock phrases, complaints, passivity) are left out to keep analyze fast.
CUES: tuple[str, ...] = (
    "hedges",
    "apologetic",
    "drive",
    "deadline",
    "intent",
    "horizon",
    "asp_word",
    "gap_context",
    "evidence_action",
    "generic_specific",
    "contribute",
    "build",
)
#: The sentence readings given as features (attribute names of Sentence).
READINGS: tuple[str, ...] = (
    "evidence",
    "example",
    "names_company",
    "role",
    "builds",
    "contributes",
    "first_person",
    "long",
    "open",
)
BIAS = "(bias)"
#: The model overrules the rules' reading only when its move scores at least this much higher
#: (chosen by cross-validation on development sentences: tools/train_move_model.py --cv).
MARGIN = 1.0


def features(s: Sentence) -> list[str]:
    """The features of one sentence already read by the rules: readings, cues, words, bigrams."""
    out = [BIAS, f"rule={s.move}"]
    if s.future:
        out.append(f"future={s.future}")
    out += [name for name in READINGS if getattr(s, name)]
    if s.company:
        out.append("company_tie")
    out += [f"digression={d}" for d in s.digressions]
    out += [f"cue={key}" for key in CUES if s.find(key)]
    toks = [w.lower() for w in words(s.text)]
    out += sorted({f"w={stem(w)}" for w in toks})
    out += sorted({f"b={a} {b}" for a, b in itertools.pairwise(toks)})
    return out


@functools.cache
def weights() -> dict[str, dict[str, float]]:
    """Feature -> move -> weight, read once from the data file ({} when it is absent)."""
    out: dict[str, dict[str, float]] = {}
    if not WEIGHTS.exists():
        return out
    for line in WEIGHTS.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        try:
            feature, move, weight = line.rsplit("\t", 2)
            value = float(weight)
        except ValueError:
            continue  # a line edited out of shape is skipped: the rules still decide
        if move in MOVES:
            out.setdefault(feature, {})[move] = value
    return out


def scores(feats: Iterable[str], table: dict[str, dict[str, float]]) -> dict[str, float]:
    """Each move's summed weight over the features."""
    total = dict.fromkeys(MOVES, 0.0)
    for f in feats:
        for move, w in table.get(f, {}).items():
            total[move] += w
    return total


def choose(feats: list[str], table: dict[str, dict[str, float]]) -> str:
    """The move with the highest score; a tie goes to the rules' own reading.

    A digression is something the learner is told to cut: only the rules' named kinds (pay,
    leaving, personal life, a complaint) can make one, so the model never invents one."""
    total = scores(feats, table)
    rule = next(f[5:] for f in feats if f.startswith("rule="))
    digresses = any(f.startswith("digression=") for f in feats)
    allowed = [m for m in MOVES if m != "digression" or digresses]
    best = max(allowed, key=lambda m: (total[m], m == rule))
    if best != rule and rule in allowed and total[best] - total[rule] < MARGIN:
        return rule
    return best


def predict(s: Sentence) -> tuple[str, list[str]]:
    """The model's move for a sentence and the (up to three) features that weighed most for it.

    Returns the rules' move and no features when no weights are shipped."""
    table = weights()
    if not table:
        return s.move, []
    feats = features(s)
    move = choose(feats, table)
    behind = sorted(
        ((table[f][move], f) for f in feats if f != BIAS and table.get(f, {}).get(move, 0) > 0),
        reverse=True,
    )
    return move, [f for _, f in behind[:3]]


#: Features in words for the screen.
_WORDS_FOR = {
    "long": "a long horizon",
    "open": "an open outcome",
    "evidence": "tells the past",
    "example": "a past example",
    "names_company": "names the company",
    "role": "names the role",
    "builds": "the role teaches a named skill",
    "contributes": "says what you will bring",
    "first_person": "about you",
    "company_tie": "ties to the company's values or plans",
    "cue=hedges": "hedge words",
    "cue=apologetic": "an apology",
    "cue=drive": "drive words",
    "cue=deadline": "a set time frame",
    "cue=intent": "an intention",
    "cue=horizon": "a long horizon",
    "cue=asp_word": "an aspiration word",
    "cue=gap_context": "a career gap",
    "cue=evidence_action": "a past action",
    "cue=generic_specific": "points at the company",
    "cue=contribute": "a contribution",
    "cue=build": "a learning verb",
}


def _plain(feature: str) -> str:
    """A feature in words for the screen: 'the word "rota"', 'first read as hedge'."""
    kind, _, value = feature.partition("=")
    if kind == "w":
        return f'the word "{value}"'
    if kind == "b":
        return f'the words "{value}"'
    if kind == "rule":
        return f"first read as {MOVE_LABELS.get(value, value)}"
    if kind == "future":
        return f"says of the future: {value}"
    if kind == "digression":
        return f"digression: {FLAG_LABELS.get(value, value)}"
    return _WORDS_FOR.get(feature, feature.replace("_", " "))


def apply(sentences: list[Sentence], explain: Callable[[Sentence], None]) -> None:
    """Let the model settle each sentence's move; where it differs from the rules' first reading,
    the sentence is explained again and the words that decided it are shown."""
    for s in sentences:
        move, behind = predict(s)
        if move == s.move:
            continue
        first = s.move
        s.move = move
        s.features = []
        explain(s)
        first_label = MOVE_LABELS.get(first, first)
        why = "; ".join(dict.fromkeys(map(_plain, behind)))
        s.features.append(f"settled by the model (the rules said {first_label}): {why}")
