"""Benchmark of the scoring core (not a test).

Scores 100,000 sheets of a village-style rubric (seed 001's 村(社区) sheet, built inline: five
sections 25 + 30 + 20 + 15 + 10, deduction items with 扣分/扣分原因), then aggregates and ranks
300,000 organizations × 3 raters with the fixed-point numpy path.

Prints machine-readable lines `name value` (median of several runs, seed 20200826):
    .venv/bin/python bench/bench_scoring.py [--sheets N] [--orgs N] [--runs N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import numpy as np

from kaoping.scoring import (
    aggregate_fixed,
    grade_by_share_array,
    parse_rubric,
    rank_array,
    score_sheet,
)

SEED = 20200826
# Item points of seed 001's 村(社区)党建观摩、检查、测评得分表, section by section.
VILLAGE = [
    ("一", "党建基础", [3, 3, 3, 3, 2, 4, 2, 2, 3]),
    ("二", "组织建设", [4, 3, 3, 4, 4, 3, 3, 3, 3]),
    ("三", "党员管理", [3, 2, 2, 1, 2, 1, 3, 1, 3, 1, 1]),
    ("四", "活动开展", [4, 4, 2, 2, 3]),
    ("五", "工作保障", [4, 3, 3]),
]


def village_rubric():
    sections = []
    for number, (code, title, points) in enumerate(VILLAGE, start=1):
        items = [
            {
                "code": f"{number}.{i}",
                "text": f"{title}第{i}项",
                "max": p,
                "rule": {"kind": "deduction"},
            }
            for i, p in enumerate(points, start=1)
        ]
        sections.append({"code": code, "title": title, "points": sum(points), "items": items})
    return parse_rubric({
        "id": "bench-village", "title": "村(社区)党建观摩、检查、测评得分表", "issuer": "bench",
        "year": 2020, "version": 1, "applies_to": ["village", "community"], "full_marks": 100,
        "sections": sections,
        "outcome": {"grades": [{"label": "优秀", "min": 90}, {"label": "良好", "min": 80},
                               {"label": "一般", "min": 60}, {"label": "较差"}]},
    })  # fmt: skip


def random_entries(rubric, rnd: random.Random):
    entries = {}
    for code, item in rubric.items.items():
        if rnd.random() < 0.3:
            tenths = rnd.randint(1, int(item.max_points * 10))
            entries[code] = {"deductions": [{"amount": f"{tenths / 10:.1f}", "reason": "台账不全"}]}
    return entries


def bench_sheets(count: int, runs: int) -> tuple[float, float]:
    rubric = village_rubric()
    rnd = random.Random(SEED)
    sheets = [random_entries(rubric, rnd) for _ in range(count)]
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        for entries in sheets:
            score_sheet(rubric, entries)
        timings.append(time.perf_counter() - start)
    elapsed = statistics.median(timings)
    return count / elapsed, elapsed


def bench_ranking(orgs: int, raters: int, runs: int) -> dict[str, float]:
    rng = np.random.default_rng(SEED)
    # Totals in hundredths (0.00 … 100.00), 3 raters per organization, 1,000 townships as scopes.
    matrix = rng.integers(6000, 10001, size=(orgs, raters), dtype=np.int64)
    scopes = rng.integers(0, 1000, size=orgs, dtype=np.int64)
    phases: dict[str, list[float]] = {"aggregate": [], "rank": [], "rank_scoped": [], "grade": []}
    for _ in range(runs):
        start = time.perf_counter()
        totals, _ = aggregate_fixed(matrix, method="trimmed", trim=1)
        phases["aggregate"].append(time.perf_counter() - start)
        start = time.perf_counter()
        rank_array(totals)
        phases["rank"].append(time.perf_counter() - start)
        start = time.perf_counter()
        rank_array(totals, scopes=scopes)
        phases["rank_scoped"].append(time.perf_counter() - start)
        start = time.perf_counter()
        grade_by_share_array(totals, top="0.2", bottom="0.1", scopes=scopes)
        phases["grade"].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in phases.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=100_000)
    parser.add_argument("--orgs", type=int, default=300_000)
    parser.add_argument("--raters", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    per_second, elapsed = bench_sheets(args.sheets, args.runs)
    print(f"scoring.sheets {args.sheets}")
    print(f"scoring.sheets_per_s {per_second:.0f}")
    print(f"scoring.sheets_seconds {elapsed:.3f}")
    phases = bench_ranking(args.orgs, args.raters, max(args.runs, 5))
    print(f"ranking.orgs {args.orgs}")
    print(f"ranking.raters {args.raters}")
    for name, seconds in phases.items():
        print(f"ranking.{name}_seconds {seconds:.4f}")
    print(f"ranking.total_seconds {sum(phases.values()):.4f}")


if __name__ == "__main__":
    main()
