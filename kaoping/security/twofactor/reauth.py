"""Re-authentication before sensitive changes to one's own account.

Changing one's phone, password or second factor asks for the password again (and a code when
the user has a second factor) unless they did so in the last few minutes, so a session left
open on a shared computer cannot be used to take the account over.
"""

from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

SESSION_KEY = "kaoping_reauth_at"
DEFAULT_SECONDS = 5 * 60


def window_seconds() -> int:
    return int(getattr(settings, "KAOPING_REAUTH_SECONDS", DEFAULT_SECONDS))


def mark_recent_auth(request) -> None:
    request.session[SESSION_KEY] = time.time()


def has_recent_auth(request) -> bool:
    at = request.session.get(SESSION_KEY)
    if not isinstance(at, int | float):
        return False
    return 0 <= time.time() - at < window_seconds()


def reauth_url(next_url: str) -> str:
    return f"{reverse('twofactor:reauth')}?{urlencode({'next': next_url})}"


def require_recent_auth(view):
    """Send the user to confirm their password (and code) unless they did in the last 5 minutes.

    After confirming they come back to the same URL with GET: a POST's data is not replayed, so
    they submit the change again knowingly.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if has_recent_auth(request):
            return view(request, *args, **kwargs)
        return redirect(reauth_url(request.get_full_path()))

    return wrapper


@receiver(user_logged_in)
def _sign_in_counts_as_recent_auth(sender, request=None, user=None, **kwargs):
    # Signing in has just checked the password (and the middleware then asks for the code), so
    # the user is not asked for it again straight away, e.g. when enrolling right after login.
    if request is not None and hasattr(request, "session"):
        mark_recent_auth(request)
