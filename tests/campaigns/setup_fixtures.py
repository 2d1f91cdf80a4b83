"""Fixtures for the setup tests: a draft campaign built through the domain, and clients.

Import the fixtures you use into a test module (`from tests.campaigns.setup_fixtures import …`).
"""

import datetime

import pytest

from kaoping.campaigns.domain import setup
from tests.factories import OrganizationFactory, RoleFactory, UserFactory

PERIOD = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def make_campaign(by, scope, **overrides):
    arguments = {
        "by": by,
        "scope": scope,
        "name": "2026年度村级党建测评",
        "year": 2026,
        "period_start": PERIOD[0],
        "period_end": PERIOD[1],
        "participant_kinds": ["village"],
        "rubrics": {"village": "seed001-village-community"},
        **overrides,
    }
    return setup.create_campaign(**arguments)


def stage_fields(**overrides):
    return {
        "kind": "full_review",
        "name": "全面考评",
        "starts_on": datetime.date(2026, 11, 1),
        "ends_on": datetime.date(2026, 11, 30),
        "method": "mean",
        "trim": 1,
        "weight": 1,
        "overrides": False,
        **overrides,
    }


@pytest.fixture
def county_orgs(tree):
    """Beside village_a under county_a: a second village, a community, a private enterprise."""
    county = tree["county_a"]
    tree["village_a2"] = OrganizationFactory(name="黄店村党支部", kind="village", parent=county)
    tree["community_a"] = OrganizationFactory(name="东风社区党委", kind="community", parent=county)
    tree["firm_a"] = OrganizationFactory(
        name="宇通公司党委", kind="private_enterprise", parent=county
    )
    return tree


@pytest.fixture
def draft(alice, county_orgs):
    return make_campaign(alice, county_orgs["city_a"])


@pytest.fixture
def rater_b(tree):
    """A rater over city_a whose own organization is city_b (no conflict in city_a)."""
    user = UserFactory(username="rater_b", full_name="开封评分人")
    user.home_organization = tree["city_b"]
    user.save(update_fields=["home_organization"])
    RoleFactory(user=user, organization=tree["city_a"], kind="rater")
    return user


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client
