from functools import wraps

import django_otp
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from kaoping.audit import actions
from kaoping.audit.log import record
from kaoping.security import sessions
from kaoping.security.models import EndReason
from kaoping.security.sessions import end_sessions
from kaoping.security.twofactor import domain
from kaoping.security.twofactor.forms import AppCodeForm, CodeForm, ReauthForm
from kaoping.security.twofactor.middleware import forget_device_state
from kaoping.security.twofactor.reauth import mark_recent_auth, require_recent_auth

# Wrong codes in one sign-in before the session is ended and the password is asked again
# (on top of django-otp's per-device back-off, 1, 2, 4 … seconds between tries).
MAX_CODE_FAILURES = 5
FAILURES_KEY = "kaoping_2fa_failures"
CODES_REPLACED = "two_factor_codes_replaced"


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


def _code_error(check: domain.CodeCheck) -> str:
    if check.throttled:
        return _("Too many wrong codes. Wait a moment, then try again.")
    return _("The verification code is wrong or has expired. Enter the current code.")


def _pass_second_factor(request, device) -> None:
    """Mark the session verified and give it a new key: a session id seen before the second
    factor (by someone looking over the shoulder, or planted) is worth nothing after it."""
    django_otp.login(request, device)
    forget_device_state(request)
    sessions.rotate_key(request)


def _count_toward_lockout(request, user) -> None:
    # A wrong second factor is a failed sign-in for django-axes too: together with wrong
    # passwords, five lock the username at this address for the lockout period.
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )


def _record_use(request, check: domain.CodeCheck, *, purpose: str) -> None:
    action = (
        actions.TWO_FACTOR_BACKUP_USED if check.used_backup_code else actions.TWO_FACTOR_VERIFIED
    )
    record(action, request=request, user=request.user, detail={"purpose": purpose})
    if check.used_backup_code:
        left = domain.backup_codes_left(request.user)
        messages.warning(
            request,
            _("You used a backup code; %(count)d left. Make new ones when few remain.")
            % {"count": left},
        )


@login_required
@require_http_methods(["GET"])
def manage(request):
    user = request.user
    return render(
        request,
        "security/twofactor/manage.html",
        {
            "enrolled": domain.has_second_factor(user),
            "required": domain.is_required(user),
            "codes_left": domain.backup_codes_left(user),
        },
    )


@sensitive_post_parameters("code")
@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of signing in: a code from the app or a backup code."""
    next_url = _next_url(request)
    if not domain.has_second_factor(request.user) or request.user.is_verified():
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = domain.check_code(request.user, form.cleaned_data["code"])
        if check.ok:
            _pass_second_factor(request, check.device)
            request.session.pop(FAILURES_KEY, None)
            _record_use(request, check, purpose="sign_in")
            return redirect(next_url)
        _count_toward_lockout(request, request.user)
        failures = request.session.get(FAILURES_KEY, 0) + 1
        request.session[FAILURES_KEY] = failures
        record(
            actions.TWO_FACTOR_FAILED,
            request=request,
            user=request.user,
            result="failure",
            detail={"purpose": "sign_in", "throttled": check.throttled, "attempt": failures},
        )
        if failures >= MAX_CODE_FAILURES:
            logout(request)
            messages.error(request, _("Too many wrong codes. Sign in again."))
            return redirect("login")
        form.add_error("code", _code_error(check))
    return render(request, "security/twofactor/verify.html", {"form": form, "next": next_url})


@login_required
@require_recent_auth
@require_http_methods(["GET", "POST"])
def enroll(request):
    """Set up an authenticator app: scan (or type) the secret, confirm with its first code."""
    try:
        device = domain.pending_authenticator(request.user)
    except domain.AlreadyEnrolled:
        messages.info(request, _("Two-factor authentication is already on."))
        return redirect("twofactor:manage")
    next_url = _next_url(request)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = domain.confirm_authenticator(request.user, form.cleaned_data["code"])
        if confirmed is not None:
            device, codes = confirmed
            # The user has just proved they hold the app: this session counts as verified.
            _pass_second_factor(request, device)
            # Sessions signed in with the password alone (perhaps by someone who learnt it)
            # end now rather than at their next sign-in; it also makes the middleware's
            # remembered "no device" safe.
            end_sessions(request.user, keep=request.session.session_key, reason=EndReason.BY_USER)
            record(actions.TWO_FACTOR_ENROLLED, request=request, user=request.user)
            return render(
                request,
                "security/twofactor/backup_codes.html",
                {"codes": codes, "next": next_url, "enrolled_now": True},
            )
        record(
            actions.TWO_FACTOR_FAILED,
            request=request,
            user=request.user,
            result="failure",
            detail={"purpose": "enrollment"},
        )
        form.add_error(
            "code",
            _("The code does not match. Check the time on your phone and enter the current code."),
        )
    return render(
        request,
        "security/twofactor/enroll.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": domain.qr_code_data_uri(device),
            "secret": domain.grouped_secret(device),
            "required": domain.is_required(request.user),
        },
    )


@login_required
@require_recent_auth
@require_http_methods(["GET", "POST"])
def backup_codes(request):
    """Replace the backup codes (the old ones stop working); the new ones are shown once."""
    if not domain.has_second_factor(request.user):
        return redirect("twofactor:manage")
    if request.method == "POST":
        codes = domain.replace_backup_codes(request.user)
        record(CODES_REPLACED, request=request, user=request.user)
        return render(
            request,
            "security/twofactor/backup_codes.html",
            {"codes": codes, "next": reverse("twofactor:manage")},
        )
    return render(
        request,
        "security/twofactor/confirm.html",
        {
            "title": _("New backup codes"),
            "explanation": _(
                "New backup codes replace the old ones: codes you wrote down before stop working."
            ),
            "action_label": _("Make new backup codes"),
        },
    )


@login_required
@require_recent_auth
@require_http_methods(["GET", "POST"])
def remove(request):
    """Turn the second factor off (the app and the backup codes)."""
    if not domain.has_second_factor(request.user):
        return redirect("twofactor:manage")
    if request.method == "POST":
        domain.remove_second_factor(request.user)
        record(actions.TWO_FACTOR_REMOVED, request=request, user=request.user)
        messages.success(request, _("Two-factor authentication is off."))
        return redirect("twofactor:manage")
    required = domain.is_required(request.user)
    return render(
        request,
        "security/twofactor/confirm.html",
        {
            "title": _("Turn off two-factor authentication"),
            "explanation": (
                _("Your role requires a second factor: you will set up a new app right away.")
                if required
                else _("Signing in will then ask for your password only.")
            ),
            "action_label": _("Turn off"),
            "danger": True,
        },
    )


@sensitive_post_parameters("password", "code")
@login_required
@require_http_methods(["GET", "POST"])
def reauth(request):
    """Confirm the password (and a code when enrolled) before a sensitive change."""
    user = request.user
    next_url = _next_url(request)
    needs_code = domain.has_second_factor(user)
    form = ReauthForm(request.POST or None, needs_code=needs_code)
    if request.method == "POST" and form.is_valid():
        # authenticate() rather than check_password(): wrong passwords count toward the lockout.
        same_user = authenticate(
            request, username=user.get_username(), password=form.cleaned_data["password"]
        )
        if same_user is None or same_user.pk != user.pk:
            record(
                actions.REAUTHENTICATED,
                request=request,
                user=user,
                result="failure",
                detail={"reason": "password"},
            )
            form.add_error("password", _("The password is wrong."))
        elif needs_code:
            check = domain.check_code(user, form.cleaned_data["code"])
            if not check.ok:
                _count_toward_lockout(request, user)
                record(
                    actions.TWO_FACTOR_FAILED,
                    request=request,
                    user=user,
                    result="failure",
                    detail={"purpose": "reauthentication", "throttled": check.throttled},
                )
                form.add_error("code", _code_error(check))
            else:
                _record_use(request, check, purpose="reauthentication")
        if not form.errors:
            mark_recent_auth(request)
            record(actions.REAUTHENTICATED, request=request, user=user)
            return redirect(next_url)
    return render(request, "security/twofactor/reauth.html", {"form": form, "next": next_url})


def _account_manager_required(view):
    # Checked before re-authentication, so others get their 403 without a password prompt.
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("security.manage_users"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@login_required
@_account_manager_required
@require_recent_auth
@require_http_methods(["GET", "POST"])
def reset_for_user(request, pk):
    """The system administrator turns off someone's second factor (lost phone and codes); the
    person's sessions end and, if their role requires it, they enroll again at next sign-in."""
    target = get_object_or_404(get_user_model(), pk=pk)
    if target.pk == request.user.pk or not request.user.has_perm("security.change_user", target):
        raise PermissionDenied
    back = reverse("security:user_edit", args=[target.pk])
    if not domain.has_second_factor(target):
        messages.info(request, _("This account has no second factor."))
        return redirect(back)
    if request.method == "POST":
        domain.remove_second_factor(target)
        ended = end_sessions(target)
        record(
            actions.TWO_FACTOR_REMOVED,
            request=request,
            target=target,
            detail={"by_administrator": True, "sessions_ended": ended},
        )
        messages.success(
            request,
            _("Two-factor authentication of %(username)s is off; they were signed out.")
            % {"username": target.get_username()},
        )
        return redirect(back)
    return render(
        request,
        "security/twofactor/confirm.html",
        {
            "title": _("Turn off two-factor authentication of %(username)s")
            % {"username": target.get_username()},
            "explanation": _(
                "Do this only after confirming the person's identity, e.g. when they lost their "
                "phone and backup codes. Their sessions end; if their role requires a second "
                "factor they set up a new one at next sign-in."
            ),
            "action_label": _("Turn off"),
            "cancel_url": back,
        },
    )
