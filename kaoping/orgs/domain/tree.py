"""Writing the organization tree: create, edit, move, deactivate.

Each function keeps the stored `path` and pinyin keys right; views and importers call these and
never save an Organization's tree fields themselves.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from kaoping.orgs.models import Organization
from kaoping.orgs.pinyin import pinyin_keys


def path_for(*, pk: int, parent: Organization | None) -> str:
    return f"{parent.path if parent else '/'}{pk}/"


def fill_search_keys(org: Organization) -> None:
    org.name_pinyin, org.name_initials = pinyin_keys(org.name)


@transaction.atomic
def create_organization(*, parent: Organization | None, **fields) -> Organization:
    """Create an organization under `parent` (None for a root).

    Side effects: one insert and one update of the new row (its path needs its primary key).
    """
    org = Organization(parent=parent, **fields)
    fill_search_keys(org)
    org.full_clean(exclude=["path", "parent"])
    org.save()
    org.path = path_for(pk=org.pk, parent=parent)
    Organization.objects.filter(pk=org.pk).update(path=org.path)
    return org


@transaction.atomic
def update_organization(*, org: Organization, **fields) -> Organization:
    """Change an organization's own fields (not its place in the tree: see `move_organization`).

    Side effects: one update of the given fields and the pinyin keys. Only those columns are
    written, so an instance whose `path` went stale (an ancestor moved since it was read) cannot
    put the old path back.
    """
    forbidden = set(fields) & {"path", "parent", "parent_id", "name_pinyin", "name_initials"}
    if forbidden:
        raise TypeError(f"update_organization cannot set {sorted(forbidden)}")
    for name, value in fields.items():
        setattr(org, name, value)
    fill_search_keys(org)
    org.full_clean(exclude=["path", "parent"])
    org.save(update_fields=[*fields, "name_pinyin", "name_initials", "updated_at"])
    return org


@transaction.atomic
def move_organization(*, org: Organization, new_parent: Organization | None) -> Organization:
    """Move `org` and its whole subtree under `new_parent`.

    Refuses a move under the organization itself or one of its descendants.
    Side effects: one update of the moved row and one update of all its descendants' paths.
    """
    org = Organization.objects.select_for_update().get(pk=org.pk)
    if new_parent is not None:
        new_parent = Organization.objects.get(pk=new_parent.pk)
        if new_parent.path.startswith(org.path):
            raise ValidationError(
                _("“%(org)s” cannot be moved under itself or one of its own subordinates.")
                % {"org": org.name},
                code="cycle",
            )
    old_path = org.path
    new_path = path_for(pk=org.pk, parent=new_parent)
    org.parent = new_parent
    org.path = new_path
    org.save(update_fields=["parent", "path", "updated_at"])
    Organization.objects.filter(path__startswith=old_path).exclude(pk=org.pk).update(
        path=Concat(Value(new_path), Substr(F("path"), Length(Value(old_path)) + 1))
    )
    return org


@transaction.atomic
def deactivate_organization(*, org: Organization) -> int:
    """Deactivate `org` and its subtree; returns how many organizations changed."""
    return Organization.objects.within([org]).filter(is_active=True).update(is_active=False)
