"""Reading the organization tree as one user may see it: roots, children, search, ancestors.

Every function starts from `kaoping.accounts.scopes`, so nothing here can show an organization
outside the user's scopes. Each answers in a fixed number of queries, whatever the tree's size.
"""

from __future__ import annotations

from collections.abc import Iterable

from kaoping.accounts import scopes
from kaoping.orgs.models import Organization

SEARCH_LIMIT = 50


def tree_roots(user) -> list[Organization]:
    """The top of the user's visible forest, each with `loaded_children` (active, ordered).

    A root is a visible organization whose parent is not visible. Queries: two (roots, then
    their children), plus the user's roles once per request.
    """
    visible = scopes.tree_organizations(user)
    roots = list(
        visible.active()
        .exclude(parent__in=visible.values("pk"))
        .with_child_count()
        .order_by("position", "name")
    )
    children = visible.active().filter(parent__in=[r.pk for r in roots]).with_child_count()
    by_parent: dict[int, list[Organization]] = {}
    for child in children.order_by("position", "name"):
        by_parent.setdefault(child.parent_id, []).append(child)
    for root in roots:
        root.loaded_children = by_parent.get(root.pk, [])
    return roots


def visible_children(user, org: Organization) -> list[Organization]:
    """Active children of `org` the user may see, with `child_count`, in one query."""
    qs = scopes.tree_organizations(user).active().filter(parent=org)
    return list(qs.with_child_count().order_by("position", "name"))


def visible_ancestors(user, org: Organization) -> list[Organization]:
    """`org`'s ancestors from the top down, leaving out any the user may not see."""
    ids = org.ancestor_ids
    if not ids:
        return []
    found = {o.pk: o for o in scopes.tree_organizations(user).filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def search(user, text: str) -> list[Organization]:
    """Visible organizations matching `text` by name or pinyin, each with `ancestor_names`.

    Two queries: the matches, then every match's visible ancestors at once (so two
    "第一党支部" can be told apart by where they sit).
    """
    visible = scopes.tree_organizations(user)
    results = list(visible.matching(text).order_by("-is_active", "name")[:SEARCH_LIMIT])
    wanted = {pk for org in results for pk in org.ancestor_ids}
    names = dict(visible.filter(pk__in=wanted).values_list("pk", "name")) if wanted else {}
    for org in results:
        org.ancestor_names = [names[pk] for pk in org.ancestor_ids if pk in names]
    return results


def tree_order(orgs: Iterable[Organization]) -> list[Organization]:
    """`orgs` depth first, siblings by (position, name); parents always before children.

    Organizations whose parent is not among `orgs` start the walk, so any subtree works.
    """
    orgs = list(orgs)
    present = {o.pk for o in orgs}
    children: dict[int | None, list[Organization]] = {}
    for org in orgs:
        key = org.parent_id if org.parent_id in present else None
        children.setdefault(key, []).append(org)
    for siblings in children.values():
        siblings.sort(key=lambda o: (o.position, o.name, o.pk))
    ordered: list[Organization] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        org = stack.pop()
        ordered.append(org)
        stack.extend(reversed(children.get(org.pk, [])))
    return ordered
