"""The coach evaluation set is well formed: enough drafts, personas and companies, levels in range.

Reads tests/data/coach/eval/ (see its README.md). This checks the data's shape only; it never runs
the coach, so reading the holdout (holdout2/) here tunes nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "data" / "coach" / "eval"
RUBRIC = yaml.safe_load((ROOT / "course/content/rubric.yaml").read_text("utf-8"))
CRITERIA = [c["id"] for c in RUBRIC["criteria"]]
FLAGS = {
    "no_aspiration", "only_goals", "job_title_only", "exit_plan", "salary_focus", "personal_life",
    "your_job", "negative", "too_short", "too_long", "cliche", "repetition", "keyword_list",
    "echo_prompt",
}  # fmt: skip
MOVES = {
    "aspiration", "goal", "company", "skills", "evidence", "contribution", "digression", "hedge",
    "other",
}  # fmt: skip
GAMING_KINDS = {"repeat", "keyword_list", "third_person", "echo", "fragments", "stuffing"}
PERSONAS = {
    "graduate", "career_changer", "returner", "apprentice", "experienced_mover", "internal",
    "intern", "second_language", "school_leaver", "reserved",
}  # fmt: skip


def load(name: str | Path) -> Any:
    """One YAML file of the evaluation set."""
    return yaml.safe_load((EVAL / name).read_text("utf-8"))


#: Development: dev.yaml, the retired first holdout (ids h-), dev2/, dev3/ and the retired second
#: holdout (dev4/, ids h2- and h3-); the frozen holdout: holdout2/ (ids h4- and h5-).
DEV = [
    *load("dev.yaml")["drafts"],
    *load("dev-retired-holdout.yaml")["drafts"],
    *(
        d
        for b in ("dev2", "dev3", "dev4")
        for p in sorted((EVAL / b).glob("*.yaml"))
        for d in load(p)["drafts"]
    ),
]
HOLDOUT = [d for p in sorted((EVAL / "holdout2").glob("*.yaml")) for d in load(p)["drafts"]]
GAMING = load("gaming.yaml")["drafts"]
SENTENCES = [
    s
    for name in (
        "sentences.yaml",
        "sentences-dev2.yaml",
        "sentences-retired-holdout2.yaml",
        *(p.name for p in sorted(EVAL.glob("sentences-h[456]-*.yaml"))),
    )
    for s in load(name)["sentences"]
]
EXTRA = load("companies.yaml")["companies"]
SHIPPED = {p.stem for p in (ROOT / "course/content/companies").glob("*.yaml")}
COMPANIES = SHIPPED | set(EXTRA)


def band(draft: dict[str, Any]) -> str:
    """Weak (6-10), middling (11-14) or strong (15-18) by the hand total."""
    total = sum(draft["levels"].values())
    return "weak" if total <= 10 else "middling" if total <= 14 else "strong"


def test_counts() -> None:
    drafts = DEV + HOLDOUT
    assert len(drafts) >= 350
    assert len(HOLDOUT) >= 150
    assert len({d["persona"] for d in drafts}) >= 10
    assert len({d["company"] for d in drafts}) >= 6
    assert len(GAMING) >= 25
    assert len(SENTENCES) >= 300


def test_ids_unique_and_holdout_disjoint() -> None:
    ids = [x["id"] for x in DEV + HOLDOUT + GAMING + SENTENCES]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert not {d["id"] for d in DEV} & {d["id"] for d in HOLDOUT}
    assert not {d["text"] for d in DEV} & {d["text"] for d in HOLDOUT}
    assert all(d["id"].startswith(("h4-", "h5-", "h6-")) for d in HOLDOUT)
    assert all(d["id"].startswith(("d-", "d2-", "d3-", "h-", "h2-", "h3-")) for d in DEV)


@pytest.mark.parametrize("draft", DEV + HOLDOUT, ids=lambda d: d["id"])
def test_draft_shape(draft: dict[str, Any]) -> None:
    assert draft["persona"] in PERSONAS
    assert draft["company"] in COMPANIES
    assert list(draft["levels"]) == CRITERIA
    assert all(v in (1, 2, 3) for v in draft["levels"].values())
    assert set(draft["flags"]) <= FLAGS
    assert draft["note"].strip() and draft["text"].strip()
    words = len(draft["text"].split())
    assert 3 <= words <= 400
    if "too_short" in draft["flags"]:
        assert draft["levels"]["concision"] == 1 and words < 45
    if "too_long" in draft["flags"]:
        assert draft["levels"]["concision"] <= 2 and words > 260


@pytest.mark.parametrize("split", ["dev", "holdout"])
def test_every_persona_in_every_band(split: str) -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    for d in DEV if split == "dev" else HOLDOUT:
        seen[d["persona"]].add(band(d))
    assert set(seen) == PERSONAS
    assert {p: b for p, b in seen.items() if b != {"weak", "middling", "strong"}} == {}


def test_holdout_cells_hold_five_drafts_each() -> None:
    """The fairness gap compares personas within a band: every cell of the frozen holdout has
    the same number of drafts, five or more, so no persona's mean rests on two or three."""
    cells = Counter((d["persona"], band(d)) for d in HOLDOUT)
    assert len(cells) == 30 and len(set(cells.values())) == 1 and min(cells.values()) >= 5


def test_extra_companies_have_the_shipped_shape() -> None:
    shipped = yaml.safe_load(next((ROOT / "course/content/companies").glob("*.yaml")).read_text())
    assert not set(EXTRA) & SHIPPED
    for profile in EXTRA.values():
        assert set(profile) == set(shipped)
        assert all(profile[k] for k in ("values", "plans", "skills"))


@pytest.mark.parametrize("draft", GAMING, ids=lambda d: d["id"])
def test_gaming_shape(draft: dict[str, Any]) -> None:
    assert draft["max_total"] == 11
    assert draft["company"] in COMPANIES
    assert draft["kind"] in GAMING_KINDS
    assert set(draft["flags"]) <= FLAGS
    assert draft["text"].strip()


def test_gaming_covers_every_trick() -> None:
    assert Counter(d["kind"] for d in GAMING).keys() == GAMING_KINDS


def test_sentences() -> None:
    holdout_drafts = {d["id"] for d in HOLDOUT}
    dev_drafts = {d["id"] for d in DEV}
    for s in SENTENCES:
        assert s["move"] in MOVES, s["id"]
        assert isinstance(s["holdout"], bool), s["id"]
        assert s["text"].strip(), s["id"]
        if s["source"] != "new":
            assert s["source"] in (holdout_drafts if s["holdout"] else dev_drafts), s["id"]
            assert s.get("company") in COMPANIES, s["id"]
    assert len({s["text"] for s in SENTENCES}) == len(SENTENCES)
    share = sum(s["holdout"] for s in SENTENCES) / len(SENTENCES)
    assert (
        0.10 <= share <= 0.50
    )  # 169 of 820 once h2's sentences were retired; about 500 of 1150 with h6
    assert {s["move"] for s in SENTENCES if s["holdout"]} == MOVES
    assert {s["move"] for s in SENTENCES if not s["holdout"]} == MOVES


@pytest.mark.parametrize("draft", DEV + HOLDOUT, ids=lambda d: d["id"])
def test_flags_agree_with_levels(draft: dict[str, Any]) -> None:
    """The README's reading of the rubric, applied the same way to every draft."""
    levels, flags = draft["levels"], set(draft["flags"])
    no_direction = {"no_aspiration", "only_goals", "job_title_only", "your_job"}
    assert (levels["aspiration"] == 1) == bool(flags & no_direction)
    if "exit_plan" in flags:
        assert levels["relevance"] == 1
    if flags & {"salary_focus", "personal_life", "negative"}:
        assert levels["relevance"] <= 2
    if levels["relevance"] == 1:
        assert flags & {"exit_plan", "salary_focus", "personal_life", "negative"}
    if "cliche" in flags:
        assert levels["authenticity"] <= 2
