"""Break-glass access: a superuser for a limited time, for emergencies only.

Kaoping has no everyday superuser (三员分立). `kaoping breakglass` grants one for some minutes;
the grant and its end are both in the audit log. The end needs no job: `User.from_db` drops the
privileges in memory as soon as the moment has passed, and `end_if_due` (called on each request
by PasswordPolicyMiddleware) writes that to the database and records it.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kaoping.accounts.models import User

MAX_MINUTES = 24 * 60


def grant(*, user, minutes: int, reason: str) -> None:
    """Make `user` a superuser (and staff, for the admin site) for `minutes`.

    Side effects: saves the user; records "breakglass_grant" with the reason and the end.
    """
    from kaoping.audit.actions import BREAK_GLASS
    from kaoping.audit.log import record

    if not reason.strip():
        raise ValueError("a reason is required")
    if not 1 <= minutes <= MAX_MINUTES:
        raise ValueError(f"minutes must be between 1 and {MAX_MINUTES}")
    until = timezone.now() + timedelta(minutes=minutes)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(
            is_superuser=True, is_staff=True, break_glass_until=until
        )
        user.is_superuser, user.is_staff, user.break_glass_until = True, True, until
        record(
            BREAK_GLASS,
            user=user,
            target=user,
            detail={"reason": reason.strip(), "until": until.isoformat(), "minutes": minutes},
        )


def is_due(user, now=None) -> bool:
    until = getattr(user, "break_glass_until", None)
    return until is not None and until <= (now or timezone.now())


def end_if_due(user, *, request=None) -> bool:
    """Take back an expired break-glass grant for good; True when one ended now."""
    from kaoping.audit.actions import BREAK_GLASS_ENDED
    from kaoping.audit.log import record

    if not is_due(user):
        return False
    with transaction.atomic():
        ended = User.objects.filter(pk=user.pk, break_glass_until__isnull=False).update(
            is_superuser=False, is_staff=False, break_glass_until=None
        )
        user.is_superuser, user.is_staff, user.break_glass_until = False, False, None
        if ended:
            record(BREAK_GLASS_ENDED, request=request, user=user, target=user)
    return bool(ended)
