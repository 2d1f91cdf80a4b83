"""Helpers for the results tests: sheets stored exactly as submission stores them.

`submit(assignment, {"1.1": "0.5"})` saves the entries, scores them with the scoring core and
stores the sheet through `store_submission` — the very function `submit_sheet` calls.
"""

from __future__ import annotations

from decimal import Decimal

from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.campaigns.domain.stored import store_submission
from kaoping.campaigns.models import Assignment, Entry, ScoreSheet
from kaoping.scoring import score_sheet


def deduction_entries(deductions: dict[str, str], reason="台账不完整") -> dict:
    return {
        code: {"deductions": [{"amount": amount, "reason": reason}]}
        for code, amount in deductions.items()
    }


def submit(assignment: Assignment, deductions=None, *, entries=None, custom=None,
           reason="台账不完整"):  # fmt: skip
    """A submitted sheet for `assignment` (village sheet deductions by item code by default)."""
    participant = assignment.participant
    rubric = rubric_of(participant.rubric)
    entries = entries if entries is not None else deduction_entries(deductions or {}, reason)
    result = score_sheet(rubric, entries, custom_items=custom,
                         org_kind=participant.organization.kind)  # fmt: skip
    sheet, _ = ScoreSheet.objects.get_or_create(assignment=assignment)
    sheet.entries.all().delete()
    saved = Entry.objects.bulk_create(
        Entry(sheet=sheet, item_code=code, value=value, updated_by=assignment.rater)
        for code, value in entries.items()
    )
    store_submission(sheet=sheet, result=result, by=assignment.rater,
                     entries={e.item_code: e for e in saved})  # fmt: skip
    return sheet


def total_of(deductions: dict[str, str]) -> Decimal:
    return Decimal(100) - sum((Decimal(v) for v in deductions.values()), Decimal(0))
