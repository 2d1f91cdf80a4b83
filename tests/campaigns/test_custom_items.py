"""Custom items: written by the organization in its self-assessment (or by the organizer for
common slots), then shown and scored on every sheet of that organization."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kaoping.campaigns.domain.custom_items import (
    CustomItemError,
    custom_items_for,
    write_common_items,
    write_custom_items,
)
from kaoping.campaigns.domain.rubrics import store_bundled
from kaoping.campaigns.domain.sheets import SheetError, save_entry, submit_sheet
from kaoping.campaigns.models import CustomItem, Participant
from tests.campaigns.conftest import TODAY
from tests.campaigns.scoring_fixtures import *  # noqa: F403  (fixtures)


def test_written_items_reach_raters_and_are_scored(self_sheet, kinds_sheet, branch_user, raters):
    write_custom_items(sheet=self_sheet, item_code="B1", texts=["产业党建", "", "网格治理"],
                       by=branch_user, day=TODAY)  # fmt: skip
    written = custom_items_for(participant=kinds_sheet.assignment.participant)
    assert written == {
        "B1": [{"code": "B1-1", "text": "产业党建"}, {"code": "B1-2", "text": "网格治理"}]
    }
    result = save_entry(sheet=kinds_sheet, item_code="B1", by=raters[0], version=0, day=TODAY,
                        value={"slots": {"B1-1": {"score": "4.5"}, "B1-2": {"score": "5"}}})  # fmt: skip
    assert result.item_score == Decimal("9.5")
    assert CustomItem.history.filter(history_user=branch_user).count() == 2


def test_too_many_items_refused(self_sheet, branch_user):
    with pytest.raises(CustomItemError):
        write_custom_items(sheet=self_sheet, item_code="B1", texts=["a", "b", "c"],
                           by=branch_user, day=TODAY)  # fmt: skip
    assert not CustomItem.objects.exists()


def test_only_in_self_assessment(kinds_sheet, raters):
    with pytest.raises(CustomItemError):
        write_custom_items(sheet=kinds_sheet, item_code="B1", texts=["a"], by=raters[0], day=TODAY)


def test_unwritten_slots_are_the_cores_errors(kinds_sheet, raters):
    with pytest.raises(SheetError) as err:
        save_entry(sheet=kinds_sheet, item_code="B1", value={"slots": {}}, by=raters[0],
                   version=0, day=TODAY)  # fmt: skip
    assert [p["message"] for p in err.value.problems] == ["该项的指标尚未填写（custom_items）"]
    with pytest.raises(SheetError) as err:
        submit_sheet(sheet=kinds_sheet, by=raters[0], day=TODAY)
    assert [p["message"] for p in err.value.problems if p["code"] == "B1"] == ["该项未录入"]


def test_branch_user_writes_on_own_sheet_page(client, self_sheet, branch_user, raters, kinds_sheet):
    client.force_login(branch_user)
    page = client.get(
        reverse("campaigns:sheet", kwargs={"pk": self_sheet.assignment_id})
    ).content.decode()
    assert "Save the custom items" in page
    response = client.post(reverse("campaigns:custom_items_write", kwargs={"pk": self_sheet.assignment_id}),
                           {"item": "B1", "text": ["产业党建", "网格治理"]})  # fmt: skip
    assert response.status_code == 302
    client.force_login(raters[0])
    page = client.get(
        reverse("campaigns:sheet", kwargs={"pk": kinds_sheet.assignment_id})
    ).content.decode()
    assert "产业党建" in page and 'name="s-B1-1-score"' in page
    assert "Save the custom items" not in page
    # A rater cannot write them (404 on another's sheet, 403 on their own review sheet).
    url = reverse("campaigns:custom_items_write", kwargs={"pk": kinds_sheet.assignment_id})
    assert client.post(url, {"item": "B1", "text": ["x"]}).status_code == 403


def test_organizer_writes_common_items(client, campaign, tree, alice, bob, charlie, open_stages):
    stored = store_bundled("seed003-branch-compliance")
    Participant.objects.filter(campaign=campaign).update(rubric=stored)
    assert (
        write_common_items(campaign=campaign, item_code="C4", texts=["甲", "乙", "丙"], by=alice)
        == 2
    )
    participant = Participant.objects.get(campaign=campaign, organization=tree["village_a"])
    assert [s["text"] for s in custom_items_for(participant=participant)["C4"]] == [
        "甲",
        "乙",
        "丙",
    ]
    with pytest.raises(CustomItemError):
        write_common_items(campaign=campaign, item_code="I", texts=["x"], by=alice)
    url = reverse("campaigns:common_items", kwargs={"pk": campaign.pk})
    client.force_login(alice)
    assert "有稳定有效的基础保障" in client.get(url).content.decode()
    assert client.post(url, {"item": "C1", "text": ["一", "二"]}).status_code == 302
    assert [s["text"] for s in custom_items_for(participant=participant)["C1"]] == ["一", "二"]
    for user in (bob, charlie):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_custom_items_frozen_once_a_rater_scored_them(self_sheet, kinds_sheet, branch_user, raters):
    write_custom_items(sheet=self_sheet, item_code="B1", texts=["产业党建"], by=branch_user,
                       day=TODAY)  # fmt: skip
    # The organization's own entries do not freeze its wording.
    save_entry(sheet=self_sheet, item_code="B1", value={"slots": {"B1-1": {"score": "4"}}},
               by=branch_user, version=0, day=TODAY)  # fmt: skip
    self_sheet.refresh_from_db()
    write_custom_items(sheet=self_sheet, item_code="B1", texts=["产业党建", "网格治理"],
                       by=branch_user, day=TODAY)  # fmt: skip
    save_entry(sheet=kinds_sheet, item_code="B1", by=raters[0], version=0, day=TODAY,
               value={"slots": {"B1-1": {"score": "4"}, "B1-2": {"score": "5"}}})  # fmt: skip
    with pytest.raises(CustomItemError) as err:
        write_custom_items(sheet=self_sheet, item_code="B1", texts=["别的"], by=branch_user,
                           day=TODAY)  # fmt: skip
    assert "has been scored already" in err.value.message
    written = custom_items_for(participant=kinds_sheet.assignment.participant)["B1"]
    assert [s["text"] for s in written] == ["产业党建", "网格治理"]


def test_common_items_frozen_once_any_sheet_scored_them(campaign, alice, raters, review_sheet):
    stored = store_bundled("seed003-branch-compliance")
    Participant.objects.filter(campaign=campaign).update(rubric=stored)
    write_common_items(campaign=campaign, item_code="C4", texts=["甲", "乙", "丙"], by=alice)
    review_sheet.refresh_from_db()
    slots = {f"C4-{n}": {"score": "5"} for n in (1, 2, 3)}
    save_entry(sheet=review_sheet, item_code="C4", value={"slots": slots}, by=raters[0],
               version=review_sheet.version, day=TODAY)  # fmt: skip
    with pytest.raises(CustomItemError):
        write_common_items(campaign=campaign, item_code="C4", texts=["丁", "乙", "丙"], by=alice)
    texts = set(CustomItem.objects.filter(item_code="C4").values_list("text", flat=True))
    assert texts == {"甲", "乙", "丙"}
    # Another common item nobody scored yet can still be worded.
    assert write_common_items(campaign=campaign, item_code="C1", texts=["一"], by=alice) == 2


def test_common_items_page_queries_do_not_grow(client, campaign, alice, open_stages):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("campaigns:common_items", kwargs={"pk": campaign.pk})
    client.force_login(alice)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    stored = store_bundled("seed003-branch-compliance")
    Participant.objects.filter(campaign=campaign).update(rubric=stored)
    write_common_items(campaign=campaign, item_code="C1", texts=["一"], by=alice)
    one = count()
    write_common_items(campaign=campaign, item_code="C4", texts=["甲", "乙", "丙"], by=alice)
    assert count() == one
