"""`kaoping remind`: the daily reminders (due within 7 days, overdue, returned) by e-mail.

Run it once a day from a scheduler. Mail goes out only when mail is configured (EMAIL_HOST set
to a real server); otherwise the command reports what it would have sent.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kaoping.rectification.domain.reminders import mail_configured, send_reminders


class Command(BaseCommand):
    help = "Send the rectification reminders (due within 7 days, overdue, returned) by e-mail."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="The day to remind for (YYYY-MM-DD); today by default.")

    def handle(self, *args, day=None, **options):
        try:
            day = datetime.date.fromisoformat(day) if day else timezone.localdate()
        except ValueError:
            raise CommandError(f"--day must be a date like 2026-03-31; got {day!r}") from None
        report = send_reminders(day=day)
        mode = "sent" if mail_configured() else "not sent (mail is not configured)"
        self.stdout.write(
            f"{report['users']} users with reminders on {day.isoformat()}; "
            f"{report['mails']} e-mails {mode}."
        )
