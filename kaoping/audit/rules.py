import rules

from kaoping.accounts.rules import is_audit_admin

rules.add_perm("audit.view_log", is_audit_admin)
