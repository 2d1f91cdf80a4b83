"""The worklist: what a rater or a branch user is assigned across campaigns, and what a panel
leader has to look over. One query per list, whatever its length."""

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.campaigns.enums import CampaignState, SheetStatus
from kaoping.campaigns.models import Assignment

HIDDEN_STATES = (CampaignState.DRAFT, CampaignState.ARCHIVED)


def _assignments(**filters):
    return (
        Assignment.objects.filter(**filters)
        .exclude(stage__campaign__state__in=HIDDEN_STATES)
        .select_related(
            "stage__campaign", "participant__organization", "participant__rubric", "rater", "sheet"
        )
        .annotate(entry_count=Count("sheet__entries"))
        .order_by(
            "-stage__campaign__year",
            "stage__campaign_id",
            "stage__position",
            "due_on",
            "participant__organization__name",
            "pk",
        )
    )


def _row(assignment, today):
    sheet = getattr(assignment, "sheet", None) if _has_sheet(assignment) else None
    status = sheet.status if sheet else SheetStatus.DRAFT
    stage = assignment.stage
    due = assignment.due_on or stage.ends_on
    rubric = rubric_of(assignment.participant.rubric)
    kind = assignment.participant.organization.kind
    return {
        "assignment": assignment,
        "sheet": sheet,
        "status": status,
        "status_label": SheetStatus(status).label,
        "started": sheet is not None and sheet.version > 0,
        "done": assignment.entry_count,
        "total": sum(1 for item in rubric.items.values() if item.applies(kind)),
        "due": due,
        "late": status != SheetStatus.SUBMITTED and due < today,
        "open": stage.starts_on <= today <= stage.ends_on,
    }


def _has_sheet(assignment) -> bool:
    try:
        assignment.sheet  # noqa: B018  (select_related: no query)
    except Assignment.sheet.RelatedObjectDoesNotExist:
        return False
    return True


def _groups(assignments, today):
    groups = []
    for campaign, items in groupby(assignments, key=lambda a: a.stage.campaign):
        rows = [_row(a, today) for a in items]
        # Late first, then what is still to do, then what is submitted.
        rows.sort(key=lambda r: (not r["late"], r["status"] == SheetStatus.SUBMITTED))
        submitted = sum(1 for r in rows if r["status"] == SheetStatus.SUBMITTED)
        groups.append(
            {"campaign": campaign, "rows": rows, "submitted": submitted, "count": len(rows)}
        )
    return groups


@login_required
def worklist(request):
    today = timezone.localdate()
    mine = _groups(_assignments(rater=request.user), today)
    led = _groups(_assignments(panel__leader=request.user).exclude(rater=request.user), today)
    return render(
        request,
        "campaigns/scoring/worklist.html",
        {"groups": mine, "led_groups": led, "today": today},
    )
