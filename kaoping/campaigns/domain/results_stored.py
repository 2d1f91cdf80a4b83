"""Stored sheets read back for aggregation; lost points and self vs others per item.

Results never re-derive a rule: a submitted sheet stores what the scoring core computed
(`stored.stored_fields`: totals, and per section the score, applicable points and major
deductions), and these helpers turn those stored numbers back into the core's own result type so
that `kaoping.scoring.aggregate_sheets` aggregates them. Per item figures (lost points, the
self-assessment beside the other raters) are aggregated per stage with the stage's method and
combined across stages with the same weights (or overriding stage) as the total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from kaoping.campaigns.enums import SheetStatus
from kaoping.campaigns.models import Entry, ScoreSheet
from kaoping.scoring import Rubric, SectionResult, SheetResult, aggregate_scores, combine_stages

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
    sections: list
    vetoes: tuple[str, ...]
    lost_points: list


def submitted_sheets(campaign, *, participants=None) -> list[StoredSheet]:
    """Every submitted sheet of the campaign (or of those `participants`, by id), in stage,
    participant and rater order."""
    chosen = ScoreSheet.objects.filter(
        assignment__stage__campaign=campaign, status=SheetStatus.SUBMITTED
    )
    if participants is not None:
        chosen = chosen.filter(assignment__participant_id__in=participants)
    rows = (
        chosen
        .order_by("assignment__stage_id", "assignment__participant_id", "assignment__rater_id")
        .values_list(
            "pk", "assignment__stage_id", "assignment__participant_id",
            "assignment__rater__full_name", "assignment__rater__username",
            "total", "scaled_total", "sections", "vetoes", "lost_points",
        )
    )  # fmt: skip
    return [
        StoredSheet(
            pk=pk, stage_id=stage_id, participant_id=participant_id, rater=full_name or username,
            total=total if total is not None else ZERO,
            scaled_total=scaled if scaled is not None else (total if total is not None else ZERO),
            sections=sections or [], vetoes=tuple(vetoes or ()), lost_points=lost or [],
        )
        for (pk, stage_id, participant_id, full_name, username, total, scaled, sections, vetoes,
             lost) in rows
    ]  # fmt: skip


def as_sheet_result(rubric: Rubric, sheet: StoredSheet) -> SheetResult:
    """The stored sheet as the core's SheetResult, with what `aggregate_sheets` reads — the
    scaled total, the vetoes, and per section the score, applicable points and major
    deductions — exactly as the core stored them at submission (`stored.sections_data`)."""
    stored = {row["code"]: row for row in sheet.sections}
    if set(stored) != {s.code for s in rubric.sections}:
        raise ValueError(f"sheet {sheet.pk} has no stored sections for rubric {rubric.id!r}")
    sections = tuple(
        SectionResult(
            code=s.code, title=s.title, points=s.points,
            applicable_points=Decimal(stored[s.code]["applicable_points"]),
            score=Decimal(stored[s.code]["score"]), contribution=Decimal(stored[s.code]["score"]),
            major_deductions=Decimal(stored[s.code]["major_deductions"]),
            star_lit=bool(stored[s.code].get("star_lit")),
        )
        for s in rubric.sections
    )  # fmt: skip
    return SheetResult(
        rubric_id=rubric.id, items={}, sections=sections, base_total=ZERO, bonus=ZERO,
        bonus_claimed=ZERO, major_deductions=sum((s.major_deductions for s in sections), ZERO),
        total=sheet.total, full_marks=rubric.full_marks, applicable_max=rubric.full_marks,
        scaled_total=sheet.scaled_total, vetoes=sheet.vetoes, grade=None, stars=(), lost=(),
    )  # fmt: skip


@dataclass(frozen=True)
class StagePart:
    """One counted stage of one participant: how it aggregates and its sheets."""

    kind: str
    method: str
    trim: int
    sheets: Sequence[StoredSheet]


def combine_per_item(
    parts: Sequence[StagePart], values: dict[str, list[list[Decimal]]], *, mode, weights, places
) -> dict[str, Decimal]:
    """Item code → its figure combined across stages: per stage the core's `aggregate_scores`
    with the stage's method over the stage's sheets (`values[code][i]`: one value per sheet of
    part i), then `combine_stages` with the total's mode and weights."""
    out = {}
    for code, per_stage in values.items():
        stage_values = [
            aggregate_scores(v, method=p.method, trim=p.trim, places=places).value
            for p, v in zip(parts, per_stage, strict=True)
        ]
        if mode == "override":
            out[code] = combine_stages(stage_values, mode="override", places=places)
        else:
            out[code] = combine_stages(stage_values, weights=weights, places=places)
    return out


def merge_lost_points(
    rubric: Rubric, parts: Sequence[StagePart], *, mode: str, weights, places: int
) -> list[dict]:
    """The counted stages' lost points merged per item, in the rubric's order: the points lost
    aggregated per stage with its method (a rater who took nothing off counts 0) and combined
    with the total's weights or overriding stage — so the list agrees with the total — plus how
    many raters took points off, of how many, and every distinct reason."""
    if not parts:
        return []
    merged: dict[tuple[str, str], dict] = {}
    for index, part in enumerate(parts):
        for position, sheet in enumerate(part.sheets):
            for lost in sheet.lost_points:
                key = (lost.get("item", ""), lost.get("kind", "points"))
                row = merged.setdefault(key, {
                    "item": key[0], "kind": key[1], "section": lost.get("section", ""),
                    "text": lost.get("text", ""), "reasons": [],
                    "by_sheet": [[ZERO] * len(p.sheets) for p in parts],
                })  # fmt: skip
                row["by_sheet"][index][position] += Decimal(str(lost.get("points", "0")))
                for reason in lost.get("reasons", ()):
                    if reason and reason not in row["reasons"]:
                        row["reasons"].append(reason)
    combined = combine_per_item(
        parts, {key: row["by_sheet"] for key, row in merged.items()},
        mode=mode, weights=weights, places=places,
    )  # fmt: skip
    order = {code: i for i, code in enumerate(rubric.items)}
    rows = []
    for key in sorted(merged, key=lambda k: (order.get(k[0], len(order)), k)):
        row = merged[key]
        flat = [v for stage in row.pop("by_sheet") for v in stage]
        row["points"] = str(combined[key])
        row["raters"] = sum(1 for v in flat if v > 0) if key[1] != "veto" else len(flat)
        row["of"] = len(flat)
        rows.append(row)
    return rows


def item_scores_of(sheet_ids) -> dict[int, dict[str, Decimal]]:
    """The item scores stored on the sheets' entries, per sheet (one query)."""
    found: dict[int, dict[str, Decimal]] = defaultdict(dict)
    rows = Entry.objects.filter(sheet_id__in=sheet_ids, score__isnull=False).values_list(
        "sheet_id", "item_code", "score"
    )
    for sheet_id, code, score in rows.iterator(chunk_size=5000):
        found[sheet_id][code] = score
    return found


def self_vs_others(
    rubric: Rubric,
    self_part: StagePart | None,
    review: Sequence[tuple[str, StagePart]],
    scores: dict[int, dict[str, Decimal]],
    *,
    places: int,
) -> list[dict]:
    """The self-assessment's item scores beside each counted review stage's, item by item, as
    JSON rows frozen with the result: {item, text, max_points, self, stages: [{name, value,
    count, difference}]}. Each stage aggregates its raters with its own method; a stage that
    does not count towards the result is not shown."""
    if self_part is None or not review:
        return []
    rows = []
    for code, item in rubric.items.items():
        mine = [scores[s.pk][code] for s in self_part.sheets if code in scores.get(s.pk, {})]
        own = (
            aggregate_scores(mine, method=self_part.method, trim=self_part.trim,
                             places=places).value if mine else None
        )  # fmt: skip
        columns, seen = [], own is not None
        for name, part in review:
            theirs = [scores[s.pk][code] for s in part.sheets if code in scores.get(s.pk, {})]
            value = (
                aggregate_scores(theirs, method=part.method, trim=part.trim, places=places).value
                if theirs else None
            )  # fmt: skip
            seen = seen or value is not None
            difference = own - value if own is not None and value is not None else None
            columns.append({"name": name, "value": _text(value), "count": len(theirs),
                            "difference": _text(difference)})  # fmt: skip
        if seen:
            rows.append({"item": code, "text": item.text, "max_points": str(item.max_points),
                         "self": _text(own), "stages": columns})  # fmt: skip
    return rows


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
