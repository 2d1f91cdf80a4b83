"""The demo campaigns: complete, equal to recomputation, deterministic, idempotent, removable."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from kaoping.accounts.models import User
from kaoping.campaigns.domain.publication import latest_publication
from kaoping.campaigns.domain.results import recompute_results
from kaoping.campaigns.models import Campaign, CustomItem, Result, ScoreSheet
from kaoping.core.demo import loader
from kaoping.core.demo.campaigns import (
    COUNTY_CAMPAIGN,
    STEEL_CAMPAIGN,
    load_demo_campaigns,
)
from kaoping.scoring import aggregate_scores

FIELDS = ("participant_id", "total", "section_scores", "grade", "stars", "vetoes",
          "rank_in_parent", "rank_in_kind", "rater_count", "lost_points", "stages")  # fmt: skip


@pytest.fixture
def demo(db):
    loader.load_demo()
    return load_demo_campaigns()


def results_of(campaign):
    return sorted(Result.objects.filter(campaign=campaign).values_list(*FIELDS))


def test_county_campaign_has_a_result_for_every_participant(demo):
    campaign = Campaign.objects.get(name=COUNTY_CAMPAIGN)
    assert campaign.state == "published"
    assert campaign.participants.count() == 35  # 19 villages, 6 communities, 10 "两新"
    results = Result.objects.filter(campaign=campaign)
    assert results.count() == 35
    assert not results.filter(total__isnull=True).exists()
    assert set(results.values_list("rater_count", flat=True)) == {3}
    kinds = set(campaign.rubrics.values_list("org_kind", "rubric__rubric_id"))
    assert ("village", "seed001-village-community") in kinds
    assert ("private_enterprise", "seed001-two-new-organizations") in kinds
    # Every self-assessment and review sheet is submitted; raters are from outside the county.
    sheets = ScoreSheet.objects.filter(assignment__stage__campaign=campaign)
    assert sheets.count() == 35 * 4 and not sheets.exclude(status="submitted").exists()
    raters = User.objects.filter(assignments__stage__kind="full_review",
                                 assignments__stage__campaign=campaign).distinct()  # fmt: skip
    assert raters.count() == 3
    assert all(not r.home_organization.is_within(campaign.scope) for r in raters)


def test_county_numbers_equal_recomputation_and_the_publication(demo):
    campaign = Campaign.objects.get(name=COUNTY_CAMPAIGN)
    before = results_of(campaign)
    recompute_results(campaign=campaign)
    assert results_of(campaign) == before
    published = sorted(latest_publication(campaign).results.values_list(*FIELDS))
    assert published == before


def test_county_trimmed_mean_equals_the_core(demo):
    campaign = Campaign.objects.get(name=COUNTY_CAMPAIGN)
    result = Result.objects.filter(campaign=campaign).select_related("participant").first()
    totals = ScoreSheet.objects.filter(
        assignment__participant=result.participant, assignment__stage__kind="full_review"
    ).values_list("scaled_total", flat=True)
    assert result.total == aggregate_scores(totals, method="trimmed").value


def test_steel_campaign_is_closed_with_vetoes_and_written_slots(demo):
    campaign = Campaign.objects.get(name=STEEL_CAMPAIGN)
    assert campaign.state == "closed"
    results = Result.objects.filter(campaign=campaign)
    assert results.count() == campaign.participants.count() > 20
    vetoed = results.exclude(vetoes=[])
    assert vetoed.count() == 2
    assert set(vetoed.values_list("grade", flat=True)) == {"不达标"}
    assert results.filter(grade="达标").exists()
    common = CustomItem.objects.filter(participant__campaign=campaign, item_code="C1")
    assert common.count() == 4 * campaign.participants.count()
    assert all(text.startswith("【演示】") for text in common.values_list("text", flat=True))
    own = CustomItem.objects.filter(participant__campaign=campaign, item_code="I")
    assert own.count() == 5 * campaign.participants.count()
    assert all(c.written_by.username.startswith("demo-org-") for c in own[:5])


def test_second_load_adds_nothing(demo):
    assert len(demo.campaigns) == 2
    again = load_demo_campaigns()
    assert (again.campaigns, again.users, again.sheets) == ([], 0, 0)
    assert Campaign.objects.count() == 2


def test_two_loads_give_the_same_results(db):
    with transaction.atomic():
        loader.load_demo()
        load_demo_campaigns()
        first = sorted(Result.objects.values_list("participant__organization__name", "total",
                                                  "rank_in_kind", "grade"))  # fmt: skip
        transaction.set_rollback(True)
    loader.load_demo()
    load_demo_campaigns()
    second = sorted(Result.objects.values_list("participant__organization__name", "total",
                                               "rank_in_kind", "grade"))  # fmt: skip
    assert second == first


def test_reset_removes_the_campaigns_and_their_accounts(demo):
    loader.reset_demo()
    assert Campaign.objects.count() == 0
    assert User.objects.count() == 0


def test_command_prints_who_sees_the_campaigns(db):
    out = StringIO()
    with translation.override("en"):
        call_command("demo", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "Created 2 demo campaigns" in text
    assert COUNTY_CAMPAIGN in text and STEEL_CAMPAIGN in text
    assert "demo-village" in text and "demo-steel" in text
