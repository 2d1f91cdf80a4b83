"""Working an issue: plan within the limit, progress with evidence, closure, gate, overdue."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kaoping.rectification.domain.evidence import EvidenceError
from kaoping.rectification.domain.overview import counts, reminders_for
from kaoping.rectification.domain.work import (
    close_issue,
    post_progress,
    record_satisfaction,
    reject_closure,
    request_closure,
    save_plan,
)
from kaoping.rectification.enums import IssueState
from kaoping.rectification.models import Issue, ProgressFile
from tests.rectification.conftest import LIMIT, TODAY

pytestmark = pytest.mark.django_db
DEADLINE = datetime.date(2026, 3, 20)


def png(name="photo.png"):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 0, 0)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def planned(issue, user):
    return save_plan(issue=issue, by=user, measures="补齐台账", owner="张书记", deadline=DEADLINE)


def test_plan_must_stay_within_the_limit(issue, branch_user):
    with pytest.raises(ValidationError) as err:
        save_plan(issue=issue, by=branch_user, measures="", owner="张书记",
                  deadline=LIMIT + datetime.timedelta(days=1))  # fmt: skip
    assert set(err.value.message_dict) == {"measures", "deadline"}
    save_plan(issue=issue, by=branch_user, measures="补齐台账", owner="张书记", deadline=LIMIT)
    issue.refresh_from_db()
    assert (issue.measures, issue.owner, issue.deadline) == ("补齐台账", "张书记", LIMIT)


def test_progress_stores_checked_hashed_evidence(issue, branch_user):
    progress = post_progress(issue=issue, by=branch_user, text="已整理", uploads=[png()])
    stored = ProgressFile.objects.get(progress=progress)
    assert (stored.content_type, len(stored.sha256), bool(stored.thumbnail)) == (
        "image/png", 64, True)  # fmt: skip


def test_progress_refuses_a_renamed_text_file_and_writes_nothing(issue, branch_user):
    fake = SimpleUploadedFile("photo.jpg", b"not a photo", content_type="image/jpeg")
    with pytest.raises(EvidenceError):
        post_progress(issue=issue, by=branch_user, text="已整理", uploads=[png(), fake])
    assert not issue.progress.exists()


def test_request_reject_close(issue, branch_user, alice):
    with pytest.raises(ValidationError):
        request_closure(issue=issue, by=branch_user)
    planned(issue, branch_user)
    request_closure(issue=issue, by=branch_user)
    with pytest.raises(ValidationError) as err:
        reject_closure(issue=issue, by=alice, reason="")
    assert "reason" in err.value.message_dict
    reject_closure(issue=issue, by=alice, reason="缺少照片")
    assert (issue.state, issue.returned, issue.returned_reason) == ("open", True, "缺少照片")
    assert [i.pk for i in reminders_for(branch_user, TODAY).returned] == [issue.pk]
    request_closure(issue=issue, by=branch_user)
    close_issue(issue=issue, by=alice, closed_on=datetime.date(2026, 3, 18),
                day=datetime.date(2026, 3, 18))  # fmt: skip
    issue.refresh_from_db()
    assert (issue.state, issue.closed_on, issue.returned) == (
        IssueState.CLOSED, datetime.date(2026, 3, 18), False)  # fmt: skip
    kinds = list(issue.events.values_list("kind", flat=True))
    assert kinds == ["issued", "planned", "requested", "rejected", "requested", "closed"]


def test_closing_date_cannot_be_in_the_future(issue, branch_user, alice):
    planned(issue, branch_user)
    request_closure(issue=issue, by=branch_user)
    with pytest.raises(ValidationError) as err:
        close_issue(issue=issue, by=alice, closed_on=TODAY + datetime.timedelta(days=1), day=TODAY)
    assert "closed_on" in err.value.message_dict


def test_satisfaction_below_the_threshold_blocks_closure(issue, branch_user, alice):
    issue.list.satisfaction_threshold = Decimal(90)
    issue.list.save()
    planned(issue, branch_user)
    request_closure(issue=issue, by=branch_user)
    with pytest.raises(ValidationError, match="Record the satisfaction first"):
        close_issue(issue=issue, by=alice, day=TODAY)
    record_satisfaction(issue=issue, by=alice, share="89.5")
    with pytest.raises(ValidationError, match="below the threshold of 90%"):
        close_issue(issue=issue, by=alice, day=TODAY)
    record_satisfaction(issue=issue, by=alice, share="90%")
    close_issue(issue=issue, by=alice, day=TODAY)
    assert issue.state == IssueState.CLOSED


def test_bad_satisfaction_names_the_field(issue, alice):
    with pytest.raises(ValidationError) as err:
        record_satisfaction(issue=issue, by=alice, share="很满意")
    assert "share" in err.value.message_dict


@pytest.mark.parametrize(
    ("day", "overdue"),
    [(DEADLINE - datetime.timedelta(days=1), False), (DEADLINE, False),
     (DEADLINE + datetime.timedelta(days=1), True)],
)  # fmt: skip
def test_overdue_from_the_day_after_the_deadline(issue, branch_user, day, overdue):
    planned(issue, branch_user)
    assert issue.is_overdue(day) is overdue
    assert Issue.objects.overdue(day).filter(pk=issue.pk).exists() is overdue
    row = counts(Issue.objects.filter(pk=issue.pk), day, "organization")[0]
    assert row["overdue"] == int(overdue)
    assert [i.pk for i in reminders_for(branch_user, day).overdue] == (
        [issue.pk] if overdue else []
    )


def test_without_a_deadline_the_limit_counts(issue):
    assert not issue.is_overdue(LIMIT)
    assert issue.is_overdue(LIMIT + datetime.timedelta(days=1))


def test_due_within_seven_days(issue, branch_user):
    planned(issue, branch_user)
    assert reminders_for(branch_user, DEADLINE - datetime.timedelta(days=8)).due_soon == []
    soon = reminders_for(branch_user, DEADLINE - datetime.timedelta(days=7)).due_soon
    assert [i.pk for i in soon] == [issue.pk]


def test_counts_by_organization_and_parent(issued, branch_user, alice):
    first, _second = issued.issues.order_by("position")
    planned(first, branch_user)
    request_closure(issue=first, by=branch_user)
    close_issue(issue=first, by=alice, day=TODAY)
    issues = Issue.objects.all()
    by_org = counts(issues, TODAY, "organization")
    assert [(r["name"], r["open"], r["closed"], r["rate"]) for r in by_org] == [
        ("白沙村党支部", 1, 1, Decimal("50.0"))]  # fmt: skip
    by_parent = counts(issues, LIMIT + datetime.timedelta(days=1), "organization__parent")
    assert [(r["name"], r["overdue"]) for r in by_parent] == [("中牟县委", 1)]
