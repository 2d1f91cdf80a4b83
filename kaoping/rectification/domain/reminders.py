"""Reminders by e-mail: the same lists as the in-app notifications, one mail per user."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from kaoping.accounts.enums import RoleKind
from kaoping.accounts.models import User
from kaoping.rectification.domain.overview import Reminders, reminders_for


def mail_configured() -> bool:
    """Mail is configured when EMAIL_HOST names a server (Django's default "localhost" is
    taken as unset: nothing listens there on a typical intranet server)."""
    host = (getattr(settings, "EMAIL_HOST", "") or "").strip()
    return bool(host) and host != "localhost"


def reminder_text(reminders: Reminders) -> str:
    lines = []
    for label, issues in (
        (_("Overdue"), reminders.overdue),
        (_("Due within 7 days"), reminders.due_soon),
        (_("Returned"), reminders.returned),
    ):
        for issue in issues:
            due = issue.due.isoformat() if issue.due else ""
            lines.append(f"[{label}] {issue.organization.name}: {issue.text} ({due})")
    return "\n".join(lines)


def send_reminders(*, day: datetime.date) -> dict:
    """Compute every branch user's reminders on `day`; when mail is configured, mail each user
    who has an address and reminders. Side effects: e-mails. Returns counts."""
    users = User.objects.filter(roles__kind=RoleKind.BRANCH_USER, is_active=True).distinct()
    counted, mails = 0, 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in users:
            reminders = reminders_for(user, day)
            if not reminders:
                continue
            counted += 1
            if mail_configured() and user.email:
                send_mail(_("Rectification reminders"), reminder_text(reminders),
                          None, [user.email])  # fmt: skip
                mails += 1
    return {"users": counted, "mails": mails}
