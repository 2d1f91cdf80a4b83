"""Permission predicates (django-rules). Object-level ones take an Organization.

Compose with | and &; views use `has_perm`, templates `{% has_perm %}`, the API the same names.
"""

import rules

from kaoping.accounts import scopes
from kaoping.accounts.enums import AdminRole, RoleKind


@rules.predicate
def covers_org(user, org):
    return org is not None and scopes.covers(user, org)


@rules.predicate
def organizes_org(user, org):
    return org is not None and scopes.covers(user, org, RoleKind.ORGANIZER)


@rules.predicate
def is_organizer(user):
    return RoleKind.ORGANIZER in scopes.role_kinds(user)


@rules.predicate
def has_any_role(user):
    return bool(scopes.role_kinds(user))


# 三员分立: the three administrator roles (User.admin_role); inactive users are nothing.
def _admin_role(user) -> str:
    if user is None or not user.is_authenticated or not user.is_active:
        return ""
    return user.admin_role


@rules.predicate
def is_system_admin(user):
    return _admin_role(user) == AdminRole.SYSTEM


@rules.predicate
def is_security_admin(user):
    return _admin_role(user) == AdminRole.SECURITY


@rules.predicate
def is_audit_admin(user):
    return _admin_role(user) == AdminRole.AUDIT


rules.add_perm("accounts.manage_roles", is_security_admin)
rules.add_perm("accounts.change_security_policy", is_security_admin)

# The system administrator keeps the whole organization tree (三员分立: accounts, the tree,
# configuration), and sees nothing scored in it: campaigns and reports ask other predicates.
rules.add_perm("orgs.view_organization", covers_org | is_system_admin)
rules.add_perm("orgs.change_organization", organizes_org | is_system_admin)
rules.add_perm("orgs.add_child_organization", organizes_org | is_system_admin)
rules.add_perm("orgs.import_roster", organizes_org | is_system_admin)
rules.add_perm("orgs.browse", has_any_role | is_system_admin)
rules.add_perm("orgs.manage_any", is_organizer | is_system_admin)
