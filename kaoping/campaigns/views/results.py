"""Results pages: a campaign's results list, one organization's result, and "my results".

Before publication only the campaign's organizers and panel leaders see results (the working
Result rows). After it everyone — organizers too, unless they ask for the working results with
`?view=working` — reads the latest publication's frozen PublishedResult rows, limited to the
organizations their roles cover. Anything else answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaoping.accounts import scopes
from kaoping.campaigns.domain.publication import (
    PUBLISHED_STATES,
    latest_publication,
    publish,
    republish,
)
from kaoping.campaigns.domain.results import recompute_results
from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.campaigns.enums import AggregationMethod, CampaignState
from kaoping.campaigns.forms.results import PublishForm, ResultFilterForm
from kaoping.campaigns.models import (
    Campaign,
    CampaignRubric,
    Participant,
    Publication,
    PublishedResult,
    Result,
    StoredRubric,
)
from kaoping.orgs.models import Organization

PAGE_SIZE = 50
RECOMPUTE_STATES = (CampaignState.OPEN, CampaignState.CLOSED, CampaignState.PUBLISHED)
RELATED = ("participant__organization__parent",)


class Source:
    """Which rows a person reads: the working results or a publication's frozen copy."""

    def __init__(self, request, campaign):
        user = request.user
        self.can_work = user.has_perm("campaigns.view_working_results", campaign)
        self.publication = latest_publication(campaign)
        wants_working = request.GET.get("view") == "working"
        self.working = self.can_work and (self.publication is None or wants_working)
        if not self.working and self.publication is None:
            raise Http404
        self.user = user

    def rows(self, campaign):
        if self.working:
            return Result.objects.filter(campaign=campaign).select_related(*RELATED)
        rows = PublishedResult.objects.filter(publication=self.publication)
        if not self.can_work:
            rows = rows.filter(
                participant__organization__in=scopes.visible_organizations(self.user)
            )
        return rows.select_related(*RELATED)


def _campaign_for_results(request, pk) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("scope"), pk=pk)
    if not request.user.has_perm("campaigns.view_results", campaign):
        raise Http404
    return campaign


def _filter_form(request, campaign, rows):
    """Scopes to filter by: every organization above a participant, within the campaign's
    scope (read from the stored paths: two queries whatever the size). Grades to filter by:
    the bands of the campaign's rubrics (one small query, not a scan of every result)."""
    paths = rows.values_list("participant__organization__parent__path", flat=True).distinct()
    ids = {int(pk) for path in paths if path for pk in path.strip("/").split("/")}
    scopes_ = (
        Organization.objects.filter(pk__in=ids, path__startswith=campaign.scope.path)
        .only("pk", "name", "path")
        .order_by("path")
    )
    return ResultFilterForm(
        request.GET or None,
        scopes=scopes_,
        kinds=campaign.participant_kinds,
        grades=_grades(campaign),
    )


def _grades(campaign) -> list[str]:
    grades = set()
    for stored in StoredRubric.objects.filter(
        pk__in=CampaignRubric.objects.filter(campaign=campaign).values("rubric")
    ).only("sha256", "source"):
        outcome = rubric_of(stored).outcome
        grades.update(band.label for band in outcome.grades)
        if outcome.fail_grade:
            grades.add(outcome.fail_grade)
    return sorted(grades)


def _page(request, rows):
    """One page of `rows` (filtered and ordered) in two steps folded into one query: the page's
    ids taken off the sort's index (an offset over a narrow index, joining only what a filter
    needs), then those rows with their organizations. A plain OFFSET over the joined rows would
    build every skipped row: seconds on the last page of a province."""
    page = Paginator(rows.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    ids = page.object_list  # a sliced, still lazy query
    page.object_list = (
        rows.model.objects.filter(pk__in=ids)
        .select_related(*RELATED)
        .order_by(*rows.query.order_by)
    )
    return page


@login_required
def results_list(request, pk):
    campaign = _campaign_for_results(request, pk)
    source = Source(request, campaign)
    rows = source.rows(campaign)
    form = _filter_form(request, campaign, rows)
    page = _page(request, form.filter(rows))
    can_publish = request.user.has_perm("campaigns.publish", campaign)
    context = {
        "campaign": campaign,
        "page": page,
        "form": form,
        "source": source,
        "can_recompute": can_publish and campaign.state in RECOMPUTE_STATES,
        "can_publish": can_publish and campaign.state == CampaignState.CLOSED,
        "can_republish": can_publish and campaign.state == CampaignState.PUBLISHED,
        "publish_form": PublishForm(),
    }
    template = "campaigns/results/list.html"
    if request.htmx:
        template += "#rows"
    return render(request, template, context)


@login_required
@require_POST
def results_recompute(request, pk):
    campaign = _campaign_for_results(request, pk)
    if not request.user.has_perm("campaigns.publish", campaign):
        raise Http404
    if campaign.state not in RECOMPUTE_STATES:
        messages.error(request, _("Results are computed once the campaign is open."))
    else:
        done = recompute_results(campaign=campaign)
        messages.success(
            request,
            _("Results recomputed: %(count)d organizations in %(ms)d ms.")
            % {"count": done.results, "ms": round(done.seconds * 1000)},
        )
    return redirect(_working_url(campaign))


def _working_url(campaign):
    from django.urls import reverse

    return reverse("campaigns:results", args=[campaign.pk]) + "?view=working"


@login_required
@require_POST
def publish_results(request, pk):
    campaign = _campaign_for_results(request, pk)
    if not request.user.has_perm("campaigns.publish", campaign):
        raise Http404
    form = PublishForm(request.POST)
    note = form.data.get("note", "")
    try:
        if campaign.state == CampaignState.PUBLISHED:
            publication = republish(campaign=campaign, by=request.user, note=note)
        else:
            publication = publish(campaign=campaign, by=request.user, note=note)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_working_url(campaign))
    messages.success(
        request,
        _("Results published (publication %(number)d).") % {"number": publication.number},
    )
    return redirect("campaigns:results", pk=campaign.pk)


@login_required
def result_detail(request, pk, participant_pk):
    participant = get_object_or_404(
        Participant.objects.select_related("campaign__scope", "organization__parent", "rubric"),
        pk=participant_pk,
        campaign_id=pk,
    )
    if not request.user.has_perm("campaigns.view_result", participant):
        raise Http404
    campaign = participant.campaign
    source = Source(request, campaign)
    result = source.rows(campaign).filter(participant=participant).first()
    if result is None and not source.working:
        raise Http404
    rubric = rubric_of(participant.rubric)
    sections = [
        {"code": s.code, "title": s.title, "points": s.points,
         "score": (result.section_scores.get(s.code) if result else None)}
        for s in rubric.sections
    ]  # fmt: skip
    methods = dict(AggregationMethod.choices)
    stages = [
        {**row, "method_label": methods.get(row["method_used"], row["method_used"])}
        for row in (result.stages if result else [])
    ]
    context = {
        "campaign": campaign,
        "participant": participant,
        "result": result,
        "source": source,
        "sections": sections,
        "stages": stages,
        "comparison": result.comparison if result else [],
        "vetoes": [
            (code, rubric.items[code].text if code in rubric.items else code)
            for code in (result.vetoes if result else [])
        ],
    }
    return render(request, "campaigns/results/detail.html", context)


@login_required
def my_results(request):
    """The latest publication's results of every organization the user's roles cover."""
    latest = Publication.objects.filter(campaign=OuterRef("publication__campaign")).order_by(
        "-number"
    )
    rows = (
        PublishedResult.objects.filter(
            publication__campaign__state__in=PUBLISHED_STATES,
            publication__number=Subquery(latest.values("number")[:1]),
            participant__organization__in=scopes.visible_organizations(request.user),
        )
        .select_related("publication__campaign", *RELATED)
        .order_by("-publication__campaign__year", "publication__campaign_id", "rank_in_kind", "pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "campaigns/results/mine.html", {"page": page})
