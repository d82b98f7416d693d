"""The grading benchmark: its score comparison and report, and one small real run."""

from __future__ import annotations

import pytest

from course.facilitator import bench


def test_identical_scores_give_no_differences():
    scores = {"ann/01": {"statements": 5.0, "ideas": 2.0}, "bo/01": {"statements": 8.0}}
    assert bench.compare_scores(scores, {k: dict(v) for k, v in scores.items()}) == []


def test_differences_name_the_notebook_the_cells_and_who_graded_it():
    plain = {"ann/01": {"statements": 8.0, "ideas": 2.0}, "bo/01": {"statements": 1.0}}
    kit = {"ann/01": {"statements": 5.0, "ideas": 2.0}, "cy/01": {"statements": 0.0}}
    assert bench.compare_scores(plain, kit) == [
        "ann/01: plain 10, kit 7 (statements 8.0 vs 5.0)",
        "bo/01: graded by plain nbgrader only",
        "cy/01: graded by the kit only",
    ]


def summary_of(ratio: float, differences: list[str] | None = None) -> str:
    return bench.summary(
        {
            "notebooks": 150,
            "jobs": 2,
            "plain_median": 300.0,
            "kit_median": 300.0 * ratio,
            "ratio": ratio,
            "differences": differences or [],
            "flags": {"ann": ["01: added code cell: 'import sys'"]} if differences else {},
        }
    )


def test_summary_reports_medians_ratio_and_notebooks_per_second():
    text = summary_of(0.4)
    assert "median  300.0 s, 0.50 notebooks/s" in text
    assert "median  120.0 s, 1.25 notebooks/s" in text
    assert "ratio (kit / plain): 0.40 (target <= 0.5, limit 0.6): met" in text
    assert "identical for every learner and notebook (150 notebooks)" in text
    assert "over target" in summary_of(0.55)
    assert "OVER LIMIT" in summary_of(0.65)


def test_summary_explains_differences_with_the_kits_flags():
    text = summary_of(0.4, ["ann/01: plain 10, kit 7 (statements 8.0 vs 5.0)"])
    assert "1 notebook(s) differ" in text and "recomputed outside the kernel" in text
    assert "  ann/01: plain 10, kit 7" in text
    assert "flag ann: 01: added code cell" in text


@pytest.mark.slow
def test_a_small_benchmark_runs_both_ways_and_finds_the_same_scores(tmp_path):
    events: list[dict] = []
    result = bench.run(learners=2, runs=1, jobs=2, seed=3, workdir=tmp_path, on_event=events.append)
    assert result["notebooks"] == bench.notebooks_in(tmp_path / "class") > 0
    assert len(result["plain_seconds"]) == len(result["kit_seconds"]) == 1
    assert result["plain_median"] > 0 and result["kit_median"] > 0
    assert result["differences"] == []
    assert [event["event"] for event in events] == ["class", "run"]
    assert bench.describe(events[1]).startswith("run 1: plain nbgrader")
    text = bench.summary(result)
    assert "ratio (kit / plain)" in text and "identical for every learner and notebook" in text
    assert [p.name for p in tmp_path.iterdir()] == ["class"]  # graded copies removed
