"""The user's own password change, also where forced and expired passwords lead."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from kaoping.accounts.interfaces.forms import PasswordChangeForm
from kaoping.accounts.passwords import change_reason
from kaoping.accounts.policy import current_policy
from kaoping.accounts.validators import requirements
from kaoping.audit import actions
from kaoping.audit.log import record
from kaoping.security.models import EndReason
from kaoping.security.sessions import end_sessions
from kaoping.security.twofactor.reauth import require_recent_auth


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@sensitive_post_parameters()
@login_required
@require_recent_auth
def password_change(request):
    profile = current_policy().password_profile
    reason = change_reason(request.user, profile=profile)
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        # The user's other sessions end (whoever knew the old password is out), and this one's
        # registry row follows the key update_session_auth_hash has just rotated.
        end_sessions(user, keep=request.session.session_key, reason=EndReason.PASSWORD_CHANGED)
        record(actions.PASSWORD_CHANGED, request=request, target=user)
        messages.success(request, _("Your password has been changed."))
        return redirect(_safe_next(request) or "home")
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "reason": reason,
            "requirements": requirements(profile),
            "next": _safe_next(request) or "",
        },
    )
