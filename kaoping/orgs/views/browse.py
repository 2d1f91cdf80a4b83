"""Browsing: the tree (with search) and an organization's page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import capfirst

from kaoping.accounts import scopes
from kaoping.orgs.domain import browse
from kaoping.orgs.models import Organization
from kaoping.orgs.views.common import organization_or_404

# The detail page labels its fields with the model's own (translated) verbose names.
FIELD_LABELS = {f.name: capfirst(f.verbose_name) for f in Organization._meta.fields}


@login_required
def tree(request):
    """The visible forest, first level open, deeper levels fetched by htmx; `q` searches."""
    if not request.user.has_perm("orgs.browse"):
        raise Http404
    query = request.GET.get("q", "").strip()
    context = {"query": query, "results": browse.search(request.user, query) if query else None}
    if request.htmx and request.htmx.target == "search-results":
        return render(request, "orgs/tree.html#results", context)
    context["roots"] = browse.tree_roots(request.user)
    return render(request, "orgs/tree.html", context)


@login_required
def children(request, pk):
    """One node's children for the tree (htmx); a plain request gets the node's page."""
    org = organization_or_404(request, pk)
    if not request.htmx:
        return redirect("orgs:detail", pk=org.pk)
    nodes = browse.visible_children(request.user, org)
    return render(request, "orgs/tree.html#children", {"nodes": nodes})


@login_required
def detail(request, pk):
    org = organization_or_404(request, pk)
    user = request.user
    children = scopes.tree_organizations(user).filter(parent=org).with_child_count()
    can_change = org.is_active and user.has_perm("orgs.change_organization", org)
    context = {
        "org": org,
        "labels": FIELD_LABELS,
        "ancestors": browse.visible_ancestors(user, org),
        "children": children.order_by("-is_active", "position", "name"),
        "can_change": can_change,
        "can_restructure": can_change and user.has_perm("orgs.move_organization", org),
    }
    return render(request, "orgs/detail.html", context)
