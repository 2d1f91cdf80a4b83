"""A synthetic province, generated deterministically for the benchmarks (not a test).

    .venv/bin/python bench/province.py --orgs 10000 --raters 3 --seed 20200826 [--db path]

The tree is province → cities → counties → townships (乡镇党委) → villages/communities, about 25
villages per township, 15 townships per county and 8 counties per city, `--orgs` organizations in
all. One campaign over the province, in the closed state, with the bundled village rubric (seed 001)
for villages and communities, one full-review stage aggregated by trimmed mean (`--method`), and
`--raters` assignments per village, each with a SUBMITTED sheet: entries in the core's format
(deductions with reasons on ~15 % of items, never more than the item's max) and the totals the
scoring core computed. Sheets are drawn from a pool of distinct entry patterns (5,000 by default),
each scored once by the core (`score_sheet`): every stored total is the core's own result for those
exact entries, and the pool keeps generation fast at 300,000 organizations. Sheets and entries go
through `kaoping.campaigns.domain.bulk.load_submitted` (executemany / COPY).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

SEED = 20200826
REASONS = [
    "台账不完整",
    "会议记录缺失",
    "制度未上墙",
    "党费收缴不及时",
    "活动记录不全",
    "阵地建设不达标",
]


def setup_django(path: str | None) -> None:
    """Point Django at a scratch SQLite file (or KAOPING_DATABASE_URL if set) and migrate."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    if path and "KAOPING_DATABASE_URL" not in os.environ:
        os.environ["KAOPING_DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaoping.settings")
    os.environ.setdefault("KAOPING_DEBUG", "1")  # a scratch database: development settings
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@dataclass
class Province:
    campaign: object
    root: object
    orgs: int = 0
    participants: int = 0
    sheets: int = 0
    entries: int = 0
    seconds: dict = field(default_factory=dict)


def _shape(orgs: int) -> tuple[int, int, int, int]:
    """(cities, counties, townships, villages) adding up to orgs − 1 (the province)."""
    townships = max(2, orgs // 27)
    counties = max(1, townships // 15)
    cities = max(1, counties // 8)
    villages = orgs - 1 - cities - counties - townships
    if villages < 1:
        raise ValueError("at least 10 organizations")
    return cities, counties, townships, villages


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    from django.db import connection

    # Columns not given take their model default (a NOT NULL column with a default).
    given = {model._meta.get_field(c).column for c in columns}
    extra = [f for f in model._meta.concrete_fields
             if f.column not in given and not f.null and not f.primary_key]  # fmt: skip
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in extra)
    if extra:
        rows = [row + defaults for row in rows]
    names = ", ".join(
        [model._meta.get_field(c).column for c in columns] + [f.column for f in extra]
    )
    marks = ", ".join(["%s"] * (len(columns) + len(extra)))
    with connection.cursor() as cursor:
        sql = f"INSERT INTO {model._meta.db_table} ({names}) VALUES ({marks})"
        for start in range(0, len(rows), 100_000):
            cursor.executemany(sql, rows[start : start + 100_000])


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _tree(orgs: int, rng: random.Random):
    """Insert the organizations with explicit ids and paths; return (root, villages [(id, kind,
    parent)])."""
    from django.utils import timezone

    from kaoping.orgs.models import Organization

    cities, counties, townships, villages = _shape(orgs)
    now = timezone.now()
    next_id = _next_id(Organization)
    rows, made = [], []

    def add(name, kind, parent):
        nonlocal next_id
        pk, next_id = next_id, next_id + 1
        path = f"{parent[1] if parent else '/'}{pk}/"
        rows.append((pk, name, kind, parent[0] if parent else None, path, len(rows), now, now))
        return pk, path

    province = add("合成省委", "party_committee", None)
    levels = [province]
    for label, count in (("市委", cities), ("县委", counties), ("乡镇党委", townships)):
        parents, levels = levels, []
        for n in range(count):
            levels.append(add(f"合成{label}{n:05d}", "party_committee", parents[n % len(parents)]))
    for n in range(villages):
        kind = "community" if rng.random() < 0.2 else "village"
        parent = levels[n % len(levels)]
        pk, _ = add(f"合成{'社区' if kind == 'community' else '村'}{n:06d}党组织", kind, parent)
        made.append((pk, kind, parent[0]))
    _insert(Organization, ["id", "name", "kind", "parent", "path", "position", "created_at",
                           "updated_at"], rows)  # fmt: skip
    return Organization.objects.get(pk=province[0]), made


def _patterns(rubric, count: int, rng: random.Random) -> list[tuple[dict, object]]:
    """`count` distinct entry patterns, each with the core's score of it."""
    from kaoping.scoring import score_sheet

    items = [(code, item.max_points) for code, item in rubric.items.items()]
    out, seen = [], set()
    while len(out) < count:
        values = {}
        for code, top in items:
            if rng.random() < 0.15:
                tenths = rng.randint(1, int(top * 10))
                values[code] = {"deductions": [
                    {"amount": str(Decimal(tenths) / 10), "reason": rng.choice(REASONS)}]}  # fmt: skip
            else:
                values[code] = {"deductions": []}
        key = repr(sorted(values.items()))
        if key in seen:
            continue
        seen.add(key)
        out.append((values, score_sheet(rubric, values)))
    return out


def generate(*, orgs: int = 10000, raters: int = 3, seed: int = SEED, method: str = "trimmed",
             patterns: int = 5000) -> Province:  # fmt: skip
    """Write one synthetic province and its closed campaign (see the module docstring)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from kaoping.accounts.models import User
    from kaoping.campaigns.domain.bulk import BulkSheet, load_submitted
    from kaoping.campaigns.domain.rubrics import rubric_of, store_bundled
    from kaoping.campaigns.models import Assignment, Campaign, CampaignRubric, Participant, Stage

    rng = random.Random(seed)
    timings = {}
    started = time.perf_counter()
    with transaction.atomic():
        root, villages = _tree(orgs, rng)
        timings["orgs"] = time.perf_counter() - started
        organizer = User.objects.create(username=f"bench-organizer-{seed}", full_name="测评组织者",
                                        password=make_password(None))  # fmt: skip
        pool = max(raters * 4, len(villages) // 150)
        users = User.objects.bulk_create(
            [User(username=f"bench-rater-{seed}-{n}", full_name=f"评分人{n:05d}",
                  password=make_password(None)) for n in range(pool)], batch_size=2000)  # fmt: skip
        stored = store_bundled("seed001-village-community")
        rubric = rubric_of(stored)
        campaign = Campaign.objects.create(
            name=f"合成全省测评 {orgs}", year=2026, period_start="2026-01-01",
            period_end="2026-12-31", scope=root, participant_kinds=["village", "community"],
            state="closed", created_by=organizer)  # fmt: skip
        for kind in ("village", "community"):
            CampaignRubric.objects.create(campaign=campaign, org_kind=kind, rubric=stored)
        stage = Stage.objects.create(campaign=campaign, kind="full_review", name="全面考评",
                                     starts_on="2026-11-01", ends_on="2026-11-30", method=method,
                                     trim=1, weight=Decimal(1))  # fmt: skip
        started = time.perf_counter()
        first_part = _next_id(Participant)
        _insert(Participant, ["id", "campaign", "organization", "rubric"],
                [(first_part + n, campaign.pk, v[0], stored.pk)
                 for n, v in enumerate(villages)])  # fmt: skip
        first_assignment = _next_id(Assignment)
        assignment_rows, sheets = [], []
        scored = _patterns(rubric, min(patterns, len(villages) * raters), rng)
        for n in range(len(villages)):
            for k in range(raters):
                rater = users[(n * raters + k * (pool // raters)) % pool]
                pk = first_assignment + len(assignment_rows)
                assignment_rows.append((pk, stage.pk, first_part + n, rater.pk, "auto",
                                        "2026-11-01 00:00:00"))  # fmt: skip
                values, result = scored[rng.randrange(len(scored))]
                sheets.append(BulkSheet(assignment_id=pk, values=values, by_id=rater.pk,
                                        result=result))  # fmt: skip
        _insert(Assignment, ["id", "stage", "participant", "rater", "source", "created_at"],
                assignment_rows)  # fmt: skip
        timings["setup"] = time.perf_counter() - started
        started, cpu = time.perf_counter(), time.process_time()
        loaded = load_submitted(rubric=rubric, sheets=sheets)
        timings["load"] = time.perf_counter() - started
        timings["load_cpu"] = time.process_time() - cpu  # SQLite works in this process
    return Province(campaign=campaign, root=root, orgs=orgs, participants=len(villages),
                    sheets=loaded.sheets, entries=loaded.entries, seconds=timings)  # fmt: skip


def on_province(path: str | None, *, orgs: int, raters: int, run) -> None:
    """`run()` on the province file `path`, or on a fresh province of `orgs` generated in a
    scratch directory removed afterwards."""
    if path:
        setup_django(path)
        run()
        return
    with tempfile.TemporaryDirectory() as folder:
        setup_django(os.path.join(folder, "bench.sqlite3"))
        generate(orgs=orgs, raters=raters, seed=SEED)
        run()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=10000)
    parser.add_argument("--raters", type=int, default=3, choices=(3, 5))
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--db", default="var/bench-province.sqlite3")
    args = parser.parse_args()
    setup_django(args.db)
    province = generate(orgs=args.orgs, raters=args.raters, seed=args.seed)
    print(f"province.orgs {province.orgs}")
    print(f"province.sheets {province.sheets}")
    print(f"province.entries {province.entries}")
    for name, seconds in province.seconds.items():
        print(f"province.{name}_seconds {seconds:.3f}")
    print(f"province.load_entries_per_second {province.entries / province.seconds['load']:.0f}")


if __name__ == "__main__":
    main()
