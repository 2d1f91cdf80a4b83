"""How a scored sheet is stored: the ScoreSheet fields and Entry scores the scoring core fills.

Submission (`kaoping.campaigns.domain.sheets.submit_sheet`), the demo and the tests all store a
submitted sheet through `store_submission` (or `store_submissions` in bulk), so results always
aggregate the same numbers and every stored sheet has the same shape.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kaoping.audit import actions
from kaoping.audit.log import record
from kaoping.campaigns.domain.packed import packed_fields
from kaoping.campaigns.enums import SheetStatus
from kaoping.campaigns.models import Entry, ScoreSheet, SheetEvent
from kaoping.scoring import SheetResult


def lost_points_data(result: SheetResult) -> list[dict]:
    """The lost points as JSON-ready rows (Decimals as strings)."""
    return [
        {
            "item": lost.item,
            "section": lost.section,
            "kind": lost.kind,
            "points": str(lost.points),
            "text": lost.text,
            "reasons": list(lost.reasons),
        }
        for lost in result.lost
    ]


def sections_data(result: SheetResult) -> list[dict]:
    """Per section what results aggregate, as the core computed it (Decimals as strings)."""
    return [
        {
            "code": s.code,
            "score": str(s.score),
            "applicable_points": str(s.applicable_points),
            "major_deductions": str(s.major_deductions),
            "star_lit": s.star_lit,
        }
        for s in result.sections
    ]


def stored_fields(result: SheetResult) -> dict:
    """ScoreSheet field values for a scored sheet (the packed numbers included)."""
    sections, lost = sections_data(result), lost_points_data(result)
    return {
        "total": result.total,
        "scaled_total": result.scaled_total,
        "grade": result.grade or "",
        "section_scores": {code: str(score) for code, score in result.section_scores().items()},
        "sections": sections,
        "stars": list(result.stars),
        "vetoes": list(result.vetoes),
        "lost_points": lost,
        **packed_fields(sections, lost),
    }


def item_scores(result: SheetResult) -> dict[str, object]:
    """Item code → the score to store on its Entry (the amount for bonus/major kinds)."""
    return {
        code: (item.score if item.effect == "points" else item.amount)
        for code, item in result.items.items()
    }


def entry_scores(result: SheetResult, given: Collection[str]) -> dict[str, object]:
    """The Entry rows a submitted sheet has, item code → score: every item the rater entered
    (`given`, a not-applicable mark included), plus every optional item left blank ("nothing
    happened", stored with an empty value so per-item comparisons read stored rows only). An
    item that does not apply to the organization and was not entered has no row."""
    return {
        code: score
        for code, score in item_scores(result).items()
        if code in given or not (result.items[code].not_applicable or result.items[code].missing)
    }


def _mark_submitted(sheet: ScoreSheet, result: SheetResult, by) -> None:
    for name, value in stored_fields(result).items():
        setattr(sheet, name, value)
    sheet.status, sheet.submitted_at = SheetStatus.SUBMITTED, timezone.now()
    sheet.version += 1
    sheet._history_user, sheet._change_reason = by, "submitted"


def store_submission(
    *, sheet: ScoreSheet, result: SheetResult, by, entries: Mapping[str, Entry]
) -> None:
    """Store a submitted sheet: `result` is the core's score of the sheet's `entries` (its
    saved Entry rows by item code).

    Side effects (the caller holds the transaction and the sheet's row lock): entries get their
    item scores and blank optional items a new empty Entry (history records `by`); the sheet
    stores the core's totals, sections, stars, vetoes and lost points, becomes submitted, its
    version bumped, and is saved (history records `by`); a SheetEvent(submitted, total); on a
    resubmission (after a return) an audit event with the previous and the new total."""
    changed, created = [], []
    for code, score in entry_scores(result, entries).items():
        entry = entries.get(code)
        if entry is None:
            created.append(Entry(sheet=sheet, item_code=code, value={}, score=score, updated_by=by))
        elif entry.score != score:
            entry.score = score
            changed.append(entry)
    if changed:
        bulk_update_with_history(changed, Entry, ["score"], default_user=by)
    if created:
        bulk_create_with_history(created, Entry, default_user=by)
    earlier = sheet.events.filter(kind=SheetEvent.Kind.SUBMITTED).order_by("-at", "-pk").first()
    _mark_submitted(sheet, result, by)
    sheet.save()
    SheetEvent.objects.create(
        sheet=sheet, kind=SheetEvent.Kind.SUBMITTED, by=by, total=result.total
    )
    if earlier is not None:
        # Submitted before, returned, now submitted again: the scores changed after submission.
        record(actions.SCORE_CHANGED_AFTER_SUBMISSION, user=by, target=sheet,
               detail={"previous_total": earlier.total, "total": result.total})  # fmt: skip


@dataclass
class Submission:
    """A sheet to store in bulk: its unsaved ScoreSheet, the entry values and the core's result."""

    sheet: ScoreSheet
    values: Mapping[str, object]
    result: SheetResult
    by: object


def store_submissions(submissions: Sequence[Submission]) -> list[ScoreSheet]:
    """`store_submission` for many new sheets at once (the demo, imports): the same rows —
    sheets, entries (with the same rule for which items get a row) and submitted events — in
    bulk inserts, without history rows. Side effects: inserts; returns the saved sheets."""
    for s in submissions:
        _mark_submitted(s.sheet, s.result, s.by)
    sheets = ScoreSheet.objects.bulk_create([s.sheet for s in submissions], batch_size=500)
    entries, events = [], []
    for s, sheet in zip(submissions, sheets, strict=True):
        for code, score in entry_scores(s.result, s.values).items():
            entries.append(Entry(sheet=sheet, item_code=code, value=s.values.get(code, {}),
                                 score=score, updated_by=s.by))  # fmt: skip
        events.append(SheetEvent(sheet=sheet, kind=SheetEvent.Kind.SUBMITTED, by=s.by,
                                 total=s.result.total))  # fmt: skip
    Entry.objects.bulk_create(entries, batch_size=1000)
    SheetEvent.objects.bulk_create(events, batch_size=500)
    return sheets
