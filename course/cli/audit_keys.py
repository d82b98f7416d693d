"""`python -m course audit-keys`: can a learner score by position instead of understanding?

Every keyed practice exercise (course/content/) and graded exercise (solutions/) is built as a
learner sees it, through its real widget, for each of many learner seeds (the order items and
options are shown in may depend on the seed). Position strategies then answer by what they see:
always the first option, always the last, alternating, one label for every item, and a random
learner. Each strategy's mean score is printed beside chance; a strategy well above chance means
the keys can be read from position or label counts rather than understood.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import json
import random
import statistics
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

NAME = "audit-keys"
HELP = "simulate position strategies on every keyed exercise and compare their scores to chance"

STRATEGIES = ("first", "last", "alternating", "one label", "random")
#: Learners simulated per exercise: at 100 a strategy's mean is within about 2 points of its
#: expectation (at 50, ticking one box of 5 read 61 % where 56 % is expected).
SEEDS = 100
#: The second phase of alternating (starting from the other choice); the better one counts.
PHASE = "alternating, other phase"
#: A strategy may beat chance by at most this many points (issue 12).
MARGIN = 10.0

#: What a widget shows: [(item id, [choice ids in the order shown])] (widgets' shown_choices).
Shown = list[tuple[str, list[str]]]


@dataclass(frozen=True)
class Row:
    """One exercise's audit: chance and each strategy's mean score, in percent of its points."""

    source: str
    exercise: str
    kind: str
    items: int
    chance: float
    scores: dict[str, float]

    @property
    def best(self) -> str:
        return max(self.scores, key=lambda s: self.scores[s])

    @property
    def excess(self) -> float:
        """How far the best strategy beats chance, in points."""
        return self.scores[self.best] - self.chance


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument("--seeds", type=int, default=SEEDS, help=f"learner seeds (default {SEEDS})")
    parser.add_argument(
        "--solutions", type=Path, default=None, help="source folder of the graded notebooks"
    )


# --------------------------------------------------------------------------- strategies


def _answer(multiple: bool, shown: Shown, picks: Sequence[Any]) -> Any:
    """The value a learner's clicks give: a position per item, or a tick per box."""
    if multiple:
        options = shown[0][1]
        return [options[i] for i, ticked in enumerate(picks) if ticked]
    return {item: choices[p] for (item, choices), p in zip(shown, picks, strict=True)}


def _picks(multiple: bool, shown: Shown, strategy: str, rng: random.Random) -> list[Any]:
    """What a strategy clicks, by position only: a position per item, or a tick per box."""
    if multiple:
        n = len(shown[0][1])
        return {
            "first": [i == 0 for i in range(n)],
            "last": [i == n - 1 for i in range(n)],
            "alternating": [i % 2 == 0 for i in range(n)],
            "alternating, other phase": [i % 2 == 1 for i in range(n)],
            "random": [rng.random() < 0.5 for _ in range(n)],
        }[strategy]
    return [
        {
            "first": 0,
            "last": len(choices) - 1,
            "alternating": i % min(len(choices), 2),
            "alternating, other phase": (i + 1) % min(len(choices), 2),
            "random": rng.randrange(len(choices)),
        }[strategy]
        for i, (_item, choices) in enumerate(shown)
    ]


def _one_label(kind: Any, shown: Shown, percent: Callable[[Any], float]) -> dict:
    """Each way of giving every item the same answer, with its score.

    Check boxes: tick them all. Items on one scale of named labels (classify): the same label
    for all. Items with options of their own (quiz): the same option position for all.
    """
    if kind.multiple:
        return {"all": percent(list(shown[0][1]))}
    if kind.one_scale:
        return {label: percent({item: label for item, _c in shown}) for label in shown[0][1]}
    width = max(len(c) for _i, c in shown)
    return {
        f"#{k + 1}": percent({item: c[min(k, len(c) - 1)] for item, c in shown})
        for k in range(width)
    }


def _chance(multiple: bool, shown: Shown) -> float:
    """The expected score of a learner who guesses each click, in percent."""
    if multiple:
        return 50.0
    return 100.0 * statistics.fmean(1 / len(choices) for _item, choices in shown)


# --------------------------------------------------------------------------- exercises


@dataclass
class _Exercise:
    """One keyed exercise: its kind, its key and how to build its widget on a store."""

    source: str
    exercise: str
    kind: Any
    key: dict[str, Any]
    labels: Any
    build: Callable[[Any], Any]

    def percent(self, store: Any, value: Any) -> float:
        """The score of `value`, checked as the grading host checks it, in percent."""
        store.set(self.exercise, value)  # a read-only store keeps it in memory only
        check = self.kind.checks[0]
        result = self.kind.score(check, store, self.exercise, self.key, labels=self.labels)
        return 100.0 * result.score / result.total if result.total else 0.0


def _practice() -> list[_Exercise]:
    from course.learner import kinds

    found = []
    for kind in kinds.all():
        if not kind.keyed:
            continue
        for set_id in kind.set_ids():
            spec, extra = kind.practice(set_id)

            def build(store: Any, kind: Any = kind, spec: Any = spec, extra: Any = extra) -> Any:
                return kind.build(store, spec, "practice", **extra)

            key = extra["key"]
            labels = spec.labels or None
            found.append(_Exercise("practice", set_id, kind, key, labels, build))
    return found


def _graded(source_dir: Path) -> list[_Exercise]:
    from course.grader import keys
    from course.learner import kinds

    found = []
    for name in keys.assignments(source_dir):
        notebook = keys.source_notebook(source_dir, name)
        merged: dict[str, dict[str, Any]] = {}
        labels: dict[str, Any] = {}
        for scoring in keys.scorings(notebook).values():
            if kinds.for_check(scoring.kind).keyed:
                merged.setdefault(scoring.exercise, {}).update(dict(scoring.key or {}))
                labels[scoring.exercise] = scoring.options.get("labels")
        for exercise, (kind, args, extra) in _graded_calls(notebook).items():
            if exercise not in merged:
                continue

            def build(
                store: Any, kind: Any = kind, args: Any = args, extra: Any = extra, name=name
            ) -> Any:
                return _graded_widget(name, store, kind, args, extra)

            found.append(
                _Exercise(name[:2], exercise, kind, merged[exercise], labels[exercise], build)
            )
    return found


def _graded_widget(name: str, store: Any, kind: Any, args: list, extra: dict) -> Any:
    """The widget a graded notebook's `A.<kind>(...)` cell shows, built by Assignment."""
    from course.learner.graded import Assignment

    assignment = Assignment(name, folder=store.folder)
    assignment.store = store
    with contextlib.redirect_stdout(io.StringIO()):
        getattr(assignment, kind.name)(*args, **extra)
    return assignment.exercises[str(args[0])]


def _graded_calls(notebook: Path) -> dict[str, tuple[Any, list[Any], dict[str, Any]]]:
    """Each `A.<keyed kind>(...)` call of a graded notebook with literal arguments, by exercise."""
    from course.grader import keys
    from course.learner import kinds

    calls = {}
    for cell in keys.read_notebook(notebook).get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse(keys._source(cell))
        except SyntaxError:
            continue
        for statement in tree.body:
            call = statement.value if isinstance(statement, ast.Expr) else None
            if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
                continue
            kind = kinds.find(call.func.attr)
            if kind is None or not kind.keyed or not call.args:
                continue
            try:
                args = [ast.literal_eval(a) for a in call.args]
                extra = {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg}
            except ValueError:
                continue
            calls[str(args[0])] = (kind, args, extra)
    return calls


# --------------------------------------------------------------------------- the audit


def _audit_one(exercise: _Exercise, seeds: int) -> Row:
    """Mean scores over `seeds` learners; a strategy with variants (which label for all,
    which phase of alternating) scores as its best variant, the same variant for everyone."""
    from course.learner.answers import AnswerStore

    runs: dict[tuple[str, str], list[float]] = {}
    multiple = exercise.kind.multiple
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(seeds):
            store = AnswerStore(f"audit-{seed}", tmp, read_only=True, seed=seed)
            shown = exercise.build(store).shown_choices()

            def percent(value: Any, store: Any = store) -> float:
                return exercise.percent(store, value)

            rng = random.Random(f"random-learner-{seed}")
            for strategy in (*STRATEGIES, PHASE):
                if strategy == "one label":
                    for variant, score in _one_label(exercise.kind, shown, percent).items():
                        runs.setdefault((strategy, variant), []).append(score)
                    continue
                picks = _picks(multiple, shown, strategy, rng)
                name = "alternating" if strategy == PHASE else strategy
                score = percent(_answer(multiple, shown, picks))
                runs.setdefault((name, strategy), []).append(score)
    scores = {
        s: round(max(statistics.fmean(v) for (name, _), v in runs.items() if name == s), 1)
        for s in STRATEGIES
    }
    items = len(shown[0][1]) if multiple else len(shown)
    chance = round(_chance(multiple, shown), 1)
    return Row(exercise.source, exercise.exercise, exercise.kind.name, items, chance, scores)


def audit(seeds: int = SEEDS, solutions: Path | None = None) -> list[Row]:
    """Every keyed practice and graded exercise, audited over `seeds` learner seeds."""
    from course.paths import SOLUTIONS_DIR

    exercises = _practice() + _graded(solutions or SOLUTIONS_DIR)
    return [_audit_one(exercise, seeds) for exercise in exercises]


def table(rows: Sequence[Row]) -> str:
    """The audit as a plain-text table, one exercise a line."""
    head = f"{'source':<8} {'exercise':<22} {'kind':<9} {'n':>3} {'chance':>7}"
    head += "".join(f" {s:>11}" for s in STRATEGIES) + "  best-chance"
    lines = [head]
    for r in rows:
        line = f"{r.source:<8} {r.exercise[:22]:<22} {r.kind:<9} {r.items:>3} {r.chance:>7.1f}"
        line += "".join(f" {r.scores[s]:>11.1f}" for s in STRATEGIES)
        flag = "  !" if r.excess > MARGIN else ""
        lines.append(f"{line}  {r.excess:+6.1f} ({r.best}){flag}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if args.seeds < 1:
        print("audit-keys: --seeds must be at least 1")
        return 2
    rows = audit(args.seeds, args.solutions)
    if args.json:
        data = [{**asdict(r), "best": r.best, "excess": round(r.excess, 1)} for r in rows]
        print(json.dumps(data, indent=2))
    else:
        print(table(rows))
        over = [r for r in rows if r.excess > MARGIN]
        print(
            f"\n{len(over)} of {len(rows)} exercises have a strategy more than "
            f"{MARGIN:.0f} points above chance ({args.seeds} learner seeds)."
        )
    return 0
