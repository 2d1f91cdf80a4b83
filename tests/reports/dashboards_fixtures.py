"""Demo-like campaigns for the dashboard and years tests, built the way the app builds them.

Sheets are stored exactly as submission stores them (`tests.campaigns.results_fixtures.submit`),
results recomputed by the campaigns domain and frozen by `publish()`.

The main campaign covers the province: village_a (95), village_a2 (85) under county_a under
city_a; village_b (72) and village_b2 (91) under city_b. Its rubric is the seed 001 village sheet
with grade bands added (好 ≥ 90, 较好 ≥ 80, 一般 ≥ 60, 差), so the histogram has bands.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from kaoping.campaigns.domain.publication import publish
from kaoping.campaigns.domain.results import recompute_results
from kaoping.campaigns.domain.rubrics import store_rubric_text
from kaoping.campaigns.models import Assignment, Campaign, CampaignRubric, Participant, Stage
from kaoping.rectification.models import Issue, RectificationList
from tests.campaigns.results_fixtures import submit

RUBRIC_FILE = Path(__file__).parents[2] / "kaoping/rubrics/seed001-village-community.yaml"
GRADES = """
outcome:
  grades:
    - {label: 好, min: 90}
    - {label: 较好, min: 80}
    - {label: 一般, min: 60}
    - {label: 差}
"""
# Deductions per village (item code → points) and the totals they give.
DEDUCTIONS = {
    "village_a": {"1.1": "3", "1.2": "2"},  # 95
    "village_a2": {"2.1": "4", "2.4": "4", "2.5": "4", "3.1": "3"},  # 85
    "village_b": {"4.1": "4", "4.2": "4", "5.1": "4", "5.2": "3", "2.2": "3", "2.3": "3",
                  "1.6": "4", "1.9": "3"},  # 72
    "village_b2": {"3.7": "3", "3.9": "3", "2.6": "3"},  # 91
}  # fmt: skip


def graded_rubric():
    return store_rubric_text(RUBRIC_FILE.read_text(encoding="utf-8") + GRADES)


def deductions_for(total: int) -> dict[str, str]:
    """Deductions giving `total` (100 − lost points), taken item by item at full max."""
    lost, out = 100 - total, {}
    for code, most in (("2.1", 4), ("2.4", 4), ("2.5", 4), ("4.1", 4), ("4.2", 4), ("1.6", 4),
                       ("5.1", 4), ("2.2", 3), ("2.3", 3), ("3.1", 3), ("2.6", 3), ("2.7", 3),
                       ("3.7", 3), ("3.9", 3), ("5.2", 3)):  # fmt: skip
        if lost <= 0:
            break
        out[code] = str(min(most, lost))
        lost -= min(most, lost)
    return out


def build_campaign(*, year, scope, organizer, rater, rubric, scores, selfer=None, day):
    """An open campaign with a review stage (weight 1, one rater, mean) whose sheets are
    submitted with `scores` (organization → deductions), and, with `selfer`, a self-assessment
    stage that ended before `day` with nothing submitted (everybody late). Results recomputed."""
    campaign = Campaign.objects.create(
        name=f"{year}年度村级党建观摩测评", year=year, period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31), scope=scope, participant_kinds=["village"],
        created_by=organizer, state="open",
    )  # fmt: skip
    CampaignRubric.objects.create(campaign=campaign, org_kind="village", rubric=rubric)
    review = Stage.objects.create(
        campaign=campaign, kind="full_review", name="全面考评", position=2, method="mean",
        starts_on=day - datetime.timedelta(days=20), ends_on=day + datetime.timedelta(days=10),
        weight=1,
    )  # fmt: skip
    own = None
    if selfer is not None:
        own = Stage.objects.create(
            campaign=campaign, kind="self_assessment", name="自查自评", position=1,
            starts_on=day - datetime.timedelta(days=30), ends_on=day - datetime.timedelta(days=5),
            weight=0,
        )  # fmt: skip
    for org, deductions in scores.items():
        participant = Participant.objects.create(campaign=campaign, organization=org, rubric=rubric)
        submit(Assignment.objects.create(stage=review, participant=participant, rater=rater),
               deductions)  # fmt: skip
        if own is not None:
            Assignment.objects.create(stage=own, participant=participant, rater=selfer)
    recompute_results(campaign=campaign)
    return campaign


def publish_campaign(campaign, by):
    Campaign.objects.filter(pk=campaign.pk).update(state="closed")
    campaign.refresh_from_db()
    return publish(campaign=campaign, by=by)


def add_issues(campaign, publication, orgs, by, day):
    """village_a: one overdue open issue and one closed; village_b: one open on time."""
    spec = {
        "village_a": [("open", day - datetime.timedelta(days=10)), ("closed", None)],
        "village_b": [("open", day + datetime.timedelta(days=30))],
    }
    for key, issues in spec.items():
        rlist = RectificationList.objects.create(
            campaign=campaign, publication=publication, organization=orgs[key], state="issued",
            issued_on=day - datetime.timedelta(days=20), issued_by=by,
        )  # fmt: skip
        for n, (state, deadline) in enumerate(issues):
            Issue.objects.create(list=rlist, organization=orgs[key], position=n, state=state,
                                 text=f"整改事项{n}", deadline=deadline,
                                 closed_on=day if state == "closed" else None)  # fmt: skip
