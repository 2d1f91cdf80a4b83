import datetime
import os
import stat

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone, translation

from kaoping.audit import actions
from kaoping.audit.domain.keys import audit_key
from kaoping.audit.domain.purge import PurgeRefused, purge_before
from kaoping.audit.domain.verify import verify_chain
from kaoping.audit.log import record
from kaoping.audit.models import AuditEvent, Checkpoint
from tests.audit.conftest import tamper

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=datetime.UTC)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate(NOW) - datetime.timedelta(days=days)


@pytest.fixture
def history():
    """Two events 200 days old, one 100 days old, one today."""
    for age, action in ((200, actions.LOGIN), (200, actions.LOGOUT), (100, actions.EXPORT)):
        with time_machine.travel(NOW - datetime.timedelta(days=age), tick=False):
            record(action)
    with time_machine.travel(NOW, tick=False):
        record(actions.LOGIN)


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_purge_within_179_days_is_refused(history, now):
    with pytest.raises(PurgeRefused), translation.override("en"):
        purge_before(days_ago(179))
    assert AuditEvent.objects.count() == 4


def test_purge_command_refuses_and_names_the_retention(history, now):
    with translation.override("en"), pytest.raises(CommandError, match="at least 180 days"):
        call_command("audit", "purge", "--before", days_ago(179).isoformat())
    assert AuditEvent.objects.count() == 4


def test_purge_older_than_181_days_keeps_the_chain_verifiable(history, now):
    report = purge_before(days_ago(181))
    assert (report.deleted, report.through_sequence) == (2, 2)
    remaining = list(AuditEvent.objects.in_order().values_list("sequence", "action"))
    assert remaining == [
        (3, actions.EXPORT),
        (4, actions.LOGIN),
        (5, actions.AUDIT_PURGE),
    ]
    checkpoint = Checkpoint.objects.get()
    assert (checkpoint.through_sequence, checkpoint.row_count) == (2, 2)
    result = verify_chain()
    assert result.ok and result.checked == 3


def test_purge_command_reports_and_verify_still_passes(history, now, capsys):
    call_command("audit", "purge", "--before", days_ago(181).isoformat())
    assert "2 records deleted" in capsys.readouterr().out
    call_command("audit", "verify")


def test_forged_checkpoint_is_detected(history, now):
    purge_before(days_ago(181))
    # Hiding the deletion of record 3 by moving the checkpoint needs the key for its seal.
    tamper("DELETE FROM audit_auditevent WHERE sequence = 3")
    checkpoint = Checkpoint.objects.get()
    Checkpoint.objects.filter(pk=checkpoint.pk).update(
        through_sequence=3, last_hash=AuditEvent.objects.get(sequence=4).prev_hash
    )
    result = verify_chain()
    assert (result.ok, result.problem) == (False, "checkpoint")


def test_purge_of_a_broken_chain_is_refused(history, now):
    tamper("UPDATE audit_auditevent SET action = 'nothing' WHERE sequence = 1")
    with pytest.raises(PurgeRefused):
        purge_before(days_ago(181))
    assert AuditEvent.objects.count() == 4


def test_purge_with_nothing_old_enough_deletes_nothing(now):
    record(actions.LOGIN)
    assert purge_before(days_ago(181)).deleted == 0
    assert AuditEvent.objects.count() == 1


@override_settings(KAOPING_AUDIT_RETENTION_DAYS=90)
def test_retention_shorter_than_180_days_is_refused(history, now):
    with pytest.raises(ImproperlyConfigured):
        purge_before(days_ago(200))
    assert AuditEvent.objects.count() == 4


@override_settings(KAOPING_AUDIT_RETENTION_DAYS=365)
def test_longer_retention_is_honoured(history, now):
    with pytest.raises(PurgeRefused):
        purge_before(days_ago(181))


def test_key_file_is_created_once_with_owner_only_mode(tmp_path, monkeypatch):
    monkeypatch.delenv("KAOPING_AUDIT_KEY", raising=False)
    with override_settings(KAOPING_AUDIT_KEY="", VAR_DIR=tmp_path):
        key = audit_key()
        assert audit_key() == key and len(key) == 64
        mode = stat.S_IMODE(os.stat(tmp_path / "audit.key").st_mode)
    assert mode == 0o600
