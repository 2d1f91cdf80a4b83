"""Attacks on the audit chain by someone with write access to the database but not the HMAC
key: reordering rows, appending forged rows, rewriting the whole chain with another key."""

import hashlib
import hmac

import pytest
from django.db import connection

from kaoping.audit import actions
from kaoping.audit.domain.chain import canonical
from kaoping.audit.domain.verify import verify_chain
from kaoping.audit.log import record
from kaoping.audit.models import AuditEvent
from tests.audit.conftest import tamper

pytestmark = pytest.mark.django_db

WRONG_KEY = b"an attacker's guess at the key"


def four_events():
    return [
        record(actions.LOGIN, username="alice"),
        record(actions.EXPORT, target="名单.xlsx", detail={"rows": 3}),
        record(actions.ROLE_GRANTED, detail={"user": "bob", "kind": "rater"}),
        record(actions.LOGOUT, username="alice"),
    ]


def forged_hash(prev_hash: str, event) -> str:
    return hmac.new(WRONG_KEY, (prev_hash + canonical(event)).encode(), hashlib.sha256).hexdigest()


def test_swapping_two_rows_is_detected():
    four_events()
    tamper("UPDATE audit_auditevent SET sequence = 99 WHERE sequence = 2")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET sequence = 2 WHERE sequence = 3")
        cursor.execute("UPDATE audit_auditevent SET sequence = 3 WHERE sequence = 99")
    result = verify_chain()
    assert (result.ok, result.problem, result.first_sequence) == (False, "altered", 2)


def test_a_row_appended_without_the_key_is_detected_even_with_the_head_moved():
    events = four_events()
    last = events[-1]
    forged = AuditEvent(
        sequence=5,
        occurred_at=last.occurred_at,
        username="mallory",
        action=actions.ROLE_GRANTED,
        result="success",
        detail={"user": "mallory", "kind": "organizer"},
        prev_hash=last.hash,
    )
    forged.hash = forged_hash(last.hash, forged)
    AuditEvent.objects.bulk_create([forged])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_chainhead SET sequence = 5, hash = %s", [forged.hash])
    result = verify_chain()
    assert (result.ok, result.problem, result.first_sequence) == (False, "altered", 5)


def test_a_chain_rewritten_with_another_key_fails_at_its_first_row():
    four_events()
    prev = "0" * 64
    tamper("UPDATE audit_auditevent SET username = 'nobody'")
    for event in AuditEvent.objects.order_by("sequence"):
        new_hash = forged_hash(prev, event)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE sequence = %s",
                [prev, new_hash, event.sequence],
            )
        prev = new_hash
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_chainhead SET hash = %s", [prev])
    result = verify_chain()
    assert (result.ok, result.problem, result.first_sequence) == (False, "altered", 1)


def test_a_row_inserted_in_the_middle_is_detected():
    four_events()
    tamper("UPDATE audit_auditevent SET sequence = sequence + 10 WHERE sequence >= 3")
    result = verify_chain()
    assert (result.ok, result.problem, result.first_sequence) == (False, "missing", 3)


def test_deleting_the_tail_and_the_chain_head_is_detected():
    four_events()
    tamper("DELETE FROM audit_auditevent WHERE sequence = 4")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_chainhead")
    result = verify_chain()
    assert (result.ok, result.problem, result.first_sequence) == (False, "head", 3)
