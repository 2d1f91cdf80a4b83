"""Benchmark of the scoring core (not a test).

Scores 100,000 sheets of a village-style rubric (seed 001's 村(社区) sheet, built inline: five
sections 25 + 30 + 20 + 15 + 10, deduction items with 扣分/扣分原因), then aggregates and ranks
300,000 organizations × 3 raters with the fixed-point numpy path.

Prints machine-readable lines `name value` (seed 20200826). Scoring figures are the median and
the best of `--repeat` passes over the same sheets (the best is the least disturbed by other work
on the machine); ranking figures are medians, for numpy on fixed point and, on `--engine-orgs`
organizations, for the Decimal functions a page or the CLI uses:
    .venv/bin/python bench/bench_scoring.py [--sheets 100000] [--repeat 3] [--orgs 300000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import numpy as np

from kaoping.scoring import (
    aggregate_fixed,
    aggregate_scores,
    from_fixed,
    grade_by_share_array,
    parse_rubric,
    rank,
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


def bench_sheets(count: int, repeat: int) -> dict[str, float]:
    rubric = village_rubric()
    rnd = random.Random(SEED)
    sheets = [random_entries(rubric, rnd) for _ in range(count)]
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        for entries in sheets:
            score_sheet(rubric, entries)
        timings.append(time.perf_counter() - start)
    median, best = statistics.median(timings), min(timings)
    return {"per_s": count / median, "best_per_s": count / best, "seconds": median}


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


def bench_engine_ranking(orgs: int, raters: int, runs: int) -> dict[str, float]:
    """The Decimal functions on the same kind of data: what numpy saves."""
    rng = np.random.default_rng(SEED)
    matrix = rng.integers(6000, 10001, size=(orgs, raters), dtype=np.int64)
    rows = [from_fixed(row, places=2) for row in matrix]
    phases: dict[str, list[float]] = {"aggregate": [], "rank": []}
    for _ in range(runs):
        start = time.perf_counter()
        totals = [aggregate_scores(row, method="trimmed").value for row in rows]
        phases["aggregate"].append(time.perf_counter() - start)
        start = time.perf_counter()
        rank(totals)
        phases["rank"].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in phases.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=100_000, help="sheets to score")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the sheets")
    parser.add_argument("--orgs", type=int, default=300_000, help="organizations to rank")
    parser.add_argument("--raters", type=int, default=3)
    parser.add_argument("--engine-orgs", type=int, default=30_000,
                        help="organizations for the Decimal (engine) ranking figures")  # fmt: skip
    args = parser.parse_args()
    if args.sheets < 1 or args.repeat < 1:
        parser.error("--sheets and --repeat must be at least 1")
    sheets = bench_sheets(args.sheets, args.repeat)
    print(f"scoring.sheets {args.sheets}")
    print(f"scoring.repeat {args.repeat}")
    print(f"scoring.sheets_per_s {sheets['per_s']:.0f}")
    print(f"scoring.best_sheets_per_s {sheets['best_per_s']:.0f}")
    print(f"scoring.sheets_seconds {sheets['seconds']:.3f}")
    runs = max(args.repeat, 5)
    phases = bench_ranking(args.orgs, args.raters, runs)
    print(f"ranking.orgs {args.orgs}")
    print(f"ranking.raters {args.raters}")
    for name, seconds in phases.items():
        print(f"ranking.{name}_seconds {seconds:.4f}")
    print(f"ranking.total_seconds {sum(phases.values()):.4f}")
    if args.engine_orgs > 0:
        engine = bench_engine_ranking(args.engine_orgs, args.raters, args.repeat)
        numpy_small = bench_ranking(args.engine_orgs, args.raters, runs)
        print(f"ranking.engine_orgs {args.engine_orgs}")
        for name in ("aggregate", "rank"):
            print(f"ranking.engine_{name}_seconds {engine[name]:.4f}")
            print(f"ranking.numpy_{name}_seconds_same_orgs {numpy_small[name]:.4f}")
            speedup = engine[name] / max(numpy_small[name], 1e-9)
            print(f"ranking.numpy_{name}_speedup {speedup:.0f}")


if __name__ == "__main__":
    main()
