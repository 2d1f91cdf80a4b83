"""Password policy on every request: forced and expired passwords, and break-glass expiry."""

from __future__ import annotations

import contextlib
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from kaoping.accounts import breakglass
from kaoping.accounts.passwords import change_reason


def _exempt_paths() -> tuple[str, ...]:
    paths = [
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
    ]
    # The password page asks for a fresh sign-in first (two-factor re-authentication).
    for name in (
        "accounts:password_change",
        "twofactor:reauth",
        "logout",
        "set_language",
        "healthz",
    ):
        with contextlib.suppress(NoReverseMatch):
            paths.append(reverse(name))
    return tuple(paths)


def _awaiting_second_factor(request) -> bool:
    # The second factor comes before anything else the session does, a new password included;
    # TwoFactorRequiredMiddleware (after this one) sends the user there.
    user = request.user
    is_verified = getattr(user, "is_verified", None)
    if is_verified is None or is_verified():
        return False
    from django_otp import user_has_device

    return user_has_device(user)


class PasswordPolicyMiddleware:
    """Sends a signed-in user whose password must change (initial or reset password, or older
    than 90 days under the dengbao profile) to the change page; sign-out, static files and the
    change page itself stay reachable. KAOPING_ENFORCE_PASSWORD_POLICY=False turns the redirect
    off (the test settings do, since most tests sign in with force_login).

    Users with no recorded change date (accounts older than this policy) are not sent anywhere:
    their 90 days start at their next sign-in (kaoping.accounts.signals).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            breakglass.end_if_due(user, request=request)
            if getattr(settings, "KAOPING_ENFORCE_PASSWORD_POLICY", True):
                response = self._check(request, user)
                if response is not None:
                    return response
        return self.get_response(request)

    def _check(self, request, user):
        # The reason first: it costs no query, and almost every request has none.
        if change_reason(user) is None:
            return None
        if request.path.startswith(_exempt_paths()):
            return None
        if _awaiting_second_factor(request):
            return None
        target = reverse("accounts:password_change")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
