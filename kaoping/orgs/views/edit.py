"""Changing the tree: create a child, edit, move, deactivate. Writes go through the domain."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kaoping.orgs.domain.tree import (
    create_organization,
    deactivate_organization,
    move_organization,
    update_organization,
)
from kaoping.orgs.interfaces.forms import MoveForm, OrganizationForm
from kaoping.orgs.models import Organization
from kaoping.orgs.views.common import organization_or_404


def _form_page(request, org, form, title):
    return render(request, "orgs/form.html", {"org": org, "form": form, "title": title})


@login_required
def create_child(request, pk):
    parent = organization_or_404(request, pk, "orgs.add_child_organization", active=True)
    form = OrganizationForm(request.POST or None, instance=Organization(parent=parent))
    if request.method == "POST" and form.is_valid():
        child = create_organization(parent=parent, **form.cleaned_data)
        messages.success(request, _("Organization created."))
        return redirect("orgs:detail", pk=child.pk)
    return _form_page(
        request, parent, form, _("New organization under %(name)s") % {"name": parent.name}
    )


@login_required
def edit(request, pk):
    org = organization_or_404(request, pk, "orgs.change_organization", active=True)
    form = OrganizationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        update_organization(org=org, **form.cleaned_data)
        messages.success(request, _("Changes saved."))
        return redirect("orgs:detail", pk=org.pk)
    return _form_page(request, org, form, _("Edit %(name)s") % {"name": org.name})


@login_required
def move(request, pk):
    org = organization_or_404(request, pk, "orgs.move_organization", active=True)
    form = MoveForm(request.POST or None, user=request.user, org=org)
    if request.method == "POST" and form.is_valid():
        try:
            move_organization(org=org, new_parent=form.cleaned_data["parent"])
        except ValidationError as exc:
            form.add_error("parent", exc)
        else:
            messages.success(request, _("Organization moved."))
            return redirect("orgs:detail", pk=org.pk)
    return _form_page(request, org, form, _("Move %(name)s") % {"name": org.name})


@login_required
def deactivate(request, pk):
    org = organization_or_404(request, pk, "orgs.deactivate_organization", active=True)
    if request.method == "POST":
        count = deactivate_organization(org=org)
        message = ngettext(
            "Deactivated %(count)d organization.", "Deactivated %(count)d organizations.", count
        )
        messages.success(request, message % {"count": count})
        return redirect("orgs:detail", pk=org.parent_id)
    affected = Organization.objects.within([org]).active().count()
    return render(request, "orgs/deactivate.html", {"org": org, "affected": affected})
