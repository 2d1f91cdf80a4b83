"""Benchmark of the report exports (not a test).

Builds a scratch SQLite database (a temporary file), loads the demo (`kaoping demo`), times every
export of each demo campaign, then a synthetic campaign of `--orgs` organizations with results
(no sheets: the ranking and the matrix's final columns read results) and times ranking and
matrix. Prints machine-readable lines `exports.<name>_seconds N`:
    .venv/bin/python bench/bench_exports.py [--orgs 10000]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time


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
    started = time.perf_counter()
    result = function(**kwargs)
    content = result.file.read() if hasattr(result, "file") else result
    print(f"exports.{name}_seconds {time.perf_counter() - started:.3f}  # {len(content)} bytes")


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


def _synthetic(orgs: int) -> None:
    from decimal import Decimal

    from kaoping.accounts.models import User
    from kaoping.campaigns.domain.rubrics import store_bundled
    from kaoping.campaigns.models import Campaign, CampaignRubric, Participant, Result
    from kaoping.orgs.models import Organization
    from kaoping.reports.domain import exports

    user = User.objects.first()
    root = Organization.objects.create(name="合成县委", kind="county")
    root.path = f"/{root.pk}/"
    root.save(update_fields=["path"])
    made = Organization.objects.bulk_create(
        [Organization(name=f"合成村{n:05d}", kind="village", parent=root) for n in range(orgs)],
        batch_size=2000,
    )
    for org in made:
        org.path = f"{root.path}{org.pk}/"
    Organization.objects.bulk_update(made, ["path"], batch_size=2000)
    rubric = store_bundled("seed001-village-community")
    campaign = Campaign.objects.create(name="合成测评", year=2026, period_start="2026-01-01",
                                       period_end="2026-12-31", scope=root,
                                       participant_kinds=["village"], created_by=user)  # fmt: skip
    CampaignRubric.objects.create(campaign=campaign, org_kind="village", rubric=rubric)
    parts = Participant.objects.bulk_create(
        [Participant(campaign=campaign, organization=o, rubric=rubric) for o in made],
        batch_size=2000,
    )
    Result.objects.bulk_create([
        Result(campaign=campaign, participant=p, total=Decimal(100 - n % 37) / 1,
               rank_in_kind=n + 1, section_scores={"一": "24"}, rater_count=3)
        for n, p in enumerate(parts)
    ], batch_size=2000)  # fmt: skip
    _timed(f"orgs{orgs}_ranking", exports.export_ranking, campaign=campaign)
    _timed(f"orgs{orgs}_matrix", exports.export_matrix, campaign=campaign)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=10000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        _setup(os.path.join(folder, "bench.sqlite3"))
        _demo()
        _synthetic(args.orgs)


if __name__ == "__main__":
    main()
