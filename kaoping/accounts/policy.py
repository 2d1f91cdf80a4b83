"""The security policy in force: the security administrator's saved row, else the settings.

Settings give the defaults (all optional):
KAOPING_PASSWORD_PROFILE ("dengbao" or "asvs"), KAOPING_SESSION_IDLE_MINUTES,
KAOPING_SESSION_ABSOLUTE_HOURS, KAOPING_TWO_FACTOR_FOR_EVERYONE.
"""

from __future__ import annotations

import copy
import time

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from kaoping.accounts.enums import PasswordProfile
from kaoping.accounts.models import SecurityPolicy

DEFAULT_IDLE_MINUTES = 15
DEFAULT_ABSOLUTE_HOURS = 8
EDITABLE_FIELDS = (
    "password_profile",
    "idle_minutes",
    "absolute_hours",
    "two_factor_for_everyone",
)


def default_policy() -> SecurityPolicy:
    """An unsaved policy built from the settings."""
    return SecurityPolicy(
        pk=1,
        password_profile=getattr(settings, "KAOPING_PASSWORD_PROFILE", PasswordProfile.DENGBAO),
        idle_minutes=getattr(settings, "KAOPING_SESSION_IDLE_MINUTES", DEFAULT_IDLE_MINUTES),
        absolute_hours=getattr(settings, "KAOPING_SESSION_ABSOLUTE_HOURS", DEFAULT_ABSOLUTE_HOURS),
        two_factor_for_everyone=getattr(settings, "KAOPING_TWO_FACTOR_FOR_EVERYONE", False),
    )


def current_policy() -> SecurityPolicy:
    """The policy in force. Read-only for callers: change it with `update_policy`."""
    return SecurityPolicy.objects.filter(pk=1).first() or default_policy()


# --- the per-request copy ----------------------------------------------------------------------
#
# The two-factor middleware asks "must everyone have a second factor?" on every request of a
# user who has none (raters, at each entry save): one query per request for a row that changes a
# few times a year. `cached_policy()` keeps the saved row in the process for at most
# POLICY_CACHE_SECONDS. Why that is safe for the callers that use it (only
# kaoping.security.twofactor.domain.is_required):
# - the process that saves the policy (`update_policy`, or any save or delete of the row: the
#   signals below) drops its copy at once and again when the transaction commits, so the
#   administrator sees the change take effect on their next request;
# - other processes (the other gunicorn workers) see it within POLICY_CACHE_SECONDS. What can
#   lag is only the prompt to *enroll* a second factor; a user who has one is asked for a code
#   on every sign-in whatever this cache holds (the middleware checks devices first). Somebody
#   signed in with a stolen password would enroll their own app at the prompt anyway, so a
#   prompt that comes up to 30 s later lets nobody past a factor that exists;
# - the value is read and kept only outside a transaction: inside one the row may be this
#   transaction's uncommitted write (or a test's, rolled back afterwards), which must never
#   reach other requests;
# - only the row is kept, never the settings: without a saved row the answer is built from
#   the settings on each call, as `current_policy()` does.
# Password validation, the session limits and the policy page keep `current_policy()`: they are
# rare and a changed password rule or session limit should apply at once everywhere.

POLICY_CACHE_SECONDS = 30
_NO_ROW = object()
_cached: tuple[float, object] | None = None  # (time read, the row or _NO_ROW)


def cached_policy() -> SecurityPolicy:
    """The policy in force as `current_policy()` answers it, read at most POLICY_CACHE_SECONDS
    ago by this process (see above for who may use it). A copy: changing it changes nothing."""
    global _cached
    if connection.in_atomic_block:
        return current_policy()
    now = time.time()
    entry = _cached
    # A clock moved backwards (or a test travelling in time) counts as expired.
    if entry is None or not 0 <= now - entry[0] < POLICY_CACHE_SECONDS:
        row = SecurityPolicy.objects.filter(pk=1).first()
        entry = (now, _NO_ROW if row is None else row)
        _cached = entry
    row = entry[1]
    return default_policy() if row is _NO_ROW else copy.copy(row)


def forget_cached_policy() -> None:
    """Drop this process's copy; the next `cached_policy()` reads the row."""
    global _cached
    _cached = None


def _forget_now_and_at_commit() -> None:
    # Now, so nothing in this process reads the old row during the saving transaction; at
    # commit, so a copy another thread of this process read in the meantime (the old row,
    # still committed then) is dropped too.
    forget_cached_policy()
    transaction.on_commit(forget_cached_policy)


@receiver(post_save, sender=SecurityPolicy, dispatch_uid="kaoping.policy.saved")
@receiver(post_delete, sender=SecurityPolicy, dispatch_uid="kaoping.policy.deleted")
def _policy_written(sender, **kwargs):
    _forget_now_and_at_commit()


@receiver(post_migrate, dispatch_uid="kaoping.policy.migrated")
def _tables_reset(sender, **kwargs):
    # migrate and flush (between transactional tests) change tables behind the model's back.
    forget_cached_policy()


def update_policy(*, actor, request=None, **values) -> SecurityPolicy:
    """Save the policy with `values` (names from EDITABLE_FIELDS).

    Side effects: writes the singleton row and one audit event ("policy_change") listing
    each changed field with its old and new value. Nothing is recorded when nothing changed.
    """
    from kaoping.audit.actions import POLICY_CHANGED
    from kaoping.audit.log import record

    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not policy fields: {sorted(unknown)}")
    with transaction.atomic():
        policy = SecurityPolicy.objects.select_for_update().filter(pk=1).first()
        policy = policy or default_policy()
        changes = {}
        for name, new in values.items():
            old = getattr(policy, name)
            if old != new:
                changes[name] = {"old": old, "new": new}
                setattr(policy, name, new)
        if not changes and policy._state.adding is False:
            return policy
        policy.updated_by = actor
        policy.full_clean()
        policy.save()  # drops this process's cached copy (`_policy_written`)
        if changes:
            record(
                POLICY_CHANGED,
                request=request,
                user=actor,
                target=policy,
                detail={"changes": changes},
            )
    return policy
