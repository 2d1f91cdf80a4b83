"""What the sheet page shows: sections, items with their inputs, scores, evidence and totals.

Built from a fixed number of queries whatever the rubric's size (entries, evidence, custom
items, events), so a sheet of 40 items costs what a sheet of 3 costs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kaoping.campaigns.domain.custom_items import ORGANIZATION
from kaoping.campaigns.domain.sheets import draft_result, sheet_scoring_args
from kaoping.campaigns.enums import SheetStatus, StageKind
from kaoping.campaigns.interfaces.entry_forms import item_widget
from kaoping.scoring.rules.base import fmt

__all__ = ["ItemRow", "SheetPage", "build_page", "build_row", "self_evidence", "totals"]


def _num(value) -> str:
    if value is None or value == "":
        return ""
    return fmt(Decimal(str(value)))


@dataclass
class ItemRow:
    item: object
    widget: dict
    entry: object = None  # the stored Entry, if any
    score: str = ""  # the item score as shown ("" when not scored yet)
    missing: bool = False
    evidence: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # core problems for this item (dicts)
    error: str = ""  # a refusal message (window, stale, locked)
    saved: bool = False  # only set after the server stored this item
    stale: bool = False  # refused because someone else saved first: offer a reload
    slots: list | None = None
    writes_slots: bool = False  # the organization writes this item's custom slots here
    blank_slots: range = range(0)  # empty slot inputs offered for writing
    evidence_error: str = ""
    self_evidence: list = field(default_factory=list)  # the self-assessment's, read only

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def dom_id(self) -> str:
        # Item codes hold dots and Chinese numerals; hex keeps the id valid and stable.
        return "item-" + self.item.code.encode().hex()


@dataclass
class SheetPage:
    sheet: object
    rubric: object
    sections: list
    totals: dict
    editable: bool
    problems: list = field(default_factory=list)


def totals(sheet, result) -> dict:
    """The total bar: stored totals for a submitted sheet, the draft's running total otherwise."""
    if sheet.status == SheetStatus.SUBMITTED:
        return {
            "total": _num(sheet.total),
            "sections": {code: _num(score) for code, score in sheet.section_scores.items()},
            "grade": sheet.grade,
            "missing": 0,
            "stored": True,
        }
    if result is None:
        return {"total": "", "sections": {}, "grade": "", "missing": 0, "stored": False}
    return {
        "total": _num(result.total),
        "sections": {s.code: _num(s.score) for s in result.sections},
        "grade": result.grade or "",
        "missing": len(result.missing),
        "stored": False,
    }


def _score_of(result, code: str) -> tuple[str, bool]:
    if result is None or code not in result.items:
        return "", False
    item = result.items[code]
    if item.missing:
        return "", True
    if item.not_applicable:
        return "—", False
    return _num(item.score if item.effect == "points" else item.amount), False


_STORED = object()


def build_row(
    sheet, item, entry, result, custom, *, evidence=(), editable=False, value=_STORED, **extra
):
    """One item's row; `result` is the draft result (or None), `custom` the written slots;
    `value` overrides the stored entry's (a refused save shows what was typed)."""
    slots = custom.get(item.code) if item.kind == "custom_slots" else None
    if value is _STORED:
        value = entry.value if entry is not None else None
    if entry is not None and sheet.status == SheetStatus.SUBMITTED:
        score, missing = _num(entry.score), False
    else:
        score, missing = _score_of(result, item.code)
    writes = (
        editable
        and item.kind == "custom_slots"
        and item.rule.written_by == ORGANIZATION
        and sheet.assignment.stage.kind == StageKind.SELF_ASSESSMENT
    )
    row = ItemRow(item=item, widget=item_widget(item, value, slots), entry=entry, score=score,
                  missing=missing, evidence=list(evidence), slots=slots, writes_slots=writes)  # fmt: skip
    if writes:
        row.blank_slots = range(max(item.rule.max_slots - len(slots or ()), 0))
    for name, val in extra.items():
        setattr(row, name, val)
    return row


def self_evidence(sheet) -> dict[str, list]:
    """Item code → the evidence the organization gave in its self-assessment, for the sheets of
    the later stages of the same participant (one query; none for a self-assessment sheet).
    Who may open those files is `campaigns.view_evidence`."""
    from kaoping.campaigns.models import Evidence

    stage = sheet.assignment.stage
    if stage.kind == StageKind.SELF_ASSESSMENT:
        return {}
    found: dict[str, list] = {}
    rows = Evidence.objects.filter(
        sheet__assignment__participant_id=sheet.assignment.participant_id,
        sheet__assignment__stage__kind=StageKind.SELF_ASSESSMENT,
        sheet__assignment__stage__position__lt=stage.position,
    ).order_by("pk")
    for ev in rows:
        found.setdefault(ev.item_code, []).append(ev)
    return found


def build_page(sheet, *, editable: bool) -> SheetPage:
    """The whole page for `sheet` (saved or not yet created)."""
    rubric, custom, kind = sheet_scoring_args(sheet)
    entries, evidence = {}, {}
    if sheet.pk:
        entries = {e.item_code: e for e in sheet.entries.all()}
        for ev in sheet.evidence.select_related("uploaded_by"):
            evidence.setdefault(ev.item_code, []).append(ev)
    result, problems = None, []
    if sheet.status != SheetStatus.SUBMITTED:
        values = {code: e.value for code, e in entries.items()}
        result, problems = draft_result(sheet, entries=values, args=(rubric, custom, kind))
    earlier = self_evidence(sheet)
    sections = []
    for section in rubric.sections:
        rows = [
            build_row(sheet, item, entries.get(item.code), result, custom,
                      evidence=evidence.get(item.code, ()), editable=editable,
                      self_evidence=earlier.get(item.code, []))
            for item in section.items
            if item.applies(kind)
        ]  # fmt: skip
        sections.append({"section": section, "rows": rows})
    return SheetPage(sheet=sheet, rubric=rubric, sections=sections,
                     totals=totals(sheet, result), editable=editable, problems=problems)  # fmt: skip
