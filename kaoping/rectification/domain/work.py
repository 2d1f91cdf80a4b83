"""Working an issued list: the organization plans and reports, the organizer verifies.

open ──request──▶ requested ──close──▶ closed
  ▲                  │ reject (reason; `returned` set)
  └──────────────────┘
A re-check (`rechecks.py`) moves closed back to open with a new deadline.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.rectification.domain.events import save_with_event
from kaoping.rectification.domain.evidence import check_upload, store_file
from kaoping.rectification.enums import EventKind, IssueState
from kaoping.rectification.models import Issue, IssueEvent, Progress


def _lock(issue: Issue) -> Issue:
    """The issue's row locked and its state read again (two clicks never both succeed)."""
    issue.state = Issue.objects.select_for_update().values_list("state", flat=True).get(pk=issue.pk)
    return issue


def _require(issue: Issue, *states: str) -> None:
    if issue.state not in states:
        raise ValidationError(
            _("This issue is %(state)s; that cannot be done now.")
            % {"state": issue.get_state_display()}
        )


@transaction.atomic
def save_plan(*, issue: Issue, by, measures: str, owner: str, deadline: datetime.date) -> Issue:
    """The organization's measures (整改措施), owner (责任人) and deadline (整改时限).

    The deadline may not pass the organizer's limit. Refused (ValidationError naming the field)
    otherwise or once closure is requested. Side effects: the issue saved; a `planned` event."""
    _require(_lock(issue), IssueState.OPEN)
    errors = {}
    measures, owner = (measures or "").strip(), (owner or "").strip()
    if not measures:
        errors["measures"] = [_("Write the measures.")]
    if not owner:
        errors["owner"] = [_("Name the person responsible.")]
    if deadline is None:
        errors["deadline"] = [_("Give a deadline.")]
    elif issue.deadline_limit and deadline > issue.deadline_limit:
        errors["deadline"] = [
            _("The deadline may not be later than %(limit)s.") % {"limit": issue.deadline_limit}
        ]
    if errors:
        raise ValidationError(errors)
    issue.measures, issue.owner, issue.deadline = measures, owner, deadline
    save_with_event(issue, kind=EventKind.PLANNED, by=by,
                    fields=["measures", "owner", "deadline"])  # fmt: skip
    return issue


@transaction.atomic
def post_progress(*, issue: Issue, by, text: str, uploads=()) -> Progress:
    """A progress post with evidence files (photos or PDF). Every file is checked before any is
    written (EvidenceError otherwise). Side effects: Progress, ProgressFile rows and their files
    in storage, a `progress` event."""
    _require(_lock(issue), IssueState.OPEN)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Describe the progress.")]})
    checked = [check_upload(upload) for upload in uploads]
    progress = Progress.objects.create(issue=issue, by=by, text=text)
    for upload in checked:
        store_file(progress=progress, by=by, **upload)
    IssueEvent.objects.create(issue=issue, kind=EventKind.PROGRESS, by=by, note=text)
    return progress


@transaction.atomic
def request_closure(*, issue: Issue, by) -> Issue:
    """Ask the organizer to close the issue; measures, owner and deadline must be written.
    Side effects: state requested, `returned` cleared; a `requested` event."""
    _require(_lock(issue), IssueState.OPEN)
    if not (issue.measures and issue.owner and issue.deadline):
        raise ValidationError(_("Write the measures, the owner and the deadline first."))
    issue.state, issue.returned = IssueState.REQUESTED, False
    save_with_event(issue, kind=EventKind.REQUESTED, by=by, fields=["state", "returned"])
    return issue


@transaction.atomic
def reject_closure(*, issue: Issue, by, reason: str) -> Issue:
    """Send the issue back with a reason. Side effects: state open, `returned` with the reason;
    a `rejected` event."""
    _require(_lock(issue), IssueState.REQUESTED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the closure is rejected.")]})
    issue.state, issue.returned, issue.returned_reason = IssueState.OPEN, True, reason
    save_with_event(issue, kind=EventKind.REJECTED, by=by, note=reason,
                    fields=["state", "returned", "returned_reason"])  # fmt: skip
    return issue


@transaction.atomic
def record_satisfaction(*, issue: Issue, by, share) -> Issue:
    """Record the satisfaction share (a percentage, e.g. from the masses' evaluation).
    Side effects: the issue saved; a `satisfaction` event."""
    try:
        value = Decimal(str(share).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not Decimal(0) <= value <= Decimal(100):
        raise ValidationError(
            {"share": [_("Give the satisfaction as a percentage from 0 to 100.")]}
        )
    issue.satisfaction = value
    save_with_event(issue, kind=EventKind.SATISFACTION, by=by, note=f"{value}%",
                    fields=["satisfaction"])  # fmt: skip
    return issue


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}"


def satisfaction_blocks(issue: Issue) -> str | None:
    """Why the satisfaction gate keeps the issue open, or None when it does not."""
    threshold = issue.list.satisfaction_threshold
    if threshold is None:
        return None
    if issue.satisfaction is None:
        return _("Record the satisfaction first (at least %(threshold)s%%).") % {
            "threshold": _pct(threshold)
        }
    if issue.satisfaction < threshold:
        return _("Satisfaction %(share)s%% is below the threshold of %(threshold)s%%.") % {
            "share": _pct(issue.satisfaction), "threshold": _pct(threshold)
        }  # fmt: skip
    return None


@transaction.atomic
def close_issue(*, issue: Issue, by, closed_on: datetime.date | None = None,
                day: datetime.date | None = None) -> Issue:  # fmt: skip
    """Close (销号) a requested issue on `closed_on` (today by default, never in the future).
    Refused below the satisfaction threshold. Side effects: state closed, the closing date,
    `returned` cleared; a `closed` event."""
    day = day or timezone.localdate()
    closed_on = closed_on or day
    _require(_lock(issue), IssueState.REQUESTED)
    if closed_on > day:
        raise ValidationError({"closed_on": [_("The closing date cannot be in the future.")]})
    blocked = satisfaction_blocks(issue)
    if blocked:
        raise ValidationError({"share": [blocked]})
    issue.state, issue.closed_on, issue.returned = IssueState.CLOSED, closed_on, False
    save_with_event(issue, kind=EventKind.CLOSED, by=by, note=closed_on.isoformat(),
                    fields=["state", "closed_on", "returned"])  # fmt: skip
    return issue
