"""Measure the answer coach on the kit's labelled statements and drafts; exit 1 on a missed target.

Run: PYTHONPATH=. python benchmarks/coach_eval.py [--split all|dev|holdout] [--verbose] [--holdout]
     [--batch h4-]

Two data sets. The evaluation set (tests/data/coach/eval/, 200+ drafts over ten personas and
seven companies, levelled by hand; see its README) is reported by benchmarks/coach_eval_set.py:
per-criterion error, ranking, flag recall and precision, per-persona means, the fairness gap (with
a bootstrap interval, and the gap a coach with no persona effect would show with cells of 4 to 7
drafts), each persona's bias pooled over bands, and the gaming set's maximum. Its dev split is
reported always; its frozen holdout only with --holdout, and then only as aggregate figures
(tuning never reads it).
The holdout entries were kept aside while the rules were written ("dev" is the tuning set);
compare the two splits to see whether the rules overfit the development data.

Calibration (tests/data/coach/calibration.yaml): drafts with the level a careful grader gives
each criterion. Reported: mean absolute error per criterion, the share of drafts whose total
is within 2 of the expected total, the mean bias, and whether weak drafts (expected total
<= 11) stay weak (scored <= 12). That last one is a target on the development drafts only; on
the holdout drafts it is reported, not enforced: a holdout miss that failed the build would
get tuned away and the holdout would stop measuring anything. Fix such a miss by moving its
batch to development (holdout: false) and writing a fresh holdout batch first.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from benchmarks import coach_eval_set  # noqa: E402
from course import coach  # noqa: E402

DATA = ROOT / "tests" / "data" / "coach"
COMPANIES = ROOT / "course" / "content" / "companies"

#: Targets from the module brief.
CLASSIFY_TARGET = 0.90
PAIRS_TARGET = 0.90
#: Flags a good draft must never carry.
FORBIDDEN_ON_GOOD = (
    "exit_plan",
    "salary_focus",
    "wants_interviewer_job",
    "negativity",
    "implausible_claim",
    "no_aspiration",
    "too_long",
    "too_short",
)
SPLITS = ("all", "dev", "holdout")
#: A draft a grader totals at most this is weak ...
WEAK_EXPECTED_MAX = 11
#: ... and the coach must not total it above this (it was giving such drafts 15 of 18).
WEAK_SCORE_MAX = 12
#: Totals within this many points of the grader's count as agreeing.
TOTAL_TOLERANCE = 2


@dataclass
class Report:
    """The evaluation's figures and the targets they missed."""

    split: str
    classify_correct: int = 0
    classify_total: int = 0
    classify_misses: list[str] = field(default_factory=list)
    pairs_won: int = 0
    pairs_total: int = 0
    pair_losses: list[str] = field(default_factory=list)
    faults: dict[str, bool] = field(default_factory=dict)  # poor draft id -> main fault flagged
    good_dirty: dict[str, list[str]] = field(default_factory=dict)  # good draft id -> bad flags
    scores: dict[str, int] = field(default_factory=dict)
    good_ids: list[str] = field(default_factory=list)
    # Calibration: draft id -> (expected levels, the coach's levels), in CRITERIA order.
    calibration: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = field(default_factory=dict)
    held: set[str] = field(default_factory=set)  # calibration drafts in the holdout

    @property
    def mae(self) -> dict[str, float]:
        """Mean absolute error per criterion over the calibration drafts."""
        n = len(self.calibration) or 1
        return {
            name: sum(abs(e[i] - g[i]) for e, g in self.calibration.values()) / n
            for i, name in enumerate(coach.CRITERIA)
        }

    @property
    def within_share(self) -> float:
        """Share of calibration drafts whose total is within TOTAL_TOLERANCE of the expected."""
        if not self.calibration:
            return 1.0
        close = sum(abs(sum(e) - sum(g)) <= TOTAL_TOLERANCE for e, g in self.calibration.values())
        return close / len(self.calibration)

    @property
    def bias(self) -> float:
        """Mean of (coach total - expected total): above 0 means the coach is too generous."""
        if not self.calibration:
            return 0.0
        diffs = [sum(g) - sum(e) for e, g in self.calibration.values()]
        return sum(diffs) / len(diffs)

    @property
    def weak_too_high(self) -> dict[str, tuple[int, int]]:
        """Weak calibration drafts the coach scores too high: id -> (expected, got) totals."""
        return {
            draft_id: (sum(e), sum(g))
            for draft_id, (e, g) in self.calibration.items()
            if sum(e) <= WEAK_EXPECTED_MAX and sum(g) > WEAK_SCORE_MAX
        }

    @property
    def weak_misses(self) -> dict[str, tuple[int, int]]:
        """The weak drafts scored too high that count against the target (development only)."""
        return {d: t for d, t in self.weak_too_high.items() if d not in self.held}

    @property
    def weak_total(self) -> int:
        return sum(sum(e) <= WEAK_EXPECTED_MAX for e, _ in self.calibration.values())

    @property
    def classify_accuracy(self) -> float:
        return self.classify_correct / self.classify_total if self.classify_total else 1.0

    @property
    def pairs_share(self) -> float:
        return self.pairs_won / self.pairs_total if self.pairs_total else 1.0

    @property
    def failures(self) -> list[str]:
        """Every missed target, as a readable line (empty when all targets are met)."""
        out = []
        if self.classify_accuracy < CLASSIFY_TARGET:
            out.append(f"classify accuracy {self.classify_accuracy:.1%} < {CLASSIFY_TARGET:.0%}")
        if self.pairs_share < PAIRS_TARGET:
            out.append(f"pairs ranked {self.pairs_share:.1%} < {PAIRS_TARGET:.0%}")
        out += [f"main fault not flagged: {d}" for d, ok in self.faults.items() if not ok]
        out += [f"good draft {d} flagged {', '.join(f)}" for d, f in self.good_dirty.items()]
        out += [
            f"weak draft {d} scored {got} > {WEAK_SCORE_MAX} (expected {want})"
            for d, (want, got) in self.weak_misses.items()
        ]
        return out


def _load(name: str, key: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(yaml.safe_load(fh)[key])


def _company(stem: str | None, cache: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    if stem is None:
        return None
    if stem not in cache:
        with (COMPANIES / f"{stem}.yaml").open(encoding="utf-8") as fh:
            cache[stem] = yaml.safe_load(fh)
    return cache[stem]


def _in_split(entry: dict[str, Any], split: str) -> bool:
    held = bool(entry.get("holdout", False))
    return split == "all" or (split == "holdout") == held


def evaluate(split: str = "all") -> Report:
    """Run classify() over the statements and analyze() over the drafts of one split."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    report = Report(split)
    for item in _load("statements.yaml", "statements"):
        if not _in_split(item, split):
            continue
        got = coach.classify(item["text"]).label
        report.classify_total += 1
        if got == item["label"]:
            report.classify_correct += 1
        else:
            report.classify_misses.append(f"{item['label']} read as {got}: {item['text']}")

    cache: dict[str, dict[str, Any]] = {}
    groups: dict[str, dict[str, list[tuple[str, int]]]] = {}
    for draft in _load("drafts.yaml", "drafts"):
        if not _in_split(draft, split):
            continue
        fb = coach.analyze(draft["text"], _company(draft["company"], cache))
        report.scores[draft["id"]] = fb.score
        group = groups.setdefault(draft["pair"], {"good": [], "poor": []})
        group[draft["quality"]].append((draft["id"], fb.score))
        if draft["quality"] == "poor":
            report.faults[draft["id"]] = draft["main_fault"] in fb.flags
        else:
            report.good_ids.append(draft["id"])
            bad = [f for f in fb.flags if f in FORBIDDEN_ON_GOOD]
            if bad:
                report.good_dirty[draft["id"]] = bad
    for draft in _load("calibration.yaml", "drafts"):
        if not _in_split(draft, split):
            continue
        fb = coach.analyze(draft["text"], _company(draft["company"], cache))
        expected = tuple(int(draft["expected"][name]) for name in coach.CRITERIA)
        report.calibration[draft["id"]] = (expected, tuple(fb.criteria.values()))
        if draft.get("holdout", False):
            report.held.add(draft["id"])
    for pair_id, group in sorted(groups.items()):
        for (good_id, good), (poor_id, poor) in product(group["good"], group["poor"]):
            report.pairs_total += 1
            if good > poor:
                report.pairs_won += 1
            else:
                report.pair_losses.append(f"{pair_id}: {good_id} {good} <= {poor_id} {poor}")
    return report


def _print(report: Report, verbose: bool) -> None:
    name = {"dev": "dev (tuning)", "holdout": "holdout (never used to tune)"}.get(report.split)
    print(f"== split: {name or report.split}")
    print(
        f"classify accuracy: {report.classify_accuracy:.1%} "
        f"({report.classify_correct}/{report.classify_total}, target {CLASSIFY_TARGET:.0%})"
    )
    print(
        f"good beats poor in pairs: {report.pairs_share:.1%} "
        f"({report.pairs_won}/{report.pairs_total}, target {PAIRS_TARGET:.0%})"
    )
    flagged = sum(report.faults.values())
    print(f"main faults flagged: {flagged}/{len(report.faults)}")
    good = len(report.good_ids)
    print(f"good drafts clean: {good - len(report.good_dirty)}/{good}")
    n = len(report.calibration)
    mae = report.mae
    print(
        f"calibration ({n} drafts): mean absolute error "
        + ", ".join(f"{c} {v:.2f}" for c, v in mae.items())
        + f"; mean {sum(mae.values()) / len(mae):.2f}"
    )
    close = round(report.within_share * n)
    print(
        f"  totals within +-{TOTAL_TOLERANCE}: {report.within_share:.0%} ({close}/{n}); "
        f"mean coach total minus expected {report.bias:+.2f}"
    )
    weak_ok = report.weak_total - len(report.weak_too_high)
    print(
        f"  weak drafts (expected <= {WEAK_EXPECTED_MAX}) scored <= {WEAK_SCORE_MAX}: "
        f"{weak_ok}/{report.weak_total} (a target on development drafts, reported on holdout)"
    )
    reported = {d: t for d, t in report.weak_too_high.items() if d in report.held}
    for draft_id, (want, got) in reported.items():
        print(f"  holdout, reported: weak draft {draft_id} scored {got} (expected {want})")
    if verbose:
        for line in report.classify_misses + report.pair_losses:
            print(f"  {line}")
        for draft_id, score in report.scores.items():
            print(f"  score {score:2d}  {draft_id}")
        for draft_id, (want, got) in report.calibration.items():
            diff = " ".join(
                f"{c[:4]} {w}>{g}"
                for c, w, g in zip(coach.CRITERIA, want, got, strict=True)
                if w != g
            )
            print(f"  calibration {draft_id}: expected {sum(want):2d}, got {sum(got):2d}  {diff}")
    for line in report.failures:
        print(f"  MISSED: {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, default=None, help="default: all three")
    parser.add_argument("--verbose", action="store_true", help="list misses and every score")
    parser.add_argument(
        "--holdout", action="store_true", help="also report the evaluation set's frozen holdout"
    )
    parser.add_argument(
        "--batch",
        default="",
        help="with --holdout: only the holdout drafts whose id starts with this (h4- or h5-,h6-)",
    )
    args = parser.parse_args(argv)
    splits = [args.split] if args.split else ["dev", "holdout", "all"]
    failed = False
    for split in splits:
        report = evaluate(split)
        _print(report, args.verbose)
        # The targets apply to the whole data set; the splits are shown to reveal overfitting.
        if split == "all" or args.split:
            failed = failed or bool(report.failures)
    for split in ["dev", "holdout"] if args.holdout else ["dev"]:
        report = coach_eval_set.evaluate(split, args.batch if split == "holdout" else "")
        for line in coach_eval_set.lines(report, args.verbose):
            print(line)
        for line in coach_eval_set.failures(report):
            print(f"  MISSED: {line}")
            failed = True
    print("targets met" if not failed else "targets MISSED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
