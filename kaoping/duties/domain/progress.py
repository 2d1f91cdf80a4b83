"""查单 and 验单: progress notes with evidence during the year, the parent's verdict per duty at
year end, and the verification summary a campaign can take as evidence.

Verification is allowed any time after filing (the parent decides when "year end" is, and a
verdict can be changed until then); the page shows it from filing on.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

# Shared with campaign evidence: the checks by magic bytes, size limit and thumbnail are one
# implementation, not a copy.
from kaoping.campaigns.domain.evidence import IMAGE_TYPES, EvidenceError, read_upload
from kaoping.campaigns.domain.evidence import make_thumbnail as thumbnail_of
from kaoping.duties.domain.cycle import DutyError, filing_status
from kaoping.duties.enums import ListState, Outcome
from kaoping.duties.models import DutyList, NoteEvidence, ProgressNote, Verification


@dataclass(frozen=True)
class Item:
    """One duty of a list: "c3" is common item 3, "p1" the first individual duty."""

    key: str
    category: str
    label: str
    text: str
    standard: str = ""


def list_items(duty_list: DutyList) -> list[Item]:
    """The list's duties in document order (common, then individual). Reads `custom` through
    the prefetch cache when there is one."""
    items = [
        Item(key=f"c{item['number']}", category=category["category"],
             label=str(item["number"]), text=item["text"])
        for category in duty_list.common for item in category["items"]
    ]  # fmt: skip
    items += [
        Item(key=f"p{duty.position}", category="个性项目", label=f"个性{duty.position}",
             text=duty.text, standard=duty.standard)
        for duty in duty_list.custom.all()
    ]  # fmt: skip
    return items


def _require_filed(duty_list: DutyList, item_key: str) -> None:
    if duty_list.state != ListState.FILED:
        raise DutyError(_("This list has not been filed yet."))
    if item_key not in {item.key for item in list_items(duty_list)}:
        raise DutyError(_("This list has no duty %(key)s.") % {"key": item_key})


def _read_upload(upload) -> tuple[bytes, str]:
    try:
        return read_upload(upload)
    except EvidenceError as err:
        raise DutyError(err.message) from None


@transaction.atomic
def add_note(*, duty_list: DutyList, item_key: str, text: str, by, upload=None,
             day: datetime.date | None = None) -> ProgressNote:  # fmt: skip
    """查单: record progress on one duty of a filed list, optionally with one evidence file.
    Refused for an unfiled list, an unknown duty, an empty note or a file that is not a photo or
    PDF. Side effects: a ProgressNote; with a file, a NoteEvidence with its SHA-256 (and a
    thumbnail for photos) written to storage."""
    _require_filed(duty_list, item_key)
    text = (text or "").strip()
    if not text:
        raise DutyError(_("Write what was done (the field “progress” is empty)."))
    note = ProgressNote.objects.create(duty_list=duty_list, item_key=item_key, text=text,
                                       noted_on=day or timezone.localdate(), written_by=by)  # fmt: skip
    if upload is not None:
        content, content_type = _read_upload(upload)
        try:
            thumb = thumbnail_of(content) if content_type in IMAGE_TYPES else None
        except EvidenceError as err:
            raise DutyError(err.message) from None
        digest = hashlib.sha256(content).hexdigest()
        evidence = NoteEvidence(
            note=note, original_name=(upload.name or "")[-255:] or digest,
            content_type=content_type, size=len(content), sha256=digest, uploaded_by=by,
        )  # fmt: skip
        evidence.file.save(f"upload.{IMAGE_TYPES.get(content_type, 'pdf')}",
                           ContentFile(content), save=False)  # fmt: skip
        if thumb is not None:
            evidence.thumbnail.save(f"{digest}.jpg", ContentFile(thumb), save=False)
        evidence.save()
    return note


@transaction.atomic
def verify_item(*, duty_list: DutyList, item_key: str, outcome: str, comment: str, by,
                day: datetime.date | None = None) -> Verification:  # fmt: skip
    """验单: the parent's verdict (done / partly / not done) and comment on one duty of a filed
    list; a second verdict on the same duty replaces the first (history keeps it). Refused for
    an unfiled list, an unknown duty or outcome, and for "partly" or "not done" without a
    comment. Side effects: one Verification row created or updated."""
    _require_filed(duty_list, item_key)
    if outcome not in Outcome.values:
        raise DutyError(_("Choose an outcome (the field “outcome”)."))
    comment = (comment or "").strip()
    if outcome != Outcome.DONE and not comment:
        raise DutyError(_("Say what is missing (the field “comment” is empty)."))
    verification, _created = Verification.objects.update_or_create(
        duty_list=duty_list, item_key=item_key,
        defaults={"outcome": outcome, "comment": comment, "verified_by": by,
                  "verified_on": day or timezone.localdate()},
    )  # fmt: skip
    return verification


@dataclass(frozen=True)
class VerificationSummary:
    """One organization's list for one year, as verified: what a campaign item can cite as
    evidence (e.g. a 党建责任 item of the five-star standard)."""

    organization_id: int
    organization: str
    year: int
    title: str
    state: str
    filed_on: datetime.date | None
    late: bool
    content_hash: str
    total: int
    done: int
    partly: int
    not_done: int
    unverified: int
    items: list[dict] = field(default_factory=list)  # key, label, text, outcome, comment


def summarize(duty_list: DutyList, *, day: datetime.date | None = None) -> VerificationSummary:
    """The summary of one list (verifications and custom duties read through prefetch when
    there is one)."""
    verdicts = {v.item_key: v for v in duty_list.verifications.all()}
    items = list_items(duty_list)
    counts = {value: 0 for value in Outcome.values}
    rows = []
    for item in items:
        verdict = verdicts.get(item.key)
        if verdict is not None:
            counts[verdict.outcome] += 1
        rows.append({"key": item.key, "label": item.label, "text": item.text,
                     "outcome": verdict.outcome if verdict else "",
                     "comment": verdict.comment if verdict else ""})  # fmt: skip
    return VerificationSummary(
        organization_id=duty_list.organization_id, organization=duty_list.organization.name,
        year=duty_list.cycle.year, title=duty_list.title, state=duty_list.state,
        filed_on=duty_list.filed_on, late=filing_status(duty_list, day=day).late,
        content_hash=duty_list.content_hash, total=len(items), done=counts[Outcome.DONE],
        partly=counts[Outcome.PARTLY], not_done=counts[Outcome.NOT_DONE],
        unverified=len(items) - sum(counts.values()), items=rows,
    )  # fmt: skip


def verification_summary(*, organization, year: int) -> VerificationSummary | None:
    """The verification summary of `organization`'s list for `year`, or None when it has none.
    Read-only; for the campaign side to attach as evidence (see docs/duties.md)."""
    duty_list = (
        DutyList.objects.filter(organization=organization, cycle__year=year)
        .select_related("cycle", "organization")
        .prefetch_related("custom", "verifications")
        .first()
    )
    return summarize(duty_list) if duty_list else None
