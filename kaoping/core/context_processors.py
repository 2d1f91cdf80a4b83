from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kaoping.accounts import scopes
from kaoping.accounts.enums import RoleKind


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
    return {"nav_links": links, "role_kinds": kinds}
