"""What part of the organization tree a user may see and act on.

A role on an organization covers its subtree, except a branch user's, which covers the one
organization it acts for. Every view and query asks these functions; none reads roles itself.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from django.utils.functional import empty

from kaoping.accounts.enums import RoleKind
from kaoping.accounts.models import Role, User
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


# --- role kinds kept by the process, for the two-factor prompt only ---------------------------
#
# `role_kinds` reads the roles once per request, which every permission decision relies on.
# `prompt_role_kinds` answers from a copy kept by this process for at most ROLE_CACHE_SECONDS,
# so the two-factor middleware can ask "is this user an organizer?" on every request of a user
# without a second factor (raters, at each entry save) without a query. It must not be used for
# permissions, scopes or anything shown as the user's rights: those keep `role_kinds` and
# `_role_orgs`, read fresh in every request. Why the delay is acceptable for the prompt:
# - a grant or removal in this process (kaoping.accounts.domain.roles, the admin, any save or
#   delete of a Role) drops the user's copy at once and again at commit (signals below);
# - in other processes a new organizer is asked to enroll a second factor up to
#   ROLE_CACHE_SECONDS later. Only the enrollment prompt lags: someone who has a factor is asked
#   for a code whatever this holds, and whoever holds the password would enroll their own app
#   at the prompt anyway. A removed organizer may be asked to enroll for that long too;
# - copies are read and kept only outside a transaction (an uncommitted or rolled-back grant
#   never reaches other requests); a User saved or deleted drops its copy too (a new user may
#   reuse an id after a flush or a rolled-back transaction);
# - a request that has read the roles fresh already answers from that.

ROLE_CACHE_SECONDS = 30
ROLE_CACHE_SIZE = 10_000  # users kept at most; expired copies are dropped first
_kinds_by_user: dict[int, tuple[float, frozenset[str]]] = {}


def prompt_role_kinds(user) -> frozenset[str]:
    """The user's role kinds, read at most ROLE_CACHE_SECONDS ago by this process.
    Only for the two-factor enrollment prompt (see above): never for a permission."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    fresh = _cache_owner(user).__dict__.get("_kaoping_role_kinds")
    if fresh is not None:
        return frozenset(fresh)
    if connection.in_atomic_block:
        return frozenset(role_kinds(user))
    now = time.time()
    entry = _kinds_by_user.get(user.pk)
    # A clock moved backwards (or a test travelling in time) counts as expired.
    if entry is not None and 0 <= now - entry[0] < ROLE_CACHE_SECONDS:
        return entry[1]
    kinds = frozenset(role_kinds(user))
    if len(_kinds_by_user) >= ROLE_CACHE_SIZE:
        _drop_expired(now)
    _kinds_by_user[user.pk] = (now, kinds)
    return kinds


def _drop_expired(now: float) -> None:
    for pk, (read_at, _kinds) in list(_kinds_by_user.items()):
        if not 0 <= now - read_at < ROLE_CACHE_SECONDS:
            _kinds_by_user.pop(pk, None)
    if len(_kinds_by_user) >= ROLE_CACHE_SIZE:
        _kinds_by_user.clear()


def forget_prompt_role_kinds(user_id: int | None = None) -> None:
    """Drop this process's copy for one user (all users when None)."""
    if user_id is None:
        _kinds_by_user.clear()
    else:
        _kinds_by_user.pop(user_id, None)


def _forget_now_and_at_commit(user_id) -> None:
    # Now, so the rest of the granting request sees the change; at commit, so a copy another
    # thread of this process read meanwhile (the old roles, still committed then) goes too.
    forget_prompt_role_kinds(user_id)
    transaction.on_commit(lambda: forget_prompt_role_kinds(user_id))


@receiver(post_save, sender=Role, dispatch_uid="kaoping.scopes.role_saved")
@receiver(post_delete, sender=Role, dispatch_uid="kaoping.scopes.role_deleted")
def _role_written(sender, instance, **kwargs):
    if instance.user_id is not None:
        _forget_now_and_at_commit(instance.user_id)


@receiver(post_save, sender=User, dispatch_uid="kaoping.scopes.user_saved")
@receiver(post_delete, sender=User, dispatch_uid="kaoping.scopes.user_deleted")
def _user_written(sender, instance, **kwargs):
    if instance.pk is not None:
        _forget_now_and_at_commit(instance.pk)


@receiver(post_migrate, dispatch_uid="kaoping.scopes.migrated")
def _tables_reset(sender, **kwargs):
    # migrate and flush (between transactional tests) change tables behind the models' back.
    forget_prompt_role_kinds()
