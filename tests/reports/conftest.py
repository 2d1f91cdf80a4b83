"""Report tests: English source strings, and the demo-like province campaign.

Fixtures for the documents tests live in `tests/reports/documents_fixtures.py` (imported by
those tests); the ones here serve the dashboards and years tests.
"""

import datetime

import pytest
from django.utils import translation

from tests.factories import OrganizationFactory, RoleFactory, UserFactory
from tests.reports import dashboards_fixtures as demo

# Dates relative to today: the pages read timezone.localdate().
TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def english(settings):
    """Report tests assert the source (English) messages; tests/test_site.py covers Chinese."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def villages(tree):
    """tree plus village_a2 (county_a) and village_b2 (city_b)."""
    tree["village_a2"] = OrganizationFactory(name="黄店村党支部", kind="village",
                                             parent=tree["county_a"])  # fmt: skip
    tree["village_b2"] = OrganizationFactory(name="陈留村党支部", kind="village",
                                             parent=tree["city_b"])  # fmt: skip
    return tree


@pytest.fixture
def olga(tree):
    """Organizer of the province: the owner of the province-wide campaign."""
    user = UserFactory(username="olga", full_name="Olga")
    RoleFactory(user=user, organization=tree["province"], kind="organizer")
    return user


@pytest.fixture
def rater(tree):
    user = UserFactory(username="rater_r", full_name="评分人")
    RoleFactory(user=user, organization=tree["province"], kind="rater")
    return user


@pytest.fixture
def selfer(tree):
    return UserFactory(username="selfer", full_name="自评人")


@pytest.fixture
def graded(db):
    return demo.graded_rubric()


@pytest.fixture
def demo_campaign(villages, olga, rater, selfer, graded):
    """The province campaign, open, with working results (not published)."""
    scores = {villages[k]: d for k, d in demo.DEDUCTIONS.items()}
    return demo.build_campaign(year=2026, scope=villages["province"], organizer=olga, rater=rater,
                               rubric=graded, scores=scores, selfer=selfer, day=TODAY)  # fmt: skip


@pytest.fixture
def published(demo_campaign, olga, villages):
    """The province campaign published, with rectification issues on village_a and village_b."""
    publication = demo.publish_campaign(demo_campaign, olga)
    demo.add_issues(demo_campaign, publication, villages, olga, TODAY)
    return demo_campaign
