"""Re-checks (回头看): closed issues reappear for verification on their date.

A re-check is scheduled on a date or every N months (the first one N months after the closing
date, or after `day` when scheduled later). Passing keeps the issue closed (the next date when
repeating); failing reopens it with a new deadline and the reason, as a return.
"""

from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.rectification.domain.events import save_with_event
from kaoping.rectification.domain.work import _lock, _require
from kaoping.rectification.enums import EventKind, IssueState
from kaoping.rectification.models import Issue


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@transaction.atomic
def schedule_recheck(*, issues, by, on: datetime.date | None = None,
                     every_months: int | None = None, day: datetime.date | None = None) -> int:  # fmt: skip
    """Schedule a re-check of closed issues, on a date or every N months (all or nothing).
    Side effects: each issue's re-check date and interval; a `recheck_scheduled` event each.
    Returns how many issues were scheduled."""
    day = day or timezone.localdate()
    if (on is None) == (not every_months):
        raise ValidationError({"on": [_("Give either a date or a number of months.")]})
    if on is not None and on <= day:
        raise ValidationError({"on": [_("The re-check date must be after today.")]})
    if every_months is not None and not 1 <= every_months <= 24:
        raise ValidationError({"every_months": [_("Repeat every 1 to 24 months.")]})
    issues = list(issues)
    for issue in issues:
        _require(_lock(issue), IssueState.CLOSED)
    for issue in issues:
        issue.recheck_every_months = every_months or None
        issue.recheck_on = on or add_months(max(issue.closed_on or day, day), every_months)
        save_with_event(issue, kind=EventKind.RECHECK_SCHEDULED, by=by,
                        note=issue.recheck_on.isoformat(),
                        fields=["recheck_on", "recheck_every_months"])  # fmt: skip
    return len(issues)


def _due(issue: Issue, day: datetime.date) -> None:
    _require(_lock(issue), IssueState.CLOSED)
    if issue.recheck_on is None or issue.recheck_on > day:
        raise ValidationError(_("This issue has no re-check due."))


@transaction.atomic
def pass_recheck(*, issue: Issue, by, day: datetime.date | None = None) -> Issue:
    """The re-check found the issue still put right. Side effects: the next re-check date when
    repeating, none otherwise; a `recheck_passed` event."""
    day = day or timezone.localdate()
    _due(issue, day)
    months = issue.recheck_every_months
    issue.recheck_on = add_months(day, months) if months else None
    save_with_event(issue, kind=EventKind.RECHECK_PASSED, by=by, fields=["recheck_on"])
    return issue


@transaction.atomic
def fail_recheck(*, issue: Issue, by, reason: str, deadline: datetime.date,
                 day: datetime.date | None = None) -> Issue:  # fmt: skip
    """The re-check found the issue back: reopen it with a new deadline (also the new limit).
    Side effects: state open, returned with the reason, closing date and re-check cleared,
    `reopened` counted; a `recheck_failed` event."""
    day = day or timezone.localdate()
    _due(issue, day)
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Say what the re-check found.")]
    if deadline is None or deadline <= day:
        errors["deadline"] = [_("The new deadline must be after today.")]
    if errors:
        raise ValidationError(errors)
    issue.state, issue.returned, issue.returned_reason = IssueState.OPEN, True, reason
    issue.deadline = issue.deadline_limit = deadline
    issue.closed_on = issue.recheck_on = issue.recheck_every_months = None
    issue.reopened += 1
    save_with_event(issue, kind=EventKind.RECHECK_FAILED, by=by, note=reason)
    return issue
