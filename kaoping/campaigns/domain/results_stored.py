"""Stored sheets read back for aggregation, lost points merged per item, self vs others.

Results never re-score entries: a submitted sheet stores what the scoring core computed
(`stored_fields`), and these helpers turn those stored numbers back into the core's own result
type so that `kaoping.scoring.aggregate_sheets` aggregates them (vetoes, grade and stars included).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from kaoping.campaigns.enums import SheetStatus, StageKind
from kaoping.campaigns.models import Entry, ScoreSheet
from kaoping.scoring import Rubric, SectionResult, SheetResult, aggregate_scores

ZERO = Decimal(0)


@dataclass(frozen=True)
class StoredSheet:
    """One submitted sheet's stored numbers, as the recompute reads them (one query)."""

    pk: int
    stage_id: int
    participant_id: int
    rater: str
    total: Decimal
    scaled_total: Decimal
    section_scores: dict
    vetoes: tuple[str, ...]
    lost_points: list


def submitted_sheets(campaign) -> list[StoredSheet]:
    """Every submitted sheet of the campaign, in stage, participant and rater order."""
    rows = (
        ScoreSheet.objects.filter(
            assignment__stage__campaign=campaign, status=SheetStatus.SUBMITTED
        )
        .order_by("assignment__stage_id", "assignment__participant_id", "assignment__rater_id")
        .values_list(
            "pk", "assignment__stage_id", "assignment__participant_id",
            "assignment__rater__full_name", "assignment__rater__username",
            "total", "scaled_total", "section_scores", "vetoes", "lost_points",
        )
    )  # fmt: skip
    return [
        StoredSheet(
            pk=pk, stage_id=stage_id, participant_id=participant_id, rater=full_name or username,
            total=total if total is not None else ZERO,
            scaled_total=scaled if scaled is not None else (total if total is not None else ZERO),
            section_scores=sections or {}, vetoes=tuple(vetoes or ()), lost_points=lost or [],
        )
        for (pk, stage_id, participant_id, full_name, username, total, scaled, sections, vetoes,
             lost) in rows
    ]  # fmt: skip


def not_applicable_items(sheet_ids) -> dict[int, set[str]]:
    """Items a rater marked not applicable ({"na": true}), per sheet (one query)."""
    found: dict[int, set[str]] = defaultdict(set)
    if not sheet_ids:
        return found
    rows = Entry.objects.filter(sheet_id__in=sheet_ids, value__na=True).values_list(
        "sheet_id", "item_code"
    )
    for sheet_id, code in rows:
        found[sheet_id].add(code)
    return found


def as_sheet_result(rubric: Rubric, sheet: StoredSheet, *, org_kind: str, na: set[str]):
    """The stored sheet as the core's SheetResult, with what `aggregate_sheets` reads: the scaled
    total, each section's score, applicable points and major deductions, and the vetoes.

    Applicable points follow the core's rule (an item outside its `applies_to`, or marked na, does
    not count); major deductions come from the stored lost points, where the core lists them."""
    major: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for lost in sheet.lost_points:
        if lost.get("kind") == "major":
            major[lost.get("section")] += Decimal(str(lost.get("points", "0")))
    sections = []
    for section in rubric.sections:
        missing = sum(
            (
                item.max_points
                for item in section.items
                if item.code in na or (item.applies_to and org_kind not in item.applies_to)
            ),
            ZERO,
        )
        score = Decimal(str(sheet.section_scores.get(section.code, "0")))
        sections.append(
            SectionResult(
                code=section.code, title=section.title, points=section.points,
                applicable_points=section.points - missing, score=score,
                contribution=score, major_deductions=major[section.code],
            )
        )  # fmt: skip
    return SheetResult(
        rubric_id=rubric.id, items={}, sections=tuple(sections), base_total=ZERO, bonus=ZERO,
        bonus_claimed=ZERO, major_deductions=sum(major.values(), ZERO), total=sheet.total,
        full_marks=rubric.full_marks, applicable_max=rubric.full_marks,
        scaled_total=sheet.scaled_total, vetoes=sheet.vetoes, grade=None, stars=(), lost=(),
    )  # fmt: skip


def merge_lost_points(rubric: Rubric, sheets: list[StoredSheet], *, places: int) -> list[dict]:
    """The raters' lost points merged per item, in the rubric's order: the mean points lost over
    all the sheets (a rater who took nothing off counts 0), how many raters took points off,
    and every distinct reason and comment."""
    if not sheets:
        return []
    merged: dict[tuple[str, str], dict] = {}
    for position, sheet in enumerate(sheets):
        for lost in sheet.lost_points:
            key = (lost.get("item", ""), lost.get("kind", "points"))
            row = merged.setdefault(
                key,
                {"item": key[0], "kind": key[1], "section": lost.get("section", ""),
                 "text": lost.get("text", ""), "by_sheet": [ZERO] * len(sheets), "reasons": []},
            )  # fmt: skip
            row["by_sheet"][position] += Decimal(str(lost.get("points", "0")))
            for reason in lost.get("reasons", ()):
                if reason and reason not in row["reasons"]:
                    row["reasons"].append(reason)
    order = {code: i for i, code in enumerate(rubric.items)}
    rows = []
    for (_code, kind), row in sorted(
        merged.items(), key=lambda kv: (order.get(kv[0][0], 1e9), kv[0])
    ):
        values = row.pop("by_sheet")
        mean = aggregate_scores(values, method="mean", places=places)
        row["points"] = str(mean.value)
        row["raters"] = sum(1 for v in values if v > 0) if kind != "veto" else len(values)
        row["of"] = len(values)
        rows.append(row)
    return rows


@dataclass(frozen=True)
class ItemComparison:
    code: str
    text: str
    max_points: Decimal
    self_score: Decimal | None
    others: Decimal | None
    others_count: int

    @property
    def difference(self) -> Decimal | None:
        if self.self_score is None or self.others is None:
            return None
        return self.self_score - self.others


def self_vs_others(*, participant, rubric: Rubric) -> list[ItemComparison]:
    """The self-assessment's item scores beside the mean of the other stages' raters, per item,
    from the item scores stored on submitted sheets' entries (one query)."""
    rows = Entry.objects.filter(
        sheet__assignment__participant=participant, sheet__status=SheetStatus.SUBMITTED,
        score__isnull=False,
    ).values_list("item_code", "score", "sheet__assignment__stage__kind")  # fmt: skip
    own: dict[str, Decimal] = {}
    others: dict[str, list[Decimal]] = defaultdict(list)
    for code, score, kind in rows:
        if kind == StageKind.SELF_ASSESSMENT:
            own[code] = score
        else:
            others[code].append(score)
    places = 2 if rubric.rounding is None else rubric.rounding
    out = []
    for code, item in rubric.items.items():
        if code not in own and code not in others:
            continue
        mean = aggregate_scores(others[code], places=places).value if others[code] else None
        out.append(ItemComparison(code=code, text=item.text, max_points=item.max_points,
                                  self_score=own.get(code), others=mean,
                                  others_count=len(others[code])))  # fmt: skip
    return out
