"""Score sheets: open, save one entry at a time, submit (locks and stores totals), return.

Every number comes from the scoring core (`kaoping.scoring`): an entry is validated by
`score_item`, a draft's running total by `score_sheet(allow_missing=True)`, a submission by
`score_sheet` in full. Every change to an entry or a sheet is kept by simple_history with the
user who made it. Two people saving the same sheet never overwrite each other: each save names
the sheet version it was made on, and a save on an older version is refused.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.audit import actions
from kaoping.audit.log import record
from kaoping.campaigns.domain.custom_items import custom_items_for
from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.campaigns.domain.setup import campaign_accepts_entries, stage_accepts_entries
from kaoping.campaigns.domain.stored import store_submission
from kaoping.campaigns.enums import CampaignState, SheetStatus
from kaoping.campaigns.models import Assignment, Entry, ScoreSheet, SheetEvent
from kaoping.scoring import EntryError, Rubric, SheetResult, score_item, score_sheet

__all__ = [
    "SaveResult",
    "SheetError",
    "draft_result",
    "open_sheet",
    "return_sheet",
    "save_entry",
    "sheet_scoring_args",
    "submit_sheet",
    "window_check",
]


class SheetError(Exception):
    """A refused change. `kind` says why (window, locked, stale, invalid, incomplete, reason,
    status); `problems` lists the items to fix as dicts with code, text and message."""

    def __init__(self, message: str, *, kind: str, problems: list[dict] | None = None):
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.problems = problems or []


@dataclass
class SaveResult:
    version: int
    entry: Entry | None  # None when the entry was cleared
    item_score: Decimal | None
    running: SheetResult | None  # the draft scored with allow_missing; None if it cannot be
    problems: list[dict] = field(default_factory=list)


def window_check(stage, day: datetime.date) -> tuple[bool, str]:
    """Whether `stage` accepts entries on `day`: its campaign is open and `day` is in its
    window (the setup domain owns both rules), with the message to show when it does not."""
    ok, message = campaign_accepts_entries(stage.campaign)
    if not ok:
        return ok, message
    return stage_accepts_entries(stage, day)


def open_sheet(*, assignment: Assignment) -> ScoreSheet:
    """The assignment's sheet, created as an empty draft the first time (one row, no entries)."""
    sheet, _created = ScoreSheet.objects.get_or_create(assignment=assignment)
    if _created:
        sheet.assignment = assignment  # keep the caller's select_related objects
    return sheet


def sheet_scoring_args(sheet: ScoreSheet) -> tuple[Rubric, dict, str]:
    """The rubric, the written custom items and the organization kind that score `sheet`.

    Reads the participant's custom items (one query), only when the rubric has custom slots:
    without them no custom item can be written (write_custom_items refuses), so there is
    nothing to read — and this runs on every entry save."""
    participant = sheet.assignment.participant
    return scoring_args(
        participant.rubric,
        participant.organization.kind,
        lambda: custom_items_for(participant=participant),
    )


def scoring_args(stored_rubric, org_kind: str, custom_items) -> tuple[Rubric, dict, str]:
    """`sheet_scoring_args` from a participant's StoredRubric, organization kind and a function
    giving its written custom items (`custom_items_for`'s shape), called only when needed."""
    rubric = rubric_of(stored_rubric)
    has_slots = any(item.kind == "custom_slots" for item in rubric.items.values())
    return rubric, custom_items() if has_slots else {}, org_kind


def problem_rows(rubric: Rubric, problems) -> list[dict]:
    """Core problems as rows for people: the item code, its text, and the core's message.

    A problem inside a part or a slot carries "item/part"; it is listed under its item."""
    rows = []
    for problem in problems:
        item_code = problem.code.split("/", 1)[0]
        item = rubric.items.get(item_code)
        rows.append(
            {
                "code": item_code,
                "where": problem.code,
                "text": item.text if item else "",
                "message": problem.message,
            }
        )
    return rows


def draft_result(
    sheet: ScoreSheet, *, entries: dict | None = None, args=None
) -> tuple[SheetResult | None, list[dict]]:
    """The sheet scored as a draft (missing items score 0), and the problems if it cannot be
    scored (e.g. a custom slot removed after it was scored). Reads entries unless given."""
    rubric, custom, kind = args or sheet_scoring_args(sheet)
    if entries is None:
        entries = dict(sheet.entries.values_list("item_code", "value"))
    try:
        result = score_sheet(
            rubric, entries, custom_items=custom, org_kind=kind, allow_missing=True
        )
    except EntryError as err:
        return None, problem_rows(rubric, err.problems)
    return result, []


def _check_editable(sheet: ScoreSheet, day: datetime.date) -> None:
    if sheet.status == SheetStatus.SUBMITTED:
        raise SheetError(_("This sheet has been submitted and cannot change."), kind="locked")
    ok, message = window_check(sheet.assignment.stage, day)
    if not ok:
        raise SheetError(message, kind="window")


def _claim_version(sheet: ScoreSheet, version: int) -> int:
    """Move the sheet from `version` to the next one in one conditional UPDATE, so that of two
    saves made on the same version exactly one wins; refuse the other."""
    claimed = ScoreSheet.objects.filter(pk=sheet.pk, version=version).exclude(
        status=SheetStatus.SUBMITTED
    )
    if not claimed.update(version=F("version") + 1, updated_at=timezone.now()):
        current = ScoreSheet.objects.filter(pk=sheet.pk).values_list("status", flat=True).first()
        if current == SheetStatus.SUBMITTED:
            raise SheetError(_("This sheet has been submitted and cannot change."), kind="locked")
        raise SheetError(_("Someone else saved this sheet; reload it."), kind="stale")
    sheet.version = version + 1
    return sheet.version


def save_entry(
    *,
    sheet: ScoreSheet,
    item_code: str,
    value: dict | None,
    by,
    version: int,
    day: datetime.date | None = None,
    args: tuple[Rubric, dict, str] | None = None,
) -> SaveResult:
    """Store one item's entry (the core's entry format), or delete it when `value` is empty.

    Refused (SheetError, nothing written) outside the stage window (`day`, default today in the
    site's time zone), on a submitted sheet, on a stale `version`, or when the core finds the
    entry invalid (its Chinese messages in `problems`). Side effects: creates, updates or
    deletes the Entry (history records who), bumps `sheet.version`. Returns the new version,
    the item score and the draft's running total. `args` is `sheet_scoring_args(sheet)` when
    the caller already has it (it is read otherwise).
    """
    day = day or timezone.localdate()
    args = args or sheet_scoring_args(sheet)
    rubric, custom, kind = args
    if item_code not in rubric.items:
        raise SheetError(
            _("This sheet has no item %(code)s.") % {"code": item_code}, kind="invalid"
        )
    _check_editable(sheet, day)
    item_score = None
    if value:
        try:
            result = score_item(rubric, item_code, value, custom_items=custom, org_kind=kind)
        except EntryError as err:
            raise SheetError(
                _("Item %(code)s was not saved.") % {"code": item_code},
                kind="invalid",
                problems=problem_rows(rubric, err.problems),
            ) from err
        item_score = result.score if result.effect == "points" else result.amount
    with transaction.atomic():
        new_version = _claim_version(sheet, version)
        # The sheet's entries are read once, under the version just claimed: the one to write
        # and, once written, the draft the running total scores (what this version holds).
        entries = {e.item_code: e for e in Entry.objects.filter(sheet=sheet)}
        entry = _write_entry(sheet, entries.get(item_code), item_code, value, item_score, by)
    values = {code: e.value for code, e in entries.items() if code != item_code}
    if entry is not None:
        values[item_code] = entry.value
    running, problems = draft_result(sheet, entries=values, args=args)
    return SaveResult(new_version, entry, item_score, running, problems)


def _write_entry(sheet, entry, item_code, value, item_score, by) -> Entry | None:
    """Write `entry` (the stored one, or None) to `value`; history records `by`.

    An unchanged value and score are not written again (no history row: nothing changed)."""
    if not value:
        if entry is not None:
            entry._history_user = by
            entry.delete()
        return None
    if entry is None:
        entry = Entry(sheet=sheet, item_code=item_code)
    elif entry.value == value and entry.score == item_score:
        return entry
    entry.value, entry.score, entry.updated_by = value, item_score, by
    entry._history_user = by
    entry.save()
    return entry


@transaction.atomic
def submit_sheet(
    *, sheet: ScoreSheet, by, version: int | None = None, day: datetime.date | None = None
) -> SheetResult:
    """Score the whole sheet and lock it.

    Refused (SheetError, nothing written) outside the window, when already submitted, on a stale
    `version` (when given), or when the core finds the sheet incomplete or invalid: `problems`
    then lists EVERY item to fix. Side effects: entries get their item scores (blank optional
    items get an empty entry, so every item has a stored score), the sheet stores the core's
    totals and becomes submitted (history records who), a SheetEvent(submitted, total)."""
    day = day or timezone.localdate()
    given, sheet = sheet, ScoreSheet.objects.select_for_update().select_related(
        "assignment__stage__campaign", "assignment__participant__organization",
        "assignment__participant__rubric",
    ).get(pk=sheet.pk)  # fmt: skip
    _check_editable(sheet, day)
    if version is not None and version != sheet.version:
        raise SheetError(_("Someone else saved this sheet; reload it."), kind="stale")
    rubric, custom, kind = sheet_scoring_args(sheet)
    entries = {e.item_code: e for e in sheet.entries.all()}
    try:
        result = score_sheet(
            rubric, {c: e.value for c, e in entries.items()}, custom_items=custom, org_kind=kind
        )
    except EntryError as err:
        raise SheetError(
            _("The sheet was not submitted: fix the items below."),
            kind="incomplete",
            problems=problem_rows(rubric, err.problems),
        ) from err
    store_submission(sheet=sheet, result=result, by=by, entries=entries)
    given.refresh_from_db()
    return result


@transaction.atomic
def return_sheet(*, sheet: ScoreSheet, by, reason: str) -> ScoreSheet:
    """Send a submitted sheet back to its rater (退回) with a mandatory reason.

    Side effects: status returned (editable again), the stored totals cleared so results do not
    count it (the history table keeps the submitted version), the version bumped, a
    SheetEvent(returned, reason). Refused when the reason is blank, the sheet is not submitted,
    or the campaign is not open (once closed or published, its results stand on the sheet).
    """
    reason = (reason or "").strip()
    if not reason:
        raise SheetError(_("Give the reason for returning the sheet."), kind="reason")
    given, sheet = sheet, ScoreSheet.objects.select_for_update().select_related(
        "assignment__stage__campaign"
    ).get(pk=sheet.pk)  # fmt: skip
    if sheet.status != SheetStatus.SUBMITTED:
        raise SheetError(_("Only a submitted sheet can be returned."), kind="status")
    campaign = sheet.assignment.stage.campaign
    if campaign.state != CampaignState.OPEN:
        raise SheetError(
            _("Sheets can be returned only while the campaign is open (it is %(state)s).")
            % {"state": campaign.get_state_display()},
            kind="campaign",
        )
    sheet.status, sheet.returned_reason = SheetStatus.RETURNED, reason
    sheet.total = sheet.scaled_total = None
    sheet.grade, sheet.section_scores, sheet.stars = "", {}, []
    sheet.vetoes, sheet.lost_points, sheet.sections = [], [], []
    sheet.figures = sheet.losses = sheet.loss_reasons = None
    sheet.version += 1
    sheet._history_user, sheet._change_reason = by, f"returned: {reason}"[:100]
    sheet.save()
    SheetEvent.objects.create(sheet=sheet, kind=SheetEvent.Kind.RETURNED, by=by, reason=reason)
    record(actions.RETURN, user=by, target=sheet, detail={"reason": reason})
    given.refresh_from_db()
    return given
