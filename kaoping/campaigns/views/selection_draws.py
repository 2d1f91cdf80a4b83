"""Random draws (双随机): make one, show it with its inputs, verify it from the seed, export it
as xlsx for 公示, and apply it to a spot-check or cross-review stage."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaoping.accounts.models import User
from kaoping.campaigns.domain import sampling as domain
from kaoping.campaigns.forms.selection import ApplyDrawForm, DrawForm
from kaoping.campaigns.models import Draw, Participant
from kaoping.campaigns.views.selection import add_errors, campaign_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def draw_new(request, pk):
    campaign = campaign_for(request, pk)
    form = DrawForm(request.POST or None, campaign=campaign)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                draw = domain.make_draw(
                    campaign=campaign, title=data["title"], share=data["share"],
                    count=data["count"], stratify=data["stratify"], per_unit=data["per_unit"],
                    same_parent=data["same_parent"], pool=list(data["pool"]),
                    by=request.user, seed=data["seed"],
                )  # fmt: skip
            except ValidationError as err:
                add_errors(form, err)
            else:
                messages.success(request, _("Draw made with seed %(seed)s.") % {"seed": draw.seed})
                return redirect("campaigns:draw", draw.pk)
    return render(request, "campaigns/selection/draw_new.html",
                  {"campaign": campaign, "form": form}, status=status)  # fmt: skip


def _draw(request, pk) -> Draw:
    draw = get_object_or_404(
        Draw.objects.select_related("campaign__scope", "created_by", "stage", "applied_by"), pk=pk
    )
    if not request.user.has_perm("campaigns.manage_selection", draw.campaign):
        raise Http404
    return draw


def _names(pks) -> list[str]:
    participants = Participant.objects.select_related("organization").in_bulk(pks)
    return [participants[pk].organization.name for pk in pks if pk in participants]


def _render_draw(request, draw, *, status=200, **extra):
    context = {
        "draw": draw,
        "campaign": draw.campaign,
        "share_percent": None if draw.share is None else (Decimal(draw.share) * 100).normalize(),
        "rows": domain.draw_rows(draw),
        "pool": [u.display_name for u in User.objects.filter(pk__in=draw.pool)],
        "apply_form": extra.pop("apply_form", None) or ApplyDrawForm(campaign=draw.campaign),
        **extra,
    }
    return render(request, "campaigns/selection/draw.html", context, status=status)


@login_required
def draw(request, pk):
    return _render_draw(request, _draw(request, pk))


@login_required
def draw_verify(request, pk):
    """Re-run the draw from its seed and inputs: identical, or the re-run's list beside it."""
    draw = _draw(request, pk)
    verified = domain.verify_draw(draw=draw)
    if not verified["same"]:
        verified["names"] = _names(verified["drawn"])
    if request.htmx:
        return render(request, "campaigns/selection/_verify_draw.html",
                      {"draw": draw, "verified": verified})  # fmt: skip
    return _render_draw(request, draw, verified=verified)


@login_required
def draw_xlsx(request, pk):
    draw = _draw(request, pk)
    response = HttpResponse(domain.draw_workbook(draw), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="draw-{draw.pk}-{draw.seed}.xlsx"'
    return response


@login_required
@require_POST
def draw_apply(request, pk):
    """Turn the draw into the assignments of a spot-check or cross-review stage."""
    draw = _draw(request, pk)
    form = ApplyDrawForm(request.POST, campaign=draw.campaign)
    if form.is_valid():
        try:
            written = domain.apply_draw(
                draw=draw, stage=form.cleaned_data["stage"], by=request.user
            )
        except ValidationError as err:
            add_errors(form, err)
        else:
            messages.success(
                request, _("Draw applied: %(count)d assignments.") % {"count": len(written)}
            )
            return redirect("campaigns:draw", draw.pk)
    return _render_draw(request, draw, status=400, apply_form=form)
