import pytest
from django.db import connection

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _guard_deletes(settings):
    """The rest of the suite lets its flush empty the log; these tests check the real guard."""
    settings.KAOPING_AUDIT_ALLOW_TEST_FLUSH = False


@pytest.fixture
def auditor(db):
    return UserFactory(username="auditor", full_name="Auditor", admin_role="audit")


def tamper(sql: str, params=()) -> None:
    """Run `sql` against the audit table with its protecting trigger out of the way, as someone
    with direct database access would (the test's transaction rolls the DDL back)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_change")
        cursor.execute(sql, params)
