"""Writing and removing the demo data.

Organizations are inserted level by level with one bulk insert each (the history rows too); their
paths, which need the new primary keys, are computed in Python and written with one bulk update.
Everything happens in one transaction.

What counts as demo data: the three demo roots (by name, kind and having no parent) with their
whole subtrees, and the users named in `ACCOUNTS` and `ADMIN_ACCOUNTS`. `reset_demo` removes
exactly that.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from kaoping.accounts.models import Role, User
from kaoping.core.demo.data import (
    ACCOUNTS,
    ADMIN_ACCOUNTS,
    PASSWORD,
    AccountSpec,
    OrgSpec,
    build_trees,
)
from kaoping.orgs.domain.tree import path_for
from kaoping.orgs.models import Organization
from kaoping.orgs.pinyin import pinyin_keys

CHANGE_REASON = "demo data"


@dataclass
class LoadResult:
    organizations: int = 0
    users: int = 0
    roles: int = 0
    skipped_accounts: tuple[str, ...] = ()

    @property
    def created_anything(self) -> bool:
        return bool(self.organizations or self.users or self.roles)


def _root_query(spec: OrgSpec):
    return Organization.objects.filter(parent__isnull=True, name=spec.name, kind=spec.kind)


def demo_roots(trees: dict[str, OrgSpec] | None = None) -> dict[str, Organization]:
    """The demo roots present in the database, by tree key."""
    trees = trees or build_trees()
    found = {}
    for key, spec in trees.items():
        root = _root_query(spec).order_by("pk").first()
        if root is not None:
            found[key] = root
    return found


def _insert_trees(specs: list[OrgSpec]) -> list[Organization]:
    """Insert whole trees, one bulk insert per level; returns the created organizations."""
    created: list[Organization] = []
    level: list[tuple[OrgSpec, Organization | None, int]] = [(spec, None, 0) for spec in specs]
    while level:
        objs = []
        for spec, parent, position in level:
            org = Organization(parent=parent, position=position, **spec.model_fields())
            org.name_pinyin, org.name_initials = pinyin_keys(org.name)
            objs.append(org)
        objs = bulk_create_with_history(objs, Organization, default_change_reason=CHANGE_REASON)
        # SQLite (3.35+) and PostgreSQL both return the new primary keys from a bulk insert.
        if any(org.pk is None for org in objs):
            raise RuntimeError("the database did not return primary keys from a bulk insert")
        next_level = []
        for (spec, parent, _position), org in zip(level, objs, strict=True):
            org.path = path_for(pk=org.pk, parent=parent)
            next_level.extend(
                (child, org, index) for index, child in enumerate(spec.children, start=1)
            )
        created.extend(objs)
        level = next_level
    Organization.objects.bulk_update(created, ["path"], batch_size=500)
    return created


def _find_scope(roots: dict[str, Organization], account: AccountSpec) -> Organization | None:
    root = roots.get(account.tree)
    if root is None:
        return None
    return Organization.objects.within([root]).filter(name=account.scope).order_by("path").first()


def _ensure_accounts(roots: dict[str, Organization], result: LoadResult) -> None:
    existing = {
        u.username: u for u in User.objects.filter(username__in=[a.username for a in ACCOUNTS])
    }
    encoded_password = None
    skipped = []
    for account in ACCOUNTS:
        scope = _find_scope(roots, account)
        if scope is None:
            skipped.append(account.username)
            continue
        user = existing.get(account.username)
        if user is None:
            user = User(username=account.username, full_name=account.full_name)
            # One hash for all: the password is the same, printed, and PBKDF2 costs ~0.4 s a call.
            if encoded_password is None:
                user.set_password(PASSWORD)
                encoded_password = user.password
            else:
                user.password = encoded_password
            user.save()
            existing[user.username] = user
            result.users += 1
        _, role_created = Role.objects.get_or_create(
            user=user, organization=scope, kind=account.role
        )
        result.roles += int(role_created)
    result.skipped_accounts = tuple(skipped)
    _ensure_admin_accounts(result, encoded_password)


def _ensure_admin_accounts(result: LoadResult, encoded_password: str | None) -> None:
    """The three administrators; their printed password counts as chosen (no forced change)."""
    existing = set(
        User.objects.filter(username__in=[a.username for a in ADMIN_ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    for account in ADMIN_ACCOUNTS:
        if account.username in existing:
            continue
        user = User(
            username=account.username,
            full_name=account.full_name,
            admin_role=account.admin_role,
            password_changed_at=timezone.now(),
        )
        if encoded_password is None:
            user.set_password(PASSWORD)
            encoded_password = user.password
        else:
            user.password = encoded_password
        user.save()
        result.users += 1


@transaction.atomic
def load_demo() -> LoadResult:
    """Create whatever part of the demo is missing (all of it on an empty database).

    Idempotent: a tree whose root exists is left alone, existing demo users and roles are kept,
    so a second call creates nothing.
    """
    result = LoadResult()
    trees = build_trees()
    roots = demo_roots(trees)
    missing = [key for key in trees if key not in roots]
    if missing:
        created = _insert_trees([trees[key] for key in missing])
        result.organizations = len(created)
        by_name = {org.name: org for org in created if org.parent_id is None}
        for key in missing:
            roots[key] = by_name[trees[key].name]
    _ensure_accounts(roots, result)
    return result


@dataclass
class ResetResult:
    organizations: int = 0
    users: int = 0


@transaction.atomic
def reset_demo() -> ResetResult:
    """Remove the demo trees (their whole subtrees) and the demo users; nothing else.

    Raises `django.db.models.ProtectedError` when other records (say, a campaign's results) still
    point at a demo organization; then nothing is removed.
    """
    from kaoping.core.demo.campaigns import remove_demo_campaigns

    result = ResetResult()
    # The demo campaigns refer to demo organizations and users (PROTECT): they go first.
    remove_demo_campaigns()
    roots = list(demo_roots().values())
    if roots:
        subtree = Organization.objects.within(roots)
        result.organizations = subtree.count()
        subtree.delete()
    users = User.objects.filter(username__in=_demo_usernames())
    result.users = users.count()
    users.delete()
    return result


def demo_is_loaded() -> bool:
    trees = build_trees()
    usernames = _demo_usernames()
    return len(demo_roots(trees)) == len(trees) and User.objects.filter(
        username__in=usernames
    ).count() == len(usernames)


def _demo_usernames() -> list[str]:
    return [a.username for a in ACCOUNTS] + [a.username for a in ADMIN_ACCOUNTS]
