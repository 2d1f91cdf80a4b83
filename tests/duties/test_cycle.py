import datetime

import pytest

from kaoping.duties.domain.content import content_hash, list_content, verify_list
from kaoping.duties.domain.cycle import (
    DutyError,
    add_custom_duty,
    amend_list,
    delete_custom_duty,
    file_list,
    filing_status,
    sign_list,
)
from kaoping.duties.models import CustomDuty, DutyList
from tests.duties.conftest import SIGN_DAY, write_two

NEW = [
    {"text": "开展支部联建", "standard": "全年不少于6次"},
    {"text": "结对帮扶", "standard": "每季1次"},
]


def test_sign_with_fewer_than_two_individual_duties_is_refused(branch_list, secretary):
    add_custom_duty(duty_list=branch_list, text="开展支部联建", standard="全年不少于4次")
    with pytest.raises(DutyError) as err:
        sign_list(duty_list=branch_list, name="王书记", by=secretary, day=SIGN_DAY)
    assert err.value.message == (
        "Add at least 2 individual duties before signing (the list has 1)."
    )
    branch_list.refresh_from_db()
    assert branch_list.state == "draft"
    assert branch_list.versions.count() == 0


def test_sign_without_a_name_is_refused(branch_list, secretary):
    write_two(branch_list)
    with pytest.raises(DutyError, match="the field “name” is empty"):
        sign_list(duty_list=branch_list, name=" ", by=secretary, day=SIGN_DAY)


def test_custom_duty_needs_a_standard(branch_list):
    with pytest.raises(DutyError, match="the field “standard” is empty"):
        add_custom_duty(duty_list=branch_list, text="开展支部联建", standard="")


def test_signed_list_hash_verifies(branch_list, secretary):
    write_two(branch_list)
    version = sign_list(duty_list=branch_list, name="王书记", by=secretary, day=SIGN_DAY)
    branch_list.refresh_from_db()
    expected = content_hash(list_content(branch_list), name="王书记", day=SIGN_DAY)
    assert branch_list.content_hash == version.content_hash == expected
    assert len(expected) == 64
    assert (branch_list.state, branch_list.signed_name, branch_list.signed_on) == (
        "signed", "王书记", SIGN_DAY)  # fmt: skip
    assert verify_list(branch_list).ok


def test_change_after_signing_is_refused(branch_list, secretary):
    write_two(branch_list)
    sign_list(duty_list=branch_list, name="王书记", by=secretary, day=SIGN_DAY)
    with pytest.raises(DutyError, match="cannot change except through an amendment"):
        add_custom_duty(duty_list=branch_list, text="新项目", standard="标准")
    with pytest.raises(DutyError, match="cannot change except through an amendment"):
        delete_custom_duty(duty=branch_list.custom.first())
    with pytest.raises(DutyError, match="cannot change except through an amendment"):
        sign_list(duty_list=branch_list, name="王书记", by=secretary, day=SIGN_DAY)
    assert branch_list.custom.count() == 2


def test_change_behind_the_domain_shows_in_the_verdict(branch_list, secretary):
    write_two(branch_list)
    sign_list(duty_list=branch_list, name="王书记", by=secretary, day=SIGN_DAY)
    CustomDuty.objects.filter(duty_list=branch_list, position=1).update(standard="全年1次")
    verdict = verify_list(DutyList.objects.get(pk=branch_list.pk))
    assert verdict.ok is False
    assert verdict.problems == ("the list has changed since it was signed",)


def test_amendment_keeps_the_previous_version(filed_list, secretary):
    first = filed_list.versions.get()
    day = datetime.date(2026, 6, 1)
    second = amend_list(duty_list=filed_list, custom=NEW, reason="调整联建频次", name="王书记",
                        by=secretary, day=day)  # fmt: skip
    filed_list.refresh_from_db()
    assert [v.number for v in filed_list.versions.all()] == [1, 2]
    assert first.content["custom"][0]["standard"] == "全年不少于4次"
    assert second.content["custom"] == NEW
    assert second.reason == "调整联建频次"
    assert filed_list.content_hash == second.content_hash != first.content_hash
    assert (filed_list.state, filed_list.signed_on) == ("filed", day)
    assert list(filed_list.custom.values_list("standard", flat=True)) == [
        "全年不少于6次",
        "每季1次",
    ]
    assert verify_list(filed_list).ok


@pytest.mark.parametrize(
    ("custom", "reason", "message"),
    [
        (NEW[:1], "原因", "Add at least 2 individual duties"),
        (NEW, "", "the field “reason” is empty"),
        ([NEW[0], {"text": "结对帮扶", "standard": ""}], "原因", "the field “standard” is empty"),
    ],
)
def test_bad_amendment_is_refused_and_changes_nothing(
    filed_list, secretary, custom, reason, message
):
    with pytest.raises(DutyError, match=message):
        amend_list(duty_list=filed_list, custom=custom, reason=reason, name="王书记", by=secretary)
    assert filed_list.versions.count() == 1
    assert verify_list(filed_list).ok


def test_amending_a_draft_is_refused(branch_list, secretary):
    with pytest.raises(DutyError, match="edited directly"):
        amend_list(duty_list=branch_list, custom=NEW, reason="r", name="王书记", by=secretary)


def test_filing_needs_a_signature_and_happens_once(branch_list, secretary):
    with pytest.raises(DutyError, match="Sign the list before filing it"):
        file_list(duty_list=branch_list, by=secretary)
    write_two(branch_list)
    sign_list(duty_list=branch_list, name="王书记", by=secretary, day=SIGN_DAY)
    file_list(duty_list=branch_list, by=secretary, day=SIGN_DAY)
    with pytest.raises(DutyError, match="already been filed"):
        file_list(duty_list=branch_list, by=secretary)


@pytest.mark.parametrize(
    ("day", "late", "label"),
    [
        (datetime.date(2026, 3, 30), False, "Not signed"),
        (datetime.date(2026, 3, 31), False, "Not signed"),
        (datetime.date(2026, 4, 1), True, "Late"),
    ],
)
def test_late_from_the_first_of_april(branch_list, day, late, label):
    status = filing_status(branch_list, day=day)
    assert (status.late, status.label) == (late, label)


def test_filed_on_the_deadline_is_on_time_and_after_it_is_late(branch_list, secretary):
    write_two(branch_list)
    sign_list(duty_list=branch_list, name="王书记", by=secretary, day=SIGN_DAY)
    file_list(duty_list=branch_list, by=secretary, day=datetime.date(2026, 3, 31))
    assert filing_status(branch_list, day=datetime.date(2026, 12, 31)).label == "Filed"
    branch_list.filed_on = datetime.date(2026, 4, 1)
    assert filing_status(branch_list).label == "Filed late"


def test_deleting_a_duty_renumbers_the_rest(branch_list):
    write_two(branch_list)
    add_custom_duty(duty_list=branch_list, text="三", standard="s")
    delete_custom_duty(duty=branch_list.custom.get(position=1))
    assert list(branch_list.custom.values_list("position", "text")) == [
        (1, "带头讲党课"),
        (2, "三"),
    ]
