"""Train the coach's sentence-move model from the labelled development sentences.

Run: PYTHONPATH=. python tools/train_move_model.py [--cv 5] [--write]

Reads only development sentences (tests/data/coach/eval/sentences*.yaml, `holdout: false`):
the holdout is never read here. Each sentence is first read by the rules (moves.py); the
model (course/coach/movemodel.py) is multinomial logistic regression over the rules' readings
and the sentence's words and bigrams, fitted by full-batch gradient descent with an L2 penalty,
in plain Python. `--cv K` reports K-fold cross-validated accuracy of the rules and of the
model, with folds split by the draft a sentence came from (sentences of one draft never sit on
both sides). `--write` fits on every development sentence and writes the weights, rounded and
pruned, to course/coach/data/move_model.tsv.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import coach_eval_set  # noqa: E402
from course.coach import movemodel, pipeline  # noqa: E402
from course.coach.moves import MOVES  # noqa: E402

#: L2 penalty, steps and step size: chosen by --cv on development data only.
L2 = 0.0025
STEPS = 300
RATE = 0.5
#: A word or bigram seen in fewer training sentences than this gets no weight (it would only
#: learn the one sentence it came from).
MIN_COUNT = 2
#: Weights smaller than this are dropped from the shipped file (they change no decision here).
PRUNE = 0.05

Example = tuple[list[str], str, str, str]  # features, gold move, rules' move, group


def examples() -> list[Example]:
    """Every development sentence, read by the rules: (features, gold, rules' move, source)."""
    profiles = coach_eval_set.companies()
    out = []
    for name in coach_eval_set.SENTENCE_FILES:
        for s in coach_eval_set.load(name, "sentences"):
            if s.get("holdout", False):
                continue  # the holdout is never read while training
            r = pipeline.read(s["text"], profiles.get(s.get("company")), model=False)
            if not r.sentences:
                continue
            first = r.sentences[0]
            source = s.get("source") or "new"
            group = source if source != "new" else s["id"]
            out.append((movemodel.features(first), s["move"], first.move, group))
    return out


def fit(data: list[Example], l2: float = L2, steps: int = STEPS, rate: float = RATE) -> dict:
    """Multinomial logistic regression by gradient descent: feature -> move -> weight."""
    seen = Counter(f for feats, *_ in data for f in set(feats))
    index = sorted(f for f, count in seen.items() if count >= MIN_COUNT)
    col = {f: i for i, f in enumerate(index)}
    rows = [([col[f] for f in feats if f in col], MOVES.index(gold)) for feats, gold, *_ in data]
    k, n = len(MOVES), len(rows)
    w = [[0.0] * k for _ in index]
    for _ in range(steps):
        grad = [[0.0] * k for _ in index]
        for cols, y in rows:
            z = [sum(w[c][m] for c in cols) for m in range(k)]
            top = max(z)
            e = [math.exp(v - top) for v in z]
            total = sum(e)
            for m in range(k):
                g = e[m] / total - (1.0 if m == y else 0.0)
                if g:
                    for c in cols:
                        grad[c][m] += g
        for c in range(len(index)):
            for m in range(k):
                w[c][m] -= rate * (grad[c][m] / n + l2 * w[c][m])
    return {f: {MOVES[m]: w[i][m] for m in range(k)} for f, i in col.items()}


def prune(table: dict) -> dict:
    """The weights as shipped: rounded to 3 places, the small ones dropped."""
    out: dict[str, dict[str, float]] = {}
    for feature, per in table.items():
        kept = {m: round(w, 3) for m, w in per.items() if abs(round(w, 3)) >= PRUNE}
        if kept:
            out[feature] = kept
    return out


def accuracy(table: dict, data: list[Example]) -> tuple[float, float]:
    """(model accuracy, rules' accuracy) on some examples."""
    moves = [movemodel.choose(feats, table) for feats, *_ in data]
    model = sum(move == gold for move, (_, gold, _, _) in zip(moves, data, strict=True))
    rules = sum(rule == gold for _, gold, rule, _ in data)
    return model / len(data), rules / len(data)


def cross_validate(data: list[Example], folds: int, l2: float = L2, seed: int = 7) -> None:
    """K-fold accuracy of the rules and the model, folds split by source draft."""
    groups = sorted({g for *_, g in data})
    random.Random(seed).shuffle(groups)
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    got_m = got_r = 0
    confusion: Counter[tuple[str, str]] = Counter()
    for i in range(folds):
        train = [e for e in data if fold_of[e[3]] != i]
        test = [e for e in data if fold_of[e[3]] == i]
        table = prune(fit(train, l2))
        right_m = right_r = 0
        for feats, gold, rule, _ in test:
            move = movemodel.choose(feats, table)
            right_m += move == gold
            right_r += rule == gold
            if move != gold:
                confusion[(gold, move)] += 1
        got_m += right_m
        got_r += right_r
        print(
            f"fold {i + 1}: {len(test)} sentences, rules {right_r / len(test):.1%}, "
            f"model {right_m / len(test):.1%}"
        )
    n = len(data)
    print(f"cross-validated ({folds} folds, {n} sentences): rules {got_r / n:.1%}, ", end="")
    print(f"model {got_m / n:.1%}")
    print("model's commonest misses (labelled -> model):")
    for (gold, move), count in confusion.most_common(8):
        print(f"  {gold} -> {move}: {count}")


def write(table: dict, n: int) -> None:
    """The weights as a readable TSV: feature, move, weight (pruned, rounded)."""
    lines = [
        "# The coach's sentence-move model: feature<TAB>move<TAB>weight. Written by",
        "# tools/train_move_model.py from the labelled development sentences "
        f"({n}; the holdout is never read).",
        "# A move's score is the sum of its weights over a sentence's features; the highest wins.",
        "# Features: (bias); rule=<the rules' move>; future=<what it says of the future>;",
        "# readings (evidence, role, builds, ...); digression=<flag>; cue=<pattern set>;",
        "# w=<word stem>; b=<two words>.",
    ]
    for feature in sorted(table):
        for move in MOVES:
            if move in table[feature]:
                lines.append(f"{feature}\t{move}\t{table[feature][move]}")
    movemodel.WEIGHTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {movemodel.WEIGHTS}: {len(lines) - 6} weights")


def main() -> int:
    """Cross-validate and/or fit and write the weights."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cv", type=int, default=0, help="report K-fold cross-validated accuracy")
    ap.add_argument("--write", action="store_true", help="fit on all dev sentences and write")
    ap.add_argument("--l2", type=float, default=L2, help=f"L2 penalty (default {L2})")
    ap.add_argument("--margin", type=float, default=None, help="try another override margin")
    args = ap.parse_args()
    if args.margin is not None:
        movemodel.MARGIN = args.margin
    data = examples()
    print(f"{len(data)} development sentences: {dict(Counter(g for _, g, _, _ in data))}")
    if args.cv:
        cross_validate(data, args.cv, args.l2)
    if args.write:
        table = prune(fit(data, args.l2))
        m, r = accuracy(table, data)
        print(f"fit on all: model {m:.1%} (training accuracy), rules {r:.1%}")
        write(table, len(data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
