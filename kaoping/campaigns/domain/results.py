"""Campaign results: one aggregate pass over stored sheet totals.

Per stage, the raters of each participant are aggregated with the stage's method by the scoring
core (`aggregate_sheets`: total, sections, vetoes, grade, stars); the stages are then combined
(`combine_stages`: weights, or a later overriding stage), graded (`grade_for`, a veto forces the
failing grade), ranked with shared ties within the parent and within the kind (`rank`), and the
review stages' lost points merged per item. Nothing is re-scored from entries.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from kaoping.campaigns.domain.results_stored import (
    as_sheet_result,
    merge_lost_points,
    not_applicable_items,
    submitted_sheets,
)
from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.campaigns.enums import StageKind
from kaoping.campaigns.models import Participant, Result, StageResult
from kaoping.scoring import aggregate_sheets, combine_stages, grade_for, rank
from kaoping.scoring.outcome import star_lit

ZERO = Decimal(0)


@dataclass
class Recomputed:
    """What a recompute wrote, and how long it took."""

    stage_results: int = 0
    results: int = 0
    ranked: int = 0
    seconds: float = 0.0


@dataclass
class _StageOutcome:
    """One participant's aggregate in one stage, kept for the combination."""

    row: StageResult
    total: Decimal
    sections: dict[str, Decimal]
    applicable: dict[str, Decimal]
    major: dict[str, Decimal]
    method_used: str = ""
    sheets: list = field(default_factory=list)


def _places(rubric) -> int:
    return 2 if rubric.rounding is None else rubric.rounding


@transaction.atomic
def recompute_results(*, campaign) -> Recomputed:
    """Recompute every StageResult and Result of `campaign` from its submitted sheets.

    Side effects: replaces the campaign's StageResult and Result rows (delete and bulk insert
    in one transaction). Idempotent; a fixed handful of queries whatever the campaign's size.
    Published results (PublishedResult) are never touched."""
    started = time.perf_counter()
    participants = list(
        Participant.objects.filter(campaign=campaign)
        .select_related("organization", "rubric")
        .order_by("pk")
    )
    stages = list(campaign.stages.order_by("position", "pk"))
    sheets = submitted_sheets(campaign)
    na = not_applicable_items([s.pk for s in sheets])
    grouped = defaultdict(list)
    for sheet in sheets:
        grouped[(sheet.stage_id, sheet.participant_id)].append(sheet)

    outcomes: dict[tuple[int, int], _StageOutcome] = {}
    for stage in stages:
        for participant in participants:
            group = grouped.get((stage.pk, participant.pk))
            if group:
                outcomes[(stage.pk, participant.pk)] = _aggregate_stage(
                    stage, participant, group, na
                )
    results = [_final(campaign, participant, stages, outcomes) for participant in participants]
    ranked = _rank(results)

    StageResult.objects.filter(stage__campaign=campaign).delete()
    StageResult.objects.bulk_create([o.row for o in outcomes.values()], batch_size=500)
    Result.objects.filter(campaign=campaign).delete()
    Result.objects.bulk_create(results, batch_size=500)
    return Recomputed(stage_results=len(outcomes), results=len(results), ranked=ranked,
                      seconds=time.perf_counter() - started)  # fmt: skip


def _aggregate_stage(stage, participant, group, na) -> _StageOutcome:
    rubric = rubric_of(participant.rubric)
    kind = participant.organization.kind
    core = [as_sheet_result(rubric, s, org_kind=kind, na=na.get(s.pk, set())) for s in group]
    aggregate = aggregate_sheets(
        core, rubric=rubric, raters=[s.rater for s in group], method=stage.method, trim=stage.trim
    )
    row = StageResult(
        stage=stage,
        participant=participant,
        total=aggregate.total.value,
        section_scores={code: str(a.value) for code, a in aggregate.sections.items()},
        grade=aggregate.grade or "",
        stars=list(aggregate.stars),
        vetoes=list(aggregate.veto_codes()),
        rater_count=aggregate.total.count,
        note=aggregate.total.note,
    )
    return _StageOutcome(
        row=row,
        total=aggregate.total.value,
        sections={code: a.value for code, a in aggregate.sections.items()},
        applicable={s.code: max(r.section(s.code).applicable_points for r in core)
                    for s in rubric.sections},
        major={s.code: max(r.section(s.code).major_deductions for r in core)
               for s in rubric.sections},
        method_used=str(aggregate.total.method_used),
        sheets=group,
    )  # fmt: skip


def _effective(stages, participant, outcomes):
    """The stages whose results make the final one, with their weights, or a note why none do.

    Weighted stages (weight > 0) combine by their weights; a later stage that `overrides`
    replaces them wherever it has a result (抽查点评 over 全面考评)."""
    mine = {s.pk: outcomes.get((s.pk, participant.pk)) for s in stages}
    overriding = [s for s in stages if s.overrides and mine[s.pk] is not None]
    if overriding:
        return [overriding[-1]], "override", ""
    weighted = [s for s in stages if not s.overrides and s.weight > 0]
    if not weighted:
        return [], "", _("No stage counts towards the result yet.")
    absent = [s.name for s in weighted if mine[s.pk] is None]
    if absent:
        return [], "", _("No result yet in: %(stages)s.") % {"stages": "、".join(absent)}
    return weighted, "weighted", ""


def _combine(mode, stages, values, places):
    if mode == "override":
        return combine_stages(values, mode="override", places=places)
    return combine_stages(values, mode="weighted", weights=[s.weight for s in stages],
                          places=places)  # fmt: skip


def _final(campaign, participant, stages, outcomes) -> Result:
    rubric = rubric_of(participant.rubric)
    places = _places(rubric)
    chosen, mode, note = _effective(stages, participant, outcomes)
    result = Result(campaign=campaign, participant=participant, note=note)
    result.stages = _stage_summaries(stages, participant, outcomes, chosen)
    if not chosen:
        return result
    used = [outcomes[(s.pk, participant.pk)] for s in chosen]
    try:
        total = _combine(mode, chosen, [o.total for o in used], places)
    except ValueError:
        weights = sum((s.weight for s in chosen), ZERO)
        result.note = _("The stage weights add up to %(sum)s, not 1.") % {
            "sum": weights.normalize()
        }
        return result
    sections = {
        s.code: _combine(mode, chosen, [o.sections[s.code] for o in used], places)
        for s in rubric.sections
    }
    vetoes = []
    for outcome in used:
        vetoes.extend(v for v in outcome.row.vetoes if v not in vetoes)
    result.total = total
    result.section_scores = {code: str(value) for code, value in sections.items()}
    result.vetoes = vetoes
    result.grade = grade_for(rubric.outcome, total, vetoed=bool(vetoes)) or ""
    result.stars = used[0].row.stars if len(used) == 1 else _stars(rubric, sections, used)
    result.rater_count = sum(o.row.rater_count for o in used)
    result.note = "；".join(o.row.note for o in used if o.row.note)
    review = [s for s, o in zip(chosen, used, strict=True) if s.kind != StageKind.SELF_ASSESSMENT]
    review_sheets = [sheet for s in review for sheet in outcomes[(s.pk, participant.pk)].sheets]
    result.lost_points = merge_lost_points(rubric, review_sheets, places=places)
    return result


def _stage_summaries(stages, participant, outcomes, chosen) -> list[dict]:
    """Every stage's aggregate for this participant, marked whether it counts in the result."""
    rows = []
    for stage in stages:
        outcome = outcomes.get((stage.pk, participant.pk))
        if outcome is None:
            continue
        row = outcome.row
        rows.append({
            "stage": stage.pk, "name": stage.name, "kind": stage.kind, "method": stage.method,
            "method_used": outcome.method_used, "trim": stage.trim, "weight": str(stage.weight),
            "overrides": stage.overrides, "counted": stage in chosen, "total": str(row.total),
            "grade": row.grade, "vetoes": row.vetoes, "rater_count": row.rater_count,
            "note": row.note,
        })  # fmt: skip
    return rows


def _stars(rubric, sections, used) -> list[str]:
    """Stars of a weighted combination: the core's star rule on the combined section scores."""
    blocked = rubric.outcome.stars_blocked_by_major_deduction
    lit = []
    for star in rubric.outcome.stars:
        points = max(o.applicable[star.section] for o in used)
        major = max(o.major[star.section] for o in used)
        score = sections[star.section]
        if star_lit(star, score=score, points=points, major=major, blocked=blocked):
            lit.append(star.label)
    return lit


def _rank(results: list[Result]) -> int:
    """Shared-tie ranks within the parent and within the organization kind (the core's rank)."""
    scored = [r for r in results if r.total is not None]
    if not scored:
        return 0
    totals = [r.total for r in scored]
    orgs = [r.participant.organization for r in scored]
    in_parent = rank(totals, scopes=[o.parent_id or 0 for o in orgs])
    in_kind = rank(totals, scopes=[o.kind for o in orgs])
    for result, parent_rank, kind_rank in zip(scored, in_parent, in_kind, strict=True):
        result.rank_in_parent, result.rank_in_kind = parent_rank, kind_rank
    return len(scored)
