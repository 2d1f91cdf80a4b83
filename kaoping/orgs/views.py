from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from kaoping.accounts import scopes


@login_required
def tree(request):
    orgs = scopes.visible_organizations(request.user).order_by("path")
    return render(request, "orgs/tree.html", {"orgs": orgs})


@login_required
def detail(request, pk):
    org = scopes.visible_organizations(request.user).filter(pk=pk).first()
    if org is None:
        raise Http404
    return render(request, "orgs/detail.html", {"org": org})


@login_required
def roster_import(request):
    raise Http404
