"""`kaoping createadmin --role system|security|audit --username NAME [--full-name NAME]`.

How the first administrators of 三员分立 come to exist (there is no everyday superuser). The
password is asked twice at the terminal, or read from the environment variable named by
--password-env for scripted installs; it is an initial password, changed at first sign-in.
"""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kaoping.accounts.domain.roles import create_admin
from kaoping.accounts.enums import AdminRole


class Command(BaseCommand):
    help = "Create a system, security or audit administrator with an initial password."

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, choices=AdminRole.values)
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", default="")
        parser.add_argument(
            "--password-env",
            metavar="VARIABLE",
            help="read the initial password from this environment variable instead of asking",
        )

    def handle(self, *args, role, username, full_name, password_env, **options):
        password = self._password(password_env)
        try:
            user = create_admin(
                username=username, admin_role=role, password=password, full_name=full_name
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(
            f"Created {user.get_admin_role_display()} {user.username}; "
            "the password must be changed at first sign-in."
        )

    def _password(self, variable: str | None) -> str:
        if variable:
            value = os.environ.get(variable)
            if not value:
                raise CommandError(f"environment variable {variable} is empty or not set")
            return value
        first = getpass.getpass("Initial password: ")
        second = getpass.getpass("Initial password (again): ")
        if first != second:
            raise CommandError("the two passwords differ")
        return first
