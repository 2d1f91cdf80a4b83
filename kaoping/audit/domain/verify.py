"""Walk the chain and name the first row that was altered or is missing.

The walk starts at the newest purge checkpoint (its seal checked) or at the genesis hash, expects
sequence numbers without gaps, recomputes each row's HMAC, and finally compares the last row with
the chain head, so rows deleted from the end are noticed too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from kaoping.audit.domain.chain import GENESIS, checkpoint_seal, event_hash
from kaoping.audit.domain.keys import audit_key
from kaoping.audit.models import AuditEvent, ChainHead, Checkpoint

BATCH = 2000


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    first_sequence: int | None = None  # the altered or first missing row
    problem: str = ""  # "altered", "missing", "checkpoint" or "head"
    message: str = ""


def verify_chain() -> Verification:
    key = audit_key()
    checkpoint = Checkpoint.objects.order_by("-through_sequence").first()
    expected_sequence, expected_prev = 1, GENESIS
    if checkpoint is not None:
        if checkpoint_seal(checkpoint, key) != checkpoint.seal:
            return Verification(
                False,
                0,
                checkpoint.through_sequence,
                "checkpoint",
                _("The purge checkpoint through record %(sequence)s has been altered")
                % {"sequence": checkpoint.through_sequence},
            )
        expected_sequence = checkpoint.through_sequence + 1
        expected_prev = checkpoint.last_hash
    checked = 0
    for event in _events_from(expected_sequence):
        if event.sequence != expected_sequence:
            return _missing(checked, expected_sequence)
        if event.prev_hash != expected_prev or event_hash(event, key) != event.hash:
            return Verification(
                False,
                checked,
                event.sequence,
                "altered",
                _("Record %(sequence)s has been altered") % {"sequence": event.sequence},
            )
        checked += 1
        expected_sequence += 1
        expected_prev = event.hash
    head = ChainHead.objects.filter(pk=1).first()
    last_sequence = expected_sequence - 1
    if head is not None and head.sequence > last_sequence:
        return _missing(checked, expected_sequence)
    head_gone = head is None and last_sequence > 0  # records but no head: it was deleted
    if head_gone or (
        head is not None and head.sequence == last_sequence and head.hash not in ("", expected_prev)
    ):
        return Verification(
            False,
            checked,
            last_sequence,
            "head",
            _("Record %(sequence)s does not match the chain head") % {"sequence": last_sequence},
        )
    return Verification(True, checked, message=_("%(count)s records verified") % {"count": checked})


def _missing(checked: int, sequence: int) -> Verification:
    return Verification(
        False,
        checked,
        sequence,
        "missing",
        _("Record %(sequence)s is missing") % {"sequence": sequence},
    )


def _events_from(sequence: int):
    # Keyset pages: constant memory however long the log is.
    while True:
        page = list(AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence")[:BATCH])
        yield from page
        if len(page) < BATCH:
            return
        sequence = page[-1].sequence + 1
