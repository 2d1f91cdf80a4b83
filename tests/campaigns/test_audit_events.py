"""Publication, returns and score changes after submission land in the audit log."""

import pytest

from kaoping.audit import actions
from kaoping.audit.domain.verify import verify_chain
from kaoping.audit.models import AuditEvent
from kaoping.campaigns.domain.publication import publish, republish
from kaoping.campaigns.domain.sheets import return_sheet, save_entry, submit_sheet
from tests.campaigns.conftest import TODAY
from tests.campaigns.results_fixtures import submit
from tests.campaigns.scoring_fixtures import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db


def audited(action):
    return list(AuditEvent.objects.filter(action=action).order_by("sequence"))


def test_publication_and_republication_are_recorded(campaign, review_assignments, alice):
    for assignment in review_assignments:
        submit(assignment, {"1.1": "1"})
    campaign.state = "closed"
    campaign.save()
    publish(campaign=campaign, by=alice, note="第一次通报")
    republish(campaign=campaign, by=alice, note="更正")
    first, second = audited(actions.PUBLICATION)
    assert (first.username, first.target_type, first.target_id) == (
        "alice",
        "campaigns.campaign",
        str(campaign.pk),
    )
    assert first.detail == {"number": 1, "note": "第一次通报", "results": 2}
    assert second.detail["number"] == 2 and second.detail["note"] == "更正"
    assert verify_chain().ok


def test_refused_publication_records_nothing(campaign, alice):
    with pytest.raises(Exception):  # noqa: B017 (the refusal itself is tested in test_publication)
        publish(campaign=campaign, by=alice)
    assert audited(actions.PUBLICATION) == []


def test_return_and_changed_resubmission_are_recorded(review_sheet, raters, alice):
    submit_sheet(sheet=review_sheet, by=raters[0], day=TODAY)
    assert audited(actions.SCORE_CHANGED_AFTER_SUBMISSION) == []
    return_sheet(sheet=review_sheet, by=alice, reason="扣分原因不具体")
    [returned] = audited(actions.RETURN)
    assert (returned.username, returned.target_type, returned.detail) == (
        "alice",
        "campaigns.scoresheet",
        {"reason": "扣分原因不具体"},
    )
    review_sheet.refresh_from_db()
    save_entry(sheet=review_sheet, item_code="1.1", by=raters[0], version=review_sheet.version,
               value={"deductions": [{"amount": "1", "reason": "a"}]}, day=TODAY)  # fmt: skip
    submit_sheet(sheet=review_sheet, by=raters[0], day=TODAY)
    [changed] = audited(actions.SCORE_CHANGED_AFTER_SUBMISSION)
    assert changed.username == raters[0].username
    assert changed.detail == {"previous_total": "100.000", "total": "99.00"}
