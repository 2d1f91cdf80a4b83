"""Campaign results: one aggregate pass over stored sheet totals.

Per stage, the raters of each participant are aggregated with the stage's method by the scoring
core (`aggregate_sheets`: total, sections, vetoes, grade, stars); the counted stages are then
combined by the core (`combine_stage_aggregates`: weights, or a later overriding stage; grade,
vetoes and stars of the combination), ranked with shared ties within (parent, rubric) and within
(kind, rubric), vetoed organizations after every other (`rank(..., last=vetoed)`), and the
counted stages' lost points and the self-assessment beside the review stages frozen per item.
Nothing is re-scored from entries; no rule is applied outside `kaoping.scoring`.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from kaoping.campaigns.domain.results_stored import (
    StagePart,
    as_sheet_result,
    item_scores_of,
    merge_lost_points,
    self_vs_others,
    submitted_sheets,
)
from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.campaigns.enums import StageKind
from kaoping.campaigns.models import Campaign, Participant, Result, StageResult
from kaoping.scoring import SheetAggregate, aggregate_sheets, combine_stage_aggregates, rank

ZERO = Decimal(0)


@dataclass
class Recomputed:
    """What a recompute wrote, and how long it took."""

    stage_results: int = 0
    results: int = 0
    ranked: int = 0
    seconds: float = 0.0
    # Seconds per step of the vectorized path (read, numbers, lists, rows, delete, insert): where a
    # province's recompute spends its time (printed by bench/bench_scale_pages.py).
    phases: dict[str, float] = field(default_factory=dict)


@dataclass
class _StageOutcome:
    """One participant's aggregate in one stage, kept for the combination."""

    row: StageResult
    aggregate: SheetAggregate
    part: StagePart


def _places(rubric) -> int:
    return 2 if rubric.rounding is None else rubric.rounding


@transaction.atomic
def recompute_results(*, campaign) -> Recomputed:
    """Recompute every StageResult and Result of `campaign` from its submitted sheets.

    Side effects: locks the campaign row (publication and other recomputes wait), then replaces
    the campaign's StageResult and Result rows (delete and bulk insert in one transaction).
    Idempotent; a fixed handful of queries whatever the campaign's size. Published results
    (PublishedResult) are never touched. Computed by the vectorized path
    (`results_fast`), which writes the same rows as `recompute_results_reference`."""
    from kaoping.campaigns.domain.results_fast import recompute_fast

    started = time.perf_counter()
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    stages = list(campaign.stages.order_by("position", "pk"))
    phases: dict[str, float] = {}
    stage_results, results, ranked = recompute_fast(campaign, stages, phases)
    return Recomputed(stage_results=stage_results, results=results, ranked=ranked,
                      seconds=time.perf_counter() - started, phases=phases)  # fmt: skip


@transaction.atomic
def recompute_results_reference(*, campaign) -> Recomputed:
    """`recompute_results` by the Decimal path, one participant at a time through the scoring
    core's Decimal functions: the oracle the vectorized path is tested against."""
    started = time.perf_counter()
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    participants = list(
        Participant.objects.filter(campaign=campaign)
        .select_related("organization", "rubric")
        .order_by("pk")
    )
    stages = list(campaign.stages.order_by("position", "pk"))
    grouped = defaultdict(list)
    for sheet in submitted_sheets(campaign):
        grouped[(sheet.stage_id, sheet.participant_id)].append(sheet)
    outcomes: dict[tuple[int, int], _StageOutcome] = {}
    for stage in stages:
        for participant in participants:
            group = grouped.get((stage.pk, participant.pk))
            if group:
                outcomes[(stage.pk, participant.pk)] = _aggregate_stage(stage, participant, group)
    scores = item_scores_of(_compared_sheets(stages, participants, outcomes))
    results = [
        _final(campaign, participant, stages, outcomes, scores) for participant in participants
    ]
    ranked = _rank(results)

    StageResult.objects.filter(stage__campaign=campaign).delete()
    StageResult.objects.bulk_create([o.row for o in outcomes.values()], batch_size=500)
    Result.objects.filter(campaign=campaign).delete()
    Result.objects.bulk_create(results, batch_size=500)
    return Recomputed(stage_results=len(outcomes), results=len(results), ranked=ranked,
                      seconds=time.perf_counter() - started)  # fmt: skip


def _aggregate_stage(stage, participant, group) -> _StageOutcome:
    rubric = rubric_of(participant.rubric)
    core = [as_sheet_result(rubric, s) for s in group]
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
    part = StagePart(kind=stage.kind, method=stage.method, trim=stage.trim,
                     sheets=group)  # fmt: skip
    return _StageOutcome(row=row, aggregate=aggregate, part=part)


def _compared_sheets(stages, participants, outcomes) -> list[int]:
    """Sheets whose item scores the self-vs-others comparison reads: those of participants
    that have a self-assessment."""
    ids = []
    selves = [s for s in stages if s.kind == StageKind.SELF_ASSESSMENT]
    for participant in participants:
        if any((s.pk, participant.pk) in outcomes for s in selves):
            for stage in stages:
                outcome = outcomes.get((stage.pk, participant.pk))
                if outcome is not None:
                    ids.extend(sheet.pk for sheet in outcome.part.sheets)
    return ids


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


def _final(campaign, participant, stages, outcomes, scores) -> Result:
    rubric = rubric_of(participant.rubric)
    places = _places(rubric)
    chosen, mode, note = _effective(stages, participant, outcomes)
    result = Result(campaign=campaign, participant=participant, note=note)
    result.stages = _stage_summaries(stages, participant, outcomes, chosen)
    if not chosen:
        return result
    used = [outcomes[(s.pk, participant.pk)] for s in chosen]
    weights = [s.weight for s in chosen] if mode == "weighted" else None
    try:
        combined = combine_stage_aggregates(
            [o.aggregate for o in used], rubric=rubric, mode=mode, weights=weights, places=places
        )
    except ValueError:
        result.note = _("The stage weights add up to %(sum)s, not 1.") % {
            "sum": sum((s.weight for s in chosen), ZERO).normalize()
        }
        return result
    result.total = combined.total
    result.section_scores = {code: str(value) for code, value in combined.sections.items()}
    result.vetoes = list(combined.vetoes)
    result.grade = combined.grade or ""
    result.stars = list(combined.stars)
    result.rater_count = combined.rater_count
    result.note = "；".join(o.row.note for o in used if o.row.note)
    parts = [o.part for o in used]
    result.lost_points = merge_lost_points(rubric, parts, mode=mode, weights=weights, places=places)
    own = next(
        (outcomes[(s.pk, participant.pk)].part for s in stages
         if s.kind == StageKind.SELF_ASSESSMENT and (s.pk, participant.pk) in outcomes),
        None,
    )  # fmt: skip
    review = [(s.name, o.part) for s, o in zip(chosen, used, strict=True)
              if s.kind != StageKind.SELF_ASSESSMENT]  # fmt: skip
    result.comparison = self_vs_others(rubric, own, review, scores, places=places)
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
            "method_used": str(outcome.aggregate.total.method_used), "trim": stage.trim, "weight": str(stage.weight),
            "overrides": stage.overrides, "counted": stage in chosen, "total": str(row.total),
            "grade": row.grade, "vetoes": row.vetoes, "rater_count": row.rater_count,
            "note": row.note,
        })  # fmt: skip
    return rows


def _rank(results: list[Result]) -> int:
    """Shared-tie ranks (the core's `rank`) within (parent, rubric) and within (kind, rubric):
    organizations scored on different sheets are never compared. A vetoed organization ranks
    after every one without a veto in its scope (docs/scoring.md, "Ranks in a campaign")."""
    scored = [r for r in results if r.total is not None]
    if not scored:
        return 0
    totals = [r.total for r in scored]
    vetoed = [bool(r.vetoes) for r in scored]
    orgs = [r.participant.organization for r in scored]
    rubrics = [r.participant.rubric_id for r in scored]
    in_parent = rank(
        totals,
        last=vetoed,
        scopes=[(o.parent_id or 0, k) for o, k in zip(orgs, rubrics, strict=True)],
    )
    in_kind = rank(totals, last=vetoed,
                   scopes=[(o.kind, k) for o, k in zip(orgs, rubrics, strict=True)])  # fmt: skip
    for result, parent_rank, kind_rank in zip(scored, in_parent, in_kind, strict=True):
        result.rank_in_parent, result.rank_in_kind = parent_rank, kind_rank
    return len(scored)
