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
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.campaigns.enums import CampaignState, SheetStatus, StageKind
from kaoping.campaigns.models import CustomItem, Participant

__all__ = [
    "ORGANIZATION",
    "ORGANIZER",
    "custom_items_for",
    "slot_code",
    "slot_items",
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
    rows = sorted(participant.custom_items.all(), key=lambda r: (r.item_code, _order(r.slot_code)))
    written: dict[str, list[dict]] = {}
    for row in rows:
        written.setdefault(row.item_code, []).append({"code": row.slot_code, "text": row.text})
    return written


def _order(code: str):
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
    return _replace(participant, item.code, _check_texts(item, texts), by)


@transaction.atomic
def write_common_items(*, campaign, item_code: str, texts: list[str], by) -> int:
    """The organizer writes the wording of common slots (written_by: organizer) for every
    participant whose rubric has that item. Refused while the campaign is closed or later.
    Side effects: CustomItem rows per participant (history records who). Returns how many
    participants received the wording."""
    from kaoping.campaigns.domain.rubrics import rubric_of

    if campaign.state not in (CampaignState.DRAFT, CampaignState.OPEN):
        raise CustomItemError(_("The campaign is closed; its items cannot change."))
    count, known = 0, False
    participants = Participant.objects.filter(campaign=campaign).select_related("rubric")
    for participant in participants:
        rubric = rubric_of(participant.rubric)
        if item_code not in rubric.items:
            continue
        item = _item(rubric, item_code, ORGANIZER)
        known = True
        _replace(participant, item.code, _check_texts(item, texts), by)
        count += 1
    if not known:
        raise CustomItemError(
            _("Item %(code)s has no custom items to write here.") % {"code": item_code}
        )
    return count


def _replace(participant, item_code: str, texts: list[str], by) -> list[dict]:
    existing = {
        row.slot_code: row
        for row in CustomItem.objects.filter(participant=participant, item_code=item_code)
    }
    written = []
    for n, text in enumerate(texts, start=1):
        code = slot_code(item_code, n)
        row = existing.pop(code, None) or CustomItem(
            participant=participant, item_code=item_code, slot_code=code
        )
        if row.pk is None or row.text != text:
            row.text, row.written_by = text, by
            row._history_user = by
            row.save()
        written.append({"code": code, "text": text})
    for row in existing.values():
        row._history_user = by
        row.delete()
    return written
