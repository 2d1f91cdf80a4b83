"""Fetching the organization a URL names, within the user's scope."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from kaoping.accounts import scopes


def organization_or_404(request, pk, perm: str = "orgs.view_organization", *, active=False):
    """The organization `pk` if the user may see it (else 404, so nothing leaks) and holds `perm`
    on it (else 403: they can see it, so saying no is no leak). `active` also 404s a
    deactivated one, which nothing may change."""
    visible = scopes.tree_organizations(request.user)
    if active:
        visible = visible.active()
    org = get_object_or_404(visible, pk=pk)
    if not request.user.has_perm(perm, org):
        raise PermissionDenied
    return org
