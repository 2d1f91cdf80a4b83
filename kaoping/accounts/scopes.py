"""What part of the organization tree a user may see and act on.

A role on an organization covers its subtree, except a branch user's, which covers the one
organization it acts for. Every view and query asks these functions; none reads roles itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import empty

from kaoping.accounts.enums import RoleKind
from kaoping.accounts.models import Role
from kaoping.orgs.models import Organization

SUBTREE_KINDS = (RoleKind.ORGANIZER, RoleKind.RATER, RoleKind.VIEWER)
ALL_KINDS = (*SUBTREE_KINDS, RoleKind.BRANCH_USER)


def _cache_owner(user):
    # request.user is a lazy wrapper (django-otp wraps Django's in a second one) while has_perm()
    # receives the real user: cache on the real one so a request reads roles once.
    while True:
        wrapped = getattr(user, "_wrapped", empty)
        if wrapped is empty:
            return user
        user = wrapped


def _role_orgs(user, kinds: Iterable[str]) -> list[Organization]:
    key = tuple(sorted(kinds))
    if not key or not getattr(user, "is_authenticated", False):
        return []
    cache = _cache_owner(user).__dict__.setdefault("_kaoping_role_orgs", {})
    if key not in cache:
        roles = Role.objects.filter(user=user, kind__in=key).select_related("organization")
        cache[key] = [r.organization for r in roles if r.organization.is_active]
    return cache[key]


def visible_organizations(user, *kinds: str):
    """Organizations the user may see through roles of `kinds` (all roles when none given)."""
    kinds = kinds or ALL_KINDS
    subtree_roots = _role_orgs(user, [k for k in kinds if k in SUBTREE_KINDS])
    own = [o.pk for o in _role_orgs(user, [k for k in kinds if k == RoleKind.BRANCH_USER])]
    qs = (
        Organization.objects.within(subtree_roots) if subtree_roots else Organization.objects.none()
    )
    if own:
        qs = qs | Organization.objects.filter(pk__in=own)
    return qs


def managed_organizations(user):
    """Organizations the user may create, edit, move and deactivate: an organizer's subtrees."""
    return visible_organizations(user, RoleKind.ORGANIZER)


def _is_system_admin(user) -> bool:
    # 三员分立: the system administrator keeps the organization tree (and nothing scored in it).
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "admin_role", "") == "system"
    )


def tree_organizations(user):
    """Organizations the user may see on the tree pages: their scope, or every one for the
    system administrator. Campaigns, results and reports keep to `visible_organizations`."""
    if _is_system_admin(user):
        return Organization.objects.all()
    return visible_organizations(user)


def tree_managed_organizations(user):
    """Organizations the user may create, edit, move, deactivate and import rosters into."""
    if _is_system_admin(user):
        return Organization.objects.all()
    return managed_organizations(user)


def covers(user, org: Organization, *kinds: str) -> bool:
    """Whether one of the user's roles of `kinds` covers `org` (no query once roles are cached)."""
    kinds = kinds or ALL_KINDS
    for root in _role_orgs(user, [k for k in kinds if k in SUBTREE_KINDS]):
        if org.path.startswith(root.path):
            return True
    if RoleKind.BRANCH_USER in kinds:
        return any(o.pk == org.pk for o in _role_orgs(user, [RoleKind.BRANCH_USER]))
    return False


def role_kinds(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cache = _cache_owner(user).__dict__
    if "_kaoping_role_kinds" not in cache:
        cache["_kaoping_role_kinds"] = set(
            Role.objects.filter(user=user).values_list("kind", flat=True).distinct()
        )
    return cache["_kaoping_role_kinds"]
