"""Names of audited actions and their labels.

`record` accepts any string; these constants are the names the project itself uses, so that the
audit administrator's filter lists them with a readable label.
"""

from django.utils.translation import gettext_lazy as _

LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOCKOUT = "lockout"
LOGOUT = "logout"
TWO_FACTOR_ENROLLED = "two_factor_enrolled"
TWO_FACTOR_VERIFIED = "two_factor_verified"
TWO_FACTOR_FAILED = "two_factor_failed"
TWO_FACTOR_REMOVED = "two_factor_removed"
TWO_FACTOR_BACKUP_USED = "two_factor_backup_used"
REAUTHENTICATED = "reauthenticated"
PASSWORD_CHANGED = "password_changed"
PASSWORD_RESET = "password_reset"
ROLE_GRANTED = "role_granted"
ROLE_REMOVED = "role_removed"
ADMIN_ROLE_GRANTED = "admin_role_granted"
ADMIN_ROLE_REMOVED = "admin_role_removed"
POLICY_CHANGED = "policy_changed"
USER_CREATED = "user_created"
USER_CHANGED = "user_changed"
USER_DISABLED = "user_disabled"
USER_ENABLED = "user_enabled"
SESSION_ENDED = "session_ended"
BREAK_GLASS = "break_glass"
BREAK_GLASS_ENDED = "break_glass_ended"
DOWNLOAD = "download"
EXPORT = "export"
IMPORT = "import"
PUBLICATION = "publication"
RETURN = "return"
SCORE_CHANGED_AFTER_SUBMISSION = "score_changed_after_submission"
RESCORE = "rescore"
AUDIT_EXPORT = "audit_export"
AUDIT_PURGE = "audit_purge"
ADMIN_SITE_CHANGE = "admin_site_change"

LABELS = {
    LOGIN: _("Sign-in"),
    LOGIN_FAILED: _("Failed sign-in"),
    LOCKOUT: _("Account locked out"),
    LOGOUT: _("Sign-out"),
    TWO_FACTOR_ENROLLED: _("Second factor enrolled"),
    TWO_FACTOR_VERIFIED: _("Second factor verified"),
    TWO_FACTOR_FAILED: _("Second factor failed"),
    TWO_FACTOR_REMOVED: _("Second factor removed"),
    TWO_FACTOR_BACKUP_USED: _("Backup code used"),
    REAUTHENTICATED: _("Re-authenticated"),
    PASSWORD_CHANGED: _("Password changed"),
    PASSWORD_RESET: _("Password reset"),
    ROLE_GRANTED: _("Role granted"),
    ROLE_REMOVED: _("Role removed"),
    ADMIN_ROLE_GRANTED: _("Administrator role granted"),
    ADMIN_ROLE_REMOVED: _("Administrator role removed"),
    POLICY_CHANGED: _("Security policy changed"),
    USER_CREATED: _("User created"),
    USER_CHANGED: _("User changed"),
    USER_DISABLED: _("User disabled"),
    USER_ENABLED: _("User enabled"),
    SESSION_ENDED: _("Session ended"),
    BREAK_GLASS: _("Break-glass access granted"),
    BREAK_GLASS_ENDED: _("Break-glass access ended"),
    DOWNLOAD: _("Download"),
    EXPORT: _("Export"),
    IMPORT: _("Import"),
    PUBLICATION: _("Publication"),
    RETURN: _("Returned for correction"),
    SCORE_CHANGED_AFTER_SUBMISSION: _("Score changed after submission"),
    RESCORE: _("Sheets rescored from their entries"),
    AUDIT_EXPORT: _("Audit log exported"),
    AUDIT_PURGE: _("Audit log purged"),
    ADMIN_SITE_CHANGE: _("Change in the admin site"),
}


def label(action: str) -> str:
    """The readable name of an action; unknown names (any string is accepted) show as they are."""
    return LABELS.get(action, action)
