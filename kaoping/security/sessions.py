"""Session lifetime and the session registry: register at sign-in, touch on use, end on demand.

Times a request needs (sign-in time, last activity) live in the session itself, so checking them
costs no query; activity is written at most once a minute (`TOUCH_EVERY`) so a page view does
not always write. The registry row (`UserSession`) is what the "sessions" pages list; ending a
session deletes its Django session, so the browser is signed out on its next request.
"""

from __future__ import annotations

import ipaddress
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from kaoping.accounts.client_address import client_address
from kaoping.accounts.policy import current_policy
from kaoping.security.models import USER_AGENT_LENGTH, EndReason, UserSession

AUTH_AT = "_kaoping_auth_at"
SEEN_AT = "_kaoping_seen_at"
ROW = "_kaoping_session_row"
IDLE = "_kaoping_idle_seconds"
ABSOLUTE = "_kaoping_absolute_seconds"
TOUCH_EVERY = 60  # seconds


def limits() -> tuple[timedelta, timedelta]:
    """(idle limit, absolute lifetime): the security administrator's saved policy when there is
    one, else the settings KAOPING_SESSION_IDLE_MINUTES and KAOPING_SESSION_ABSOLUTE_HOURS."""
    idle = getattr(settings, "KAOPING_SESSION_IDLE_MINUTES", 15)
    absolute = getattr(settings, "KAOPING_SESSION_ABSOLUTE_HOURS", 8)
    policy = current_policy()
    if not policy._state.adding:  # saved by the security administrator (else built from settings)
        idle, absolute = policy.idle_minutes, policy.absolute_hours
    return timedelta(minutes=idle), timedelta(hours=absolute)


def _store_limits(session) -> None:
    # Kept in the session and refreshed with each touch (at most once a minute), so checking a
    # request costs no query and a policy change reaches every session within a minute.
    idle, absolute = limits()
    session[IDLE] = idle.total_seconds()
    session[ABSOLUTE] = absolute.total_seconds()


def _address(request) -> str | None:
    raw = client_address(request)
    try:
        return str(ipaddress.ip_address((raw or "").strip()))
    except ValueError:
        return None


def _ensure_saved(session) -> str:
    if session.session_key is None:
        session.save()
    return session.session_key


def register(request, user) -> UserSession:
    """Start the clocks of the request's session and record it in the registry.

    Side effects: writes the sign-in and activity times into the session; creates a
    `UserSession` row (or reuses the one for this key).
    """
    now = time.time()
    session = request.session
    key = _ensure_saved(session)
    stamp = datetime.fromtimestamp(now, tz=UTC)
    row, _ = UserSession.objects.update_or_create(
        session_key=key,
        user=user,
        ended_at=None,
        defaults={
            "address": _address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH],
            "created_at": stamp,
            "last_seen_at": stamp,
        },
    )
    session[AUTH_AT] = now
    session[SEEN_AT] = now
    session[ROW] = row.pk
    _store_limits(session)
    return row


def expiry_reason(request, now: float) -> EndReason | None:
    """Why the request's signed-in session has run out, or None while it is still good."""
    session = request.session
    auth_at = session.get(AUTH_AT)
    seen_at = session.get(SEEN_AT)
    if auth_at is None or seen_at is None or IDLE not in session or ABSOLUTE not in session:
        return None
    if now - auth_at > session[ABSOLUTE]:
        return EndReason.ABSOLUTE
    if now - seen_at > session[IDLE]:
        return EndReason.IDLE
    return None


def touch(request, now: float) -> None:
    """Record activity, at most once every `TOUCH_EVERY` seconds per session.

    A session that predates the registry (no times recorded yet) is registered here.
    """
    session = request.session
    if session.get(AUTH_AT) is None or IDLE not in session:
        register(request, request.user)
        return
    if now - session.get(SEEN_AT, 0) < TOUCH_EVERY:
        return
    session[SEEN_AT] = now
    _store_limits(session)
    UserSession.objects.filter(pk=session.get(ROW)).update(
        session_key=_ensure_saved(session), last_seen_at=datetime.fromtimestamp(now, tz=UTC)
    )


def rotate_key(request) -> None:
    """Give the signed-in session a new key, keeping its data and its registry row (the row
    follows the key, so ending the session later still finds it). Called when the session
    gains privileges after sign-in, e.g. on passing the second factor (session fixation)."""
    request.session.cycle_key()
    row_id = request.session.get(ROW)
    if row_id is not None:
        UserSession.objects.filter(pk=row_id).update(session_key=request.session.session_key)


def current_row_id(request) -> int | None:
    return request.session.get(ROW)


def mark_current_ended(request, reason: EndReason) -> None:
    """Mark the request's own registry row ended (its Django session is flushed by the caller)."""
    row_id = request.session.get(ROW)
    if row_id is not None:
        UserSession.objects.filter(pk=row_id, ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason=reason
        )


def _row_of_session_key(key: str) -> int | None:
    """The registry row a stored session points to (its key may have changed since sign-in)."""
    session = Session.objects.filter(session_key=key).first()
    if session is None:
        return None
    return session.get_decoded().get(ROW)


@transaction.atomic
def end_rows(rows, *, reason: EndReason) -> int:
    """End the given registry rows: delete their Django sessions and mark them ended.

    Returns how many rows were ended (rows already ended are left as they are).
    """
    rows = list(rows.filter(ended_at__isnull=True).select_for_update())
    Session.objects.filter(session_key__in=[row.session_key for row in rows]).delete()
    UserSession.objects.filter(pk__in=[row.pk for row in rows]).update(
        ended_at=timezone.now(), end_reason=reason
    )
    return len(rows)


def end_sessions(user, keep: str | None = None, *, reason: EndReason = EndReason.BY_ADMIN) -> int:
    """End every open session of `user` except the one whose session key is `keep`.

    Pass the current request's `request.session.session_key` as `keep` to stay signed in there
    (after a password change, say). Returns how many sessions were ended.
    """
    rows = UserSession.objects.filter(user=user)
    if keep:
        kept = _row_of_session_key(keep)
        rows = rows.exclude(session_key=keep)
        if kept is not None:
            rows = rows.exclude(pk=kept)
            # The kept session may have a new key since it was registered (key rotation).
            UserSession.objects.filter(pk=kept).update(session_key=keep)
    return end_rows(rows, reason=reason)
