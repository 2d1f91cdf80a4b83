"""What people read: counts per organization and per parent, and reminders per user.

Each dashboard table is one aggregate query over the issues of a scope (issues carry their
organization, so no join through lists is needed to group them).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from kaoping.accounts import scopes
from kaoping.accounts.enums import RoleKind
from kaoping.rectification.enums import ACTIVE_STATES, IssueState
from kaoping.rectification.models import Issue


def counts(issues, day: datetime.date, group: str) -> list[dict]:
    """One row per `group` value (e.g. "organization" or "organization__parent"): open,
    overdue, closed, total and the closure rate (closed ÷ open and closed, in %)."""
    # Overdue spelled out on both fields: an aggregate's filter cannot use an alias.
    late = Q(deadline__lt=day) | Q(deadline__isnull=True, deadline_limit__lt=day)
    rows = (
        issues.filter(state__in=(*ACTIVE_STATES, IssueState.CLOSED))
        .values(f"{group}_id", f"{group}__name")
        .annotate(
            open=Count("pk", filter=Q(state__in=ACTIVE_STATES)),
            overdue=Count("pk", filter=Q(state__in=ACTIVE_STATES) & late),
            closed=Count("pk", filter=Q(state=IssueState.CLOSED)),
        )
        .order_by(f"{group}__path")
    )  # fmt: skip
    out = []
    for row in rows:
        total = row["open"] + row["closed"]
        out.append({
            "id": row[f"{group}_id"], "name": row[f"{group}__name"], "open": row["open"],
            "overdue": row["overdue"], "closed": row["closed"], "total": total,
            "rate": (Decimal(row["closed"] * 100) / total).quantize(Decimal("0.1")) if total else None,
        })  # fmt: skip
    return out


def scope_issues(user):
    """Issued issues of the organizations the user organizes."""
    return Issue.objects.filter(organization__in=scopes.managed_organizations(user))


def own_issues(user):
    """Issued issues of the organizations the user acts for as a branch user."""
    return Issue.objects.filter(
        organization__in=scopes.visible_organizations(user, RoleKind.BRANCH_USER),
        state__in=(*ACTIVE_STATES, IssueState.CLOSED),
    )


@dataclass
class Reminders:
    """An organization user's reminders: due within 7 days, overdue, returned (or reopened)."""

    due_soon: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    returned: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.due_soon or self.overdue or self.returned)

    def __len__(self):
        return len(self.due_soon) + len(self.overdue) + len(self.returned)


def reminders_for(user, day: datetime.date) -> Reminders:
    """The user's reminders on `day` (three queries)."""
    issues = own_issues(user).select_related("organization")
    return Reminders(
        due_soon=list(issues.due_within(day, 7).filter(state=IssueState.OPEN)),
        overdue=list(issues.overdue(day)),
        returned=list(issues.filter(state=IssueState.OPEN, returned=True)),
    )


def organizer_queue(user, day: datetime.date) -> dict:
    """What waits for an organizer: closure requests and re-checks that have come."""
    issues = scope_issues(user).select_related("organization")
    return {
        "requested": list(issues.filter(state=IssueState.REQUESTED)),
        "rechecks": list(issues.recheck_due(day)),
    }
