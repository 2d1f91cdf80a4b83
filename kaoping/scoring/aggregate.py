"""Several raters and several stages: mean, trimmed mean, median; stage weights or override.

The Decimal functions are for one organization (a page, the CLI); the `*_fixed` function does a
whole campaign at once with numpy on fixed-point integers (see `fixed.py`), with the same answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

import numpy as np

from kaoping.scoring.fixed import div_round
from kaoping.scoring.model import Rubric
from kaoping.scoring.numbers import ZERO, parse_decimal, quantize
from kaoping.scoring.outcome import grade_for, star_lit
from kaoping.scoring.results import SheetResult

__all__ = [
    "Aggregate",
    "Method",
    "SheetAggregate",
    "StageCombination",
    "VetoFinding",
    "aggregate_fixed",
    "aggregate_scores",
    "aggregate_sheets",
    "combine_stage_aggregates",
    "combine_stages",
]


class Method(StrEnum):
    MEAN = "mean"
    TRIMMED = "trimmed"  # drop the k highest and the k lowest (去掉最高分和最低分)
    MEDIAN = "median"


@dataclass(frozen=True)
class Aggregate:
    value: Decimal
    method: Method  # as asked
    method_used: Method  # as applied: a trimmed mean with too few raters falls back to the mean
    count: int
    dropped: tuple[Decimal, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class VetoFinding:
    """A veto (反向指标) triggered on at least one rater's sheet, and by whom.

    `sheets` are positions in the results given to `aggregate_sheets`; `raters` are the labels
    given with them (or "1", "2", … by position)."""

    code: str
    sheets: tuple[int, ...]
    raters: tuple[str, ...]


@dataclass(frozen=True)
class SheetAggregate:
    """One organization's sheets aggregated. `grade` and `stars` are the rubric's outcome applied
    to the aggregate (None / () when no rubric was given): any veto triggered on any rater's sheet
    forces the failing grade; a star is lit when the aggregated section reaches its threshold and
    no rater charged a major deduction to that section (see docs/scoring.md)."""

    total: Aggregate
    sections: dict[str, Aggregate] = field(default_factory=dict)
    vetoes: tuple[VetoFinding, ...] = ()
    grade: str | None = None
    stars: tuple[str, ...] = ()
    major_sections: tuple[str, ...] = ()  # sections any rater charged a major deduction to
    # Per section, what the star rule reads: the largest applicable points any rater used and
    # the largest major deduction any rater charged (kept so stages can be combined later).
    section_points: dict[str, Decimal] = field(default_factory=dict)
    section_majors: dict[str, Decimal] = field(default_factory=dict)

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)

    def veto_codes(self) -> tuple[str, ...]:
        return tuple(v.code for v in self.vetoes)


def aggregate_scores(
    values: Iterable[object], *, method: Method | str = Method.MEAN, trim: int = 1, places: int = 2
) -> Aggregate:
    """Aggregate raters' scores; the result is rounded half up to `places` decimals."""
    method = Method(method)
    ordered = sorted(parse_decimal(v) for v in values)
    if not ordered:
        raise ValueError("no scores to aggregate")
    if trim < 0:
        raise ValueError("trim must be >= 0")
    used, kept, dropped, note = method, ordered, (), ""
    if method is Method.TRIMMED:
        if len(ordered) > 2 * trim:
            kept = ordered[trim : len(ordered) - trim]
            dropped = (*ordered[:trim], *ordered[len(ordered) - trim :])
        else:
            used = Method.MEAN
            note = f"评分人{len(ordered)}人，不足{2 * trim + 1}人，未去掉最高分和最低分，按算术平均"
    if used is Method.MEDIAN:
        middle = len(kept) // 2
        value = kept[middle] if len(kept) % 2 else (kept[middle - 1] + kept[middle]) / 2
    else:
        value = sum(kept, ZERO) / len(kept)
    return Aggregate(value=quantize(value, places), method=method, method_used=used,
                     count=len(ordered), dropped=tuple(dropped), note=note)  # fmt: skip


def aggregate_sheets(
    results: Sequence[SheetResult],
    *,
    rubric: Rubric | None = None,
    raters: Sequence[str] | None = None,
    method: Method | str = Method.MEAN,
    trim: int = 1,
    places: int | None = None,
) -> SheetAggregate:
    """Aggregate several raters' sheets for one organization: the scaled total (what grades use)
    and every section score, the union of triggered vetoes (with the raters who found them), and —
    with `rubric` — the grade and stars of the aggregate.

    `places` defaults to the rubric's `rounding` (2 without a rubric, or when it says none)."""
    if not results:
        raise ValueError("no sheets to aggregate")
    if raters is not None and len(raters) != len(results):
        raise ValueError("one rater label per sheet")
    if rubric is not None and any(r.rubric_id != rubric.id for r in results):
        raise ValueError(f"every sheet must be scored with rubric {rubric.id!r}")
    codes = [s.code for s in results[0].sections]
    if any([s.code for s in r.sections] != codes for r in results):
        raise ValueError("sheets scored with different rubrics cannot be aggregated")
    if places is None:
        places = 2 if rubric is None or rubric.rounding is None else rubric.rounding
    options = {"method": method, "trim": trim, "places": places}
    total = aggregate_scores((r.scaled_total for r in results), **options)
    sections = {
        code: aggregate_scores((r.sections[i].score for r in results), **options)
        for i, code in enumerate(codes)
    }
    labels = tuple(raters) if raters is not None else tuple(str(i + 1) for i in range(len(results)))
    found: dict[str, list[int]] = {}
    for position, result in enumerate(results):
        for code in result.vetoes:
            found.setdefault(code, []).append(position)
    vetoes = tuple(
        VetoFinding(code=code, sheets=tuple(found[code]),
                    raters=tuple(labels[i] for i in found[code]))
        for code in _in_rubric_order(found, rubric, results)
    )  # fmt: skip
    major_sections = tuple(
        code for i, code in enumerate(codes) if any(r.sections[i].major_deductions for r in results)
    )
    # An item one rater marked not applicable does not make a star easier: the largest points.
    points = {code: max(r.sections[i].applicable_points for r in results)
              for i, code in enumerate(codes)}  # fmt: skip
    majors = {code: max(r.sections[i].major_deductions for r in results)
              for i, code in enumerate(codes)}  # fmt: skip
    grade, stars = None, ()
    if rubric is not None:
        grade = grade_for(rubric.outcome, total.value, vetoed=bool(vetoes))
        stars = _stars_of(rubric, {c: a.value for c, a in sections.items()}, points, majors)
    return SheetAggregate(total=total, sections=sections, vetoes=vetoes, grade=grade,
                          stars=stars, major_sections=major_sections, section_points=points,
                          section_majors=majors)  # fmt: skip


def _in_rubric_order(found: dict[str, list[int]], rubric, results) -> list[str]:
    order = list(rubric.items) if rubric is not None else list(results[0].items)
    rank = {code: i for i, code in enumerate(order)}
    return sorted(found, key=lambda code: (rank.get(code, len(rank)), code))


def _stars_of(rubric: Rubric, scores, points, majors) -> tuple[str, ...]:
    """The rubric's stars lit by aggregated section scores: each reaches the threshold share of
    the section's applicable points (the largest any rater used) and, when the rubric blocks
    stars on major deductions, no rater charged one to the section."""
    lit = []
    blocked = rubric.outcome.stars_blocked_by_major_deduction
    for star in rubric.outcome.stars:
        if star.section not in scores:
            continue
        if star_lit(star, score=scores[star.section], points=points[star.section],
                    major=majors[star.section], blocked=blocked):  # fmt: skip
            lit.append(star.label)
    return tuple(lit)


def combine_stages(
    values: Sequence[object | None],
    *,
    mode: str = "weighted",
    weights: Sequence[object] | None = None,
    places: int = 2,
) -> Decimal:
    """Combine one organization's stage results, in stage order.

    `weighted`: Σ weight × value, the weights adding up to 1 and every stage present.
    `override`: the latest stage that has a result replaces the earlier ones (抽查 over 自评).
    """
    if mode == "override":
        present = [parse_decimal(v) for v in values if v is not None]
        if not present:
            raise ValueError("no stage has a result")
        return quantize(present[-1], places)
    if mode != "weighted":
        raise ValueError(f"unknown mode {mode!r}")
    if weights is None or len(weights) != len(values):
        raise ValueError("weighted combination needs one weight per stage")
    exact = [parse_decimal(w) for w in weights]
    if sum(exact, ZERO) != 1:
        raise ValueError("stage weights must add up to 1")
    if any(v is None for v in values):
        raise ValueError("every stage needs a result for a weighted combination")
    total = sum((w * parse_decimal(v) for w, v in zip(exact, values, strict=True)), ZERO)
    return quantize(total, places)


@dataclass(frozen=True)
class StageCombination:
    """One organization's stages combined: the final total and section scores, the vetoes of
    every counted stage (in stage order, each once), the grade and the stars."""

    total: Decimal
    sections: dict[str, Decimal]
    vetoes: tuple[str, ...]
    grade: str | None
    stars: tuple[str, ...]
    rater_count: int


def combine_stage_aggregates(
    aggregates: Sequence[SheetAggregate],
    *,
    rubric: Rubric,
    mode: str = "weighted",
    weights: Sequence[object] | None = None,
    places: int | None = None,
) -> StageCombination:
    """Combine one organization's per-stage aggregates (`aggregate_sheets`, in stage order) into
    its final result, as `combine_stages` combines the totals.

    `override`: the last aggregate is the result, whole (its grade and stars included).
    `weighted`: totals and every section combine by the weights (adding up to 1); a veto of any
    stage forces the failing grade; a star is lit when the combined section score reaches the
    threshold share of the largest applicable points any stage used, and (when the rubric so
    rules) no stage's rater charged a major deduction to the section. ValueError on bad weights.
    """
    if not aggregates:
        raise ValueError("no stage has a result")
    if places is None:
        places = 2 if rubric.rounding is None else rubric.rounding
    vetoes: list[str] = []
    for aggregate in aggregates:
        vetoes.extend(code for code in aggregate.veto_codes() if code not in vetoes)
    raters = sum(a.total.count for a in aggregates)
    if mode == "override":
        last = aggregates[-1]
        return StageCombination(
            total=quantize(last.total.value, places),
            sections={code: a.value for code, a in last.sections.items()},
            vetoes=last.veto_codes(), grade=last.grade, stars=last.stars,
            rater_count=last.total.count,
        )  # fmt: skip
    options = {"mode": mode, "weights": weights, "places": places}
    total = combine_stages([a.total.value for a in aggregates], **options)
    codes = list(aggregates[0].sections)
    sections = {
        code: combine_stages([a.sections[code].value for a in aggregates], **options)
        for code in codes
    }
    points = {code: max(a.section_points.get(code, ZERO) for a in aggregates) for code in codes}
    majors = {code: max(a.section_majors.get(code, ZERO) for a in aggregates) for code in codes}
    return StageCombination(
        total=total, sections=sections, vetoes=tuple(vetoes),
        grade=grade_for(rubric.outcome, total, vetoed=bool(vetoes)),
        stars=_stars_of(rubric, sections, points, majors), rater_count=raters,
    )  # fmt: skip


def aggregate_fixed(
    matrix: np.ndarray,
    *,
    method: Method | str = Method.MEAN,
    trim: int = 1,
    counts: np.ndarray | None = None,
    coarser: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Aggregate a (organizations × raters) int64 matrix of fixed-point scores, row by row.

    `counts[i]` raters are present in row i (the first counts[i] columns); default all. Returns
    the aggregates in units `10**coarser` times the input's (e.g. scores read at 6 decimals,
    results at 2: `coarser=4`), rounded half away from zero once, and a boolean array marking
    rows where a trimmed mean fell back to the mean.
    """
    if coarser < 0:
        raise ValueError("coarser must be >= 0")
    unit = 10**coarser
    method = Method(method)
    matrix = np.asarray(matrix, dtype=np.int64)
    rows, width = matrix.shape
    counts = np.full(rows, width, dtype=np.int64) if counts is None else np.asarray(counts)
    if np.any(counts < 1) or np.any(counts > width):
        raise ValueError("every organization needs between 1 and width raters")
    present = np.arange(width) < counts[:, None]
    # Absent raters sort last, then count as 0 so cumulative sums stay exact.
    ordered = np.sort(np.where(present, matrix, np.iinfo(np.int64).max), axis=1)
    ordered = np.where(present, ordered, 0)
    index = np.arange(rows)
    fell_back = np.zeros(rows, dtype=bool)
    if method is Method.MEDIAN:
        low, high = ordered[index, (counts - 1) // 2], ordered[index, counts // 2]
        return div_round(low + high, 2 * unit), fell_back
    cumulative = np.concatenate([np.zeros((rows, 1), np.int64), np.cumsum(ordered, 1)], axis=1)
    start = np.zeros(rows, dtype=np.int64)
    stop = counts.copy()
    if method is Method.TRIMMED:
        fell_back = counts <= 2 * trim
        start = np.where(fell_back, 0, trim)
        stop = np.where(fell_back, counts, counts - trim)
    sums = cumulative[index, stop] - cumulative[index, start]
    return div_round(sums, (stop - start) * unit), fell_back
