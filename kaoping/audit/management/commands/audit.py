"""`kaoping audit verify | purge --before YYYY-MM-DD | export --output FILE [--from --to]`.

verify walks the hash chain and names the first altered or missing record (exit code 1 then);
purge deletes records older than a day, refusing anything within the retention period (at least
180 days); export writes the log, or a date range of it, as xlsx (and records that it did).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from kaoping.audit import actions
from kaoping.audit.domain.purge import PurgeRefused, purge_before
from kaoping.audit.domain.search import search_events
from kaoping.audit.domain.verify import verify_chain
from kaoping.audit.interfaces.xlsx_export import events_xlsx
from kaoping.audit.log import record


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"expected a date like 2026-03-31; got {value!r}") from None


class Command(BaseCommand):
    help = "Verify, purge or export the audit log."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Walk the hash chain; exit 1 at the first broken record.")
        purge = sub.add_parser("purge", help="Delete records older than a day (>= 180 days).")
        purge.add_argument("--before", required=True, help="YYYY-MM-DD (local day)")
        export = sub.add_parser("export", help="Write the log as xlsx.")
        export.add_argument("--output", required=True, help="file to write")
        export.add_argument("--from", dest="date_from", help="YYYY-MM-DD")
        export.add_argument("--to", dest="date_to", help="YYYY-MM-DD")

    def handle(self, *args, subcommand, **options):
        getattr(self, f"_{subcommand}")(**options)

    def _verify(self, **options):
        result = verify_chain()
        if result.ok:
            self.stdout.write(result.message)
            return
        raise CommandError(result.message, returncode=1)

    def _purge(self, *, before, **options):
        try:
            report = purge_before(_day(before))
        except PurgeRefused as refusal:
            raise CommandError(str(refusal)) from None
        if report.deleted:
            self.stdout.write(
                f"{report.deleted} records deleted (through sequence {report.through_sequence})."
            )
        else:
            self.stdout.write("Nothing to purge.")

    def _export(self, *, output, date_from=None, date_to=None, **options):
        filters = {
            "date_from": _day(date_from) if date_from else None,
            "date_to": _day(date_to) if date_to else None,
        }
        events = search_events(**filters)
        with open(output, "wb") as handle:
            handle.write(events_xlsx(events.iterator(chunk_size=2000)))
        record(
            actions.AUDIT_EXPORT,
            detail={"output": str(output), **{k: str(v) for k, v in filters.items() if v}},
        )
        self.stdout.write(f"Written {output}.")
