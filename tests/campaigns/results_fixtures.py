"""Helpers for the results tests: sheets stored exactly as submission stores them.

`submit(assignment, {"1.1": "0.5"})` scores the entries with the scoring core and stores
`stored_fields(result)` on the sheet and `item_scores(result)` on its entries — what
`kaoping.campaigns.domain.sheets.submit_sheet` writes.
"""

from __future__ import annotations

from decimal import Decimal

from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.campaigns.domain.stored import item_scores, stored_fields
from kaoping.campaigns.enums import SheetStatus
from kaoping.campaigns.models import Assignment, Entry, ScoreSheet
from kaoping.scoring import score_sheet


def deduction_entries(deductions: dict[str, str], reason="台账不完整") -> dict:
    return {
        code: {"deductions": [{"amount": amount, "reason": reason}]}
        for code, amount in deductions.items()
    }


def submit(assignment: Assignment, deductions=None, *, entries=None, reason="台账不完整"):
    """A submitted sheet for `assignment` (village sheet deductions by item code by default)."""
    participant = assignment.participant
    rubric = rubric_of(participant.rubric)
    entries = entries if entries is not None else deduction_entries(deductions or {}, reason)
    result = score_sheet(rubric, entries, org_kind=participant.organization.kind)
    sheet, _ = ScoreSheet.objects.update_or_create(
        assignment=assignment,
        defaults={"status": SheetStatus.SUBMITTED, **stored_fields(result)},
    )
    sheet.entries.all().delete()
    scores = item_scores(result)
    Entry.objects.bulk_create(
        Entry(sheet=sheet, item_code=code, value=entries.get(code, {}), score=score,
              updated_by=assignment.rater)
        for code, score in scores.items()
    )  # fmt: skip
    return sheet


def total_of(deductions: dict[str, str]) -> Decimal:
    return Decimal(100) - sum((Decimal(v) for v in deductions.values()), Decimal(0))
