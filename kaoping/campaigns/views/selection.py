"""Selection pages: the campaign's index of allocations, draws, awards and benchmarks, and the
cross-review allocation (交叉互评): propose (dry run), move a unit, verify, apply.

Draws are in `selection_draws.py`, awards and benchmarks in `selection_awards.py`. Only the
campaign's organizers manage selection (`campaigns.manage_selection`); everyone else gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaoping.accounts.models import User
from kaoping.campaigns.domain import allocation as domain
from kaoping.campaigns.enums import StageKind
from kaoping.campaigns.forms.selection import AllocationForm, MoveForm
from kaoping.campaigns.models import (
    Award,
    BenchmarkRound,
    Campaign,
    CrossAllocation,
    Draw,
    Participant,
    Stage,
)

ALLOCATION_STAGE_KINDS = (StageKind.CROSS_REVIEW, StageKind.SPOT_CHECK, StageKind.FULL_REVIEW)


def campaign_for(request, pk, perm="campaigns.manage_selection") -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("scope"), pk=pk)
    if not request.user.has_perm(perm, campaign):
        raise Http404
    return campaign


def add_errors(form, err: ValidationError) -> None:
    """A domain refusal onto the form: on its field when the form has it, else on top."""
    if hasattr(err, "error_dict"):
        for name, errors in err.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, err.messages)


@login_required
def selection(request, pk):
    """The campaign's allocations, draws, awards and benchmark round, with links."""
    campaign = campaign_for(request, pk)
    stages = list(campaign.stages.order_by("position"))
    allocations = CrossAllocation.objects.filter(stage__campaign=campaign).select_related(
        "stage", "created_by", "applied_by"
    )
    draws = Draw.objects.filter(campaign=campaign).select_related(
        "created_by", "stage", "applied_by"
    )
    context = {
        "campaign": campaign,
        "allocation_stages": [s for s in stages if s.kind in ALLOCATION_STAGE_KINDS],
        "observation_stages": [s for s in stages if s.kind == StageKind.OBSERVATION],
        "allocations": allocations,
        "draws": draws,
        "awards": Award.objects.filter(campaign=campaign),
        "round": BenchmarkRound.objects.filter(campaign=campaign).first(),
    }
    return render(request, "campaigns/selection/index.html", context)


def _stage(request, pk) -> Stage:
    stage = get_object_or_404(
        Stage.objects.select_related("campaign__scope"), pk=pk, kind__in=ALLOCATION_STAGE_KINDS
    )
    if not request.user.has_perm("campaigns.manage_selection", stage.campaign):
        raise Http404
    return stage


@login_required
def allocation_new(request, pk):
    """Propose an allocation of the stage's participants (a dry run; nothing is assigned)."""
    stage = _stage(request, pk)
    form = AllocationForm(request.POST or None, campaign=stage.campaign)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                proposal = domain.propose_allocation(
                    stage=stage, group_count=data["group_count"], balance=data["balance"],
                    same_parent=data["same_parent"], raters=list(data["raters"]),
                    by=request.user, seed=data["seed"],
                )  # fmt: skip
            except ValidationError as err:
                add_errors(form, err)
            else:
                messages.success(request, _("Allocation proposed; nothing is assigned yet."))
                return redirect("campaigns:allocation", proposal.pk)
    return render(request, "campaigns/selection/allocation_new.html",
                  {"stage": stage, "campaign": stage.campaign, "form": form},
                  status=status)  # fmt: skip


def _allocation(request, pk) -> CrossAllocation:
    allocation = get_object_or_404(
        CrossAllocation.objects.select_related(
            "stage__campaign__scope", "created_by", "applied_by"
        ),
        pk=pk,
    )
    if not request.user.has_perm("campaigns.manage_selection", allocation.stage.campaign):
        raise Http404
    return allocation


def allocation_view(allocation: CrossAllocation) -> dict:
    """Groups with their units, raters (with workload) and reviewed units; one row per unit
    for the move forms; the unplaced. Two queries whatever the size."""
    participants = Participant.objects.select_related("organization").in_bulk(allocation.units)
    rater_pks = [pk for team in allocation.raters for pk in team]
    users = User.objects.in_bulk(rater_pks)

    def name(pk):
        participant = participants.get(pk)
        return participant.organization.name if participant else str(pk)

    reviewer = {int(k): v for k, v in allocation.reviewer.items()}
    groups, units = [], []
    for index, members in enumerate(allocation.groups):
        reviewed = [name(u) for g in allocation.groups for u in g if reviewer.get(u) == index]
        groups.append(
            {
                "number": index + 1,
                "units": [name(u) for u in members],
                "raters": [
                    (users[r].display_name if r in users else str(r), len(reviewed))
                    for r in allocation.raters[index]
                ],
                "reviews": reviewed,
            }
        )
        for unit in members:
            by = reviewer.get(unit)
            units.append(
                {
                    "pk": unit,
                    "name": name(unit),
                    "group": index + 1,
                    "reviewer": None if by is None else by + 1,
                    "unplaced": unit in allocation.unplaced,
                }
            )
    return {
        "groups": groups,
        "units": units,
        "unplaced": [name(u) for u in allocation.unplaced],
        "group_numbers": range(1, len(allocation.groups) + 1),
    }


def _render_allocation(request, allocation, *, status=200, **extra):
    context = {
        "allocation": allocation,
        "stage": allocation.stage,
        "campaign": allocation.stage.campaign,
        **allocation_view(allocation),
        **extra,
    }
    return render(request, "campaigns/selection/allocation.html", context, status=status)


@login_required
def allocation(request, pk):
    return _render_allocation(request, _allocation(request, pk))


@login_required
@require_POST
def allocation_move(request, pk):
    """Give one unit to another group to review, checked by the same rules as the draw; a
    refusal is shown beside that unit with the reasons."""
    allocation = _allocation(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _render_allocation(
            request, allocation, status=400,
            move_errors={"form": [_("Choose a group by its number.")]},
        )  # fmt: skip
    unit = form.cleaned_data["participant"]
    try:
        domain.move_unit(
            allocation=allocation, participant_pk=unit,
            group=form.cleaned_data["group"] - 1, by=request.user,
        )  # fmt: skip
    except ValidationError as err:
        problems = err.messages
        return _render_allocation(
            request, allocation, status=400, move_errors={unit: problems}, move_unit=unit
        )
    messages.success(request, _("Moved; the allocation is marked as changed by hand."))
    return redirect("campaigns:allocation", allocation.pk)


@login_required
def allocation_verify(request, pk):
    """Re-run the allocation from its seed and inputs and say whether it is identical."""
    allocation = _allocation(request, pk)
    verified = {"same": domain.verify_allocation(allocation=allocation)}
    if request.htmx:
        return render(request, "campaigns/selection/_verify_allocation.html",
                      {"allocation": allocation, "verified": verified})  # fmt: skip
    return _render_allocation(request, allocation, verified=verified)


@login_required
@require_POST
def allocation_apply(request, pk):
    """Create the assignments of the allocation (refused while a unit is unplaced, or twice)."""
    allocation = _allocation(request, pk)
    try:
        written = domain.apply_allocation(allocation=allocation, by=request.user)
    except ValidationError as err:
        for message in err.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Allocation applied: %(count)d assignments.") % {"count": len(written)}
        )
    return redirect("campaigns:allocation", allocation.pk)
