"""The security policy in force: the security administrator's saved row, else the settings.

Settings give the defaults (all optional):
KAOPING_PASSWORD_PROFILE ("dengbao" or "asvs"), KAOPING_SESSION_IDLE_MINUTES,
KAOPING_SESSION_ABSOLUTE_HOURS, KAOPING_TWO_FACTOR_FOR_EVERYONE.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

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
        policy.save()
        if changes:
            record(
                POLICY_CHANGED,
                request=request,
                user=actor,
                target=policy,
                detail={"changes": changes},
            )
    return policy
