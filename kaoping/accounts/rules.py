"""Permission predicates (django-rules). Object-level ones take an Organization.

Compose with | and &; views use `has_perm`, templates `{% has_perm %}`, the API the same names.
"""

import rules

from kaoping.accounts import scopes
from kaoping.accounts.enums import RoleKind


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


rules.add_perm("orgs.view_organization", covers_org)
rules.add_perm("orgs.change_organization", organizes_org)
rules.add_perm("orgs.add_child_organization", organizes_org)
rules.add_perm("orgs.import_roster", organizes_org)
rules.add_perm("orgs.browse", has_any_role)
rules.add_perm("orgs.manage_any", is_organizer)
