"""Publication: only from closed, frozen copies, corrections by an explicit republication."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kaoping.campaigns.domain.publication import latest_publication, publish, republish
from kaoping.campaigns.domain.results import recompute_results
from kaoping.campaigns.models import CampaignTransition, PublishedResult, Result
from tests.campaigns.results_fixtures import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(campaign, review_assignments):
    for assignment in review_assignments:
        submit(assignment, {"1.1": "1"})  # 99 each
    campaign.state = "closed"
    campaign.save()
    return campaign


def published_totals(campaign):
    publication = latest_publication(campaign)
    return {
        r.participant.organization.name: r.total
        for r in PublishedResult.objects.filter(publication=publication).select_related(
            "participant__organization"
        )
    }


def test_publish_recomputes_freezes_and_records_the_transition(closed, alice):
    publication = publish(campaign=closed, by=alice, note="第一次通报")
    closed.refresh_from_db()
    assert closed.state == "published"
    assert publication.number == 1 and publication.note == "第一次通报"
    assert publication.by == alice
    assert published_totals(closed) == {
        "白沙村党支部": Decimal("99.00"),
        "黄店村党支部": Decimal("99.00"),
    }
    frozen = PublishedResult.objects.get(participant__organization__name="白沙村党支部")
    live = Result.objects.get(participant__organization__name="白沙村党支部")
    assert (frozen.rank_in_kind, frozen.rank_in_parent) == (live.rank_in_kind, live.rank_in_parent)
    assert frozen.lost_points == live.lost_points and frozen.stages == live.stages
    transition = CampaignTransition.objects.get(campaign=closed, to_state="published")
    assert (transition.from_state, transition.by) == ("closed", alice)


@pytest.mark.parametrize("state", ["draft", "open", "published", "archived"])
def test_publish_only_from_closed(campaign, alice, state):
    campaign.state = state
    campaign.save()
    with pytest.raises(ValidationError):
        publish(campaign=campaign, by=alice)
    assert not campaign.publications.exists()


def test_a_resubmitted_sheet_changes_nothing_people_see_until_republication(
    closed, alice, review_assignments
):
    publish(campaign=closed, by=alice)
    # A sheet returned and resubmitted with a different score after publication.
    submit(review_assignments[0], {"1.1": "3", "2.1": "4", "2.2": "1"})  # 92
    recompute_results(campaign=closed)
    assert Result.objects.get(participant=review_assignments[0].participant).total == Decimal(
        "99.00"
    )  # trimmed mean of 92, 99, 99: one changed sheet alone moves nothing
    submit(review_assignments[1], {"1.1": "3", "2.1": "4", "2.2": "1"})  # 92
    recompute_results(campaign=closed)
    assert Result.objects.get(participant=review_assignments[0].participant).total == Decimal(
        "92.00"
    )
    assert published_totals(closed)["白沙村党支部"] == Decimal("99.00")
    with pytest.raises(ValidationError):
        republish(campaign=closed, by=alice, note="  ")
    assert latest_publication(closed).number == 1
    second = republish(campaign=closed, by=alice, note="第2组评分表退回重评后更正")
    assert second.number == 2
    assert published_totals(closed)["白沙村党支部"] == Decimal("92.00")
    # The first publication is kept as it was.
    first = closed.publications.get(number=1)
    assert first.results.get(participant__organization__name="白沙村党支部").total == Decimal(
        "99.00"
    )


def test_republish_needs_a_published_campaign(closed, alice):
    with pytest.raises(ValidationError):
        republish(campaign=closed, by=alice, note="更正")
