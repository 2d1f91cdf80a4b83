"""`kaoping demo`: load the demo data once and print the demo accounts."""

from __future__ import annotations

import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError
from django.db.utils import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kaoping.accounts.enums import AdminRole, RoleKind
from kaoping.core.demo import campaigns as demo_campaigns
from kaoping.core.demo import loader
from kaoping.core.demo.data import ACCOUNTS, ADMIN_ACCOUNTS, LOGIN_URL, PASSWORD, build_trees


def scope_size(account, trees) -> int:
    """How many organizations the account's role covers, as `scopes.visible_organizations` counts."""
    if account.role == RoleKind.BRANCH_USER:
        return 1
    return trees[account.tree].find(account.scope).size()


def account_rows() -> list[tuple[str, str, str, str]]:
    trees = build_trees()
    rows = []
    for account in ACCOUNTS:
        count = scope_size(account, trees)
        scope = ngettext(
            "%(scope)s (%(count)d organization)",
            "%(scope)s (%(count)d organizations)",
            count,
        ) % {"scope": account.scope, "count": count}
        rows.append((account.username, str(RoleKind(account.role).label), scope, PASSWORD))
    for admin in ADMIN_ACCOUNTS:
        rows.append((admin.username, str(AdminRole(admin.admin_role).label), "—", PASSWORD))
    return rows


def _width(text: str) -> int:
    """Columns the text takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Load the demo data (organizations from the seed documents and one account per role)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--accounts",
            action="store_true",
            help="Only print the demo accounts; load nothing.",
        )
        group.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo data (the demo trees and demo users only), then load it again.",
        )

    def handle(self, *args, accounts=False, reset=False, **options):
        if accounts:
            self._warn_if_not_loaded()
            self.print_accounts()
            return
        started = time.perf_counter()
        try:
            if reset:
                removed = loader.reset_demo()
                self.stdout.write(
                    _("Removed the demo: %(orgs)d organizations and %(users)d users.")
                    % {"orgs": removed.organizations, "users": removed.users}
                )
            result = loader.load_demo()
            made = demo_campaigns.load_demo_campaigns()
        except ProtectedError as exc:
            raise CommandError(
                _("The demo data cannot be removed: other records refer to it (%(error)s).")
                % {"error": exc.args[0]}
            ) from exc
        elapsed = time.perf_counter() - started
        for username in result.skipped_accounts:
            self.stderr.write(
                _("Skipped the account %(username)s: its organization is missing.")
                % {"username": username}
            )
        if result.created_anything:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Loaded the demo: %(orgs)d organizations and %(users)d users "
                        "in %(seconds).1f s."
                    )
                    % {"orgs": result.organizations, "users": result.users, "seconds": elapsed}
                )
            )
        else:
            self.stdout.write(_("The demo is already loaded; nothing was added."))
        if made.campaigns:
            self.stdout.write(
                _(
                    "Created %(count)d demo campaigns (%(sheets)d submitted sheets, %(users)d more accounts)."
                )
                % {"count": len(made.campaigns), "sheets": made.sheets, "users": made.users}
            )
        self.print_accounts()
        self.print_campaigns()

    def print_campaigns(self):
        self.stdout.write("")
        self.stdout.write(_("Demo campaigns (same password for every demo account)"))
        for name, accounts in demo_campaigns.who_sees():
            self.stdout.write(f"  {name}: {accounts}")

    def _warn_if_not_loaded(self):
        try:
            loaded = loader.demo_is_loaded()
        except DatabaseError:
            loaded = False
        if not loaded:
            self.stderr.write(_("The demo is not loaded yet: run “kaoping demo” first."))

    def print_accounts(self):
        header = (_("Username"), _("Role"), _("Scope"), _("Password"))
        self.stdout.write("")
        self.stdout.write(_("Demo accounts"))
        self.stdout.write(format_table(header, account_rows()))
        self.stdout.write("")
        self.stdout.write(_("Sign in at %(url)s") % {"url": LOGIN_URL})
