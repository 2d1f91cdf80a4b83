"""Saving, submitting and returning sheets through the domain (exact numbers from the core)."""

from decimal import Decimal

import pytest

from kaoping.campaigns.domain.custom_items import write_custom_items
from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.campaigns.domain.sheets import SheetError, return_sheet, save_entry, submit_sheet
from kaoping.campaigns.models import Entry, SheetEvent
from kaoping.scoring import score_sheet
from tests.campaigns.conftest import TODAY
from tests.campaigns.scoring_fixtures import *  # noqa: F403  (fixtures)


def save(sheet, code, value, by, day=TODAY):
    sheet.refresh_from_db()
    return save_entry(
        sheet=sheet, item_code=code, value=value, by=by, version=sheet.version, day=day
    )


def test_village_deductions_give_running_total(review_sheet, raters):
    result = save(
        review_sheet, "1.1", {"deductions": [{"amount": "2", "reason": "标识不统一"}]}, raters[0]
    )
    assert result.item_score == Decimal("1")
    result = save(
        review_sheet, "2.1", {"deductions": [{"amount": "0.5", "reason": "研讨记录缺"}]}, raters[0]
    )
    assert result.running.total == Decimal("97.5")
    assert result.version == 2
    entry = Entry.objects.get(sheet=review_sheet, item_code="1.1")
    assert entry.value == {"deductions": [{"amount": "2", "reason": "标识不统一"}]}
    assert entry.history.first().history_user == raters[0]


def test_empty_value_deletes_the_entry(review_sheet, raters):
    save(review_sheet, "1.1", {"deductions": [{"amount": "2", "reason": "x"}]}, raters[0])
    result = save(review_sheet, "1.1", None, raters[0])
    assert result.entry is None and result.running.total == Decimal("100")
    assert not Entry.objects.filter(sheet=review_sheet).exists()
    assert Entry.history.filter(item_code="1.1").count() == 2


def test_invalid_entry_refused_with_core_message_and_not_stored(review_sheet, raters):
    with pytest.raises(SheetError) as err:
        save(review_sheet, "1.1", {"deductions": [{"amount": "0.05", "reason": "x"}]}, raters[0])
    assert err.value.kind == "invalid"
    assert err.value.problems[0]["message"] == "扣分0.05不是步长0.1的整数倍"
    review_sheet.refresh_from_db()
    assert review_sheet.version == 0 and not review_sheet.entries.exists()


def test_entry_outside_window_refused(review_sheet, raters, open_stages):
    day = open_stages["review"].ends_on.replace(year=2027)
    with pytest.raises(SheetError) as err:
        save(review_sheet, "1.1", {"deductions": []}, raters[0], day=day)
    assert err.value.kind == "window"
    assert "accepts entries from" in err.value.message


def test_entry_refused_when_campaign_not_open(review_sheet, raters, campaign):
    campaign.state = "closed"
    campaign.save()
    with pytest.raises(SheetError) as err:
        save(review_sheet, "1.1", {"deductions": []}, raters[0])
    assert err.value.kind == "window"


def test_stale_version_refused_and_nothing_written(review_sheet, raters):
    save(review_sheet, "1.1", {"deductions": [{"amount": "1", "reason": "a"}]}, raters[0])
    with pytest.raises(SheetError) as err:
        save_entry(sheet=review_sheet, item_code="1.2", by=raters[0], version=0, day=TODAY,
                   value={"deductions": [{"amount": "1", "reason": "b"}]})  # fmt: skip
    assert err.value.kind == "stale"
    assert str(err.value) == "Someone else saved this sheet; reload it."
    assert list(review_sheet.entries.values_list("item_code", flat=True)) == ["1.1"]


def test_submit_stores_core_totals_and_locks(review_sheet, raters):
    save(review_sheet, "1.1", {"deductions": [{"amount": "2", "reason": "a"}]}, raters[0])
    save(review_sheet, "2.1", {"deductions": [{"amount": "0.5", "reason": "b"}]}, raters[0])
    result = submit_sheet(sheet=review_sheet, by=raters[0], day=TODAY)
    rubric = rubric_of(review_sheet.assignment.participant.rubric)
    expected = score_sheet(rubric, {"1.1": {"deductions": [{"amount": "2", "reason": "a"}]},
                                    "2.1": {"deductions": [{"amount": "0.5", "reason": "b"}]}})  # fmt: skip
    assert review_sheet.status == "submitted"
    assert review_sheet.total == expected.total == result.total == Decimal("97.5")
    assert review_sheet.section_scores == {k: str(v) for k, v in expected.section_scores().items()}
    assert review_sheet.entries.count() == len(rubric.items)
    assert review_sheet.entries.get(item_code="1.1").score == Decimal("1")
    assert review_sheet.entries.get(item_code="1.2").score == Decimal("3")
    event = SheetEvent.objects.get(sheet=review_sheet)
    assert (event.kind, event.total) == ("submitted", Decimal("97.5"))
    with pytest.raises(SheetError) as err:
        save(review_sheet, "1.1", None, raters[0])
    assert err.value.kind == "locked"


def test_submit_incomplete_lists_every_item(kinds_sheet, raters):
    save(kinds_sheet, "A1", {"score": "3"}, raters[0])
    with pytest.raises(SheetError) as err:
        submit_sheet(sheet=kinds_sheet, by=raters[0], day=TODAY)
    codes = [p["code"] for p in err.value.problems]
    assert codes == ["A2", "A3", "A4", "A7", "A8", "A9", "A10", "B1"]
    assert err.value.problems[0]["text"] == "上党课"
    assert err.value.problems[0]["message"] == "该项未录入"
    kinds_sheet.refresh_from_db()
    assert kinds_sheet.status == "draft" and kinds_sheet.total is None


def test_return_requires_reason_reopens_and_history_keeps_both(review_sheet, raters, alice):
    submit_sheet(sheet=review_sheet, by=raters[0], day=TODAY)
    with pytest.raises(SheetError):
        return_sheet(sheet=review_sheet, by=alice, reason="  ")
    return_sheet(sheet=review_sheet, by=alice, reason="扣分原因不具体")
    assert review_sheet.status == "returned" and review_sheet.total is None
    assert review_sheet.sections == [] and review_sheet.lost_points == []
    states = list(review_sheet.history.values_list("status", "total", "history_user"))
    assert ("submitted", Decimal("100.000"), raters[0].pk) in states
    assert ("returned", None, alice.pk) in states
    assert [e.kind for e in review_sheet.events.all()] == ["submitted", "returned"]
    assert review_sheet.events.last().reason == "扣分原因不具体"
    # Editable again, and resubmittable.
    save(review_sheet, "1.1", {"deductions": [{"amount": "1", "reason": "a"}]}, raters[0])
    assert submit_sheet(sheet=review_sheet, by=raters[0], day=TODAY).total == Decimal("99")


def test_return_only_a_submitted_sheet(review_sheet, alice):
    with pytest.raises(SheetError) as err:
        return_sheet(sheet=review_sheet, by=alice, reason="x")
    assert err.value.kind == "status"


KIND_CASES = [
    ("A1", {"score": "3.5"}, "3.5"),
    ("A2", {"met": True}, "2"),
    ("A3", {"criteria": ["a", "b", "d"]}, "3"),
    ("A4", {"parts": {"a": {"met": True}, "b": {"score": "2"}}}, "4"),
    (
        "A5",
        {"deductions": [{"count": 2, "reason": "两项未落实"}, {"amount": "0.5", "reason": "x"}]},
        "1.5",
    ),
    ("A6", {"counts": {"principal": 1, "member": 2}, "reason": "违纪"}, "4"),
    ("A7", {"count": 3}, "2"),
    ("A8", {"level": "good"}, "8"),
    ("A9", {"level": "good", "comment": "较规范"}, "0"),
    ("A10", {"na": True}, "0"),
    ("C1", {"triggered": True, "note": "书记不称职"}, "0"),
    ("C2", {"occurrences": [{"amount": "6", "note": "问题突出"}]}, "6"),
    (
        "C3",
        {
            "events": [
                {"project": "A", "level": "central"},
                {"project": "A", "level": "city"},
                {"project": "B", "level": "central", "modifier": "halved"},
            ]
        },
        "4.5",
    ),
    ("D1", {"events": [{"event": "award", "count": 2}, {"event": "late"}]}, "13"),
]


@pytest.mark.parametrize(("code", "value", "score"), KIND_CASES)
def test_each_rule_kind_saves_with_core_score(kinds_sheet, raters, code, value, score):
    result = save(kinds_sheet, code, value, raters[0])
    assert result.item_score == Decimal(score)
    assert Entry.objects.get(sheet=kinds_sheet, item_code=code).value == value


def test_full_kinds_sheet_submits_with_custom_items(self_sheet, branch_user, kinds_sheet, raters):
    write_custom_items(
        sheet=self_sheet, item_code="B1", texts=["产业党建", "网格治理"], by=branch_user, day=TODAY
    )
    for code, value, _score in KIND_CASES:
        save(kinds_sheet, code, value, raters[0])
    save(
        kinds_sheet, "B1", {"slots": {"B1-1": {"score": "5"}, "B1-2": {"score": "3.5"}}}, raters[0]
    )
    result = submit_sheet(sheet=kinds_sheet, by=raters[0], day=TODAY)
    # A: 3.5+2+3+4+1.5+4+2+8+0 = 28 (A10 n/a); B: 8.5; D: 13; bonus 4.5; major 6; vetoed.
    assert result.total == Decimal("48")
    assert kinds_sheet.total == Decimal("48")
    assert kinds_sheet.vetoes == ["C1"] and kinds_sheet.grade == "差"


@pytest.mark.parametrize("state", ["closed", "published"])
def test_return_refused_once_the_campaign_is_closed(review_sheet, raters, alice, campaign, state):
    submit_sheet(sheet=review_sheet, by=raters[0], day=TODAY)
    campaign.state = state
    campaign.save(update_fields=["state"])
    with pytest.raises(SheetError) as err:
        return_sheet(sheet=review_sheet, by=alice, reason="扣分原因不具体")
    assert err.value.kind == "campaign"
    review_sheet.refresh_from_db()
    assert review_sheet.status == "submitted" and review_sheet.total == Decimal("100")
    assert [e.kind for e in review_sheet.events.all()] == ["submitted"]


def test_saving_the_same_value_again_writes_no_history_but_claims_the_version(review_sheet, raters):
    value = {"deductions": [{"amount": "2", "reason": "标识不统一"}]}
    save(review_sheet, "1.1", value, raters[0])
    again = save(review_sheet, "1.1", dict(value), raters[1])
    assert again.version == 2 and again.running.total == Decimal("98")
    entry = Entry.objects.get(sheet=review_sheet, item_code="1.1")
    assert entry.updated_by == raters[0]  # nothing changed: the first writer stays
    assert Entry.history.filter(item_code="1.1").count() == 1
    changed = save(review_sheet, "1.1", {"deductions": [{"amount": "1", "reason": "x"}]}, raters[1])
    assert changed.running.total == Decimal("99")
    assert list(Entry.history.filter(item_code="1.1").values_list("history_user", flat=True)) == [
        raters[1].pk,
        raters[0].pk,
    ]


def test_running_total_scores_every_stored_entry_with_the_new_one(review_sheet, raters):
    save(review_sheet, "1.1", {"deductions": [{"amount": "2", "reason": "a"}]}, raters[0])
    save(review_sheet, "1.2", {"deductions": [{"amount": "1", "reason": "b"}]}, raters[0])
    result = save(
        review_sheet, "1.1", {"deductions": [{"amount": "0.5", "reason": "c"}]}, raters[0]
    )
    stored = dict(Entry.objects.filter(sheet=review_sheet).values_list("item_code", "value"))
    rubric = rubric_of(review_sheet.assignment.participant.rubric)
    expected = score_sheet(rubric, stored, org_kind="village", allow_missing=True)
    assert result.running.total == expected.total == Decimal("98.5")
    cleared = save(review_sheet, "1.2", None, raters[0])
    assert cleared.running.total == Decimal("99.5")
