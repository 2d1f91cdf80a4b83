"""Benchmark of a full recompute from raw entries (not a test), beside one SQLite aggregate query.

`rescore_campaign` (kaoping/campaigns/domain/rescore.py) scores every submitted sheet of the
synthetic province's campaign again from its entries with the scoring core, writes the sheets'
stored fields and changed item scores in bulk and recomputes the results. The same run times
the single aggregate query over the same entries (SUM of Entry.score per participant, ranked
within the parent by a window function), which the issue's aim compares against (within 3×).

    .venv/bin/python bench/bench_rescore.py [--orgs 10000] [--raters 3] [--repeat 3]
    .venv/bin/python bench/bench_rescore.py --db FILE      # a province made by bench/province.py

Prints `rescore.<name> N` lines: medians of `--repeat` runs, wall and CPU seconds of this
process (SQLite runs in it), the CPU seconds per step of the rescore (mean), the ratio, and
once a rescore after a rubric correction (item 1.1 max 3 → 2, item 1.5 max 2 → 3). `--profile`
adds one rescore under cProfile and prints its top functions. Every rescore records an audit
event in the scratch database.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import statistics
import time

from province import on_province

AGGREGATE = (
    "SELECT participant_id, parent_id, total, "
    "RANK() OVER (PARTITION BY parent_id ORDER BY total DESC) FROM ("
    " SELECT a.participant_id, o.parent_id, SUM(e.score) AS total"
    " FROM campaigns_entry e JOIN campaigns_scoresheet s ON s.id = e.sheet_id"
    " JOIN campaigns_assignment a ON a.id = s.assignment_id"
    " JOIN campaigns_participant p ON p.id = a.participant_id"
    " JOIN orgs_organization o ON o.id = p.organization_id"
    " WHERE p.campaign_id = %s AND s.status = 'submitted'"
    " GROUP BY a.participant_id, o.parent_id) AS totals"
)


def aggregate_query(campaign) -> int:
    """The one-query job: every entry's score summed per participant, ranked within parent."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(AGGREGATE, [campaign.pk])
        return len(cursor.fetchall())


def timed(function, repeat: int) -> tuple[float, float, list]:
    """Median wall and CPU seconds of `repeat` calls, and what the calls returned."""
    walls, cpus, results = [], [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        results.append(function())
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), results


def corrected_text(source: str) -> str:
    """The village rubric with a correction: item 1.1 max 3 → 2 and 1.5 max 2 → 3 (the
    section's points unchanged), version 2."""

    def item_max(text, code, old, new):
        pattern = rf'(- code: "{re.escape(code)}"\n(?:.*\n)*?\s+max: ){old}\n'
        changed, count = re.subn(pattern, rf"\g<1>{new}\n", text, count=1)
        assert count == 1, code
        return changed

    text = item_max(item_max(source, "1.1", 3, 2), "1.5", 2, 3)
    return re.sub(r"^version: \d+$", "version: 2", text, count=1, flags=re.M)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="an existing province file (default: generate one)")
    parser.add_argument("--orgs", type=int, default=10000)
    parser.add_argument("--raters", type=int, default=3, choices=(3, 5))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-correction", action="store_true", help="skip the corrected run")
    parser.add_argument("--profile", action="store_true", help="one more rescore under cProfile")
    args = parser.parse_args()
    on_province(args.db, orgs=args.orgs, raters=args.raters, run=lambda: run(args))


def run(args) -> None:
    from django.db import connection

    from kaoping.campaigns.domain.rescore import rescore_campaign
    from kaoping.campaigns.domain.results import recompute_results
    from kaoping.campaigns.domain.rubrics import store_rubric_text
    from kaoping.campaigns.models import Campaign

    campaign = Campaign.objects.order_by("-pk").first()
    by = campaign.created_by
    recompute_results(campaign=campaign)  # the results exist before, as after a publication
    tag = f"participants{campaign.participants.count()}"

    def rescore(rubric=None):
        return rescore_campaign(campaign=campaign, by=by, rubric=rubric)

    wall, cpu, runs = timed(rescore, args.repeat)
    done = runs[-1]
    print(f"rescore.{tag}_sheets {done.sheets}")
    print(f"rescore.{tag}_entries {done.entries}")
    print(f"rescore.{tag}_rescore_seconds {wall:.3f}")
    print(f"rescore.{tag}_rescore_cpu_seconds {cpu:.3f}")
    for phase in done.phases:
        mean = statistics.mean(r.phases.get(phase, 0.0) for r in runs)
        print(f"rescore.{tag}_phase_{phase}_cpu_seconds {mean:.3f}")
    query_wall, query_cpu, _ = timed(lambda: aggregate_query(campaign), args.repeat)
    print(f"rescore.{tag}_{connection.vendor}_query_seconds {query_wall:.3f}")
    print(f"rescore.{tag}_{connection.vendor}_query_cpu_seconds {query_cpu:.3f}")
    print(f"rescore.{tag}_ratio {wall / query_wall:.1f}")
    if connection.vendor == "sqlite":  # elsewhere the server's work is not this process's CPU
        print(f"rescore.{tag}_ratio_cpu {cpu / query_cpu:.1f}")
    if args.profile:
        profile(rescore)
    if not args.no_correction:
        stored = campaign.participants.first().rubric
        fixed = store_rubric_text(corrected_text(stored.source), source="bench-corrected.yaml")
        wall, cpu, (done,) = timed(lambda: rescore(fixed), 1)
        print(f"rescore.{tag}_corrected_seconds {wall:.3f}")
        print(f"rescore.{tag}_corrected_cpu_seconds {cpu:.3f}")
        print(f"rescore.{tag}_corrected_totals_changed {done.totals_changed}")
        print(f"rescore.{tag}_corrected_entry_scores_changed {done.entry_scores_changed}")


def profile(rescore) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    rescore()
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
