"""Per-organization lists (一支部一清单): drafts from a publication, the organizer's edits, issuing.

A draft list is built for every organization of a publication from its result's lost points —
the scoring core's list, which already holds every lost item, every major deduction (重扣分项)
and every triggered veto — plus any veto code the lost points do not name. Building is
idempotent: an existing draft from an earlier publication is rebuilt from the newer one (a
republication corrects the results), an issued list is never touched.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kaoping.campaigns.models import PublishedResult
from kaoping.rectification.domain.events import save_with_event
from kaoping.rectification.enums import EventKind, IssueState, ListState, Source
from kaoping.rectification.models import Issue, IssueEvent, RectificationList

SOURCES = {s.value for s in Source}


def _points(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError):
        return None


def issues_from_result(result: PublishedResult) -> list[dict]:
    """The draft issues of one published result, in the result's (the rubric's) order."""
    rows, seen = [], set()
    for lost in result.lost_points or ():
        kind = lost.get("kind", "points")
        seen.add((lost.get("item", ""), kind))
        rows.append({
            "source": kind if kind in SOURCES else Source.POINTS,
            "item_code": lost.get("item", ""),
            "points": _points(lost.get("points")) if kind != "veto" else None,
            "text": lost.get("text", "") or lost.get("item", ""),
            "reasons": [r for r in lost.get("reasons", ()) if r],
        })  # fmt: skip
    for code in result.vetoes or ():
        if (code, "veto") not in seen:
            rows.append({"source": Source.VETO, "item_code": code, "points": None,
                         "text": code, "reasons": []})  # fmt: skip
    return rows


@transaction.atomic
def build_draft_lists(*, publication) -> list[RectificationList]:
    """Draft lists for every organization of `publication` (idempotent).

    Side effects: a RectificationList per published result that has none (draft), with an
    Issue per lost point/veto; a draft built from an older publication has its issues replaced
    from this one; issued lists stay as they are. Returns the lists created or rebuilt."""
    campaign = publication.campaign
    existing = {
        lst.organization_id: lst
        for lst in RectificationList.objects.select_for_update().filter(campaign=campaign)
    }
    results = PublishedResult.objects.filter(publication=publication).select_related("participant")
    touched, issues = [], []
    for result in results:
        org_id = result.participant.organization_id
        lst = existing.get(org_id)
        if lst is not None and (
            lst.state != ListState.DRAFT or lst.publication_id == publication.pk
        ):
            continue
        if lst is None:
            lst = RectificationList.objects.create(
                campaign=campaign, publication=publication, organization_id=org_id
            )
        else:
            lst.publication = publication
            lst.save(update_fields=["publication"])
            lst.issues.all().delete()
        touched.append(lst)
        issues += [
            Issue(list=lst, organization_id=org_id, position=n, **row)
            for n, row in enumerate(issues_from_result(result), start=1)
        ]
    bulk_create_with_history(issues, Issue, batch_size=500, default_change_reason="created")
    return touched


def _draft_issue(issue: Issue) -> None:
    if issue.list.state != ListState.DRAFT or issue.state != IssueState.DRAFT:
        raise ValidationError(_("Only issues of a draft list can be changed."))


def _clean_text(text: str, field: str = "text") -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: [_("Describe the issue.")]})
    return text


@transaction.atomic
def edit_issue(*, issue: Issue, by, text: str) -> Issue:
    """Reword a draft issue. Side effects: the issue saved; an `edited` event."""
    _draft_issue(issue)
    issue.text = _clean_text(text)
    save_with_event(issue, kind=EventKind.EDITED, by=by, fields=["text"])
    return issue


@transaction.atomic
def add_issue(*, lst: RectificationList, by, text: str) -> Issue:
    """Add an issue of the organizer's own to a draft list. Side effects: the Issue (last in
    the list) and a `created` event."""
    if lst.state != ListState.DRAFT:
        raise ValidationError(_("Only issues of a draft list can be changed."))
    last = lst.issues.order_by("-position").values_list("position", flat=True).first() or 0
    issue = Issue(list=lst, organization_id=lst.organization_id, position=last + 1,
                  source=Source.ADDED, text=_clean_text(text))  # fmt: skip
    save_with_event(issue, kind=EventKind.CREATED, by=by)
    return issue


@transaction.atomic
def drop_issue(*, issue: Issue, by, reason: str) -> Issue:
    """Drop a draft issue; the reason is mandatory. Side effects: state dropped; an event."""
    _draft_issue(issue)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the issue is dropped.")]})
    issue.state, issue.drop_reason = IssueState.DROPPED, reason
    save_with_event(issue, kind=EventKind.DROPPED, by=by, note=reason,
                    fields=["state", "drop_reason"])  # fmt: skip
    return issue


@transaction.atomic
def merge_issues(*, issues: list[Issue], by, text: str = "") -> Issue:
    """Merge two or more draft issues of one list into the first. Its text becomes `text` (or
    the texts joined), its points the sum, its reasons the union. Side effects: the others
    become `merged` (pointing at the first); `merged` events on all of them."""
    if len(issues) < 2:
        raise ValidationError({"issues": [_("Choose at least two issues to merge.")]})
    if len({i.list_id for i in issues}) != 1:
        raise ValidationError({"issues": [_("Only issues of one list can be merged.")]})
    for issue in issues:
        _draft_issue(issue)
    first, rest = issues[0], issues[1:]
    first.text = (text or "").strip() or "；".join(i.text for i in issues)
    points = [i.points for i in issues if i.points is not None]
    first.points = sum(points, Decimal(0)) if points else None
    first.reasons = list(dict.fromkeys(r for i in issues for r in i.reasons))
    save_with_event(first, kind=EventKind.MERGED, by=by,
                    note=", ".join(str(i.pk) for i in rest))  # fmt: skip
    for issue in rest:
        issue.state, issue.merged_into = IssueState.MERGED, first
        save_with_event(issue, kind=EventKind.MERGED, by=by, note=str(first.pk),
                        fields=["state", "merged_into"])  # fmt: skip
    return first


def _parse_threshold(threshold) -> Decimal | None:
    if threshold in (None, ""):
        return None
    value = _points(threshold)
    if value is None or not Decimal(0) < value <= Decimal(100):
        raise ValidationError({"satisfaction_threshold": [
            _("Give the satisfaction threshold as a percentage between 0 and 100.")]})  # fmt: skip
    return value


@transaction.atomic
def issue_lists(
    *,
    lists,
    by,
    deadline_limit: datetime.date,
    satisfaction_threshold=None,
    day: datetime.date | None = None,
) -> list[RectificationList]:
    """Issue draft lists to their organizations, all or nothing.

    Every list must still be a draft and keep at least one issue, and the deadline limit must
    lie after `day`; otherwise ValidationError naming the lists, and nothing is issued. Side
    effects: each list becomes issued (deadline limit, threshold, date, by); its kept issues
    become open with the limit; an `issued` event per issue."""
    day = day or timezone.localdate()
    threshold = _parse_threshold(satisfaction_threshold)
    if deadline_limit is None or deadline_limit <= day:
        raise ValidationError({"deadline_limit": [_("The deadline limit must be after today.")]})
    locked = list(
        RectificationList.objects.select_for_update()
        .filter(pk__in=[lst.pk for lst in lists])
        .select_related("organization")
    )
    kept = set(
        Issue.objects.filter(list__in=locked, state=IssueState.DRAFT).values_list(
            "list_id", flat=True
        )
    )
    wrong = [lst for lst in locked if lst.state != ListState.DRAFT or lst.pk not in kept]
    if wrong or not locked:
        names = "、".join(lst.organization.name for lst in wrong)
        raise ValidationError(
            _("Nothing was issued: these lists are not drafts with issues: %(names)s")
            % {"names": names or "—"}
        )
    for lst in locked:
        lst.state, lst.deadline_limit, lst.issued_on, lst.issued_by = (
            ListState.ISSUED, deadline_limit, day, by)  # fmt: skip
        lst.satisfaction_threshold = threshold
        lst._history_user = by
        lst.save()
    issues = list(Issue.objects.filter(list__in=locked, state=IssueState.DRAFT))
    for issue in issues:
        issue.state, issue.deadline_limit = IssueState.OPEN, deadline_limit
    bulk_update_with_history(issues, Issue, ["state", "deadline_limit"], default_user=by,
                             default_change_reason=EventKind.ISSUED)  # fmt: skip
    IssueEvent.objects.bulk_create(
        [IssueEvent(issue=i, kind=EventKind.ISSUED, by=by) for i in issues]
    )
    return locked
