"""A small campaign on city_a's subtree, built row by row (the setup domain has its own tests).

city_a ── county_a ── village_a, village_a2 (villages: the seed 001 village sheet)
alice organizes city_a; rater_1 and rater_2 belong to city_b (no conflict); the branch user of
village_a self-assesses.
"""

import datetime

import pytest
from django.utils import translation

from kaoping.campaigns.domain.rubrics import store_bundled
from kaoping.campaigns.models import Assignment, Campaign, CampaignRubric, Participant, Stage
from tests.factories import OrganizationFactory, RoleFactory, UserFactory

VILLAGE_RUBRIC = "seed001-village-community"
TODAY = datetime.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def english(settings):
    """Campaign tests assert the source (English) messages; tests/test_site.py covers Chinese."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def village_rubric(db):
    return store_bundled(VILLAGE_RUBRIC)


@pytest.fixture
def campaign(tree, alice, village_rubric):
    village_a2 = OrganizationFactory(name="黄店村党支部", kind="village", parent=tree["county_a"])
    tree["village_a2"] = village_a2
    campaign = Campaign.objects.create(
        name="2026年度村级党建观摩测评",
        year=2026,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        scope=tree["city_a"],
        participant_kinds=["village"],
        created_by=alice,
    )
    CampaignRubric.objects.create(campaign=campaign, org_kind="village", rubric=village_rubric)
    for org in (tree["village_a"], village_a2):
        Participant.objects.create(campaign=campaign, organization=org, rubric=village_rubric)
    return campaign


@pytest.fixture
def stages(campaign):
    start, end = TODAY - datetime.timedelta(days=10), TODAY + datetime.timedelta(days=10)
    self_stage = Stage.objects.create(
        campaign=campaign, kind="self_assessment", name="自查自评", position=1,
        starts_on=start, ends_on=end, weight=0,
    )  # fmt: skip
    review = Stage.objects.create(
        campaign=campaign, kind="full_review", name="全面考评", position=2,
        starts_on=start, ends_on=end, method="trimmed", trim=1, weight=1,
    )  # fmt: skip
    return {"self": self_stage, "review": review}


@pytest.fixture
def raters(tree):
    users = []
    for n in (1, 2, 3):
        user = UserFactory(username=f"rater_{n}", full_name=f"评分人{n}")
        user.home_organization = tree["city_b"]
        user.save(update_fields=["home_organization"])
        RoleFactory(user=user, organization=tree["city_a"], kind="rater")
        users.append(user)
    return users


@pytest.fixture
def branch_user(tree):
    user = UserFactory(username="baisha", full_name="白沙村书记")
    user.home_organization = tree["village_a"]
    user.save(update_fields=["home_organization"])
    RoleFactory(user=user, organization=tree["village_a"], kind="branch_user")
    return user


@pytest.fixture
def review_assignments(campaign, stages, raters):
    """Every rater assigned every participant in the full review."""
    return [
        Assignment.objects.create(stage=stages["review"], participant=p, rater=r)
        for p in campaign.participants.all()
        for r in raters
    ]
