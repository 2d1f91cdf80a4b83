"""A published campaign on city_a's subtree, with draft lists built by the publication signal.

Reuses the campaigns test fixtures (city_a ── county_a ── village_a, village_a2; alice organizes
city_a; three raters from city_b; 白沙村's branch user) and stores sheets as submission does.
"""

# The campaigns tests' fixtures are imported and then requested by name as arguments.
# ruff: noqa: F811

import datetime

import pytest
from django.utils import translation

from kaoping.campaigns.domain.publication import publish
from kaoping.rectification.domain.lists import issue_lists
from kaoping.rectification.models import RectificationList
from tests.campaigns.conftest import (  # noqa: F401  (fixtures)
    branch_user,
    campaign,
    raters,
    review_assignments,
    stages,
    village_rubric,
)
from tests.campaigns.results_fixtures import submit

TODAY = datetime.date(2026, 3, 1)
LIMIT = datetime.date(2026, 3, 31)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def published(campaign, review_assignments, alice, django_capture_on_commit_callbacks):
    """白沙村 lost 1 point on 1.1 and 2 on 1.2 (every rater); 黄店村 nothing."""
    for assignment in review_assignments:
        if assignment.participant.organization.name == "白沙村党支部":
            submit(assignment, {"1.1": "1", "1.2": "2"})
        else:
            submit(assignment, {})
    campaign.state = "closed"
    campaign.save()
    with django_capture_on_commit_callbacks(execute=True):
        publication = publish(campaign=campaign, by=alice)
    return publication


@pytest.fixture
def draft(published, tree):
    return RectificationList.objects.get(organization=tree["village_a"])


@pytest.fixture
def issued(draft, alice):
    issue_lists(lists=[draft], by=alice, deadline_limit=LIMIT, day=TODAY)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def issue(issued):
    return issued.issues.order_by("position").first()
