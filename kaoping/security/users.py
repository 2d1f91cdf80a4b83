"""The system administrator's account actions: create, change, disable, enable, reset password.

Each writes in one transaction and records one audit event. Roles are not granted here: that is
the security administrator's job (三员分立).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from kaoping.accounts.passwords import set_initial_password
from kaoping.audit import actions
from kaoping.audit.log import record
from kaoping.security.models import EndReason
from kaoping.security.sessions import end_sessions

User = get_user_model()
DETAIL_FIELDS = ("full_name", "phone", "home_organization")


def create_user(*, actor, request=None, username, password, **details) -> User:
    """A new active account whose password must be changed at the first sign-in.

    `details` are DETAIL_FIELDS. Raises IntegrityError when the username is taken (in any
    letter case). Side effects: the user, a password history entry, an audit event.
    """
    with transaction.atomic():
        user = User(username=username, **details)
        user.set_unusable_password()
        user.save()
        set_initial_password(user, password, validate=False)
        record(actions.USER_CREATED, request=request, user=actor, target=user)
    return user


def update_user(*, actor, request=None, user, **details) -> list[str]:
    """Change DETAIL_FIELDS of `user`; returns the names of the fields that changed.

    Side effects: saves the user and records which fields changed (not their values: the phone
    is personal data) when anything did.
    """
    changed = [name for name, value in details.items() if getattr(user, name) != value]
    if not changed:
        return []
    with transaction.atomic():
        for name in changed:
            setattr(user, name, details[name])
        user.save(update_fields=changed)
        record(
            actions.USER_CHANGED,
            request=request,
            user=actor,
            target=user,
            detail={"fields": changed},
        )
    return changed


def disable_user(*, actor, request=None, user) -> int:
    """Disable the account and end its sessions; returns how many sessions ended."""
    with transaction.atomic():
        # (The post_save receiver would end them as well; ending them first gives the count.)
        ended = end_sessions(user, reason=EndReason.DISABLED)
        user.is_active = False
        user.save(update_fields=["is_active"])
        record(actions.USER_DISABLED, request=request, user=actor, target=user)
    return ended


def enable_user(*, actor, request=None, user) -> None:
    with transaction.atomic():
        user.is_active = True
        user.save(update_fields=["is_active"])
        record(actions.USER_ENABLED, request=request, user=actor, target=user)


def reset_password(*, actor, request=None, user, password) -> None:
    """Give `user` a new password they must change at the next sign-in, and end their sessions
    (whoever held the old password is signed out)."""
    with transaction.atomic():
        set_initial_password(user, password, validate=False)
        end_sessions(user, reason=EndReason.PASSWORD_RESET)
        record(actions.PASSWORD_RESET, request=request, user=actor, target=user)
