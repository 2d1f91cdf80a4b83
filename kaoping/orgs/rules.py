"""Organization permissions beyond the scope ones in `kaoping.accounts.rules`.

Moving or deactivating an organization changes its parent's subtree, so it needs an organizer
role that covers the parent: the top of an organizer's own scope stays where it is (deactivating
it would lock its organizer out of the very scope they manage).
"""

import rules

from kaoping.accounts import scopes
from kaoping.accounts.enums import RoleKind
from kaoping.accounts.rules import is_system_admin


@rules.predicate
def organizes_parent(user, org):
    if org is None or org.parent_id is None:
        return False
    return scopes.covers(user, org.parent, RoleKind.ORGANIZER)


@rules.predicate
def has_parent(user, org):
    return org is not None and org.parent_id is not None


rules.add_perm("orgs.move_organization", organizes_parent | (is_system_admin & has_parent))
rules.add_perm("orgs.deactivate_organization", organizes_parent | (is_system_admin & has_parent))
