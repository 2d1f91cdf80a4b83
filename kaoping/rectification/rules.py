"""Rectification permissions (django-rules). Objects: RectificationList, Issue, Organization.

An organizer covering the organization edits drafts, issues and verifies; the organization's
branch user sees its issued lists and works them; anyone covering the organization reads an
issued list. Drafts are the organizer's alone.
"""

import rules

from kaoping.accounts import scopes
from kaoping.accounts.enums import RoleKind
from kaoping.accounts.rules import has_any_role
from kaoping.rectification.enums import ListState


def _org(obj):
    return getattr(obj, "organization", obj)


def _issued(obj):
    lst = getattr(obj, "list", obj)
    return lst.state == ListState.ISSUED


@rules.predicate
def organizes(user, obj):
    return obj is not None and scopes.covers(user, _org(obj), RoleKind.ORGANIZER)


@rules.predicate
def works_for(user, obj):
    return obj is not None and scopes.covers(user, _org(obj), RoleKind.BRANCH_USER)


@rules.predicate
def reads_issued(user, obj):
    return obj is not None and _issued(obj) and scopes.covers(user, _org(obj))


@rules.predicate
def issued(user, obj):
    return obj is not None and _issued(obj)


rules.add_perm("rectification.view", has_any_role)
rules.add_perm("rectification.view_list", organizes | reads_issued)
rules.add_perm("rectification.change_list", organizes)
rules.add_perm("rectification.work_issue", works_for & issued)
rules.add_perm("rectification.verify_issue", organizes & issued)
rules.add_perm("rectification.export", organizes)
