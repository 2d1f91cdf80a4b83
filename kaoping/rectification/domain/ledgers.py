"""Rows of the ledgers: the 整改台账 of a scope, 达标/不达标 per campaign, weak organizations."""

from __future__ import annotations

from django.db.models import Count

from kaoping.campaigns.domain.publication import latest_publication
from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.campaigns.models import PublishedResult
from kaoping.orgs.models import Organization
from kaoping.rectification.enums import ACTIVE_STATES, IssueState, ListState
from kaoping.rectification.interfaces.dates import cn_date
from kaoping.rectification.models import Issue

STATE_CN = {
    IssueState.OPEN: "整改中",
    IssueState.REQUESTED: "申请销号",
    IssueState.CLOSED: "已销号",
}


def ledger_issues(scope: Organization, campaign=None):
    """Issued issues in `scope`'s subtree (one campaign's when given), in tree order."""
    issues = Issue.objects.filter(
        organization__path__startswith=scope.path,
        list__state=ListState.ISSUED,
        state__in=(*ACTIVE_STATES, IssueState.CLOSED),
    )
    if campaign is not None:
        issues = issues.filter(list__campaign=campaign)
    return issues.select_related("organization").order_by("organization__path", "list_id",
                                                          "position")  # fmt: skip


def _fails(participant, grade: str, vetoes) -> bool:
    """Not compliant: a veto, or the rubric's failing grade (the scoring core's own rule)."""
    if vetoes:
        return True
    outcome = rubric_of(participant.rubric).outcome
    if not outcome.grades:
        return False
    return grade == (outcome.fail_grade or outcome.grades[-1].label)


def compliance_rows(campaign, scope: Organization) -> tuple[list, list]:
    """(compliant, failing) rows of the latest publication within `scope` (two queries)."""
    publication = latest_publication(campaign)
    if publication is None:
        return [], []
    results = (
        PublishedResult.objects.filter(
            publication=publication, participant__organization__path__startswith=scope.path
        )
        .select_related("participant__organization__parent", "participant__rubric")
        .order_by("participant__organization__path")
    )
    open_counts = dict(
        Issue.objects.filter(list__campaign=campaign, state__in=ACTIVE_STATES)
        .values_list("organization_id")
        .annotate(n=Count("pk"))
    )
    compliant, failing = [], []
    for r in results:
        org = r.participant.organization
        row = (org.name, org.parent.name if org.parent else "", float(r.total or 0), r.grade,
               "；".join(r.vetoes or ()), open_counts.get(org.pk, 0))  # fmt: skip
        (failing if _fails(r.participant, r.grade, r.vetoes) else compliant).append(row)
    return compliant, failing


def weak_rows(scope: Organization) -> list[tuple]:
    """Weak organizations (软弱涣散) in `scope`, one row per open issue (or one empty row)."""
    orgs = list(
        Organization.objects.filter(path__startswith=scope.path, is_weak=True, is_active=True)
        .select_related("parent")
        .order_by("path")
    )
    issues = Issue.objects.filter(
        organization__in=orgs, state__in=ACTIVE_STATES, list__state=ListState.ISSUED
    ).order_by("list_id", "position")
    by_org: dict[int, list] = {}
    for issue in issues:
        by_org.setdefault(issue.organization_id, []).append(issue)
    rows = []
    for org in orgs:
        parent = org.parent.name if org.parent else ""
        for i in by_org.get(org.pk, ()):
            rows.append((org.name, parent, i.text, i.measures, cn_date(i.due), i.owner,
                         STATE_CN.get(i.state, "")))  # fmt: skip
        if org.pk not in by_org:
            rows.append((org.name, parent, "", "", "", "", "无未销号问题"))
    return rows
