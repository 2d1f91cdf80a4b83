"""The retention purge: delete rows older than a day, never younger than the retention period.

The purge removes a prefix of the chain, in one transaction: it first verifies the chain (a broken
chain is evidence and is not purged), deletes through the database gate (kaoping.audit.domain.guard),
leaves a sealed checkpoint with the last deleted row's hash so `verify` continues from it, and
records itself in the log.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.audit import actions
from kaoping.audit.domain.chain import checkpoint_seal
from kaoping.audit.domain.guard import purge_gate, retention_days
from kaoping.audit.domain.verify import verify_chain
from kaoping.audit.models import AuditEvent, ChainHead, Checkpoint


class PurgeRefused(Exception):
    pass


@dataclass(frozen=True)
class PurgeReport:
    deleted: int
    through_sequence: int | None


def purge_before(day: datetime.date, *, now: datetime.datetime | None = None) -> PurgeReport:
    """Delete the rows recorded before `day` (local time). Refuses if that reaches into the
    retention period or if the chain does not verify."""
    now = now or timezone.now()
    days = retention_days()
    cutoff = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    if cutoff > now - datetime.timedelta(days=days):
        raise PurgeRefused(
            _(
                "The audit log keeps records for at least %(days)s days: a purge before "
                "%(day)s would delete younger records."
            )
            % {"days": days, "day": day.isoformat()}
        )
    from kaoping.audit.log import record

    with transaction.atomic():
        ChainHead.objects.select_for_update().get_or_create(pk=1)
        verification = verify_chain()
        if not verification.ok:
            raise PurgeRefused(
                _("The audit chain does not verify, so nothing is purged: %(problem)s")
                % {"problem": verification.message}
            )
        through = _last_purgeable_sequence(cutoff)
        previous = Checkpoint.objects.order_by("-through_sequence").first()
        if through is None or (previous is not None and through <= previous.through_sequence):
            return PurgeReport(0, None)
        last = AuditEvent.objects.get(sequence=through)
        with purge_gate(), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {AuditEvent._meta.db_table} WHERE sequence <= %s", [through]
            )
            deleted = cursor.rowcount
        checkpoint = Checkpoint(
            through_sequence=through,
            last_hash=last.hash,
            purged_before=cutoff,
            created_at=now,
            row_count=deleted,
        )
        checkpoint.seal = checkpoint_seal(checkpoint)
        checkpoint.save()
        record(
            actions.AUDIT_PURGE,
            detail={"before": day.isoformat(), "through_sequence": through, "deleted": deleted},
        )
    return PurgeReport(deleted, through)


def _last_purgeable_sequence(cutoff: datetime.datetime) -> int | None:
    """The end of the prefix recorded before the cutoff (a prefix, so the chain stays whole)."""
    first_kept = AuditEvent.objects.filter(occurred_at__gte=cutoff).order_by("sequence").first()
    if first_kept is not None:
        return first_kept.sequence - 1 if first_kept.sequence > 1 else None
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last is not None else None
