"""Database-level protection of audit rows, and the one sanctioned way around it (the purge).

Triggers (migration 0001) refuse every UPDATE of an audit row and every DELETE unless the purge
has opened the gate for its own transaction:
- PostgreSQL: `SET LOCAL kaoping.audit_purge = 'on'`, read by the trigger with current_setting();
- SQLite: the trigger calls kaoping_audit_delete_allowed(), a function this module registers on
  each connection; it answers from a thread-local flag the purge sets around its DELETE. A tool
  that opens the file without Kaoping has no such function, so its DELETE fails too.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.backends.signals import connection_created

MINIMUM_RETENTION_DAYS = 180
_state = threading.local()


def retention_days() -> int:
    days = getattr(settings, "KAOPING_AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS)
    if days < MINIMUM_RETENTION_DAYS:
        raise ImproperlyConfigured(
            f"KAOPING_AUDIT_RETENTION_DAYS must be at least {MINIMUM_RETENTION_DAYS}; got {days}"
        )
    return days


def check_retention_setting() -> None:
    retention_days()


def _delete_allowed() -> int:
    # The test suite's flush between transactional tests empties every table with DELETE on
    # SQLite; tests/settings.py allows that, nothing else does.
    if getattr(settings, "KAOPING_AUDIT_ALLOW_TEST_FLUSH", False):
        return 1
    return 1 if getattr(_state, "purging", False) else 0


def _register(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "kaoping_audit_delete_allowed", 0, _delete_allowed, deterministic=False
        )


def connect() -> None:
    connection_created.connect(_register, dispatch_uid="kaoping_audit_sqlite_function")
    # A connection opened before the app was ready (rare: management commands) gets it now.
    if connection.connection is not None:
        _register(None, connection)


@contextmanager
def purge_gate():
    """Allow DELETE of audit rows inside this block (call it inside the purge's transaction).

    On PostgreSQL the setting is LOCAL, so it ends with the transaction even if this block is
    left by an error; it is switched off explicitly only on success, since an aborted
    transaction accepts no further statement."""
    postgresql = connection.vendor == "postgresql"
    _state.purging = True
    try:
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL kaoping.audit_purge = 'on'")
        yield
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL kaoping.audit_purge = 'off'")
    finally:
        _state.purging = False
