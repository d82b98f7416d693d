"""The coach on the hand-levelled evaluation set (tests/data/coach/eval/): error, ranking, flags,
fairness across personas, the gaming set's maximum and sentence moves.

Used by benchmarks/coach_eval.py. The dev split is for tuning; the holdout split is read only to
report its aggregate figures (never printed draft by draft), so that it stays a fair test.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from course import coach
from course.coach import pipeline

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "data" / "coach" / "eval"
COMPANIES = ROOT / "course" / "content" / "companies"

#: The evaluation set's flag names -> the coach's.
FLAG_NAMES = {
    "only_goals": "no_aspiration",
    "job_title_only": "no_aspiration",
    "your_job": "wants_interviewer_job",
    "negative": "negativity",
}
FAIRNESS_TARGET = 1.0
#: Resamples for the fairness gap's interval and for its null distribution (fixed seed: the
#: report is the same on every run).
RESAMPLES = 2000
SEED = 13
GAMING_MAX = 11
#: The files of each split. The first frozen holdout (70 drafts) was retired to development once
#: a second, larger one had been written blind; that second holdout (h2- and h3-, 300 drafts, now
#: dev4/) was retired in turn once a fresh blind batch (h4-) had been committed, because its
#: aggregate figures had been printed while tuning. The holdout is now holdout2/: the h4- and h5-
#: batches, 5 drafts per persona and band each. dev2/ and dev3/ are development batches written
#: blind the same way.
SPLIT_FILES = {
    "dev": (
        "dev.yaml",
        "dev-retired-holdout.yaml",
        *(
            f"{d}/{p.name}"
            for d in ("dev2", "dev3", "dev4")
            for p in sorted((EVAL / d).glob("*.yaml"))
        ),
    ),
    "holdout": tuple(f"holdout2/{p.name}" for p in sorted((EVAL / "holdout2").glob("*.yaml"))),
}
#: Labelled sentences; each entry says whether it is holdout. Those from the retired holdout's
#: drafts are development now; the holdout's come from holdout2/'s drafts and new text.
SENTENCE_FILES = (
    "sentences.yaml",
    "sentences-dev2.yaml",
    "sentences-retired-holdout2.yaml",
    *(p.name for p in sorted(EVAL.glob("sentences-h[456]-*.yaml"))),
)
BANDS = (("weak", 6, 10), ("middling", 11, 14), ("strong", 15, 18))


def band(total: int) -> str:
    """The hand-level band of a total: weak, middling or strong."""
    return next(name for name, low, high in BANDS if low <= total <= high)


def companies() -> dict[str, dict[str, Any]]:
    """Every company a draft can name: the shipped profiles and the evaluation set's own."""
    out = {}
    for path in COMPANIES.glob("*.yaml"):
        out[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8"))
    extra = EVAL / "companies.yaml"
    if extra.exists():
        out.update(yaml.safe_load(extra.read_text(encoding="utf-8"))["companies"])
    return out


def load(name: str, key: str) -> list[dict[str, Any]]:
    """The entries of one evaluation file ([] when it is not there yet)."""
    path = EVAL / name
    if not path.exists():
        return []
    return list((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(key) or [])


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman's rank correlation (average ranks for ties)."""

    def ranks(values: list[float]) -> list[float]:
        order = sorted(range(len(values)), key=lambda i: values[i])
        out = [0.0] * len(values)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
                j += 1
            for k in range(i, j + 1):
                out[order[k]] = (i + j) / 2
            i = j + 1
        return out

    rx, ry = ranks(xs), ranks(ys)
    n = len(xs)
    if n < 2:
        return 1.0
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (vx * vy) if vx and vy else 0.0


@dataclass
class SetReport:
    """Figures for one split of the evaluation set."""

    split: str
    rows: list[dict[str, Any]] = field(default_factory=list)  # one per draft
    gaming: dict[str, int] = field(default_factory=dict)  # gaming id -> coach total
    moves: list[tuple[str, str, str]] = field(default_factory=list)  # (id, expected, got)
    rule_moves: list[str] = field(default_factory=list)  # the rules' move alone, same order

    def mae(self) -> dict[str, float]:
        """Mean absolute error per criterion."""
        n = len(self.rows) or 1
        return {
            c: sum(abs(r["hand"][c] - r["coach"][c]) for r in self.rows) / n for c in coach.CRITERIA
        }

    def ranking(self) -> float:
        """Spearman correlation of the coach's totals with the hand totals."""
        hand = [sum(r["hand"].values()) for r in self.rows]
        return spearman(hand, [sum(r["coach"].values()) for r in self.rows])

    def flag_counts(self) -> tuple[int, int, int]:
        """(true positives, expected flags, raised flags) over the evaluation's flag names."""
        known = {FLAG_NAMES.get(f, f) for r in self.rows for f in r["expected_flags"]}
        known |= set(FLAG_NAMES.values())
        tp = expected = raised = 0
        for r in self.rows:
            want = {FLAG_NAMES.get(f, f) for f in r["expected_flags"]}
            got = {f for f in r["flags"] if f in known}
            tp, expected, raised = tp + len(want & got), expected + len(want), raised + len(got)
        return tp, expected, raised

    def personas(self) -> dict[str, dict[str, tuple[float, float, int]]]:
        """band -> persona -> (mean coach total, mean hand total, drafts)."""
        groups: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
        for r in self.rows:
            hand = sum(r["hand"].values())
            groups[band(hand)][r["persona"]].append((sum(r["coach"].values()), hand))
        return {
            b: {
                p: (sum(c for c, _ in v) / len(v), sum(h for _, h in v) / len(v), len(v))
                for p, v in sorted(per.items())
            }
            for b, per in groups.items()
        }

    def persona_bias(self) -> dict[str, float]:
        """Persona -> mean (coach - hand) total over all its drafts, every band pooled."""
        diffs: dict[str, list[int]] = defaultdict(list)
        for r in self.rows:
            diffs[r["persona"]].append(sum(r["coach"].values()) - sum(r["hand"].values()))
        return {p: sum(v) / len(v) for p, v in sorted(diffs.items())}

    def fairness_gap(self) -> tuple[float, str]:
        """The largest difference between personas, in one band, of mean (coach - hand) total."""
        worst, where = 0.0, ""
        for b, per in self.personas().items():
            bias = {p: c - h for p, (c, h, _n) in per.items()}
            if len(bias) >= 2:
                gap = max(bias.values()) - min(bias.values())
                if gap > worst:
                    hi, lo = max(bias, key=bias.get), min(bias, key=bias.get)
                    worst, where = gap, f"{b}: {hi} {bias[hi]:+.2f} vs {lo} {bias[lo]:+.2f}"
        return worst, where

    def cells(self) -> dict[str, dict[str, list[int]]]:
        """band -> persona -> each draft's (coach - hand) total."""
        out: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for r in self.rows:
            hand = sum(r["hand"].values())
            out[band(hand)][r["persona"]].append(sum(r["coach"].values()) - hand)
        return out

    def cell_sizes(self) -> str:
        """The smallest and largest number of drafts in a band-persona cell, as "4 to 7"."""
        sizes = [len(v) for per in self.cells().values() for v in per.values()] or [0]
        low, high = min(sizes), max(sizes)
        return f"{low}" if low == high else f"{low} to {high}"

    def fairness_spread(self, reps: int = RESAMPLES, seed: int = SEED) -> dict[str, float]:
        """How far the gap can be trusted with 4 to 7 drafts a cell.

        `low`, `high`: a 90% bootstrap interval of the gap (drafts resampled within each
        band-persona cell). `null`: the median gap of a coach with no persona effect at all
        (persona labels shuffled within each band, cell sizes kept), and `p`: the share of
        such shuffles whose gap is at least the observed one (small: the gap is more than
        the noise of small cells).
        """
        cells = self.cells()
        rng = random.Random(seed)

        def gap(groups: dict[str, dict[str, list[int]]]) -> float:
            worst = 0.0
            for per in groups.values():
                means = [sum(v) / len(v) for v in per.values() if v]
                if len(means) >= 2:
                    worst = max(worst, max(means) - min(means))
            return worst

        observed = gap(cells)
        boot = sorted(
            gap(
                {
                    b: {p: rng.choices(v, k=len(v)) for p, v in per.items()}
                    for b, per in cells.items()
                }
            )
            for _ in range(reps)
        )
        null = []
        for _ in range(reps):
            shuffled: dict[str, dict[str, list[int]]] = {}
            for b, per in cells.items():
                pool = [x for v in per.values() for x in v]
                rng.shuffle(pool)
                shuffled[b], i = {}, 0
                for p, v in per.items():
                    shuffled[b][p], i = pool[i : i + len(v)], i + len(v)
            null.append(gap(shuffled))
        null.sort()
        return {
            "low": boot[int(0.05 * reps)],
            "high": boot[int(0.95 * reps) - 1],
            "null": null[reps // 2],
            "p": sum(g >= observed - 1e-9 for g in null) / reps,
        }

    def pooled_interval(
        self, reps: int = RESAMPLES, seed: int = SEED
    ) -> dict[str, tuple[float, float, float, int]]:
        """Persona -> (mean coach-minus-hand total over all bands, 90% bootstrap low, high, n)."""
        diffs: dict[str, list[int]] = defaultdict(list)
        for r in self.rows:
            diffs[r["persona"]].append(sum(r["coach"].values()) - sum(r["hand"].values()))
        rng = random.Random(seed)
        out = {}
        for p, v in sorted(diffs.items()):
            means = sorted(sum(rng.choices(v, k=len(v))) / len(v) for _ in range(reps // 4))
            n = len(means)
            out[p] = (sum(v) / len(v), means[int(0.05 * n)], means[int(0.95 * n) - 1], len(v))
        return out


def evaluate(split: str, batch: str = "") -> SetReport:
    """Score every draft of one split ("dev" or "holdout") and the gaming set; `batch` keeps
    only the drafts whose id starts with it, or with any of several comma-separated prefixes
    (and the sentences taken from them)."""
    report = SetReport(split)
    profiles = companies()
    prefixes = tuple(batch.split(","))  # "h5-,h6-": several batches
    drafts = (d for name in SPLIT_FILES[split] for d in load(name, "drafts"))
    for d in (d for d in drafts if d["id"].startswith(prefixes)):
        fb = coach.analyze(d["text"], profiles.get(d.get("company")))
        report.rows.append(
            {
                "id": d["id"],
                "persona": d.get("persona", "?"),
                "hand": {c: int(d["levels"][c]) for c in coach.CRITERIA},
                "coach": fb.criteria,
                "flags": fb.flags,
                "expected_flags": list(d.get("flags") or []),
            }
        )
    for g in load("gaming.yaml", "drafts"):
        report.gaming[g["id"]] = coach.analyze(g["text"], profiles.get(g.get("company"))).score
    for s in (s for name in SENTENCE_FILES for s in load(name, "sentences")):
        if bool(s.get("holdout", False)) == (split == "holdout") and (
            not batch or str(s.get("source", "")).startswith(prefixes)
        ):
            got = coach.analyze(s["text"], profiles.get(s.get("company"))).sentences
            move = got[0]["move"] if got else "other"
            report.moves.append((s["id"], s["move"], move))
            rules = pipeline.read(s["text"], profiles.get(s.get("company")), model=False)
            report.rule_moves.append(rules.sentences[0].move if rules.sentences else "other")
    return report


def lines(r: SetReport, verbose: bool = False) -> list[str]:
    """The report as printable lines (draft-level detail only for dev with verbose)."""
    if not r.rows:
        return [f"== evaluation set, {r.split}: no drafts found in {EVAL}"]
    mae = r.mae()
    tp, expected, raised = r.flag_counts()
    gap, where = r.fairness_gap()
    out = [
        f"== evaluation set, {r.split} ({len(r.rows)} drafts)",
        "per-criterion MAE: "
        + ", ".join(f"{c} {v:.2f}" for c, v in mae.items())
        + f"; mean {sum(mae.values()) / len(mae):.2f}",
        f"ranking (Spearman of totals): {r.ranking():.3f}",
        f"flags: recall {tp / expected if expected else 1:.1%} ({tp}/{expected}), "
        f"precision {tp / raised if raised else 1:.1%} ({tp}/{raised})",
        f"fairness gap (mean coach-minus-hand total, personas in one band): {gap:.2f} "
        f"(target <= {FAIRNESS_TARGET:.0f}){'; ' + where if where else ''}",
    ]
    spread = r.fairness_spread()
    out.append(
        f"  the gap with {r.cell_sizes()} drafts a cell: 90% bootstrap interval "
        f"{spread['low']:.2f} to {spread['high']:.2f}; a coach with no persona effect would show "
        f"{spread['null']:.2f} "
        f"(median of {RESAMPLES} shuffles of persona within band; p = {spread['p']:.2f})"
    )
    by_band = {b: [x for per in cells.values() for x in per] for b, cells in r.cells().items()}
    out.append(
        "  mean coach-minus-hand by band (every persona): "
        + ", ".join(
            f"{b} {sum(v) / len(v):+.2f} (n={len(v)})"
            for b, _low, _high in BANDS
            if (v := by_band.get(b))
        )
    )
    bias = r.persona_bias()
    pooled = r.pooled_interval()
    out.append(
        f"  pooled over bands (mean coach-minus-hand per persona, 90% interval): spread "
        f"{max(bias.values()) - min(bias.values()):.2f}; "
        + ", ".join(
            f"{p} {m:+.2f} [{lo:+.2f}, {hi:+.2f}] n={n}" for p, (m, lo, hi, n) in pooled.items()
        )
    )
    for b, per in sorted(r.personas().items(), key=lambda kv: [x[0] for x in BANDS].index(kv[0])):
        out.append(
            f"  {b}: "
            + ", ".join(f"{p} {c:.1f} (hand {h:.1f}, n={n})" for p, (c, h, n) in per.items())
        )
    if r.gaming:
        top = max(r.gaming.values())
        over = [g for g, s in r.gaming.items() if s > GAMING_MAX]
        out.append(f"gaming set: max {top} of 18 (target <= {GAMING_MAX}); over: {len(over)}")
        if verbose:
            out += [f"  gamed: {g} scored {r.gaming[g]}" for g in over]
    if r.moves:
        right = sum(e == g for _i, e, g in r.moves)
        n = len(r.moves)
        rules = sum(e == g for (_i, e, _g), g in zip(r.moves, r.rule_moves, strict=True))
        out.append(
            f"sentence moves: {right}/{n} agree ({right / n:.1%}); the rules alone {rules / n:.1%}"
        )
        if r.split == "dev":
            out.append(
                "  (the move model was trained on these dev sentences: its honest dev figure is "
                "cross-validated, PYTHONPATH=. python tools/train_move_model.py --cv 5)"
            )
    if verbose and r.split == "dev":
        for row in r.rows:
            diff = " ".join(
                f"{c[:4]} {row['hand'][c]}>{row['coach'][c]}"
                for c in coach.CRITERIA
                if row["hand"][c] != row["coach"][c]
            )
            want = {FLAG_NAMES.get(f, f) for f in row["expected_flags"]}
            out.append(
                f"  {row['id']}: hand {sum(row['hand'].values())} coach "
                f"{sum(row['coach'].values())} {diff} flags {sorted(row['flags'])} "
                f"want {sorted(want)}"
            )
        out += [f"  move {i}: {e} read as {g}" for i, e, g in r.moves if e != g]
    return out


def failures(r: SetReport) -> list[str]:
    """Missed targets: the fairness gap and the gaming maximum."""
    out = []
    gap, where = r.fairness_gap()
    if r.rows and gap > FAIRNESS_TARGET:
        out.append(f"fairness gap {gap:.2f} > {FAIRNESS_TARGET} ({where})")
    if r.gaming and max(r.gaming.values()) > GAMING_MAX:
        out.append(f"gaming set max {max(r.gaming.values())} > {GAMING_MAX}")
    return out
