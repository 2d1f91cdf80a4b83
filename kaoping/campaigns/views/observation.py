"""Observation pages: a stage's batches (and planning one), a batch with its visits and live
ranking, the ranking projected on a screen, the ranking partial the pages poll, and a visit.

Who sees what is in `permissions/observation.py`; anything else answers 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaoping.campaigns.domain import observation as domain
from kaoping.campaigns.enums import SheetStatus, StageKind
from kaoping.campaigns.forms.observation import BatchForm, CommentaryForm, StepsForm
from kaoping.campaigns.models import Assignment, ObservationBatch, Stage, Visit

# What each of 一听二看三查四谈五评 covers (seed 000).
STEP_HINTS = {
    "listen": gettext_lazy("The secretary's account of the organization's work."),
    "look": gettext_lazy("The premises and the activities."),
    "check": gettext_lazy("The files and records."),
    "talk": gettext_lazy("Discussion with the visitors."),
    "comment": gettext_lazy("The commentary."),
}


def poll_ms() -> int:
    """How often the ranking refreshes (tests shorten it)."""
    return int(getattr(settings, "KAOPING_OBSERVATION_POLL_MS", 5000))


def _stage(request, pk) -> Stage:
    stage = get_object_or_404(
        Stage.objects.select_related("campaign__scope"), pk=pk, kind=StageKind.OBSERVATION
    )
    if not request.user.has_perm("campaigns.view_observation", stage):
        raise Http404
    return stage


def _batch(request, pk, perm="campaigns.view_batch") -> ObservationBatch:
    batch = get_object_or_404(
        ObservationBatch.objects.select_related("stage__campaign__scope", "panel__leader"), pk=pk
    )
    if not request.user.has_perm(perm, batch):
        raise Http404
    return batch


@login_required
def observation_batches(request, pk):
    """The stage's batches (the organizer sees all, a panel person their panels'), and for the
    organizer the form that plans a new one."""
    stage = _stage(request, pk)
    can_plan = request.user.has_perm("campaigns.plan_observation", stage)
    form = None
    if can_plan:
        participants = stage.campaign.participants.select_related("organization").order_by(
            "organization__path"
        )
        form = BatchForm(request.POST or None, stage=stage, participants=participants)
        if request.method == "POST" and form.is_valid():
            try:
                batch = domain.plan_batch(
                    stage=stage, panel=form.cleaned_data["panel"], name=form.cleaned_data["name"],
                    mode=form.cleaned_data["mode"], starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                    participants=form.ordered_participants, by=request.user,
                )  # fmt: skip
            except ValidationError as err:
                _add_errors(form, err)
            else:
                messages.success(request, _("Batch %(name)s planned.") % {"name": batch.name})
                return redirect("campaigns:batch", batch.pk)
    elif request.method == "POST":
        raise Http404
    batches = stage.observation_batches.select_related("panel__leader").annotate(
        visit_count=Count("visits", distinct=True)
    )
    if not can_plan:
        user = request.user
        batches = batches.filter(Q(panel__leader=user) | Q(panel__members__user=user)).distinct()
    return render(request, "campaigns/observation/batches.html",
                  {"stage": stage, "campaign": stage.campaign, "batches": batches,
                   "form": form})  # fmt: skip


def _add_errors(form, err: ValidationError) -> None:
    if hasattr(err, "error_dict"):
        for name, errors in err.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, err.messages)


def _ranking_context(request, batch, *, screen=False) -> dict:
    return {
        "batch": batch,
        "ranking": domain.batch_ranking(batch),
        "poll_ms": poll_ms(),
        "screen": screen,
    }


@login_required
def batch(request, pk):
    """The batch: its visits in order with progress, the viewer's own sheets, the live ranking."""
    batch = _batch(request, pk)
    context = _ranking_context(request, batch)
    own = dict(
        domain.batch_assignments(batch)
        .filter(rater=request.user)
        .values_list("participant_id", "pk")
    )
    for row in context["ranking"].visits:
        row.own_pk = own.get(row.visit.participant_id)
    context.update(
        campaign=batch.stage.campaign,
        is_leader=batch.panel.leader_id == request.user.pk,
    )
    return render(request, "campaigns/observation/batch.html", context)


@login_required
def batch_screen(request, pk):
    """The ranking alone, in big type over the full width, for a projector."""
    batch = _batch(request, pk, "campaigns.view_batch_ranking")
    return render(request, "campaigns/observation/screen.html",
                  _ranking_context(request, batch, screen=True))  # fmt: skip


@login_required
def batch_ranking(request, pk):
    """The ranking partial the batch and screen pages poll; a plain visit goes to the batch."""
    batch = _batch(request, pk, "campaigns.view_batch_ranking")
    if not request.htmx:
        return redirect("campaigns:batch", batch.pk)
    screen = request.GET.get("screen") == "1"
    return render(request, "campaigns/observation/_ranking.html",
                  _ranking_context(request, batch, screen=screen))  # fmt: skip


@login_required
def visit(request, pk):
    """A visit: the five steps and the commentary (the leader records them), and the sheets."""
    visit = get_object_or_404(
        Visit.objects.select_related(
            "batch__stage__campaign__scope", "batch__panel__leader", "participant__organization"
        ),
        pk=pk,
    )
    if not request.user.has_perm("campaigns.view_visit", visit):
        raise Http404
    can_record = request.user.has_perm("campaigns.record_visit", visit)
    if request.method == "POST":
        if not can_record:
            raise Http404
        return _record(request, visit)
    steps = domain.steps_of(visit)
    return render(request, "campaigns/observation/visit.html",
                  _visit_context(request, visit, steps, can_record))  # fmt: skip


def _visit_context(request, visit, steps, can_record, steps_form=None, commentary_form=None):
    batch = visit.batch
    assignments = (
        Assignment.objects.filter(
            stage_id=batch.stage_id, panel_id=batch.panel_id, participant_id=visit.participant_id
        )
        .select_related("rater", "sheet")
        .order_by("rater__full_name", "rater__username")
    )
    if not can_record and not request.user.has_perm("campaigns.view_batch_ranking", batch):
        assignments = assignments.filter(rater=request.user)
    return {
        "visit": visit,
        "batch": batch,
        "campaign": batch.stage.campaign,
        "steps": [(code, label, STEP_HINTS[code], row) for code, label, row in steps],
        "can_record": can_record,
        "steps_form": steps_form or StepsForm(steps=steps),
        "commentary_form": commentary_form
        or CommentaryForm(initial={"commentary": visit.commentary}),
        "assignments": assignments,
        "own": next((a for a in assignments if a.rater_id == request.user.pk), None),
        "submitted": SheetStatus.SUBMITTED,
    }


def _record(request, visit):
    steps = domain.steps_of(visit)
    if request.POST.get("action") == "commentary":
        form = CommentaryForm(request.POST)
        if form.is_valid():
            domain.record_commentary(
                visit=visit, text=form.cleaned_data["commentary"], by=request.user
            )
            messages.success(request, _("Commentary saved."))
            return redirect("campaigns:visit", visit.pk)
        context = _visit_context(request, visit, steps, True, commentary_form=form)
    else:
        form = StepsForm(request.POST, steps=steps)
        if form.is_valid():
            domain.record_steps(visit=visit, steps=form.steps(), by=request.user)
            messages.success(request, _("Steps saved."))
            return redirect("campaigns:visit", visit.pk)
        context = _visit_context(request, visit, steps, True, steps_form=form)
    return render(request, "campaigns/observation/visit.html", context, status=400)
