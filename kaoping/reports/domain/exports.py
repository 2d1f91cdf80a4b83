"""Excel exports of a campaign: the ranking, the score matrix, the filled score sheets.

Rows come from stored numbers only (results, stage results, entry scores the core computed);
an item's stage figure is the stage's own method over its raters (the core's numbers, a whole
stage at once in fixed point: `kaoping.scoring.matrix`). Writers
stream rows (xlsxwriter constant_memory) into a temporary file the view then streams out.
"""

from __future__ import annotations

import tempfile
import time
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from django.db import connections
from django.db.models import BigIntegerField, F
from django.db.models.functions import Cast, Round

from kaoping.campaigns.domain.publication import latest_publication
from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.campaigns.enums import SheetStatus
from kaoping.campaigns.models import Entry, PublishedResult, Result, ScoreSheet, StageResult
from kaoping.orgs.enums import OrgKind
from kaoping.reports.interfaces import xlsx
from kaoping.scoring.matrix import aggregate_groups

RANKING_HEADER = ["名次", "单位", "上级组织", "类别", "得分", "等次", "评分人数", "说明"]


@dataclass
class Export:
    """A written workbook: its temporary file (deleted on close), name and how long it took."""

    file: object
    filename: str
    rows: int
    seconds: float


def _results(campaign):
    """The published rows when published (what people may see), else the working results."""
    publication = latest_publication(campaign)
    if publication is not None:
        rows = PublishedResult.objects.filter(publication=publication)
    else:
        rows = Result.objects.filter(campaign=campaign)
    return rows.select_related("participant__organization__parent").order_by(
        "rank_in_kind", "-total", "participant_id"
    )


def result_rows(campaign):
    """The rows the ranking and the matrix write, one per organization (jobs count them)."""
    return _results(campaign)


def ranking_rows(campaign) -> Iterator[list]:
    # Plain tuples and one label lookup table: model objects and get_kind_display per row were
    # most of the time at 10,000 organizations.
    kinds = {value: str(label) for value, label in OrgKind.choices}
    rows = _results(campaign).values_list(
        "rank_in_kind", "participant__organization__name",
        "participant__organization__parent__name", "participant__organization__kind", "total",
        "grade", "rater_count", "note",
    )  # fmt: skip
    for rank, name, parent, kind, total, grade, raters, note in rows.iterator(chunk_size=2000):
        yield [rank, name, parent or "", kinds.get(kind, kind), _num(total), grade, raters, note]


def _num(value):
    return None if value is None else float(value)


def _spool():
    return tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)


Progress = Callable[[int], None]
PROGRESS_EVERY = 500  # rows between two progress reports (each is one small UPDATE in a job)


def counted(rows: Iterable, progress: Progress | None, every: int = PROGRESS_EVERY) -> Iterator:
    """`rows` unchanged, calling `progress(count)` every `every` rows and once at the end."""
    if progress is None:
        yield from rows
        return
    count = 0
    for row in rows:
        yield row
        count += 1
        if count % every == 0:
            progress(count)
    progress(count)


def export_ranking(*, campaign, out=None, progress: Progress | None = None) -> Export:
    """The ranking workbook (one row per organization) into `out` (a spooled temporary file
    by default). No database writes."""
    started, out = time.perf_counter(), out if out is not None else _spool()
    title = f"{campaign.name}结果排名"
    rows = xlsx.write_table(out, sheet="排名", title=title, groups=[], header=RANKING_HEADER,
                            rows=counted(ranking_rows(campaign), progress))  # fmt: skip
    out.seek(0)
    return Export(out, f"{title}.xlsx", rows, time.perf_counter() - started)


def _item_columns(campaign) -> list[tuple[str, str]]:
    """(code, text) of every item of the campaign's rubrics, in the documents' order."""
    seen: dict[str, str] = {}
    rubrics = campaign.rubrics.select_related("rubric").order_by("org_kind")
    for link in rubrics:
        for code, item in rubric_of(link.rubric).items.items():
            seen.setdefault(code, item.text)
    return list(seen.items())


# The matrix has always shown `aggregate_scores`' default 2 places; entries store 3.
MATRIX_PLACES = 2
ENTRY_PLACES = max(Entry._meta.get_field("score").decimal_places, MATRIX_PLACES)


def _stage_items(campaign, stages, items) -> list[tuple[dict, np.ndarray]]:
    """Per stage (in `stages`' order): participant id → row of an (organizations × items)
    table of the stage method's aggregate of submitted entry scores, as floats (None where no
    rater scored the item). Same numbers as the core's `aggregate_scores` per cell, computed a
    whole stage at once in fixed point (`kaoping.scoring.matrix`): 355,000 Decimal calls were
    most of a 10,000-organization export."""
    column = {code: i for i, (code, _text) in enumerate(items)}
    position = {s.pk: i for i, s in enumerate(stages)}
    width, depth = max(len(items), 1), max(len(stages), 1)
    # Scores arrive as integer units computed by the database (exact: the column holds at most
    # ENTRY_PLACES decimals; ROUND only absorbs SQLite's binary storage), so no Decimal is built.
    units = Cast(Round(F("score") * 10**ENTRY_PLACES), BigIntegerField())
    entries = Entry.objects.filter(
        sheet__assignment__stage__campaign=campaign, sheet__status=SheetStatus.SUBMITTED,
        score__isnull=False,
    ).annotate(units=units).values_list("sheet__assignment__stage_id",
                                        "sheet__assignment__participant_id", "item_code",
                                        "units")  # fmt: skip
    keys, scores = array("q"), array("q")
    for stage_id, participant_id, code, score in _raw_rows(entries):
        item = column.get(code)
        if item is not None:  # an item of no rubric of the campaign has no column
            keys.append((participant_id * depth + position[stage_id]) * width + item)
            scores.append(int(score))
    keys, units = np.array(keys, dtype=np.int64), np.array(scores, dtype=np.int64)
    stage_of = keys // width % depth
    tables = []
    for index, stage in enumerate(stages):
        chosen = stage_of == index
        groups, values = aggregate_groups(keys[chosen], units[chosen], method=stage.method,
                                          trim=stage.trim,
                                          coarser=ENTRY_PLACES - MATRIX_PLACES)  # fmt: skip
        participants, rows = np.unique(groups // (width * depth), return_inverse=True)
        table = np.full((len(participants), len(items)), None, dtype=object)
        # int64 / 100 in float64 is the correctly rounded float, as float(Decimal) is.
        table[rows, groups % width] = (values / 10**MATRIX_PLACES).tolist()
        tables.append(({p: i for i, p in enumerate(participants.tolist())}, table))
    return tables


def _raw_rows(queryset, chunk: int = 5000) -> Iterator[tuple]:
    """The values_list's rows straight from the cursor: plain ids, text and integers need no
    converter, and applying the ORM's per row was a third of the matrix at 10,000 organizations."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk):
            yield from rows


def matrix_rows(campaign, stages, items, sections) -> Iterator[list]:
    tables = _stage_items(campaign, stages, items)
    stage_totals = dict(
        ((stage_id, participant_id), total)
        for stage_id, participant_id, total in StageResult.objects.filter(stage__in=stages)
        .order_by()
        .values_list("stage_id", "participant_id", "total")
        .iterator(chunk_size=5000)
    )
    empty = [None] * len(items)
    # Plain tuples, as the ranking: model objects were a second per 10,000 organizations.
    rows = _results(campaign).values_list(
        "participant_id", "participant__organization__name",
        "participant__organization__parent__name", "section_scores", "total", "grade",
        "rank_in_kind",
    )  # fmt: skip
    for pid, name, parent, section_scores, total, grade, rank in rows.iterator(chunk_size=2000):
        row = [name, parent or ""]
        for stage, (index, table) in zip(stages, tables, strict=True):
            at = index.get(pid)
            row += empty if at is None else table[at].tolist()
            row.append(_num(stage_totals.get((stage.pk, pid))))
        row += [_num_text(section_scores.get(code)) for code in sections]
        row += [_num(total), grade, rank]
        yield row


def _num_text(value):
    return None if value in (None, "") else float(value)


def export_matrix(*, campaign, out=None, progress: Progress | None = None) -> Export:
    """Organization × item, per stage (the stage method over submitted sheets) and final
    (sections, total, grade, rank). Two merged header rows, frozen. No database writes."""
    started, out = time.perf_counter(), out if out is not None else _spool()
    stages = list(campaign.stages.order_by("position", "pk"))
    items = _item_columns(campaign)
    sections = []
    for link in campaign.rubrics.select_related("rubric"):
        sections += [s.code for s in rubric_of(link.rubric).sections if s.code not in sections]
    groups = [("单位", 2)]
    header = ["单位", "上级组织"]
    for stage in stages:
        groups.append((stage.name, len(items) + 1))
        header += [code for code, _text in items] + ["合计"]
    groups.append(("最终结果", len(sections) + 3))
    header += [*sections, "总分", "等次", "名次"]
    title = f"{campaign.name}得分矩阵"
    rows = xlsx.write_table(out, sheet="得分矩阵", title=title, groups=groups, header=header,
                            rows=counted(matrix_rows(campaign, stages, items, sections),
                                         progress),
                            freeze_cols=2)  # fmt: skip
    out.seek(0)
    return Export(out, f"{title}.xlsx", rows, time.perf_counter() - started)


def submitted_sheets(campaign, *, participant=None):
    """Submitted sheets in the export's order, entries not loaded (see `with_entries`)."""
    sheets = ScoreSheet.objects.filter(
        assignment__stage__campaign=campaign, status=SheetStatus.SUBMITTED
    ).select_related("assignment__stage", "assignment__rater",
                     "assignment__participant__organization")  # fmt: skip
    if participant is not None:
        sheets = sheets.filter(assignment__participant=participant)
    return sheets.order_by("assignment__participant__organization__path",
                           "assignment__stage__position", "assignment__rater_id")  # fmt: skip


def with_entries(sheets, *, chunk: int = 500) -> Iterator:
    """The sheets in chunks, each with `entry_rows` [(item code, value, score)] read by one
    query per chunk as plain tuples: a province's million entries never become model objects,
    nor all sit in memory at once."""
    batch: list = []
    for sheet in sheets.iterator(chunk_size=chunk):
        batch.append(sheet)
        if len(batch) == chunk:
            yield from _attach_entries(batch)
            batch = []
    yield from _attach_entries(batch)


def _attach_entries(batch: list) -> list:
    rows = defaultdict(list)
    # no ORDER BY: SQLite would then walk the whole table in key order instead of the index
    entries = Entry.objects.filter(sheet_id__in=[s.pk for s in batch]).order_by()
    for sheet_id, *row in entries.values_list("sheet_id", "item_code", "value", "score"):
        rows[sheet_id].append(tuple(row))
    for sheet in batch:
        sheet.entry_rows = rows[sheet.pk]
    return batch


def export_sheets(*, campaign, participant=None, out=None,
                  progress: Progress | None = None) -> Export:  # fmt: skip
    """Each submitted sheet in the document's own layout (the clerk's 得分表, filled in): one
    worksheet per organization × stage × rater. No database writes. Sheets are read in chunks
    (with their entries) so a province's million entries are never all in memory."""
    started, out = time.perf_counter(), out if out is not None else _spool()
    sheets = with_entries(submitted_sheets(campaign, participant=participant))
    count = xlsx.write_filled_sheets(out, counted(sheets, progress, every=50))
    out.seek(0)
    name = f"{campaign.name}得分表" + (f"-{participant.organization.name}" if participant else "")
    return Export(out, f"{name}.xlsx", count, time.perf_counter() - started)


__all__ = [
    "Export",
    "counted",
    "export_matrix",
    "export_ranking",
    "export_sheets",
    "result_rows",
    "with_entries",
]
