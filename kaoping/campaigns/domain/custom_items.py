"""Custom items (个性指标): the wording of a rubric's custom slots, per participant.

A `custom_slots` item says who writes its slots: `written_by: organization` — the organization
itself, in its self-assessment (through its own sheet); `written_by: organizer` — the campaign's
organizer (the common slots' wording, the same for every participant). Every sheet of the
participant then passes the written slots to the scoring core as `custom_items`; a required
slot left unwritten is the core's error on submit.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kaoping.campaigns.enums import CampaignState, SheetStatus, StageKind
from kaoping.campaigns.models import CustomItem, Participant, ScoreSheet

__all__ = [
    "ORGANIZATION",
    "ORGANIZER",
    "custom_items_for",
    "slot_code",
    "slot_items",
    "slot_order",
    "write_common_items",
    "write_custom_items",
]

ORGANIZATION = "organization"
ORGANIZER = "organizer"


def slot_code(item_code: str, n: int) -> str:
    """The code of the n-th written slot of an item (1-based): "I-1", "I-2" …"""
    return f"{item_code}-{n}"


def custom_items_for(*, participant) -> dict[str, list[dict]]:
    """Item code → the written slots [{"code", "text"}, …] in slot order (one query; uses a
    prefetched `custom_items` when the caller prefetched it)."""
    return written_slots(participant.custom_items.all())


def written_slots(custom_items) -> dict[str, list[dict]]:
    """`custom_items_for` of a participant's CustomItem rows, however they were read."""
    rows = sorted(custom_items, key=lambda r: (r.item_code, slot_order(r.slot_code)))
    written: dict[str, list[dict]] = {}
    for row in rows:
        written.setdefault(row.item_code, []).append({"code": row.slot_code, "text": row.text})
    return written


def slot_order(code: str):
    tail = code.rsplit("-", 1)[-1]
    return (0, int(tail), code) if tail.isdigit() else (1, 0, code)


def slot_items(rubric, written_by: str | None = None) -> list:
    """The rubric's custom_slots items (those written by `written_by` when given)."""
    return [
        item
        for item in rubric.items.values()
        if item.kind == "custom_slots"
        and (written_by is None or item.rule.written_by == written_by)
    ]


class CustomItemError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _check_texts(item, texts: list[str]) -> list[str]:
    texts = [t.strip() for t in texts if t and t.strip()]
    if len(texts) > item.rule.max_slots:
        raise CustomItemError(
            _("Item %(code)s takes at most %(count)d custom items.")
            % {"code": item.code, "count": item.rule.max_slots}
        )
    return texts


def _item(rubric, item_code: str, written_by: str):
    item = rubric.items.get(item_code)
    if item is None or item.kind != "custom_slots" or item.rule.written_by != written_by:
        raise CustomItemError(
            _("Item %(code)s has no custom items to write here.") % {"code": item_code}
        )
    return item


@transaction.atomic
def write_custom_items(
    *, sheet, item_code: str, texts: list[str], by, day: datetime.date | None = None
) -> list[dict]:
    """The organization writes the wording of its custom slots (个性指标) through its own
    self-assessment `sheet`. Refused (CustomItemError) unless the item is written by the
    organization, the sheet is a self-assessment that is still editable and its stage accepts
    entries on `day`, and the texts fit the slot count. Side effects: CustomItem rows created,
    changed or deleted (history records who). Returns the written slots."""
    from kaoping.campaigns.domain.rubrics import rubric_of
    from kaoping.campaigns.domain.sheets import window_check

    assignment = sheet.assignment
    participant = assignment.participant
    item = _item(rubric_of(participant.rubric), item_code, ORGANIZATION)
    if assignment.stage.kind != StageKind.SELF_ASSESSMENT:
        raise CustomItemError(_("Custom items are written in the self-assessment."))
    if sheet.status == SheetStatus.SUBMITTED:
        raise CustomItemError(_("This sheet has been submitted and cannot change."))
    ok, message = window_check(assignment.stage, day or timezone.localdate())
    if not ok:
        raise CustomItemError(message)
    raters_sheets = ScoreSheet.objects.filter(assignment__participant=participant).exclude(
        assignment__stage__kind=StageKind.SELF_ASSESSMENT
    )
    _refuse_if_scored(raters_sheets, item.code)
    texts = _check_texts(item, texts)
    existing = _existing([participant.pk], item.code)
    return _replace(participant, item.code, texts, by, existing.get(participant.pk, {}))


def _refuse_if_scored(sheets, item_code: str) -> None:
    """Refuse rewording once a rater scored the item (or submitted a sheet holding it): the
    scores would then stand against words they never read."""
    if sheets.filter(Q(entries__item_code=item_code) | Q(status=SheetStatus.SUBMITTED)).exists():
        raise CustomItemError(
            _("Item %(code)s has been scored already; its custom items cannot change.")
            % {"code": item_code}
        )


@transaction.atomic
def write_common_items(*, campaign, item_code: str, texts: list[str], by) -> int:
    """The organizer writes the wording of common slots (written_by: organizer) for every
    participant whose rubric has that item. Refused while the campaign is closed or later.
    Side effects: CustomItem rows per participant (history records who). Returns how many
    participants received the wording."""
    from kaoping.campaigns.domain.rubrics import rubric_of

    if campaign.state not in (CampaignState.DRAFT, CampaignState.OPEN):
        raise CustomItemError(_("The campaign is closed; its items cannot change."))
    participants = list(Participant.objects.filter(campaign=campaign).select_related("rubric"))
    targets, item = [], None
    for participant in participants:
        rubric = rubric_of(participant.rubric)
        if item_code in rubric.items:
            item = _item(rubric, item_code, ORGANIZER)
            targets.append(participant)
    if item is None:
        raise CustomItemError(
            _("Item %(code)s has no custom items to write here.") % {"code": item_code}
        )
    _refuse_if_scored(
        ScoreSheet.objects.filter(assignment__participant__in=[p.pk for p in targets]),
        item.code,
    )
    texts = _check_texts(item, texts)
    existing = _existing([p.pk for p in targets], item.code)  # one query for everyone
    queue = {"create": [], "update": [], "delete": []}
    for participant in targets:
        _replace(participant, item.code, texts, by, existing.get(participant.pk, {}), queue)
    _write(queue, by)
    return len(targets)


def _existing(participant_ids: list[int], item_code: str) -> dict[int, dict[str, CustomItem]]:
    rows: dict[int, dict[str, CustomItem]] = {}
    for row in CustomItem.objects.filter(participant_id__in=participant_ids, item_code=item_code):
        rows.setdefault(row.participant_id, {})[row.slot_code] = row
    return rows


def _replace(participant, item_code, texts, by, existing, pending=None) -> list[dict]:
    """Make the participant's slots of `item_code` say `texts`; `existing` are its current rows
    by slot code. Given a `pending` dict, the writes are queued there for `_write` (a few
    queries for every participant at once); otherwise they are written now."""
    queue = pending if pending is not None else {"create": [], "update": [], "delete": []}
    existing = dict(existing)
    written = []
    for n, text in enumerate(texts, start=1):
        code = slot_code(item_code, n)
        row = existing.pop(code, None)
        if row is None:
            row = CustomItem(participant=participant, item_code=item_code, slot_code=code)
            queue["create"].append(row)
        elif row.text != text:
            queue["update"].append(row)
        row.text, row.written_by = text, by
        written.append({"code": code, "text": text})
    queue["delete"].extend(existing.values())
    if pending is None:
        _write(queue, by)
    return written


def _write(queue: dict, by) -> None:
    """Write the queued rows, with history rows naming `by`."""
    if queue["create"]:
        bulk_create_with_history(queue["create"], CustomItem, default_user=by)
    if queue["update"]:
        bulk_update_with_history(
            queue["update"], CustomItem, ["text", "written_by"], default_user=by
        )
    for row in queue["delete"]:  # rare (a slot dropped); one by one so history records each
        row._history_user = by
        row.delete()
