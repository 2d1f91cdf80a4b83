"""Campaign results at province scale: the same rows as `results.recompute_results_reference`,
computed a stage at a time with numpy on fixed-point integers.

Every submitted sheet is read in one query of integers and packed bytes (`domain/packed.py`: the
numbers the core computed at submission, stored flat beside their JSON): per stage and rubric the
raters' scaled totals, section scores and per item lost points become (participants × raters)
int64 matrices at 6 decimals, which the scoring core's `aggregate_fixed` aggregates with the
stage's method and rounds once to the rubric's places; stages combine by their weights in
integers, grades, stars and ranks come from the same rules as the core's Decimal functions
(`grades_array`, `stars_array`, `rank_array`), and the rows are written with executemany (SQLite)
or COPY (PostgreSQL) in the caller's transaction. The JSON columns are assembled from text
fragments encoded once per rubric, stage or item.

Participants the vectorized path does not cover go through the reference path, one by one: those
with a self-assessment (their item-by-item comparison reads entries), a batch with a negative
stored number (a negative aggregate that rounds to zero keeps its sign in Decimal), a sheet whose
numbers are not packed, or a lost item the rubric does not have (a campaign's custom item). The
equality of both paths is tested (tests/campaigns/test_results_fast.py).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import NamedTuple

import numpy as np
from django.db import connection
from django.db.models import BigIntegerField, F, Value
from django.db.models.functions import Cast, Coalesce, Round
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.campaigns.domain.bulk import collector_paused, insert_rows, page_cache
from kaoping.campaigns.domain.packed import FIGURES_DTYPE, LOSS_DTYPE, LOSS_KINDS
from kaoping.campaigns.domain.results_stored import item_scores_of, submitted_sheets
from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.campaigns.enums import SheetStatus, StageKind
from kaoping.campaigns.models import Participant, Result, ScoreSheet, StageResult, StoredRubric
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


def _text(units: int, places: int) -> str:
    """Units of 10**-places (≥ 0) as the text `Decimal.quantize` gives."""
    if places == 0:
        return str(units)
    whole, part = divmod(units, 10**places)
    return f"{whole}.{part:0{places}d}"


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


@dataclass
class _Packed:
    """Every submitted sheet of a campaign as the vectorized path reads it: one row per sheet, in
    stage, participant and rater order."""

    stage: np.ndarray  # int64 per sheet
    participant: np.ndarray  # int64 per sheet
    total: np.ndarray  # int64, the scaled total at FINE places
    figures: list  # bytes | None per sheet (packed.pack_figures)
    losses: list  # bytes | None per sheet (packed.pack_losses)
    reasons: list  # str | None per sheet (packed.pack_reasons)
    vetoes: list  # the vetoes column's JSON text per sheet


def _read_packed(campaign) -> _Packed:
    """One query; a raw cursor so that no row goes through Django's converters, and sorted here
    rather than by the database (sorting wide rows was half the query's time at 300,000)."""
    scaled = Coalesce(F("scaled_total"), F("total"), Value(Decimal(0)))
    query = (
        ScoreSheet.objects.filter(
            assignment__stage__campaign=campaign, status=SheetStatus.SUBMITTED
        )
        .annotate(fine=Cast(Round(scaled * Value(10**FINE)), BigIntegerField()))
        .order_by()
        .values_list("assignment__stage_id", "assignment__participant_id",
                     "assignment__rater_id", "fine", "figures", "losses", "loss_reasons",
                     "vetoes")
    )  # fmt: skip
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    columns = list(zip(*rows, strict=True)) if rows else [()] * 8
    stage, participant, rater, total = (np.array(c, dtype=np.int64) for c in columns[:4])
    order = np.lexsort((rater, participant, stage))  # stage, then participant, then rater
    listed = order.tolist()
    return _Packed(
        stage=stage[order], participant=participant[order], total=total[order],
        figures=[columns[4][k] for k in listed], losses=[columns[5][k] for k in listed],
        reasons=[columns[6][k] for k in listed], vetoes=[columns[7][k] for k in listed],
    )  # fmt: skip


def _vetoes_of(text) -> list[str]:
    if text is None or isinstance(text, list):
        return text or []
    return [] if text == "[]" else json.loads(text)


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
    sheets: np.ndarray  # the stage's sheets (indexes into _Packed), in member and rater order
    owner: np.ndarray  # per sheet, its member
    position: np.ndarray  # per sheet, its place among the member's sheets
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


class _Unpacked(Exception):
    """The batch cannot be vectorized (see the module's docstring): the reference path takes it."""


def recompute_fast(campaign, stages, phases: dict | None = None) -> tuple[int, int, int]:
    """Replace the campaign's StageResult and Result rows (the caller holds the campaign lock and
    the transaction). Returns (stage results, results, ranked); `phases` gets the seconds each
    step took."""
    from kaoping.campaigns.domain import results as reference

    with collector_paused(), page_cache():
        return _recompute(campaign, stages, reference, _Phases(phases))


class _Phases:
    """Seconds per step, added up into a caller's dict (or nowhere)."""

    def __init__(self, into: dict | None):
        self.into = into if into is not None else {}
        self.mark = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.into[name] = self.into.get(name, 0.0) + now - self.mark
        self.mark = now


def _recompute(campaign, stages, reference, phases: _Phases) -> tuple[int, int, int]:
    participants = _members(campaign)
    stored = StoredRubric.objects.in_bulk({p.rubric_id for p in participants})
    packed = _read_packed(campaign)
    phases.lap("read")
    selves = [s.pk for s in stages if s.kind == StageKind.SELF_ASSESSMENT]
    slow = set(np.unique(packed.participant[np.isin(packed.stage, selves)]).tolist())
    by_rubric = defaultdict(list)
    for participant in participants:
        if participant.pk not in slow:
            by_rubric[participant.rubric_id].append(participant)
    stage_rows, results = [], {}
    for members in by_rubric.values():
        batch = _Batch(campaign, rubric_of(stored[members[0].rubric_id]), members, stages, packed,
                       phases)  # fmt: skip
        try:
            batch.compute()
        except _Unpacked:
            slow.update(p.pk for p in members)
            continue
        stage_rows.extend(batch.stage_rows)
        results.update(batch.results)
    packed = batch = None  # the sheets' bytes are not needed past this point: let them go
    if slow:
        sheets = defaultdict(list)
        for sheet in submitted_sheets(campaign, participants=slow):
            sheets[(sheet.stage_id, sheet.participant_id)].append(sheet)
        rows, done = _reference_rows(reference, campaign, stages, sheets, slow)
        stage_rows.extend(rows)
        results.update(done)
        phases.lap("reference")
    ordered = [results[p.pk] for p in participants]
    ranked, ranks = _rank(participants, ordered)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    # A generator: each result's lost-point JSON is made as its row is written (`_LostLists`).
    rows = (
        (*row[:9], *rank, _made(row[9]), *row[10:], now)
        for row, rank in zip(ordered, ranks, strict=True)
    )
    phases.lap("rows")  # the batches' JSON columns after their lists, and the ranks
    if connection.vendor == "sqlite":
        _upsert(campaign, stages, stage_rows, rows, phases)
    else:
        StageResult.objects.filter(stage__campaign=campaign).delete()
        Result.objects.filter(campaign=campaign).delete()
        phases.lap("delete")
        with connection.cursor() as cursor:
            insert_rows(cursor, StageResult._meta.db_table, STAGE_COLUMNS, stage_rows)
            insert_rows(cursor, Result._meta.db_table, RESULT_COLUMNS, rows)
        phases.lap("insert")
    return len(stage_rows), len(ordered), ranked


def _made(value):
    return value() if callable(value) else value


def _upsert(campaign, stages, stage_rows, rows, phases: _Phases) -> None:
    """On SQLite, the rows written over the existing ones in place (`ON CONFLICT … DO UPDATE`)
    and only the stage results no longer produced deleted: deleting a province's results and
    inserting them again cost twice as long (13–22 s against 7 s for 288,056 results, measured),
    every row leaving and re-entering every index. Results keep their ids."""
    stage_table, result_table = StageResult._meta.db_table, Result._meta.db_table
    with connection.cursor() as cursor:
        fresh = {(row[0], row[1]) for row in stage_rows}
        stage_ids = [stage.pk for stage in stages]
        marks = ", ".join(["%s"] * len(stage_ids))
        cursor.execute(f"SELECT id, stage_id, participant_id FROM {stage_table} "
                       f"WHERE stage_id IN ({marks})", stage_ids)  # fmt: skip
        stale = [pk for pk, stage, participant in cursor.fetchall()
                 if (stage, participant) not in fresh]  # fmt: skip
        for start in range(0, len(stale), 900):  # SQLite's bound-parameter limit
            chunk = stale[start : start + 900]
            cursor.execute(f"DELETE FROM {stage_table} WHERE id IN "
                           f"({', '.join(['%s'] * len(chunk))})", chunk)  # fmt: skip
        # Participants are never dropped from a campaign with their results kept (the rows go
        # with them, on_delete CASCADE), so every Result of the campaign is written over.
        phases.lap("delete")
        _upsert_rows(cursor, stage_table, STAGE_COLUMNS, ("stage_id", "participant_id"),
                     stage_rows)  # fmt: skip
        _upsert_rows(cursor, result_table, RESULT_COLUMNS, ("campaign_id", "participant_id"),
                     rows)  # fmt: skip
    phases.lap("insert")


def _upsert_rows(cursor, table, columns, unique, rows) -> None:
    names, marks = ", ".join(columns), ", ".join(["%s"] * len(columns))
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in unique)
    cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT "
                       f"({', '.join(unique)}) DO UPDATE SET {updates}", rows)  # fmt: skip


class _Batch:
    """The participants of one rubric, vectorized."""

    def __init__(self, campaign, rubric, members, stages, packed: _Packed, phases: _Phases):
        self.campaign, self.rubric, self.members, self.stages = campaign, rubric, members, stages
        self.packed, self.phases = packed, phases
        self.member_pks = np.array([m.pk for m in members], dtype=np.int64)  # ascending
        self.in_batch = np.isin(packed.participant, self.member_pks)
        self.places = 2 if rubric.rounding is None else rubric.rounding
        self.coarser = FINE - self.places
        self.codes = [s.code for s in rubric.sections]
        # '{"1": "%s", "2": "%s"}': the section scores' JSON with the numbers left out.
        fields = (_dumps(code).replace("%", "%%") + ': "%s"' for code in self.codes)
        self.sections_json = "{" + ", ".join(fields) + "}"
        self.texts = _Memo(lambda units: _text(units, self.places))  # scores repeat a lot
        self.stage_rows: list[tuple] = []
        self.results: dict[int, tuple] = {}

    def compute(self) -> None:
        """Raises _Unpacked when the reference path must take the batch."""
        if self.places > FINE:
            raise _Unpacked
        aggregated = {s.pk: self._stage(s) for s in self.stages}
        self._write_stages(aggregated)
        self._final(aggregated)

    def _sections_text(self, values) -> str:
        return self.sections_json % tuple(map(self.texts, values))

    # ---- one stage -------------------------------------------------------------------------
    def _stage(self, stage) -> _Stage | None:
        packed = self.packed
        sheets = np.flatnonzero((packed.stage == stage.pk) & self.in_batch)
        if not len(sheets):
            return None
        size, width_codes = len(self.members), len(self.codes)
        owner = np.searchsorted(self.member_pks, packed.participant[sheets])
        counts = np.bincount(owner, minlength=size).astype(np.int64)
        position = np.arange(len(sheets)) - (np.cumsum(counts) - counts)[owner]
        blobs = [packed.figures[k] for k in sheets.tolist()]
        length = width_codes * 3 * FIGURES_DTYPE.itemsize
        if any(blob is None or len(blob) != length for blob in blobs):
            raise _Unpacked
        figures = np.frombuffer(b"".join(blobs), dtype=FIGURES_DTYPE).reshape(len(sheets), -1)
        scaled = packed.total[sheets]
        if (figures < 0).any() or (scaled < 0).any():
            raise _Unpacked
        width = int(counts.max())
        totals = np.zeros((size, width), dtype=np.int64)
        totals[owner, position] = scaled
        sections = np.zeros((size, width, width_codes), dtype=np.int64)
        sections[owner, position] = figures[:, 0::3]
        points = np.zeros((size, width, width_codes), dtype=np.int64)
        points[owner, position] = figures[:, 1::3]
        majors = np.zeros((size, width, width_codes), dtype=np.int64)
        majors[owner, position] = figures[:, 2::3]
        vetoes: dict[int, list[str]] = {}
        texts = packed.vetoes
        for k, i in zip(sheets.tolist(), owner.tolist(), strict=True):
            found = _vetoes_of(texts[k])
            if found:
                vetoes.setdefault(i, []).extend(found)
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
                      fell_back=fell_back & present, sheets=sheets, owner=owner,
                      position=position, vetoes=ordered)  # fmt: skip

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
        stars_json = _Memo(lambda stars: _dumps(list(stars)))
        self.list_json = _Memo(lambda codes: _dumps(list(codes)))  # vetoes, as a tuple
        self.text_json = _Memo(_dumps)  # grades and notes
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
            totals, counts = agg.total.tolist(), agg.counts.tolist()
            sections, fell_back = agg.sections.tolist(), agg.fell_back.tolist()
            for i in np.flatnonzero(agg.present).tolist():
                note = ""
                if fell_back[i]:
                    note = fallback_note.format(counts[i], 2 * stage.trim + 1)
                notes[i] = note
                self.stage_rows.append((
                    stage.pk, self.members[i].pk, _text(totals[i], places),
                    self._sections_text(sections[i]), grades[i] or "", stars_json(stars[i]),
                    self.list_json(tuple(agg.vetoes.get(i, ()))), counts[i], note,
                ))  # fmt: skip
            self.stage_grades[stage.pk] = grades
            self.stage_stars[stage.pk] = stars
            self.stage_notes[stage.pk] = notes
        self.stars_json = stars_json

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
        self.phases.lap("numbers")
        lost = self._lost_points(aggregated, weighted, override_of, is_weighted)
        self.phases.lap("lists")
        # What `_counted_row` reads for each member.
        self._override_of, self._aggregated, self._weighted = override_of, aggregated, weighted
        summaries = self._summaries(aggregated, override_of, chosen_weighted, weighted)
        counted = ((override_of >= 0) | is_weighted).tolist()
        for i, member in enumerate(self.members):
            if counted[i]:
                self.results[member.pk] = self._counted_row(i, combined, lost.of(i), summaries[i])
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
                "[]", summaries[i], "[]",
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
        return {"total": total.tolist(), "sections": sections.tolist(), "vetoes": vetoes,
                "counts": counts.tolist(), "grades": self._grades(total, vetoed),
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
            total, sections = combined["total"][i], combined["sections"][i]
            vetoes, count = combined["vetoes"][i], combined["counts"][i]
            grade, stars = combined["grades"][i], combined["stars"][i]
            note = "；".join(
                self.stage_notes[s.pk][i] for s in self._weighted if self.stage_notes[s.pk][i]
            )
        return (
            self.campaign.pk, member.pk, _text(total, places), self._sections_text(sections),
            grade or "", self.stars_json(stars), self.list_json(tuple(vetoes)), count, note,
            lost, summaries, "[]",
        )  # fmt: skip

    def _summaries(self, aggregated, override_of, chosen_weighted, weighted) -> list[str]:
        """Each member's `stages` JSON: one object per stage it has sheets in."""
        parts: list[list[str]] = [[] for _ in self.members]
        for n, stage in enumerate(self.stages):
            agg = aggregated[stage.pk]
            if agg is None:
                continue
            counted = ((override_of == n) | (chosen_weighted & (stage in weighted))).tolist()
            grades, notes = self.stage_grades[stage.pk], self.stage_notes[stage.pk]
            fixed = _dumps({
                "stage": stage.pk, "name": stage.name, "kind": stage.kind,
                "method": stage.method, "trim": stage.trim, "weight": str(stage.weight),
                "overrides": stage.overrides,
            })[:-1]  # fmt: skip
            used = {False: _dumps(str(Method(stage.method))), True: _dumps(str(Method.MEAN))}
            totals, counts = agg.total.tolist(), agg.counts.tolist()
            fell_back = agg.fell_back.tolist()
            for i in np.flatnonzero(agg.present).tolist():
                parts[i].append(
                    f'{fixed}, "method_used": {used[fell_back[i]]}, '
                    f'"counted": {"true" if counted[i] else "false"}, '
                    f'"total": "{_text(totals[i], self.places)}", '
                    f'"grade": {self.text_json(grades[i] or "")}, '
                    f'"vetoes": {self.list_json(tuple(agg.vetoes.get(i, ())))}, '
                    f'"rater_count": {counts[i]}, "note": {self.text_json(notes[i])}}}'
                )
        return ["[" + ", ".join(rows) + "]" for rows in parts]

    # ---- lost points per item -----------------------------------------------------------------
    def _lost_points(self, aggregated, weighted, override_of, is_weighted) -> _LostLists:
        """Per member the `lost_points` JSON: the counted stages' lost points merged per (item,
        kind), as `results_stored.merge_lost_points` does, aggregated for all members at once
        (each member's JSON is made only when its row is written: `_LostLists`).

        Every lost line of a counted sheet is one row of flat arrays (its member, item, kind,
        points, stage and place among the member's sheets, its reasons' text); a (member, item,
        kind) key orders them as the result lists them (the rubric's item order, then the
        kind's name)."""
        packed = self.packed
        codes = np.array([code.encode("utf-8") for code in self.rubric.items],
                         dtype=LOSS_DTYPE["item"])  # fmt: skip
        sorted_codes = np.argsort(codes)
        items = len(codes)
        stage_rows, texts = [], []  # per counted stage its rows; every line's reasons text
        for n, stage in enumerate(self.stages):
            agg = aggregated[stage.pk]
            if agg is None:
                continue
            uses = (override_of < 0) & is_weighted if stage in weighted else override_of == n
            chosen = np.flatnonzero(uses[agg.owner])
            if not len(chosen):
                continue
            sheets = agg.sheets[chosen].tolist()
            blobs = [packed.losses[k] for k in sheets]
            if None in blobs:
                raise _Unpacked
            lines = np.frombuffer(b"".join(blobs), dtype=LOSS_DTYPE)
            per_sheet = [len(blob) // LOSS_DTYPE.itemsize for blob in blobs]
            at = np.repeat(np.arange(len(sheets)), per_sheet)
            # The rubric's rank of each line's item (a sorted search: a rubric has few items).
            found = sorted_codes[np.searchsorted(codes[sorted_codes], lines["item"]) % items]
            if (codes[found] != lines["item"]).any() or (lines["points"] < 0).any():
                raise _Unpacked  # an item the rubric does not have (a custom item), or < 0
            stage_rows.append((stage, uses, agg.owner[chosen][at], found,
                               lines["kind"].astype(np.int64), lines["points"],
                               agg.position[chosen][at]))  # fmt: skip
            _line_texts(texts, [packed.reasons[k] for k in sheets], per_sheet)
        if not stage_rows:
            return _LostLists()
        kinds = len(LOSS_KINDS)
        keys = np.concatenate([(r[2] * items + r[3]) * kinds + r[4] for r in stage_rows])
        pairs, pair_of = np.unique(keys, return_inverse=True)
        pair_member, rest = np.divmod(pairs, items * kinds)
        pair_item, pair_kind = np.divmod(rest, kinds)
        count = len(pairs)
        combined = np.zeros(count, dtype=np.int64)
        took = np.zeros(count, dtype=np.int64)  # raters who took points off
        sheets_of = np.zeros(count, dtype=np.int64)
        start = 0
        for stage, uses, _owner, _item, _kind, points, position in stage_rows:
            agg = aggregated[stage.pk]
            rows = slice(start, start + len(points))
            start += len(points)
            weight = int(stage.weight.scaleb(4)) if stage in weighted else 10**4
            matrix = np.zeros((count, int(agg.counts.max())), dtype=np.int64)
            np.add.at(matrix, (pair_of[rows], position), points)
            used = uses[pair_member]
            sheets = np.where(used, agg.counts[pair_member], 1)
            value, _ = aggregate_fixed(matrix, method=stage.method, trim=stage.trim,
                                       counts=sheets, coarser=self.coarser)  # fmt: skip
            combined += np.where(used, weight * value, 0)
            took += np.where(used, (matrix > 0).sum(axis=1), 0)
            sheets_of += np.where(used, agg.counts[pair_member], 0)
        combined = div_round(combined, 10**4)
        reasons = _merged_reasons(texts, pair_of, count)
        raters = np.where(pair_kind == LOSS_KINDS.index("veto"), sheets_of, took).tolist()
        # The texts that repeat across pairs — an item's head, a number — are made once each.
        heads = _each(
            pair_item * kinds + pair_kind, lambda key: self._lost_head(*divmod(key, kinds))
        )
        points = _each(combined, self.texts)
        # Pairs are sorted by member: each member's lines are one slice.
        members, starts = np.unique(pair_member, return_index=True)
        ends = [*starts[1:].tolist(), count]
        spans = dict(zip(members.tolist(), zip(starts.tolist(), ends, strict=True), strict=True))
        return _LostLists(spans, (heads, reasons, points, raters, sheets_of.tolist()))

    def _lost_head(self, item_rank: int, kind: int) -> str:
        """'{"item": …, "kind": …, "section": …, "text": …' for an (item rank, kind) pair."""
        item = list(self.rubric.items.values())[item_rank]
        return _dumps({"item": item.code, "kind": LOSS_KINDS[kind], "section": item.section,
                       "text": item.text})[:-1]  # fmt: skip


class _LostLists:
    """The members' lost-point lists, each made into JSON only when asked (`of(i)()`): at
    300,000 results the texts of all of them at once held gigabytes until written."""

    def __init__(self, spans: dict | None = None, columns: tuple = ()):
        self.spans, self.columns = spans or {}, columns

    def of(self, member: int):
        return partial(self.text, member)

    def text(self, member: int) -> str:
        span = self.spans.get(member)
        if span is None:
            return "[]"
        heads, reasons, points, raters, of = self.columns
        return "[" + ", ".join([
            f'{heads[p]}, "reasons": {reasons[p]}, "points": "{points[p]}", '
            f'"raters": {raters[p]}, "of": {of[p]}}}'
            for p in range(*span)
        ]) + "]"  # fmt: skip


def _line_texts(into: list, reasons: list, per_sheet: list) -> None:
    """Append each line's reasons text (`packed.pack_reasons`: one JSON list per line) for the
    sheets whose `reasons` and line counts are given."""
    for text, lines in zip(reasons, per_sheet, strict=True):
        if not text:
            into.extend(["[]"] * lines)
            continue
        split = text.split("\n")
        if len(split) != lines:
            raise _Unpacked
        into.extend(split)


def _merged_reasons(texts: list, pair_of: np.ndarray, count: int) -> list[str]:
    """Per pair the JSON list of its distinct reasons, in the order the stages, sheets and
    lines give them. Most pairs have at most one line with reasons: that line's packed text
    is already the list, taken as it is; the others are merged."""
    merged = ["[]"] * count
    given = np.flatnonzero(np.array(texts, dtype=object) != "[]")
    if not len(given):
        return merged
    pair = pair_of[given]
    order = np.argsort(pair, kind="stable")  # each pair's lines together, still in order
    pair, given = pair[order].tolist(), given[order].tolist()
    decoded = _Memo(json.loads)  # the same reasons recur across sheets
    merge = _Memo(lambda lines: _dumps(list(dict.fromkeys(
        reason for line in lines for reason in decoded(line)
    ))))  # fmt: skip
    start = 0
    while start < len(pair):
        end = start + 1
        while end < len(pair) and pair[end] == pair[start]:
            end += 1
        lines = [texts[k] for k in given[start:end]]
        merged[pair[start]] = lines[0] if len(lines) == 1 else merge(tuple(lines))
        start = end
    return merged


class _Memo(dict):
    """`function(key)` computed once per distinct key."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __call__(self, key):
        value = self.get(key)
        if value is None:
            value = self[key] = self.function(key)
        return value


def _each(values: np.ndarray, function) -> list:
    """`[function(v) for v in values]`, calling `function` once per distinct value."""
    distinct, which = np.unique(values, return_inverse=True)
    made = [function(v) for v in distinct.tolist()]
    return [made[k] for k in which.tolist()]


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
    keys = np.array([_fine(rows[i][2]) for i in scored], dtype=np.int64)
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


def _fine(total) -> int:
    """A result's total (the fast path's text, or the reference path's Decimal) at FINE places."""
    if isinstance(total, str):
        whole, _, part = total.partition(".")
        return int(whole + part) * 10 ** (FINE - len(part))
    return int(total.scaleb(FINE))


def _codes(scopes) -> np.ndarray:
    index: dict = {}
    return np.fromiter((index.setdefault(s, len(index)) for s in scopes), np.int64, len(scopes))
