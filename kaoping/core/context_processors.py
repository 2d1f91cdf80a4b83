from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kaoping.accounts import scopes
from kaoping.accounts.enums import RoleKind
from kaoping.accounts.rules import is_audit_admin, is_security_admin, is_system_admin


def navigation(request):
    """The navigation links a user's roles open; pages add their own links as apps arrive."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    kinds = scopes.role_kinds(user)
    links = [(reverse("home"), _("Home"))]
    if kinds & {RoleKind.RATER, RoleKind.BRANCH_USER, RoleKind.ORGANIZER}:
        links.append((reverse("campaigns:worklist"), _("Worklist")))
    if kinds:
        links.append((reverse("campaigns:list"), _("Campaigns")))
        links.append((reverse("reports:index"), _("Reports")))
        links.append((reverse("rectification:index"), _("Rectification")))
        links.append((reverse("duties:index"), _("Responsibility lists")))
        links.append((reverse("orgs:tree"), _("Organizations")))
    if RoleKind.ORGANIZER in kinds:
        links.append((reverse("orgs:roster_import"), _("Import roster")))
    # Predicates, not has_perm: a permission no rule grants falls through to ModelBackend,
    # which costs two queries on every page.
    if is_system_admin(user):
        links.append((reverse("security:user_list"), _("Users")))
        links.append((reverse("orgs:tree"), _("Organizations")))
        links.append((reverse("orgs:roster_import"), _("Import roster")))
    if is_security_admin(user):
        links.append((reverse("accounts:security_users"), _("Roles and permissions")))
        links.append((reverse("accounts:security_policy"), _("Security policy")))
    if is_system_admin(user) or is_security_admin(user):
        links.append((reverse("security:all_sessions"), _("Sessions")))
    if is_audit_admin(user):
        links.append((reverse("audit:index"), _("Audit log")))
    links.append((reverse("profile:index"), _("My account")))
    return {"nav_links": links, "role_kinds": kinds}
