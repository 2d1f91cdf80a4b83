import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.utils import translation

from kaoping.audit import actions
from kaoping.audit.domain.chain import GENESIS, event_hash
from kaoping.audit.domain.verify import verify_chain
from kaoping.audit.log import record
from kaoping.audit.models import AppendOnlyError, AuditEvent, ChainHead
from tests.audit.conftest import tamper

pytestmark = pytest.mark.django_db


def three_events(user=None):
    return [
        record(actions.LOGIN, user=user),
        record(actions.EXPORT, target="名单.xlsx", detail={"rows": 3}),
        record(actions.LOGOUT, user=user),
    ]


def verify_output():
    with translation.override("en"):
        try:
            call_command("audit", "verify")
        except CommandError as error:
            return error.returncode, str(error)
    return 0, ""


def test_events_chain_each_to_the_previous(charlie):
    first, second, third = three_events(charlie)
    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert first.username == "charlie" and first.user_id == charlie.pk
    head = ChainHead.objects.get()
    assert (head.sequence, head.hash) == (3, third.hash)


def test_hash_is_an_hmac_keyed_outside_the_database():
    event = record(actions.LOGIN)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert event_hash(stored) == stored.hash
    with override_settings(KAOPING_AUDIT_KEY="another-key"):
        assert event_hash(stored) != stored.hash


def test_detail_with_dates_and_decimals_still_verifies():
    import datetime
    from decimal import Decimal

    record("custom_action", detail={"day": datetime.date(2026, 3, 1), "score": Decimal("9.50")})
    result = verify_chain()
    assert result.ok and result.checked == 1
    assert AuditEvent.objects.get().detail == {"day": "2026-03-01", "score": "9.50"}


def test_verify_passes_on_an_intact_chain():
    three_events()
    assert verify_chain().ok
    assert verify_output() == (0, "")


def test_hand_altered_row_is_named_by_verify():
    three_events()
    tamper("UPDATE audit_auditevent SET username = 'nobody' WHERE sequence = 2")
    result = verify_chain()
    assert (result.ok, result.problem, result.first_sequence) == (False, "altered", 2)
    assert verify_output() == (1, "Record 2 has been altered")


def test_altered_detail_is_detected():
    three_events()
    tamper("""UPDATE audit_auditevent SET detail = '{"rows": 300}' WHERE sequence = 2""")
    assert verify_chain().first_sequence == 2


def test_deleted_row_is_named_by_verify():
    three_events()
    tamper("DELETE FROM audit_auditevent WHERE sequence = 2")
    result = verify_chain()
    assert (result.ok, result.problem, result.first_sequence) == (False, "missing", 2)
    assert verify_output() == (1, "Record 2 is missing")


def test_rows_deleted_from_the_end_are_noticed_through_the_head():
    three_events()
    tamper("DELETE FROM audit_auditevent WHERE sequence = 3")
    result = verify_chain()
    assert (result.problem, result.first_sequence) == ("missing", 3)


def test_orm_refuses_to_update_or_delete():
    event = record(actions.LOGIN)
    event.username = "someone else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(username="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().username == ""
    assert verify_chain().ok


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET username = 'x'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_database_refuses_update_and_delete(sql):
    record(actions.LOGIN)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEvent.objects.count() == 1
    assert verify_chain().ok


def test_deleting_a_user_leaves_the_log_intact(charlie):
    record(actions.LOGIN, user=charlie)
    charlie.delete()
    event = AuditEvent.objects.get()
    assert event.username == "charlie"
    assert verify_chain().ok


def test_result_must_be_success_or_failure():
    with pytest.raises(ValueError):
        record(actions.LOGIN, result="maybe")
    assert AuditEvent.objects.count() == 0


def test_time_is_shown_with_its_utc_offset():
    event = record(actions.LOGIN)
    assert event.time_with_offset.endswith("+08:00")


def test_record_rolls_back_with_the_callers_transaction():
    record(actions.LOGIN)
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actions.PUBLICATION)
        raise RuntimeError
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [actions.LOGIN]
    assert ChainHead.objects.get().sequence == 1
    assert record(actions.LOGOUT).sequence == 2
    assert verify_chain().ok


def test_export_command_writes_xlsx_and_records_itself(tmp_path):
    import openpyxl

    three_events()
    output = tmp_path / "audit.xlsx"
    with translation.override("en"):
        call_command("audit", "export", "--output", str(output))
    rows = list(openpyxl.load_workbook(output).active.iter_rows(values_only=True))
    assert [row[0] for row in rows] == ["Sequence", 3, 2, 1]
    exported = AuditEvent.objects.get(action=actions.AUDIT_EXPORT)
    assert exported.detail == {"output": str(output)}


def test_export_command_refuses_a_bad_date(tmp_path):
    with pytest.raises(CommandError, match="2026-03-31"):
        call_command("audit", "export", "--output", str(tmp_path / "x.xlsx"), "--from", "3/1")
