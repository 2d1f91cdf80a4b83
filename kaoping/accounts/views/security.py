"""The security administrator's pages: business roles for anyone on any organization, the
administrator roles of others, and the security policy. Writes go through the domain."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaoping.accounts.domain.roles import grant_role, remove_role, set_admin_role
from kaoping.accounts.interfaces.forms import (
    AdminRoleForm,
    GrantRoleForm,
    OrganizationSearchForm,
    SecurityPolicyForm,
    UserSearchForm,
)
from kaoping.accounts.models import Role, User
from kaoping.accounts.policy import EDITABLE_FIELDS, current_policy, update_policy
from kaoping.audit import actions
from kaoping.audit.log import record
from kaoping.audit.models import Result
from kaoping.orgs.models import Organization

USERS_PER_PAGE = 50
ORGANIZATION_MATCHES = 20


def security_admin_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("accounts.manage_roles"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _refused(request, action, error: ValidationError, target) -> None:
    record(action, request=request, target=target, result=Result.FAILURE, detail=error.messages)
    for message in error.messages:
        messages.error(request, message)


@security_admin_required
def users(request):
    form = UserSearchForm(request.GET or None)
    found = User.objects.annotate(role_count=Count("roles")).order_by("username")
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if text:
        found = found.filter(Q(username__icontains=text) | Q(full_name__icontains=text))
    page = Paginator(found, USERS_PER_PAGE).get_page(request.GET.get("page"))
    administrators = User.objects.exclude(admin_role="").order_by("admin_role", "username")
    return render(
        request,
        "accounts/security/users.html",
        {"form": form, "page": page, "text": text, "administrators": administrators},
    )


@security_admin_required
def user_detail(request, pk):
    person = get_object_or_404(User, pk=pk)
    search = OrganizationSearchForm(request.GET or None)
    text = search.cleaned_data["org_q"].strip() if search.is_valid() else ""
    matches = (
        list(Organization.objects.active().matching(text).order_by("path")[:ORGANIZATION_MATCHES])
        if text
        else []
    )
    roles = person.roles.select_related("organization").order_by("organization__path", "kind")
    return render(
        request,
        "accounts/security/user.html",
        {
            "person": person,
            "roles": roles,
            "search": search,
            "text": text,
            "matches": matches,
            "grant_form": GrantRoleForm(),
            "admin_form": AdminRoleForm(initial={"admin_role": person.admin_role}),
            "is_self": person.pk == request.user.pk,
        },
    )


@require_POST
@security_admin_required
def grant(request, pk):
    person = get_object_or_404(User, pk=pk)
    form = GrantRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an organization and a role."))
        return redirect("accounts:security_user", pk=person.pk)
    organization = get_object_or_404(Organization, pk=form.cleaned_data["organization"])
    try:
        role = grant_role(
            actor=request.user,
            user=person,
            organization=organization,
            kind=form.cleaned_data["kind"],
            request=request,
        )
    except ValidationError as error:
        _refused(request, actions.ROLE_GRANTED, error, person)
    else:
        messages.success(
            request,
            _("Role granted: %(role)s.") % {"role": f"{role.get_kind_display()} · {organization}"},
        )
    return redirect("accounts:security_user", pk=person.pk)


@require_POST
@security_admin_required
def remove(request, pk):
    role = get_object_or_404(Role.objects.select_related("user", "organization"), pk=pk)
    person = role.user
    remove_role(actor=request.user, role=role, request=request)
    messages.success(request, _("Role removed."))
    return redirect("accounts:security_user", pk=person.pk)


@require_POST
@security_admin_required
def admin_role(request, pk):
    person = get_object_or_404(User, pk=pk)
    form = AdminRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an administrator role."))
        return redirect("accounts:security_user", pk=person.pk)
    new = form.cleaned_data["admin_role"]
    action = actions.ADMIN_ROLE_GRANTED if new else actions.ADMIN_ROLE_REMOVED
    try:
        set_admin_role(actor=request.user, user=person, admin_role=new, request=request)
    except ValidationError as error:
        _refused(request, action, error, person)
    else:
        messages.success(request, _("Administrator role saved."))
    return redirect("accounts:security_user", pk=person.pk)


@security_admin_required
def policy(request):
    current = current_policy()
    form = SecurityPolicyForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
        # The form wrote the values onto `current`; compare against the stored row instead.
        update_policy(actor=request.user, request=request, **values)
        messages.success(request, _("Security policy saved."))
        return redirect("accounts:security_policy")
    return render(request, "accounts/security/policy.html", {"form": form, "policy": current})
