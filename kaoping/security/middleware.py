"""Idle logout and the absolute session lifetime (等保2.0 level 3: session timeout)."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect, resolve_url
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from kaoping.security import sessions

EXPIRED = "_kaoping_session_expired"


class SessionPolicyMiddleware:
    """Ends a signed-in session that has been idle too long or has lived past its limit.

    Placed right after AuthenticationMiddleware. The session is flushed before the rest of the
    stack sees the request; the redirect to the login page is sent from `process_view`, after
    MessageMiddleware has run, so the page can say why. htmx requests get an HX-Redirect header
    instead, so the whole page goes to the login form rather than a fragment of it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            reason = sessions.expiry_reason(request, now)
            if reason is None:
                sessions.touch(request, now)
            else:
                sessions.mark_current_ended(request, reason)
                request.session.flush()
                request.user = AnonymousUser()
                setattr(request, EXPIRED, reason)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(request, EXPIRED, None) is None:
            return None
        messages.warning(request, _("Your session has timed out. Please log in again."))
        login_url = resolve_url(settings.LOGIN_URL)
        if request.path == login_url:
            return None  # the login form itself goes on, now for an anonymous visitor
        if request.headers.get("HX-Request") == "true":
            return HttpResponseClientRedirect(login_url)
        if request.method == "GET":
            login_url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(login_url)
