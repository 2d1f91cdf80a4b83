"""The system administrator's account pages: list, create, edit, disable/enable, reset password."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kaoping.security import sessions, users
from kaoping.security.interfaces.forms import (
    PasswordResetForm,
    UserCreateForm,
    UserDetailsForm,
    UserSearchForm,
)
from kaoping.security.models import UserSession

User = get_user_model()
PAGE_SIZE = 25


def system_admin_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("security.manage_users"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _changeable_user(request, pk):
    target = get_object_or_404(User, pk=pk)
    if not request.user.has_perm("security.change_user", target):
        raise PermissionDenied
    return target


@system_admin_required
def user_list(request):
    form = UserSearchForm(request.GET or None)
    rows = form.filter(User.objects.select_related("home_organization").order_by("username"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "security/users/list.html", {"form": form, "page": page})


@system_admin_required
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = users.create_user(
                actor=request.user,
                request=request,
                username=data["username"],
                password=data["password1"],
                **{name: data[name] for name in users.DETAIL_FIELDS},
            )
        except IntegrityError:
            # Someone took the name between the check and the write.
            form.add_error("username", _("A user with that username already exists."))
        else:
            messages.success(
                request,
                _("Account %(username)s created; they choose a new password at first sign-in.")
                % {"username": user.username},
            )
            return redirect("security:user_edit", pk=user.pk)
    return render(request, "security/users/create.html", {"form": form})


@system_admin_required
def user_edit(request, pk):
    target = get_object_or_404(User.objects.select_related("home_organization"), pk=pk)
    can_change = request.user.has_perm("security.change_user", target)
    initial = {name: getattr(target, name) for name in users.DETAIL_FIELDS}
    form = UserDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            users.update_user(actor=request.user, request=request, user=target, **form.cleaned_data)
            messages.success(request, _("Changes saved."))
            return redirect("security:user_edit", pk=target.pk)
    idle, absolute = sessions.limits()
    active = UserSession.objects.filter(user=target).active(idle=idle, absolute=absolute)
    return render(
        request,
        "security/users/edit.html",
        {"target": target, "form": form, "can_change": can_change, "sessions": active},
    )


@system_admin_required
@require_POST
def user_disable(request, pk):
    target = _changeable_user(request, pk)
    if target.pk == request.user.pk:
        raise PermissionDenied
    if target.is_active:
        ended = users.disable_user(actor=request.user, request=request, user=target)
        message = ngettext(
            "Account %(username)s disabled; %(count)d session ended.",
            "Account %(username)s disabled; %(count)d sessions ended.",
            ended,
        )
        messages.success(request, message % {"username": target.username, "count": ended})
    return redirect("security:user_edit", pk=target.pk)


@system_admin_required
@require_POST
def user_enable(request, pk):
    target = _changeable_user(request, pk)
    if not target.is_active:
        users.enable_user(actor=request.user, request=request, user=target)
        messages.success(
            request, _("Account %(username)s enabled.") % {"username": target.username}
        )
    return redirect("security:user_edit", pk=target.pk)


@system_admin_required
def user_reset_password(request, pk):
    target = _changeable_user(request, pk)
    form = PasswordResetForm(request.POST or None, user=target)
    if request.method == "POST" and form.is_valid():
        users.reset_password(
            actor=request.user,
            request=request,
            user=target,
            password=form.cleaned_data["password1"],
        )
        messages.success(
            request,
            _("Password of %(username)s reset; they choose a new one at the next sign-in.")
            % {"username": target.username},
        )
        return redirect("security:user_edit", pk=target.pk)
    return render(request, "security/users/password.html", {"target": target, "form": form})
