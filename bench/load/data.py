"""The load test's database side: create the load data, then count what was stored.

Runs with the project's settings against whatever database the environment names
(KAOPING_VAR_DIR's SQLite, or KAOPING_DATABASE_URL):

    python bench/load/data.py prepare --raters 50 --per-rater 4 --plan plan.json
    python bench/load/data.py count --plan plan.json --saves saves.json

`prepare` builds, through the campaigns domain: a city with `raters × per-rater` villages, an
open campaign with the village rubric and one full-review stage whose window includes today,
and `raters` raters (homed in another city, so no conflict) each assigned `per-rater`
villages. It writes the plan the scenario reads: the accounts, their password, and one valid
POST body per rubric item (the fields the sheet page's entry form carries).

`count` reads the saves the clients saw succeed and compares them with the Entry rows.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaoping.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from kaoping.accounts.models import Role, User  # noqa: E402
from kaoping.campaigns.domain.assignments import assign_to_rater  # noqa: E402
from kaoping.campaigns.domain.rubrics import rubric_of  # noqa: E402
from kaoping.campaigns.domain.setup import add_stage, create_campaign, transition  # noqa: E402
from kaoping.campaigns.models import Assignment, Entry, ScoreSheet  # noqa: E402
from kaoping.orgs.domain.tree import create_organization  # noqa: E402

RUBRIC = "seed001-village-community"
PASSWORD = "load-test-password-7Qx"  # a throw-away database's accounts


def _item_body(item) -> dict:
    """A valid save of one item, in the entry form's own field names (see _row.html)."""
    kind = item.rule.describe()["kind"]
    if kind != "deduction":
        raise SystemExit(f"the load plan knows deduction items only; {item.code} is {kind}")
    # Half a point (never above the item's maximum) with its reason, as a rater types it.
    return {"d-amount": "0.5", "d-count": "", "d-reason": "台账不全", "comment": ""}


@transaction.atomic
def prepare(raters: int, per_rater: int) -> dict:
    """Create the load data; the plan the scenario reads."""
    province = create_organization(parent=None, name="压测省委", kind="party_committee")
    city = create_organization(parent=province, name="压测市委", kind="party_committee")
    home = create_organization(parent=province, name="考评组所在市委", kind="party_committee")
    county = create_organization(parent=city, name="压测县委", kind="party_committee")
    villages = [
        create_organization(parent=county, name=f"压测{n:04d}村党支部", kind="village")
        for n in range(raters * per_rater)
    ]
    digest = make_password(PASSWORD)  # hashed once: PBKDF2 per account would take minutes
    organizer = User.objects.create(username="load_organizer", full_name="组织者", password=digest)
    Role.objects.create(user=organizer, organization=city, kind="organizer")
    today = timezone.localdate()
    campaign = create_campaign(
        by=organizer, scope=city, name="压测考评", year=today.year,
        period_start=datetime.date(today.year, 1, 1), period_end=datetime.date(today.year, 12, 31),
        participant_kinds=["village"], rubrics={"village": RUBRIC},
    )  # fmt: skip
    stage = add_stage(
        campaign=campaign, kind="full_review", name="全面考评", weight=1,
        starts_on=today - datetime.timedelta(days=7), ends_on=today + datetime.timedelta(days=7),
    )  # fmt: skip
    transition(campaign=campaign, to_state="open", by=organizer)
    participants = {p.organization_id: p for p in campaign.participants.all()}
    usernames = []
    for n in range(raters):
        user = User.objects.create(username=f"load_rater_{n:03d}", full_name=f"评分人{n}",
                                   password=digest, home_organization=home)  # fmt: skip
        Role.objects.create(user=user, organization=city, kind="rater")
        mine = villages[n * per_rater : (n + 1) * per_rater]
        assign_to_rater(stage=stage, participants=[participants[v.pk] for v in mine], rater=user)
        usernames.append(user.username)
    rubric = rubric_of(campaign.rubrics.get(org_kind="village").rubric)
    return {
        "password": PASSWORD,
        "usernames": usernames,
        "items": {code: _item_body(item) for code, item in rubric.items.items()},
    }


def count(saves: dict, pending: dict) -> dict:
    """Compare the saves the clients saw succeed with the Entry rows of the load campaign.

    `saves` maps "assignment_pk item_code" to the amount last seen saved; `pending` the saves
    whose answer never came (the run stopped the rater mid-request). Lost: a save seen
    succeed with no matching row, unless the row holds the pending save that followed it;
    cut off: rows holding a pending save (stored, the answer not read); extra: any other row
    no client saw saved.
    """
    stored = {
        f"{a} {code}": _amount(value)
        for a, code, value in Entry.objects.filter(
            sheet__assignment__rater__username__startswith="load_rater_"
        ).values_list("sheet__assignment_id", "item_code", "value")
    }
    cut_off = {key for key, amount in pending.items() if stored.get(key) == amount}
    lost = [k for k, amount in saves.items() if stored.get(k) != amount and k not in cut_off]
    extra = [key for key in stored if key not in saves and key not in cut_off]
    sheets = ScoreSheet.objects.filter(assignment__rater__username__startswith="load_rater_")
    return {
        "entries_in_db": len(stored),
        "entries_seen_saved": len(saves),
        "lost": len(lost),
        "cut_off": len(cut_off),
        "extra": len(extra),
        "lost_examples": lost[:5],
        "sheets_submitted_in_db": sheets.filter(status="submitted").count(),
        "assignments": Assignment.objects.filter(rater__username__startswith="load_rater_").count(),
    }


def _amount(value) -> str | None:
    if not value:
        return None
    rows = value.get("deductions") or []
    return str(rows[-1].get("amount")) if rows else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--raters", type=int, default=50)
    p.add_argument("--per-rater", type=int, default=4)
    p.add_argument("--plan", type=Path, required=True)
    c = sub.add_parser("count")
    c.add_argument("--saves", type=Path, required=True)
    args = parser.parse_args()
    if args.command == "prepare":
        plan = prepare(args.raters, args.per_rater)
        args.plan.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    else:
        client = json.loads(args.saves.read_text(encoding="utf-8"))
        print(json.dumps(count(client["saved"], client.get("pending", {}))))


if __name__ == "__main__":
    main()
