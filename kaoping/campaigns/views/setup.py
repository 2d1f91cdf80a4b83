"""Campaign setup pages: list, create/edit, overview, stages, panels and assignments, states.

Anything outside the user's campaigns answers 404; a campaign they may see but not change
answers 403. Writes go through `kaoping.campaigns.domain.setup` and `.assignments`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kaoping.campaigns.domain import assignments as assigning
from kaoping.campaigns.domain import setup
from kaoping.campaigns.enums import CAMPAIGN_TRANSITIONS, CampaignState, StageKind
from kaoping.campaigns.forms.setup import AssignForm, CampaignForm, PanelForm, StageForm
from kaoping.campaigns.interfaces.params import small_int
from kaoping.campaigns.models import Assignment, Campaign, Panel, Stage
from kaoping.orgs.enums import OrgKind

PREVIEW_SIZE = 50
# The publish button belongs to the results pages, which publish through their own domain.
BUTTON_STATES = {CampaignState.OPEN, CampaignState.CLOSED, CampaignState.ARCHIVED}


def campaign_or_404(request, pk, perm="campaigns.view_campaign") -> Campaign:
    """The campaign `pk` if the user may see it (else 404) and holds `perm` on it (else 403)."""
    visible = setup.visible_campaigns(request.user).select_related("scope")
    campaign = get_object_or_404(visible, pk=pk)
    if not request.user.has_perm(perm, campaign):
        raise PermissionDenied
    return campaign


def stage_or_404(request, pk, perm) -> Stage:
    stage = get_object_or_404(Stage.objects.select_related("campaign"), pk=pk)
    stage.campaign = campaign_or_404(request, stage.campaign_id, perm)
    return stage


def _refused(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# ---------------------------------------------------------------------------- campaigns


@login_required
def campaign_list(request):
    campaigns = (
        setup.visible_campaigns(request.user)
        .select_related("scope")
        .annotate(
            participant_count=Count("participants", distinct=True),
            stage_count=Count("stages", distinct=True),
        )
    )
    context = {"campaigns": campaigns, "can_add": request.user.has_perm("campaigns.add_campaign")}
    return render(request, "campaigns/setup/list.html", context)


@login_required
def campaign_create(request):
    if not request.user.has_perm("campaigns.add_campaign"):
        raise Http404
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = setup.create_campaign(by=request.user, **form.domain_arguments())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Campaign created as a draft."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/setup/form.html", {"form": form, "title": _("New campaign")})


@login_required
def campaign_edit(request, pk):
    campaign = campaign_or_404(request, pk, "campaigns.change_campaign")
    if campaign.state != CampaignState.DRAFT:
        messages.error(request, _("Only a draft campaign's settings can change."))
        return redirect("campaigns:detail", pk=campaign.pk)
    form = CampaignForm(request.POST or None, user=request.user, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            setup.update_campaign(campaign=campaign, **form.domain_arguments())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("campaigns:detail", pk=campaign.pk)
    title = _("Edit %(name)s") % {"name": campaign.name}
    context = {"form": form, "title": title, "campaign": campaign}
    return render(request, "campaigns/setup/form.html", context)


def _participant_preview(campaign: Campaign) -> dict:
    """Draft: what the settings select now (with kinds lacking a rubric); later: the fixed rows."""
    if campaign.state == CampaignState.DRAFT:
        orgs = setup.participating_organizations(campaign=campaign).select_related("parent")
        covered = {cr.org_kind for cr in campaign.rubrics.all()}
        rows = [{"org": o, "rubric_missing": o.kind not in covered} for o in orgs[:PREVIEW_SIZE]]
        return {"rows": rows, "count": orgs.count()}
    participants = campaign.participants.select_related("organization__parent", "rubric")
    rows = [{"org": p.organization, "rubric": p.rubric} for p in participants[:PREVIEW_SIZE]]
    return {"rows": rows, "count": participants.count()}


def _stages(campaign: Campaign):
    panels = Panel.objects.select_related("leader").annotate(member_count=Count("members"))
    return campaign.stages.annotate(
        assignment_count=Count("assignments", distinct=True),
        assigned_count=Count("assignments__participant", distinct=True),
    ).prefetch_related(Prefetch("panels", queryset=panels))


def _reduced_detail(request, campaign: Campaign):
    """The page for raters, branch users and panel leaders: the campaign's name, period and
    stage windows, and their own assignments — never other organizations' names."""
    user = request.user
    mine = list(
        Assignment.objects.filter(stage__campaign=campaign, rater=user)
        .select_related("stage", "participant__organization", "participant__campaign")
        .order_by("stage__position", "participant__organization__path")
    )
    published = campaign.state in (CampaignState.PUBLISHED, CampaignState.ARCHIVED)
    results, seen = [], set()
    for a in mine:
        participant = a.participant
        if published and participant.pk not in seen:
            seen.add(participant.pk)
            if user.has_perm("campaigns.view_result", participant):
                results.append(participant)
    context = {
        "campaign": campaign,
        "stages": campaign.stages.order_by("position"),
        "assignments": mine,
        "results": results,
        "leads_panel": Panel.objects.filter(stage__campaign=campaign, leader=user).exists(),
    }
    return render(request, "campaigns/setup/detail_reduced.html", context)


@login_required
def campaign_detail(request, pk):
    campaign = campaign_or_404(request, pk)
    user = request.user
    can_change = user.has_perm("campaigns.change_campaign", campaign)
    if not can_change:
        return _reduced_detail(request, campaign)
    stages = list(_stages(campaign))
    has_self = any(s.kind == StageKind.SELF_ASSESSMENT for s in stages)
    context = {
        "campaign": campaign,
        "can_change": can_change,
        "is_draft": campaign.state == CampaignState.DRAFT,
        "next_states": [
            CampaignState(s)
            for s in sorted(CAMPAIGN_TRANSITIONS[campaign.state])
            if s in BUTTON_STATES
        ]
        if user.has_perm("campaigns.change_state", campaign)
        else [],
        "rubrics": campaign.rubrics.select_related("rubric").order_by("org_kind"),
        "kind_labels": [OrgKind(k).label for k in campaign.participant_kinds if k in OrgKind],
        "excluded": campaign.excluded.all(),
        "preview": _participant_preview(campaign),
        "stages": stages,
        "transitions": campaign.transitions.select_related("by"),
        "problems": setup.opening_problems(campaign=campaign)
        if can_change and campaign.state == CampaignState.DRAFT
        else [],
        "without_branch_user": assigning.participants_without_branch_user(campaign=campaign)
        if can_change and has_self
        else [],
    }
    return render(request, "campaigns/setup/detail.html", context)


@login_required
@require_POST
def campaign_transition(request, pk):
    campaign = campaign_or_404(request, pk, "campaigns.change_state")
    to_state = request.POST.get("to_state", "")
    if to_state not in BUTTON_STATES:
        raise Http404
    try:
        setup.transition(
            campaign=campaign, to_state=to_state, by=request.user, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(
            request, _("The campaign is now %(state)s.") % {"state": CampaignState(to_state).label}
        )
    return redirect("campaigns:detail", pk=campaign.pk)


# ---------------------------------------------------------------------------- stages


def _stage_page(request, form, campaign, title, stage=None):
    context = {"form": form, "campaign": campaign, "title": title, "stage": stage}
    return render(request, "campaigns/setup/stage_form.html", context)


@login_required
def stage_create(request, pk):
    campaign = campaign_or_404(request, pk, "campaigns.change_stages")
    form = StageForm(request.POST or None, initial={"weight": 0})
    if request.method == "POST" and form.is_valid():
        try:
            setup.add_stage(campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Stage added."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return _stage_page(request, form, campaign, _("New stage"))


@login_required
def stage_edit(request, pk):
    stage = stage_or_404(request, pk, "campaigns.change_stages")
    original = Stage.objects.get(pk=stage.pk)
    form = StageForm(request.POST or None, instance=original)
    if request.method == "POST" and form.is_valid():
        try:
            setup.update_stage(stage=stage, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("campaigns:detail", pk=stage.campaign_id)
    title = _("Edit %(name)s") % {"name": stage.name}
    return _stage_page(request, form, stage.campaign, title, stage)


@login_required
@require_POST
def stage_delete(request, pk):
    stage = stage_or_404(request, pk, "campaigns.change_stages")
    try:
        setup.delete_stage(stage=stage)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Stage deleted."))
    return redirect("campaigns:detail", pk=stage.campaign_id)


# ---------------------------------------------------------------------------- assignments


def _filtered_participants(stage: Stage, params) -> tuple[list, dict]:
    participants = stage.campaign.participants.select_related(
        "organization__parent"
    ).prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(stage=stage).select_related("rater", "panel"),
            to_attr="stage_assignments",
        )
    )
    query = params.get("q", "").strip()
    kind = params.get("kind", "")
    parent = params.get("parent", "")
    parent_id = small_int(parent)  # anything else is no filter, never a 500
    if query:
        from kaoping.orgs.models import Organization

        participants = participants.filter(
            organization__in=Organization.objects.matching(query).values("pk")
        )
    if kind:
        participants = participants.filter(organization__kind=kind)
    if parent_id is not None:
        participants = participants.filter(organization__parent_id=parent_id)
    rows = list(participants.order_by("organization__path"))
    return rows, {"q": query, "kind": kind, "parent": parent}


def _filter_choices(stage: Stage) -> dict:
    orgs = stage.campaign.participants.values_list(
        "organization__kind", "organization__parent_id", "organization__parent__name"
    )
    kinds, parents = set(), {}
    for kind, parent_id, parent_name in orgs:
        kinds.add(kind)
        if parent_id:
            parents[parent_id] = parent_name
    return {
        "kinds": [(k, OrgKind(k).label) for k in sorted(kinds)],
        "parents": sorted(parents.items(), key=lambda item: item[1]),
    }


def _panel_conflicts(panels, participants) -> dict[int, list[str]]:
    """Per panel, why its people may not score some of the listed organizations."""
    people = {}
    members = {}
    for panel in panels:
        raters = [panel.leader, *(m.user for m in panel.members.all())]
        members[panel.pk] = [people.setdefault(u.pk, u) for u in raters]
    orgs = assigning.people_organizations(people.values())  # one query for every panel

    def refusals(raters):
        return [
            reason
            for p in participants
            for u in raters
            if (reason := assigning.rater_refusal(rater=u, organization=p.organization,
                                                  orgs=orgs[u.pk]))
        ]  # fmt: skip

    return {pk: refusals(raters) for pk, raters in members.items()}


def _assign_context(request, stage, assign_form, panel_form):
    participants, filters = _filtered_participants(stage, request.GET)
    panels = list(
        stage.panels.select_related("leader__home_organization").prefetch_related(
            "members__user__home_organization"
        )
    )
    conflicts = _panel_conflicts(panels, participants)
    for panel in panels:
        panel.conflicts = conflicts[panel.pk]
    selected = (
        {str(v) for v in assign_form.data.getlist("participants")}
        if assign_form.is_bound
        else set()
    )
    return {
        "stage": stage,
        "campaign": stage.campaign,
        "participants": participants,
        "selected": selected,
        "filters": filters,
        "choices": _filter_choices(stage),
        "panels": panels,
        "assign_form": assign_form,
        "panel_form": panel_form,
        "is_self": stage.kind == StageKind.SELF_ASSESSMENT,
    }


def _assign(request, stage, form) -> bool:
    if not form.is_valid():
        return False
    kind, target = form.cleaned_data["target"]
    arguments = {
        "participants": form.cleaned_data["participants"],
        "due_on": form.cleaned_data["due_on"],
    }
    try:
        if kind == "panel":
            written = assigning.assign_to_panel(panel=target, **arguments)
        else:
            written = assigning.assign_to_rater(stage=stage, rater=target, **arguments)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    message = ngettext("%(count)d assignment saved.", "%(count)d assignments saved.", len(written))
    messages.success(request, message % {"count": len(written)})
    return True


def _create_panel(request, stage, form) -> bool:
    if not form.is_valid():
        return False
    try:
        assigning.create_panel(stage=stage, **form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    messages.success(request, _("Panel created."))
    return True


@login_required
def assign(request, pk):
    stage = stage_or_404(request, pk, "campaigns.assign")
    action = request.POST.get("action") if request.method == "POST" else None
    assign_form = AssignForm(request.POST if action == "assign" else None, stage=stage)
    panel_form = PanelForm(request.POST if action == "panel" else None, campaign=stage.campaign)
    done = False
    if action == "assign":
        done = _assign(request, stage, assign_form)
    elif action == "panel":
        done = _create_panel(request, stage, panel_form)
    elif action == "self":
        try:
            missing = assigning.auto_assign_self_assessment(stage=stage)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Self-assessment assigned to the branch users."))
            if missing:
                names = "、".join(p.organization.name for p in missing)
                messages.warning(request, _("No branch user for: %(names)s") % {"names": names})
        done = True
    if done:
        return redirect(request.get_full_path())
    context = _assign_context(request, stage, assign_form, panel_form)
    if request.htmx and request.htmx.target == "participant-rows":
        return render(request, "campaigns/setup/assign.html#rows", context)
    return render(request, "campaigns/setup/assign.html", context)


@login_required
def panel_edit(request, pk):
    panel = get_object_or_404(Panel.objects.select_related("stage", "leader"), pk=pk)
    stage = stage_or_404(request, panel.stage_id, "campaigns.assign")
    initial = {
        "name": panel.name,
        "leader": panel.leader,
        "members": [m.user for m in panel.members.all()],
    }
    form = PanelForm(request.POST or None, campaign=stage.campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            panel.stage = stage
            assigning.update_panel(panel=panel, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("campaigns:assign", pk=stage.pk)
    context = {"form": form, "panel": panel, "stage": stage, "campaign": stage.campaign}
    return render(request, "campaigns/setup/panel_form.html", context)


@login_required
@require_POST
def panel_delete(request, pk):
    panel = get_object_or_404(Panel, pk=pk)
    stage = stage_or_404(request, panel.stage_id, "campaigns.assign")
    panel.stage = stage
    try:
        assigning.delete_panel(panel=panel)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Panel deleted."))
    return redirect("campaigns:assign", pk=stage.pk)


@login_required
@require_POST
def assignment_delete(request, pk):
    assignment = get_object_or_404(Assignment, pk=pk)
    stage = stage_or_404(request, assignment.stage_id, "campaigns.assign")
    assignment.stage = stage
    try:
        assigning.unassign(assignment=assignment)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Assignment removed."))
    return redirect("campaigns:assign", pk=stage.pk)
