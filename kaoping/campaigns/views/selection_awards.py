"""Grades by share (先进/一般/后进) with a cap, award quotas with adjustments, and benchmarks
(标杆): nominations per panel, review, 公示, objections and answers, confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaoping.campaigns.domain import awards as award_domain
from kaoping.campaigns.domain import benchmarks as bench
from kaoping.campaigns.forms.selection import (
    AdjustForm,
    AnswerForm,
    AwardForm,
    GradesForm,
    NominateForm,
    NoticeForm,
    ObjectionForm,
    ReviewForm,
)
from kaoping.campaigns.models import Award, BenchmarkRound, Nomination, Objection, Panel
from kaoping.campaigns.views.selection import add_errors, campaign_for


def _awards_context(campaign, grades_form, award_form, adjust_errors=None):
    grades = None
    if grades_form.is_bound and grades_form.is_valid():
        grades = award_domain.grades_by_share(campaign=campaign, **grades_form.shares())
    listings = [
        (award, award_domain.award_list(award=award))
        for award in Award.objects.filter(campaign=campaign)
    ]
    return {
        "campaign": campaign,
        "grades_form": grades_form,
        "grades": grades,
        "award_form": award_form,
        "listings": listings,
        "adjust_errors": adjust_errors or {},
    }


@login_required
def awards(request, pk):
    """Grades by share (GET form) and the awards with their lists; POST adds an award."""
    campaign = campaign_for(request, pk)
    grades_form = GradesForm(request.GET if "top" in request.GET else None)
    award_form = AwardForm(request.POST or None)
    if request.method == "POST":
        if award_form.is_valid():
            Award.objects.create(campaign=campaign, created_by=request.user,
                                 **award_form.cleaned_data)  # fmt: skip
            messages.success(request, _("Award added."))
            return redirect("campaigns:awards", campaign.pk)
        return render(request, "campaigns/selection/awards.html",
                      _awards_context(campaign, grades_form, award_form), status=400)  # fmt: skip
    return render(request, "campaigns/selection/awards.html",
                  _awards_context(campaign, grades_form, award_form))  # fmt: skip


@login_required
@require_POST
def award_adjust(request, pk):
    """Put a participant on or off an award's list with a reason; the quota's refusal is shown
    beside the award."""
    award = get_object_or_404(Award.objects.select_related("campaign__scope"), pk=pk)
    campaign = award.campaign
    if not request.user.has_perm("campaigns.manage_selection", campaign):
        raise Http404
    form = AdjustForm(request.POST)
    problems = []
    if form.is_valid():
        participant = campaign.participants.filter(pk=form.cleaned_data["participant"]).first()
        if participant is None:
            problems = [_("Not taking part in this campaign.")]
        else:
            try:
                award_domain.adjust_award(
                    award=award, participant=participant, by=request.user,
                    included=form.cleaned_data["included"], reason=form.cleaned_data["reason"],
                )  # fmt: skip
            except ValidationError as err:
                problems = err.messages
            else:
                messages.success(request, _("The list of %(award)s changed.") % {"award": award})
                return redirect("campaigns:awards", campaign.pk)
    else:
        problems = [f"{form[name].label}: {' '.join(e)}" for name, e in form.errors.items()]
    context = _awards_context(campaign, GradesForm(), AwardForm(), {award.pk: problems})
    return render(request, "campaigns/selection/awards.html", context, status=400)


# ---------------------------------------------------------------------------- benchmarks


def _panels(request, campaign, manages):
    panels = Panel.objects.filter(stage__campaign=campaign).select_related("stage", "leader")
    return panels if manages else panels.filter(leader=request.user)


def _benchmark_context(request, campaign, round_, manages, **forms):
    panels = _panels(request, campaign, manages)
    participants = campaign.participants.select_related("organization").order_by(
        "organization__path"
    )
    nominations = []
    if round_.pk:
        nominations = (
            round_.nominations.select_related(
                "panel", "participant__organization", "nominated_by", "reviewed_by"
            )
            .prefetch_related(
                Prefetch(
                    "objections",
                    queryset=Objection.objects.select_related("recorded_by", "answered_by"),
                )
            )
            .order_by("panel__name", "pk")
        )
        if not manages:
            nominations = nominations.filter(panel__in=panels)
    errors = forms.get("errors", {})
    nominations = list(nominations)
    for nomination in nominations:
        nomination.problems = errors.get(f"n{nomination.pk}", [])
        for objection in nomination.objections.all():
            objection.problems = errors.get(f"o{objection.pk}", [])
    return {
        "campaign": campaign,
        "round": round_,
        "manages": manages,
        "nominations": nominations,
        "selected_count": sum(n.selected for n in nominations),
        "nominate_form": forms.get("nominate_form")
        or NominateForm(panels=panels, participants=participants),
        "notice_form": forms.get("notice_form") or NoticeForm(),
        "top_errors": errors.get("top", []),
    }


@login_required
def benchmarks(request, pk):
    """The benchmark round: nominations (panel leaders for their panels), the organizer's
    review and selection, the 公示 period with objections and answers, and confirmation."""
    campaign = campaign_for(request, pk, "campaigns.nominate_benchmark")
    manages = request.user.has_perm("campaigns.manage_selection", campaign)
    round_ = BenchmarkRound.objects.filter(campaign=campaign).first() or BenchmarkRound(
        campaign=campaign
    )
    if request.method != "POST":
        return render(request, "campaigns/selection/benchmarks.html",
                      _benchmark_context(request, campaign, round_, manages))  # fmt: skip
    action = request.POST.get("action")
    if action != "nominate" and not manages:
        raise Http404
    handler = STEPS.get(action)
    if handler is None:
        raise Http404
    round_ = bench.round_of(campaign)
    extra = handler(request, campaign, round_, manages)
    if extra is None:
        return redirect("campaigns:benchmarks", campaign.pk)
    context = _benchmark_context(request, campaign, round_, manages, **extra)
    return render(request, "campaigns/selection/benchmarks.html", context, status=400)


def _nominate(request, campaign, round_, manages):
    participants = campaign.participants.select_related("organization")
    form = NominateForm(
        request.POST, panels=_panels(request, campaign, manages), participants=participants
    )
    if form.is_valid():
        panel = form.cleaned_data["panel"]
        if not request.user.has_perm("campaigns.nominate_for_panel", panel):
            raise Http404
        try:
            bench.nominate(
                round_=round_, panel=panel, participant=form.cleaned_data["participant"],
                reason=form.cleaned_data["reason"], by=request.user,
            )  # fmt: skip
        except ValidationError as err:
            add_errors(form, err)
        else:
            messages.success(request, _("Nomination recorded."))
            return None
    return {"nominate_form": form}


def _nomination(round_, pk) -> Nomination:
    return get_object_or_404(Nomination.objects.select_related("round"), pk=pk, round=round_)


def _step(form, key, run):
    """Run one organizer step; its refusal goes beside the row `key` (or on top)."""
    if not form.is_valid():
        problems = [f"{form[n].label}: {' '.join(e)}" for n, e in form.errors.items()]
        return {"errors": {key(None): problems}}
    try:
        run(form.cleaned_data)
    except ValidationError as err:
        return {"errors": {key(form.cleaned_data): err.messages}}
    return None


def _review(request, campaign, round_, manages):
    form = ReviewForm(request.POST)

    def run(data):
        bench.review(nomination=_nomination(round_, data["nomination"]),
                     selected=data["selected"], note=data["note"], by=request.user)  # fmt: skip

    return _step(form, lambda d: f"n{d['nomination']}" if d else "top", run)


def _notice(request, campaign, round_, manages):
    form = NoticeForm(request.POST)
    if form.is_valid():
        try:
            bench.start_notice(round_=round_, by=request.user, **form.cleaned_data)
        except ValidationError as err:
            add_errors(form, err)
        else:
            messages.success(request, _("The notice period is open."))
            return None
    return {"notice_form": form}


def _objection(request, campaign, round_, manages):
    form = ObjectionForm(request.POST)

    def run(data):
        bench.record_objection(nomination=_nomination(round_, data["nomination"]),
                               text=data["text"], received_on=data["received_on"],
                               by=request.user)  # fmt: skip

    return _step(form, lambda d: f"n{d['nomination']}" if d else "top", run)


def _answer(request, campaign, round_, manages):
    form = AnswerForm(request.POST)

    def run(data):
        objection = get_object_or_404(Objection, pk=data["objection"], nomination__round=round_)
        bench.answer_objection(objection=objection, answer=data["answer"], by=request.user)

    return _step(form, lambda d: f"o{d['objection']}" if d else "top", run)


def _confirm(request, campaign, round_, manages):
    try:
        bench.confirm(round_=round_, by=request.user)
    except ValidationError as err:
        return {"errors": {"top": err.messages}}
    messages.success(request, _("The benchmarks are confirmed."))
    return None


STEPS = {
    "nominate": _nominate,
    "review": _review,
    "notice": _notice,
    "objection": _objection,
    "answer": _answer,
    "confirm": _confirm,
}
