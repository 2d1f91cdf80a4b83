"""Granting and removing roles: business roles on organizations and the three administrator
roles of 三员分立. The security administrator's pages and `kaoping createadmin` call these.

Rules kept here (and by the models, for any other write path):
- an administrator (admin_role set) holds no business role, and a user with business roles
  cannot be made an administrator;
- the administrator roles are one field, so one person holds at most one;
- nobody grants or removes an administrator role of their own;
- the last active security administrator keeps the role (someone must be able to grant).
Every grant and removal is recorded in the audit log.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaoping.accounts.enums import AdminRole
from kaoping.accounts.models import Role, User
from kaoping.audit import actions


def _record(action, **kwargs):
    from kaoping.audit.log import record

    record(action, **kwargs)


def grant_role(*, actor, user: User, organization, kind: str, request=None) -> Role:
    """Give `user` the business role `kind` on `organization` (covering its subtree).

    Raises ValidationError for an administrator or a role the user already holds.
    Side effects: creates the Role; records actions.ROLE_GRANTED.
    """
    if user.admin_role:
        raise ValidationError(
            _("%(user)s is an administrator and cannot hold a business role.") % {"user": user},
            code="admin_with_roles",
        )
    with transaction.atomic():
        if Role.objects.filter(user=user, organization=organization, kind=kind).exists():
            raise ValidationError(
                _("%(user)s already holds this role on this organization.") % {"user": user},
                code="duplicate",
            )
        role = Role(user=user, organization=organization, kind=kind)
        role.full_clean()
        role.save()
        _record(
            actions.ROLE_GRANTED,
            request=request,
            user=actor,
            target=role,
            detail={
                "user": user.username,
                "organization": organization.name,
                "organization_id": organization.pk,
                "kind": kind,
            },
        )
    return role


def remove_role(*, actor, role: Role, request=None) -> None:
    """Take away a business role. Side effects: deletes it; records actions.ROLE_REMOVED."""
    detail = {
        "user": role.user.username,
        "organization": role.organization.name,
        "organization_id": role.organization_id,
        "kind": role.kind,
    }
    with transaction.atomic():
        role.delete()
        _record(actions.ROLE_REMOVED, request=request, user=actor, target=role.user, detail=detail)


def set_admin_role(*, actor, user: User, admin_role: str, request=None) -> None:
    """Make `user` the administrator `admin_role`, or no administrator with "".

    Raises ValidationError when the actor acts on themselves, when `user` holds business
    roles, or when it would leave no active security administrator.
    Side effects: saves the user; records actions.ADMIN_ROLE_GRANTED or actions.ADMIN_ROLE_REMOVED.
    """
    if admin_role not in ("", *AdminRole.values):
        raise ValidationError(_("Unknown administrator role."), code="invalid")
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(
            _("You cannot change your own administrator role."), code="self_grant"
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        old = user.admin_role
        if old == admin_role:
            return
        if admin_role and user.roles.exists():
            raise ValidationError(
                _("%(user)s holds business roles; remove them before making them an administrator.")
                % {"user": user},
                code="admin_with_roles",
            )
        if old == AdminRole.SECURITY and is_last_security_admin(user):
            raise ValidationError(
                _("%(user)s is the last security administrator; appoint another one first.")
                % {"user": user},
                code="last_security_admin",
            )
        user.admin_role = admin_role
        user.save(update_fields=["admin_role"])
        if old:
            _record(
                actions.ADMIN_ROLE_REMOVED,
                request=request,
                user=actor,
                target=user,
                detail={"user": user.username, "admin_role": old},
            )
        if admin_role:
            _record(
                actions.ADMIN_ROLE_GRANTED,
                request=request,
                user=actor,
                target=user,
                detail={"user": user.username, "admin_role": admin_role},
            )


def _other_security_admins(user: User):
    return User.objects.filter(admin_role=AdminRole.SECURITY, is_active=True).exclude(pk=user.pk)


def is_last_security_admin(user: User) -> bool:
    """Whether `user` is the only active security administrator: disabling or deleting them
    would leave nobody able to grant roles (the system administrator's pages ask this)."""
    return user.admin_role == AdminRole.SECURITY and not _other_security_admins(user).exists()


def create_admin(*, username: str, admin_role: str, password: str, full_name: str = "") -> User:
    """A new administrator account with an initial password to change at first sign-in
    (`kaoping createadmin`). Raises ValidationError for a taken name or a weak password.
    Side effects: creates the user; records actions.USER_CREATED.
    """
    from kaoping.accounts.passwords import set_initial_password

    if admin_role not in AdminRole.values:
        raise ValidationError(_("Unknown administrator role."), code="invalid")
    with transaction.atomic():
        user = User(username=username, full_name=full_name, admin_role=admin_role)
        user.set_unusable_password()
        user.full_clean()
        user.save()
        set_initial_password(user, password)
        _record(
            actions.USER_CREATED,
            user=None,
            target=user,
            detail={"user": user.username, "admin_role": admin_role},
        )
    return user
