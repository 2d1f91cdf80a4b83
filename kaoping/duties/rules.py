"""Who may do what with responsibility lists. Object predicates take a DutyCycle or a DutyList.

- the organizer covering a cycle's scope sees the cycle, every list in it, and verifies (验单);
- the secretary — a branch user of the list's organization — writes, signs, files, amends and
  notes progress on their own list (建单/领单/查单);
- anyone whose role covers the organization, and its members (home organization), see the
  filed list's read-only page (晒单).
"""

import rules

from kaoping.accounts import scopes
from kaoping.accounts.enums import RoleKind
from kaoping.accounts.rules import is_organizer, organizes_org
from kaoping.duties.enums import ListState


@rules.predicate
def organizes_cycle(user, cycle):
    return cycle is not None and scopes.covers(user, cycle.scope, RoleKind.ORGANIZER)


@rules.predicate
def organizes_list(user, duty_list):
    return duty_list is not None and scopes.covers(user, duty_list.cycle.scope, RoleKind.ORGANIZER)


@rules.predicate
def holds_list(user, duty_list):
    return duty_list is not None and scopes.covers(
        user, duty_list.organization, RoleKind.BRANCH_USER
    )


@rules.predicate
def signed_it(user, duty_list):
    # Nobody verifies their own list, even as an organizer of the scope.
    return duty_list is not None and duty_list.versions.filter(created_by=user).exists()


@rules.predicate
def is_filed(user, duty_list):
    return duty_list is not None and duty_list.state == ListState.FILED


@rules.predicate
def member_or_covering(user, duty_list):
    if duty_list is None or not getattr(user, "is_authenticated", False):
        return False
    org = duty_list.organization
    return user.home_organization_id == org.pk or scopes.covers(user, org)


@rules.predicate
def holds_any(user):
    return RoleKind.BRANCH_USER in scopes.role_kinds(user)


rules.add_perm("duties.browse", is_organizer | holds_any)
rules.add_perm("duties.open_cycle", organizes_org)
rules.add_perm("duties.view_cycle", organizes_cycle)
rules.add_perm("duties.view_list", organizes_list | holds_list)
rules.add_perm("duties.edit_list", holds_list)
rules.add_perm("duties.note_list", holds_list & is_filed)
rules.add_perm("duties.verify_list", organizes_list & is_filed & ~signed_it)
rules.add_perm("duties.show_list", is_filed & (member_or_covering | organizes_list))
