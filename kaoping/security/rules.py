"""Who may use the security pages. Everyone signed in manages their own sessions; the system
and security administrators see and end anyone's; only the system administrator manages
accounts (三员分立: the security administrator grants roles, the audit administrator reads the
log, neither edits accounts)."""

import rules

from kaoping.accounts.rules import is_security_admin, is_system_admin


@rules.predicate
def is_ordinary_account(user, target):
    """Accounts without an administrator role or superuser flag: the ones the system
    administrator may change (administrators come from `kaoping createadmin` and the security
    administrator; resetting one's password would hand over their role)."""
    return target is not None and not target.admin_role and not target.is_superuser


rules.add_perm("security.view_any_session", is_system_admin | is_security_admin)
rules.add_perm("security.end_any_session", is_system_admin | is_security_admin)
rules.add_perm("security.manage_users", is_system_admin)
rules.add_perm("security.change_user", is_system_admin & is_ordinary_account)
