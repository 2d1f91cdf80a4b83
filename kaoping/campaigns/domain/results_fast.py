"""Campaign results at province scale: the same rows as `results.recompute_results_reference`,
computed a stage at a time with numpy on fixed-point integers.

Per stage and rubric, the raters' stored totals, section scores and per item lost points become
(participants × raters) int64 matrices at 6 decimals (the most a stored score has), which the
scoring core's `aggregate_fixed` aggregates with the stage's method and rounds once to the
rubric's places; stages combine by their weights in integers, grades, stars and ranks come from
the same rules as the core's Decimal functions (`grade_for`, `star_lit`, `rank_array`), and the
rows are written with executemany (SQLite) or COPY (PostgreSQL) in the caller's transaction.

Participants the vectorized path does not cover go through the reference path, one by one: those
with a self-assessment (their item-by-item comparison reads entries) and those with a negative
stored number (a negative aggregate that rounds to zero keeps its sign in Decimal). The equality
of both paths is tested (tests/campaigns/test_results_fast.py).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

import numpy as np
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.campaigns.domain.bulk import insert_rows
from kaoping.campaigns.domain.results_stored import item_scores_of, submitted_sheets
from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.campaigns.enums import StageKind
from kaoping.campaigns.models import Participant, Result, StageResult, StoredRubric
from kaoping.scoring import Method, aggregate_fixed, rank_array
from kaoping.scoring.fixed import div_round
from kaoping.scoring.outcome import FINE_PLACES, grades_array, stars_array

FINE = FINE_PLACES
ZERO = Decimal(0)
STAGE_COLUMNS = ("stage_id", "participant_id", "total", "section_scores", "grade", "stars",
                 "vetoes", "rater_count", "note")  # fmt: skip
RESULT_COLUMNS = ("campaign_id", "participant_id", "total", "section_scores", "grade", "stars",
                  "vetoes", "rater_count", "note", "rank_in_parent", "rank_in_kind",
                  "lost_points", "stages", "comparison", "computed_at")  # fmt: skip


class _Units:
    """Stored numbers (Decimals or their text) as int64 units of 10**-FINE, each distinct
    value converted once; `negative` turns true on the first negative one."""

    def __init__(self):
        self.cache: dict = {}
        self.negative = False

    def __call__(self, value) -> int:
        units = self.cache.get(value)
        if units is None:
            units = int(Decimal(str(value)).scaleb(FINE))
            self.cache[value] = units
        if units < 0:
            self.negative = True
        return units


def _text(units: int, places: int) -> str:
    """Units of 10**-places as the Decimal text `quantize` gives (units ≥ 0 here)."""
    return str(Decimal(units).scaleb(-places))


@dataclass
class _Stage:
    """One stage's aggregates for the participants of one rubric that have sheets in it."""

    present: np.ndarray  # bool per member
    counts: np.ndarray  # sheets per member (0 when absent)
    total: np.ndarray  # places units per member
    sections: np.ndarray  # (members × sections) places units
    points: np.ndarray  # (members × sections) FINE units, the largest applicable points
    majors: np.ndarray  # (members × sections) FINE units, the largest major deduction
    fell_back: np.ndarray
    vetoes: dict[int, list[str]] = field(default_factory=dict)  # member → codes, rubric order


class _Member(NamedTuple):
    """A participant as the vectorized path reads it (no model instances: one query)."""

    pk: int
    rubric_id: int
    parent_id: int | None
    kind: str


def _members(campaign) -> list[_Member]:
    rows = (
        Participant.objects.filter(campaign=campaign)
        .order_by("pk")
        .values_list("pk", "rubric_id", "organization__parent_id", "organization__kind")
    )
    return [_Member(*row) for row in rows]


def recompute_fast(campaign, stages) -> tuple[int, int, int]:
    """Replace the campaign's StageResult and Result rows (the caller holds the campaign lock and
    the transaction). Returns (stage results, results, ranked)."""
    from kaoping.campaigns.domain import results as reference

    participants = _members(campaign)
    stored = StoredRubric.objects.in_bulk({p.rubric_id for p in participants})
    sheets = defaultdict(list)
    for sheet in submitted_sheets(campaign):
        sheets[(sheet.stage_id, sheet.participant_id)].append(sheet)
    selves = {s.pk for s in stages if s.kind == StageKind.SELF_ASSESSMENT}
    slow = {pid for (sid, pid) in sheets if sid in selves}
    by_rubric = defaultdict(list)
    for participant in participants:
        if participant.pk not in slow:
            by_rubric[participant.rubric_id].append(participant)
    stage_rows, results = [], {}
    for members in by_rubric.values():
        batch = _Batch(campaign, rubric_of(stored[members[0].rubric_id]), members, stages, sheets)
        if batch.compute():
            stage_rows.extend(batch.stage_rows)
            results.update(batch.results)
        else:
            slow.update(p.pk for p in members)
    if slow:
        rows, done = _reference_rows(reference, campaign, stages, sheets, slow)
        stage_rows.extend(rows)
        results.update(done)
    ordered = [results[p.pk] for p in participants]
    ranked, ranks = _rank(participants, ordered)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    StageResult.objects.filter(stage__campaign=campaign).delete()
    Result.objects.filter(campaign=campaign).delete()
    with connection.cursor() as cursor:
        insert_rows(cursor, StageResult._meta.db_table, STAGE_COLUMNS, stage_rows)
        rows = [(*row[:9], *rank, *row[9:], now) for row, rank in zip(ordered, ranks, strict=True)]
        insert_rows(cursor, Result._meta.db_table, RESULT_COLUMNS, rows)
    return len(stage_rows), len(ordered), ranked


def _decimal(units: int | None, places: int):
    return None if units is None else Decimal(int(units)).scaleb(-places)


class _Batch:
    """The participants of one rubric, vectorized."""

    def __init__(self, campaign, rubric, members, stages, sheets):
        self.campaign, self.rubric, self.members, self.stages = campaign, rubric, members, stages
        self.sheets = sheets
        self.places = 2 if rubric.rounding is None else rubric.rounding
        self.coarser = FINE - self.places
        self.codes = [s.code for s in rubric.sections]
        self.units = _Units()
        self.stage_rows: list[tuple] = []
        self.results: dict[int, tuple] = {}

    def compute(self) -> bool:
        """False when a stored number is negative: the reference path then takes the batch."""
        if self.places > FINE:
            return False
        aggregated = {s.pk: self._stage(s) for s in self.stages}
        if self.units.negative:
            return False
        self._write_stages(aggregated)
        self._final(aggregated)
        return not self.units.negative

    # ---- one stage -------------------------------------------------------------------------
    def _stage(self, stage) -> _Stage | None:
        size, width_codes = len(self.members), len(self.codes)
        groups = [self.sheets.get((stage.pk, p.pk)) for p in self.members]
        counts = np.array([len(g) if g else 0 for g in groups], dtype=np.int64)
        if not counts.any():
            return None
        width = int(counts.max())
        totals = np.zeros((size, width), dtype=np.int64)
        sections = np.zeros((size, width, width_codes), dtype=np.int64)
        points = np.zeros((size, width, width_codes), dtype=np.int64)
        majors = np.zeros((size, width, width_codes), dtype=np.int64)
        vetoes: dict[int, list[str]] = {}
        units, codes = self.units, self.codes
        for i, group in enumerate(groups):
            if not group:
                continue
            for j, sheet in enumerate(group):
                totals[i, j] = units(sheet.scaled_total)
                stored = {row["code"]: row for row in sheet.sections}
                if len(stored) != width_codes or any(c not in stored for c in codes):
                    raise ValueError(
                        f"sheet {sheet.pk} has no stored sections for rubric {self.rubric.id!r}"
                    )
                for k, code in enumerate(codes):
                    row = stored[code]
                    sections[i, j, k] = units(row["score"])
                    points[i, j, k] = units(row["applicable_points"])
                    majors[i, j, k] = units(row["major_deductions"])
                if sheet.vetoes:
                    vetoes.setdefault(i, []).extend(sheet.vetoes)
        present = counts > 0
        safe = np.maximum(counts, 1)  # absent members aggregate a row of zeros, then are masked
        options = {"method": stage.method, "trim": stage.trim, "counts": safe,
                   "coarser": self.coarser}  # fmt: skip
        total, fell_back = aggregate_fixed(totals, **options)
        by_section = np.zeros((size, width_codes), dtype=np.int64)
        for k in range(width_codes):
            by_section[:, k], _ = aggregate_fixed(sections[:, :, k], **options)
        order = {code: n for n, code in enumerate(self.rubric.items)}
        ordered = {
            i: sorted(set(found), key=lambda c: (order.get(c, len(order)), c))
            for i, found in vetoes.items()
        }
        return _Stage(present=present, counts=counts, total=total, sections=by_section,
                      points=points.max(axis=1), majors=majors.max(axis=1),
                      fell_back=fell_back & present, vetoes=ordered)  # fmt: skip

    # ---- grades and stars: the core's rules on integers ----------------------------------------
    def _grades(self, total: np.ndarray, vetoed: np.ndarray) -> np.ndarray:
        return grades_array(self.rubric.outcome, total.astype(object) * 10**self.coarser, vetoed)

    def _stars(self, sections: np.ndarray, points: np.ndarray, majors: np.ndarray) -> list[tuple]:
        fine_sections = sections.astype(object) * 10**self.coarser
        return stars_array(self.rubric.outcome, self.codes, fine_sections, points, majors)

    # ---- stage rows ---------------------------------------------------------------------------
    def _write_stages(self, aggregated) -> None:
        places = self.places
        self.stage_grades, self.stage_stars, self.stage_notes = {}, {}, {}
        for stage in self.stages:
            agg = aggregated[stage.pk]
            if agg is None:
                continue
            vetoed = np.zeros(len(self.members), dtype=bool)
            vetoed[list(agg.vetoes)] = True
            grades = self._grades(agg.total, vetoed)
            stars = self._stars(agg.sections, agg.points, agg.majors)
            fallback_note = ""
            if stage.method == Method.TRIMMED:
                fallback_note = "评分人{}人，不足{}人，未去掉最高分和最低分，按算术平均"
            notes = {}
            for i in np.flatnonzero(agg.present).tolist():
                note = ""
                if agg.fell_back[i]:
                    note = fallback_note.format(int(agg.counts[i]), 2 * stage.trim + 1)
                notes[i] = note
                self.stage_rows.append((
                    stage.pk, self.members[i].pk, _decimal(agg.total[i], places),
                    json.dumps({c: _text(v, places) for c, v in
                                zip(self.codes, agg.sections[i].tolist(), strict=True)}),
                    grades[i] or "", json.dumps(list(stars[i])),
                    json.dumps(agg.vetoes.get(i, [])), int(agg.counts[i]), note,
                ))  # fmt: skip
            self.stage_grades[stage.pk] = grades
            self.stage_stars[stage.pk] = stars
            self.stage_notes[stage.pk] = notes

    # ---- the final result ---------------------------------------------------------------------
    def _final(self, aggregated) -> None:
        size = len(self.members)
        weighted = [s for s in self.stages if not s.overrides and s.weight > 0]
        weights_sum = sum((s.weight for s in weighted), ZERO)
        # Per member: the stage that overrides (last one present), else weighted, else a note.
        override_of = np.full(size, -1, dtype=np.int64)
        for n, stage in enumerate(self.stages):
            agg = aggregated[stage.pk]
            if stage.overrides and agg is not None:
                override_of = np.where(agg.present, n, override_of)
        all_weighted = np.ones(size, dtype=bool) if weighted else np.zeros(size, dtype=bool)
        absent_names = [[] for _ in range(size)]
        for stage in weighted:
            agg = aggregated[stage.pk]
            here = agg.present if agg is not None else np.zeros(size, dtype=bool)
            all_weighted &= here
            for i in np.flatnonzero(~here).tolist():
                absent_names[i].append(stage.name)
        chosen_weighted = (override_of < 0) & all_weighted  # counted, even if weights are bad
        is_weighted = chosen_weighted & (weights_sum == 1)
        combined = self._combine(aggregated, weighted, is_weighted)
        lost = self._lost_points(aggregated, weighted, override_of, is_weighted)
        # What `_counted_row` reads for each member.
        self._override_of, self._aggregated, self._weighted = override_of, aggregated, weighted
        summaries = self._summaries(aggregated, override_of, chosen_weighted, weighted)
        for i, member in enumerate(self.members):
            if override_of[i] >= 0 or is_weighted[i]:
                self.results[member.pk] = self._counted_row(i, combined, lost[i], summaries[i])
                continue
            if not weighted:
                note = _("No stage counts towards the result yet.")
            elif absent_names[i]:
                note = _("No result yet in: %(stages)s.") % {"stages": "、".join(absent_names[i])}
            else:
                note = _("The stage weights add up to %(sum)s, not 1.") % {
                    "sum": weights_sum.normalize()
                }
            self.results[member.pk] = (
                self.campaign.pk, member.pk, None, "{}", "", "[]", "[]", 0, note,
                "[]", json.dumps(summaries[i]), "[]",
            )  # fmt: skip

    def _combine(self, aggregated, weighted, is_weighted) -> dict:
        """The weighted combination of totals and sections, for every member (masked later)."""
        size, width = len(self.members), len(self.codes)
        total = np.zeros(size, dtype=np.int64)
        sections = np.zeros((size, width), dtype=np.int64)
        points = np.zeros((size, width), dtype=np.int64)
        majors = np.zeros((size, width), dtype=np.int64)
        vetoes = [[] for _ in range(size)]
        counts = np.zeros(size, dtype=np.int64)
        scale = 10**4  # Stage.weight has 4 decimals
        if weighted and is_weighted.any():
            for stage in weighted:
                agg = aggregated[stage.pk]
                w = int(stage.weight.scaleb(4))
                total += w * np.where(is_weighted, agg.total, 0)
                sections += w * np.where(is_weighted[:, None], agg.sections, 0)
                points = np.maximum(points, agg.points)
                majors = np.maximum(majors, agg.majors)
                counts += agg.counts
                for i, codes in agg.vetoes.items():
                    vetoes[i].extend(c for c in codes if c not in vetoes[i])
            total = div_round(total, scale)
            sections = div_round(sections, scale)
        vetoed = np.array([bool(v) for v in vetoes], dtype=bool)
        return {"total": total, "sections": sections, "vetoes": vetoes, "counts": counts,
                "grades": self._grades(total, vetoed),
                "stars": self._stars(sections, points, majors)}  # fmt: skip

    def _counted_row(self, i, combined, lost, summaries) -> tuple:
        places, member = self.places, self.members[i]
        n = int(self._override_of[i])
        if n >= 0:
            stage = self.stages[n]
            agg = self._aggregated[stage.pk]
            total, sections = int(agg.total[i]), agg.sections[i].tolist()
            vetoes, count = agg.vetoes.get(i, []), int(agg.counts[i])
            grade, stars = self.stage_grades[stage.pk][i], self.stage_stars[stage.pk][i]
            note = self.stage_notes[stage.pk][i]
        else:
            total, sections = int(combined["total"][i]), combined["sections"][i].tolist()
            vetoes, count = combined["vetoes"][i], int(combined["counts"][i])
            grade, stars = combined["grades"][i], combined["stars"][i]
            note = "；".join(
                self.stage_notes[s.pk][i] for s in self._weighted if self.stage_notes[s.pk][i]
            )
        return (
            self.campaign.pk, member.pk, _decimal(total, places),
            json.dumps({c: _text(v, places) for c, v in zip(self.codes, sections, strict=True)}),
            grade or "", json.dumps(list(stars)), json.dumps(list(vetoes)), count, note,
            json.dumps(lost), json.dumps(summaries), "[]",
        )  # fmt: skip

    def _summaries(self, aggregated, override_of, chosen_weighted, weighted) -> list[list[dict]]:
        rows = [[] for _ in self.members]
        for n, stage in enumerate(self.stages):
            agg = aggregated[stage.pk]
            if agg is None:
                continue
            counted = (override_of == n) | (chosen_weighted & (stage in weighted))
            grades = self.stage_grades[stage.pk]
            for i in np.flatnonzero(agg.present).tolist():
                used = Method.MEAN if agg.fell_back[i] else Method(stage.method)
                rows[i].append({
                    "stage": stage.pk, "name": stage.name, "kind": stage.kind,
                    "method": stage.method, "method_used": str(used), "trim": stage.trim,
                    "weight": str(stage.weight), "overrides": stage.overrides,
                    "counted": bool(counted[i]), "total": _text(int(agg.total[i]), self.places),
                    "grade": grades[i] or "", "vetoes": agg.vetoes.get(i, []),
                    "rater_count": int(agg.counts[i]), "note": self.stage_notes[stage.pk][i],
                })  # fmt: skip
        return rows

    # ---- lost points per item -----------------------------------------------------------------
    def _lost_points(self, aggregated, weighted, override_of, is_weighted) -> list[list[dict]]:
        """Per member the counted stages' lost points merged per (item, kind), as
        `results_stored.merge_lost_points` does, aggregated for all members at once."""
        size = len(self.members)
        out: list[list[dict]] = [[] for _ in range(size)]
        used_of = []  # per member: the counted stages, in stage order
        for i in range(size):
            if override_of[i] >= 0:
                used_of.append([self.stages[int(override_of[i])]])
            elif is_weighted[i]:
                used_of.append(weighted)
            else:
                used_of.append([])
        pairs: list[dict] = []  # one per (member, item, kind)
        pair_member: list[int] = []
        # stage → (pairs, sheet positions, points in FINE units), one element per lost row
        cells: dict[int, tuple[list, list, list]] = defaultdict(lambda: ([], [], []))
        units = self.units
        cache = units.cache
        for i, member in enumerate(self.members):
            merged: dict[tuple[str, str], int] = {}
            for stage in used_of[i]:
                rows, columns, values = cells[stage.pk]
                for position, sheet in enumerate(self.sheets[(stage.pk, member.pk)]):
                    for lost in sheet.lost_points:
                        key = (lost.get("item", ""), lost.get("kind", "points"))
                        index = merged.get(key)
                        if index is None:
                            index = merged[key] = len(pairs)
                            pairs.append({"item": key[0], "kind": key[1],
                                          "section": lost.get("section", ""),
                                          "text": lost.get("text", ""), "reasons": []})  # fmt: skip
                            pair_member.append(i)
                        points = lost.get("points", "0")
                        value = cache.get(points)
                        rows.append(index)
                        columns.append(position)
                        values.append(value if value is not None and value >= 0
                                      else units(str(points)))  # fmt: skip
                        given = lost.get("reasons")
                        if given:
                            reasons = pairs[index]["reasons"]
                            for reason in given:
                                if reason and reason not in reasons:
                                    reasons.append(reason)
        if not pairs:
            return out
        owner = np.asarray(pair_member, dtype=np.int64)
        count = len(pairs)
        combined = np.zeros(count, dtype=np.int64)
        took = np.zeros(count, dtype=np.int64)  # raters who took points off
        sheets_of = np.zeros(count, dtype=np.int64)
        for n, stage in enumerate(self.stages):
            agg = aggregated[stage.pk]
            if agg is None:
                continue
            if stage in weighted:
                uses = (override_of[owner] < 0) & is_weighted[owner]
                weight = int(stage.weight.scaleb(4))
            else:
                uses = override_of[owner] == n
                weight = 10**4
            if not uses.any():
                continue
            matrix = np.zeros((count, int(agg.counts.max())), dtype=np.int64)
            rows, columns, values = cells[stage.pk]
            if rows:
                np.add.at(matrix, (np.asarray(rows, dtype=np.int64),
                                   np.asarray(columns, dtype=np.int64)),
                          np.asarray(values, dtype=np.int64))  # fmt: skip
            sheets = np.where(uses, agg.counts[owner], 1)
            value, _ = aggregate_fixed(matrix, method=stage.method, trim=stage.trim,
                                       counts=sheets, coarser=self.coarser)  # fmt: skip
            combined += np.where(uses, weight * value, 0)
            took += np.where(uses, (matrix > 0).sum(axis=1), 0)
            sheets_of += np.where(uses, agg.counts[owner], 0)
        combined = div_round(combined, 10**4)
        order = {code: n for n, code in enumerate(self.rubric.items)}
        for index, row in enumerate(pairs):
            row["points"] = _text(int(combined[index]), self.places)
            row["raters"] = int(sheets_of[index] if row["kind"] == "veto" else took[index])
            row["of"] = int(sheets_of[index])
            out[pair_member[index]].append(row)
        for rows in out:
            rows.sort(key=lambda r: (order.get(r["item"], len(order)), r["item"], r["kind"]))
        return out


def _reference_rows(reference, campaign, stages, sheets, slow):
    """StageResult and Result rows of the `slow` participants by the Decimal reference path."""
    chosen = list(
        Participant.objects.filter(pk__in=slow)
        .select_related("organization", "rubric")
        .order_by("pk")
    )
    outcomes = {}
    for stage in stages:
        for participant in chosen:
            group = sheets.get((stage.pk, participant.pk))
            if group:
                outcomes[(stage.pk, participant.pk)] = reference._aggregate_stage(
                    stage, participant, group
                )
    scores = item_scores_of(reference._compared_sheets(stages, chosen, outcomes))
    rows = [_row(o.row, STAGE_COLUMNS) for o in outcomes.values()]
    done = {}
    for participant in chosen:
        result = reference._final(campaign, participant, stages, outcomes, scores)
        done[participant.pk] = _row(result, RESULT_COLUMNS[:9] + RESULT_COLUMNS[11:14])
    return rows, done


def _row(obj, columns) -> tuple:
    values = []
    for column in columns:
        value = getattr(obj, column)
        if isinstance(value, (dict, list)):
            value = json.dumps(value)
        values.append(value)
    return tuple(values)


def _rank(participants, rows) -> tuple[int, list[tuple]]:
    """Ranks within (parent, rubric) and (kind, rubric), vetoed after the rest — as
    `results._rank`, on integer keys at 6 decimals."""
    scored = [i for i, row in enumerate(rows) if row[2] is not None]
    ranks = [(None, None)] * len(rows)
    if not scored:
        return 0, ranks
    keys = np.array([int(rows[i][2].scaleb(FINE)) for i in scored], dtype=np.int64)
    vetoed = np.array([rows[i][6] != "[]" for i in scored], dtype=bool)
    keys = np.where(vetoed, keys - 10**15, keys)  # every vetoed key below every other
    members = [participants[i] for i in scored]
    parents = _codes([(m.parent_id or 0, m.rubric_id) for m in members])
    kinds = _codes([(m.kind, m.rubric_id) for m in members])
    in_parent = rank_array(keys, scopes=parents).tolist()
    in_kind = rank_array(keys, scopes=kinds).tolist()
    for n, i in enumerate(scored):
        ranks[i] = (in_parent[n], in_kind[n])
    return len(scored), ranks


def _codes(scopes) -> np.ndarray:
    index: dict = {}
    return np.fromiter((index.setdefault(s, len(index)) for s in scopes), np.int64, len(scopes))
