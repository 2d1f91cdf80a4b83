"""Benchmark of the report exports (not a test).

Builds a scratch SQLite database (a temporary file), loads the demo (`kaoping demo`), times every
export of each demo campaign, then a synthetic province of `--orgs` organizations WITH submitted
sheets (`bench/province.py`: 3 raters per village, results recomputed first, not timed) and times
ranking, matrix and the document-layout sheet export. Each figure is the median of `--repeat`
runs. Prints machine-readable lines `exports.<name>_seconds N`:
    .venv/bin/python bench/bench_exports.py [--orgs 10000] [--repeat 3] [--skip-demo]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

RUNS = {"repeat": 3}  # set from --repeat


def _setup(path: str) -> None:
    os.environ["KAOPING_DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaoping.settings")
    os.environ.setdefault("KAOPING_DEBUG", "1")  # a scratch database: development settings
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0)


def _timed(name: str, function, **kwargs) -> None:
    runs, cpu, size, rows = [], [], 0, ""
    for _ in range(RUNS["repeat"]):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = function(**kwargs)
        if hasattr(result, "file"):
            with result.file:
                size = len(result.file.read())
            rows = f", {result.rows} rows/sheets"
        else:
            size = len(result)
        runs.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    # CPU seconds beside wall seconds: on a shared machine the wall figure includes waiting.
    print(f"exports.{name}_seconds {statistics.median(runs):.3f}  # median of {len(runs)}, "
          f"cpu {statistics.median(cpu):.3f} s, {size} bytes{rows}", flush=True)  # fmt: skip


def _demo() -> None:
    from kaoping.campaigns.models import Campaign
    from kaoping.reports.domain import exports
    from kaoping.reports.domain.summary import summary_docx

    for campaign in Campaign.objects.all():
        if not campaign.participants.exists():
            continue
        tag = f"demo{campaign.pk}"
        _timed(f"{tag}_ranking", exports.export_ranking, campaign=campaign)
        _timed(f"{tag}_matrix", exports.export_matrix, campaign=campaign)
        _timed(f"{tag}_sheets", exports.export_sheets, campaign=campaign)
        _timed(f"{tag}_summary", summary_docx, campaign=campaign)


def _province(orgs: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from province import generate

    from kaoping.campaigns.domain.results import recompute_results
    from kaoping.reports.domain import exports

    province = generate(orgs=orgs, raters=3)
    recompute_results(campaign=province.campaign)
    print(f"exports.orgs{orgs}_participants {province.participants}  # {province.sheets} sheets, "
          f"{province.entries} entries", flush=True)  # fmt: skip
    _timed(f"orgs{orgs}_ranking", exports.export_ranking, campaign=province.campaign)
    _timed(f"orgs{orgs}_matrix", exports.export_matrix, campaign=province.campaign)
    _timed(f"orgs{orgs}_sheets", exports.export_sheets, campaign=province.campaign)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-demo", action="store_true")
    args = parser.parse_args()
    RUNS["repeat"] = args.repeat
    with tempfile.TemporaryDirectory() as folder:
        _setup(os.path.join(folder, "bench.sqlite3"))
        if not args.skip_demo:
            _demo()
        _province(args.orgs)


if __name__ == "__main__":
    main()
