"""`kaoping breakglass --username NAME --reason "..." [--minutes 60]`.

Emergency superuser access for a limited time (kaoping.accounts.breakglass): the grant and its
end are recorded in the audit log, and it ends by itself.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kaoping.accounts import breakglass
from kaoping.accounts.models import User


class Command(BaseCommand):
    help = "Grant an existing user superuser access for a limited time, with a logged reason."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--reason", required=True, help="why; stored in the audit log")
        parser.add_argument(
            "--minutes", type=int, default=60, help=f"1 to {breakglass.MAX_MINUTES} (default 60)"
        )

    def handle(self, *args, username, reason, minutes, **options):
        user = User.objects.filter(username__iexact=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user named {username!r}")
        try:
            breakglass.grant(user=user, minutes=minutes, reason=reason)
        except ValueError as error:
            raise CommandError(str(error)) from None
        until = timezone.localtime(user.break_glass_until)
        self.stdout.write(
            f"{user.username} is a superuser until {until:%Y-%m-%d %H:%M %z}; "
            "this is recorded in the audit log."
        )
