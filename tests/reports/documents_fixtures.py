# ruff: noqa: F811  (pytest fixtures imported above are parameters below)
"""Fixtures for the document tests (bulletin, exports, paper, summary).

Reuses the campaign fixtures of tests/campaigns (city_a's villages 白沙村党支部 and 黄店村党支部,
raters rater_1..3 of city_b) and stores sheets through the results helpers, which call the very
`store_submission` a real submission calls.
"""

import pytest
from django.utils import translation

from kaoping.campaigns.domain.publication import publish
from tests.campaigns.conftest import (  # noqa: F401  (fixtures)
    TODAY,
    branch_user,
    campaign,
    raters,
    review_assignments,
    stages,
    village_rubric,
)
from tests.campaigns.results_fixtures import submit

DEDUCTIONS = {"白沙村党支部": {"1.1": "1", "2.1": "0.5"}, "黄店村党支部": {"1.1": "2"}}


@pytest.fixture(autouse=True)
def english(settings):
    """Document tests assert the English source messages (documents stay Chinese)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def submitted(campaign, review_assignments):
    """Every review sheet submitted: 白沙村 loses 1.5 points, 黄店村 2 points (every rater)."""
    for assignment in review_assignments:
        submit(assignment, DEDUCTIONS[assignment.participant.organization.name])
    return campaign


@pytest.fixture
def published(submitted, alice):
    submitted.state = "closed"
    submitted.save()
    publish(campaign=submitted, by=alice, note="")
    submitted.refresh_from_db()
    return submitted


def login(client, user):
    client.force_login(user)
    return client
