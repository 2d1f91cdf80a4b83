"""Fixtures for selection tests: a campaign of 12 villages in 3 towns, raters homed in some."""

import datetime

import pytest

from kaoping.campaigns.models import Participant, Stage
from tests.campaigns.conftest import TODAY
from tests.factories import OrganizationFactory, RoleFactory, UserFactory


@pytest.fixture
def towns(tree, campaign):
    """Three towns under city_a with four villages each, all participants of `campaign`."""
    villages = []
    for t in range(3):
        town = OrganizationFactory(name=f"镇{t}", kind="party_committee", parent=tree["city_a"])
        for v in range(4):
            village = OrganizationFactory(name=f"镇{t}村{v}", kind="village", parent=town)
            villages.append(village)
            Participant.objects.create(
                campaign=campaign, organization=village, rubric=campaign.participants.first().rubric
            )
    return villages


@pytest.fixture
def team(tree, towns):
    """Six raters homed in villages (two per town) and two from city_b."""
    people = []
    for n, home in enumerate([*towns[::2], tree["city_b"], tree["city_b"]]):
        user = UserFactory(username=f"team_{n}", full_name=f"组员{n}")
        user.home_organization = home
        user.save(update_fields=["home_organization"])
        RoleFactory(user=user, organization=tree["city_a"], kind="rater")
        people.append(user)
    return people


@pytest.fixture
def check_stage(campaign):
    return Stage.objects.create(
        campaign=campaign, kind="spot_check", name="抽查", position=3,
        starts_on=TODAY - datetime.timedelta(days=1), ends_on=TODAY + datetime.timedelta(days=9),
    )  # fmt: skip


@pytest.fixture
def cross_stage(campaign):
    return Stage.objects.create(
        campaign=campaign, kind="cross_review", name="交叉互评", position=4,
        starts_on=TODAY - datetime.timedelta(days=1), ends_on=TODAY + datetime.timedelta(days=9),
    )  # fmt: skip
