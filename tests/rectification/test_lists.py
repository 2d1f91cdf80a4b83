"""Draft lists from a publication, the organizer's edits, and issuing all or nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kaoping.campaigns.domain.publication import republish
from kaoping.campaigns.models import PublishedResult
from kaoping.rectification.domain.lists import (
    add_issue,
    build_draft_lists,
    drop_issue,
    edit_issue,
    issue_lists,
    issues_from_result,
    merge_issues,
)
from kaoping.rectification.enums import IssueState, ListState
from kaoping.rectification.models import Issue, IssueEvent, RectificationList
from tests.rectification.conftest import LIMIT, TODAY

pytestmark = pytest.mark.django_db


def test_publication_builds_one_draft_list_per_organization(published, tree):
    lists = RectificationList.objects.filter(campaign=published.campaign)
    assert {lst.organization.name for lst in lists} == {"白沙村党支部", "黄店村党支部"}
    assert {lst.state for lst in lists} == {ListState.DRAFT}
    baisha = lists.get(organization=tree["village_a"])
    rows = list(baisha.issues.values_list("item_code", "points", "source", "state"))
    assert rows == [("1.1", Decimal("1.000"), "points", "draft"),
                    ("1.2", Decimal("2.000"), "points", "draft")]  # fmt: skip
    assert baisha.issues.first().reasons == ["扣1分：台账不完整"]
    assert not lists.get(organization__name="黄店村党支部").issues.exists()


def test_building_again_is_idempotent(published):
    assert build_draft_lists(publication=published) == []
    assert Issue.objects.count() == 2


def test_republication_rebuilds_drafts_but_never_issued_lists(
    published, draft, alice, django_capture_on_commit_callbacks
):
    other = RectificationList.objects.exclude(pk=draft.pk).get()
    add_issue(lst=other, by=alice, text="会议记录不规范")
    issue_lists(lists=[other], by=alice, deadline_limit=LIMIT, day=TODAY)
    edit_issue(issue=draft.issues.first(), by=alice, text="改过的文字")
    with django_capture_on_commit_callbacks(execute=True):
        republish(campaign=published.campaign, by=alice, note="更正")
    draft.refresh_from_db()
    assert draft.publication.number == 2
    assert "改过的文字" not in draft.issues.values_list("text", flat=True)
    assert list(other.issues.values_list("text", flat=True)) == ["会议记录不规范"]


def test_issues_take_every_lost_point_major_deduction_and_veto():
    result = PublishedResult(
        lost_points=[
            {"item": "2.1", "section": "二", "kind": "major", "points": "5", "text": "重扣",
             "reasons": ["事故"]},
            {"item": "V1", "section": "反", "kind": "veto", "points": "0", "text": "书记不称职",
             "reasons": []},
        ],
        vetoes=["V1", "V2"],
    )  # fmt: skip
    rows = issues_from_result(result)
    assert [(r["source"], r["item_code"], r["points"]) for r in rows] == [
        ("major", "2.1", Decimal(5)), ("veto", "V1", None), ("veto", "V2", None),
    ]  # fmt: skip


def test_edit_merge_drop_and_add(draft, alice):
    first, second = draft.issues.order_by("position")
    texts = [first.text, second.text]
    merged = merge_issues(issues=[first, second], by=alice)
    assert merged.points == Decimal(3)
    assert merged.text == "；".join(texts)
    second.refresh_from_db()
    assert (second.state, second.merged_into_id) == (IssueState.MERGED, merged.pk)
    with pytest.raises(ValidationError) as err:
        drop_issue(issue=merged, by=alice, reason=" ")
    assert "reason" in err.value.message_dict
    added = add_issue(lst=draft, by=alice, text="党员活动室标识不规范")
    assert added.position == 3 and added.source == "added"
    drop_issue(issue=merged, by=alice, reason="已当场整改")
    merged.refresh_from_db()
    assert (merged.state, merged.drop_reason) == (IssueState.DROPPED, "已当场整改")
    kinds = list(IssueEvent.objects.filter(issue=merged).values_list("kind", flat=True))
    assert kinds == ["merged", "dropped"]
    assert merged.history.first().history_change_reason == "dropped"


def test_issuing_is_all_or_nothing(draft, alice):
    empty = RectificationList.objects.exclude(pk=draft.pk).get()
    with pytest.raises(ValidationError) as err:
        issue_lists(lists=[draft, empty], by=alice, deadline_limit=LIMIT, day=TODAY)
    assert "黄店村党支部" in str(err.value)
    draft.refresh_from_db()
    assert draft.state == ListState.DRAFT
    assert set(draft.issues.values_list("state", flat=True)) == {IssueState.DRAFT}
    assert not IssueEvent.objects.filter(kind="issued").exists()


def test_issuing_opens_issues_with_the_limit(draft, alice):
    issue_lists(lists=[draft], by=alice, deadline_limit=LIMIT, satisfaction_threshold="90",
                day=TODAY)  # fmt: skip
    draft.refresh_from_db()
    assert (draft.state, draft.issued_on, draft.satisfaction_threshold) == (
        ListState.ISSUED, TODAY, Decimal(90))  # fmt: skip
    assert set(draft.issues.values_list("state", "deadline_limit")) == {(IssueState.OPEN, LIMIT)}
    with pytest.raises(ValidationError):
        edit_issue(issue=draft.issues.first(), by=alice, text="不能再改")


@pytest.mark.parametrize("limit", [TODAY, TODAY - datetime.timedelta(days=1)])
def test_issuing_needs_a_limit_after_today(draft, alice, limit):
    with pytest.raises(ValidationError) as err:
        issue_lists(lists=[draft], by=alice, deadline_limit=limit, day=TODAY)
    assert "deadline_limit" in err.value.message_dict
