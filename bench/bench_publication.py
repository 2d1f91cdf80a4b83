"""Benchmark of a whole campaign's results recompute (not a test), beside the numpy floor.

Generates a synthetic province (`bench/province.py`) in a scratch SQLite file, then times
`recompute_results` (the vectorized path, `results_fast`; `--reference` also times the Decimal
reference path once) and, on the same stored sheet
totals, the numpy floor: one query for the totals, `aggregate_fixed` + `rank_array` per parent.
Prints `publication.<name> N` lines (medians of `--repeat` runs):
    .venv/bin/python bench/bench_publication.py [--orgs 10000] [--raters 3] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

import numpy as np
from province import SEED, generate, setup_django


def numpy_floor(campaign) -> float:
    """The same job as plain numpy: read every submitted total (one query), trimmed mean per
    participant, rank within parent. Returns seconds."""
    from django.db import connection

    from kaoping.scoring import aggregate_fixed, rank_array

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.participant_id, o.parent_id, CAST(ROUND(s.scaled_total * 10) AS INTEGER) "
            "FROM campaigns_scoresheet s JOIN campaigns_assignment a ON a.id = s.assignment_id "
            "JOIN campaigns_participant p ON p.id = a.participant_id "
            "JOIN orgs_organization o ON o.id = p.organization_id "
            "WHERE p.campaign_id = %s AND s.status = 'submitted' ORDER BY a.participant_id",
            [campaign.pk],
        )
        rows = np.array(cursor.fetchall(), dtype=np.int64)
    participants, starts, counts = np.unique(rows[:, 0], return_index=True, return_counts=True)
    width = int(counts.max())
    matrix = np.zeros((len(participants), width), dtype=np.int64)
    column = np.arange(len(rows)) - np.repeat(starts, counts)
    matrix[np.repeat(np.arange(len(participants)), counts), column] = rows[:, 2]
    totals, _ = aggregate_fixed(matrix, method="trimmed", trim=1, counts=counts)
    rank_array(totals, scopes=rows[starts, 1])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=10000)
    parser.add_argument("--raters", type=int, default=3, choices=(3, 5))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--reference", action="store_true", help="also time the Decimal reference path (once)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(os.path.join(folder, "bench.sqlite3"))
        from kaoping.campaigns.domain.results import (
            recompute_results,
            recompute_results_reference,
        )

        province = generate(orgs=args.orgs, raters=args.raters, seed=SEED)
        tag = f"orgs{args.orgs}_raters{args.raters}"
        print(f"publication.{tag}_sheets {province.sheets}")
        print(f"publication.{tag}_entries {province.entries}")
        print(f"publication.{tag}_load_entries_per_second "
              f"{province.entries / province.seconds['load']:.0f}")  # fmt: skip
        print(f"publication.{tag}_load_entries_per_cpu_second "
              f"{province.entries / province.seconds['load_cpu']:.0f}")  # fmt: skip
        # CPU seconds beside wall seconds: on a shared machine the wall clock mostly measures
        # the other processes; SQLite runs in this process, so its work is counted too.
        ours, floor, ours_cpu = [], [], []
        for _ in range(args.repeat):
            cpu, started = time.process_time(), time.perf_counter()
            done = recompute_results(campaign=province.campaign)  # the commit included
            ours.append(time.perf_counter() - started)
            ours_cpu.append(time.process_time() - cpu)
            floor.append(numpy_floor(province.campaign))
        ours_s, floor_s = statistics.median(ours), statistics.median(floor)
        print(f"publication.{tag}_recompute_seconds {ours_s:.3f}")
        for phase, seconds in done.phases.items():
            print(f"publication.{tag}_recompute_{phase}_seconds {seconds:.3f}")
        print(f"publication.{tag}_recompute_cpu_seconds {statistics.median(ours_cpu):.3f}")
        print(f"publication.{tag}_numpy_floor_seconds {floor_s:.3f}")
        print(f"publication.{tag}_ratio {ours_s / floor_s:.1f}")
        if args.reference:
            cpu = time.process_time()
            seconds = recompute_results_reference(campaign=province.campaign).seconds
            print(f"publication.{tag}_reference_recompute_seconds {seconds:.3f}")
            print(f"publication.{tag}_reference_recompute_cpu_seconds "
                  f"{time.process_time() - cpu:.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
