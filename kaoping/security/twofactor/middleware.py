"""Keep signed-in users off every page until their second factor is settled.

Runs after django-otp's OTPMiddleware (which sets request.user.is_verified()):
- a user with a confirmed authenticator whose session has not yet passed a code goes to the
  verify page (the login's second step);
- a user who must have a second factor (kaoping.security.twofactor.domain.is_required) and has
  none goes to enrollment.

Cost per request: a verified session needs no device query (it has proven one); "this user has
no device" is remembered in the session for at most NO_DEVICE_SECONDS. That is safe because
confirming an authenticator ends the user's other sessions (views.enroll), so no session can go
on under a stale "no device" answer; the answer is stored only when the session is written
anyway (sign-in, SessionPolicyMiddleware's once-a-minute touch), so caching adds no write.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django_htmx.http import HttpResponseClientRedirect

from kaoping.security.twofactor import domain

NO_DEVICE_KEY = "_kaoping_2fa_no_device"
NO_DEVICE_SECONDS = 60

# Pages a half-signed-in user may still reach: leaving, switching language, the health probe.
ALWAYS_OPEN = {"logout", "login", "set_language", "healthz"}
# While enrollment is pending: the enrollment steps themselves (not every "twofactor:" page: an
# administrator who has not enrolled must not reach, say, the reset of someone else's second
# factor), and the change of a forced password (H-identity's page), so the two redirects do not
# send the user back and forth.
OPEN_BEFORE_ENROLLMENT = {
    "twofactor:enroll",
    "twofactor:reauth",
    "twofactor:verify",
    "twofactor:manage",
    "password_change",
    "password_change_done",
    "accounts:password_change",
    "accounts:password_change_done",
}


def _url_name(request) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


def remember_no_device(request, user, now: float | None = None) -> None:
    """Note in the session that `user` had no confirmed authenticator just now."""
    request.session[NO_DEVICE_KEY] = [user.pk, now if now is not None else time.time()]


def forget_device_state(request) -> None:
    if NO_DEVICE_KEY in request.session:
        del request.session[NO_DEVICE_KEY]


def _known_without_device(request, user, now: float) -> bool:
    cached = request.session.get(NO_DEVICE_KEY)
    if not isinstance(cached, list) or len(cached) != 2 or cached[0] != user.pk:
        return False
    return isinstance(cached[1], int | float) and 0 <= now - cached[1] < NO_DEVICE_SECONDS


def has_second_factor(request, user) -> bool:
    """domain.has_second_factor, with a recent "no device" answer taken from the session."""
    now = time.time()
    if _known_without_device(request, user, now):
        return False
    found = domain.has_second_factor(user)
    if found:
        forget_device_state(request)
    elif request.session.modified:
        # Written with the rest of the session; never a write of its own.
        remember_no_device(request, user, now)
    return found


def _send_to(request, url_name: str):
    url = f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}"
    # Read the header itself: django-htmx's middleware runs after this one.
    if request.headers.get("HX-Request") == "true":
        return HttpResponseClientRedirect(url)
    return redirect(url)


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._redirect(request)
        return response if response is not None else self.get_response(request)

    def _redirect(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        static_url = "/" + settings.STATIC_URL.lstrip("/")
        if request.path_info.startswith(static_url):
            return None
        name = _url_name(request)
        if name in ALWAYS_OPEN:
            return None
        is_verified = getattr(user, "is_verified", None)
        if is_verified is not None and is_verified():
            return None  # this session has passed a code from a confirmed device
        if has_second_factor(request, user):
            if name == "twofactor:verify":
                return None
            return _send_to(request, "twofactor:verify")
        if domain.is_required(user):
            if name in OPEN_BEFORE_ENROLLMENT:
                return None
            return _send_to(request, "twofactor:enroll")
        return None


@receiver(user_logged_in, dispatch_uid="kaoping.twofactor.remember_no_device")
def _note_device_state_at_sign_in(sender, request=None, user=None, **kwargs):
    # The sign-in writes the session anyway: one query here spares one on each following page.
    if request is None or not hasattr(request, "session") or user is None:
        return
    if not domain.has_second_factor(user):
        remember_no_device(request, user)
