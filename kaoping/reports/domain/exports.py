"""Excel exports of a campaign: the ranking, the score matrix, the filled score sheets.

Rows come from stored numbers only (results, stage results, entry scores the core computed);
an item's stage figure is the core's `aggregate_scores` with the stage's own method. Writers
stream rows (xlsxwriter constant_memory) into a temporary file the view then streams out.
"""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from kaoping.campaigns.domain.publication import latest_publication
from kaoping.campaigns.domain.rubrics import rubric_of
from kaoping.campaigns.enums import SheetStatus
from kaoping.campaigns.models import Entry, PublishedResult, Result, ScoreSheet
from kaoping.reports.interfaces import xlsx
from kaoping.scoring import aggregate_scores

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


def ranking_rows(campaign) -> Iterator[list]:
    for r in _results(campaign).iterator(chunk_size=2000):
        org = r.participant.organization
        yield [r.rank_in_kind, org.name, org.parent.name if org.parent else "",
               org.get_kind_display(), _num(r.total), r.grade, r.rater_count, r.note]  # fmt: skip


def _num(value):
    return None if value is None else float(value)


def _spool():
    return tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)


def export_ranking(*, campaign) -> Export:
    """The ranking workbook (one row per organization). No database writes."""
    started, out = time.perf_counter(), _spool()
    title = f"{campaign.name}结果排名"
    rows = xlsx.write_table(out, sheet="排名", title=title, groups=[], header=RANKING_HEADER,
                            rows=ranking_rows(campaign))  # fmt: skip
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


def _stage_items(campaign, stages) -> dict:
    """(stage id, participant id, item code) → the core's aggregate of submitted entry scores."""
    scores: dict[tuple, list] = defaultdict(list)
    entries = Entry.objects.filter(
        sheet__assignment__stage__campaign=campaign, sheet__status=SheetStatus.SUBMITTED,
        score__isnull=False,
    ).values_list("sheet__assignment__stage_id", "sheet__assignment__participant_id",
                  "item_code", "score")  # fmt: skip
    for stage_id, participant_id, code, score in entries.iterator(chunk_size=5000):
        scores[(stage_id, participant_id, code)].append(score)
    by_id = {s.pk: s for s in stages}
    return {
        key: aggregate_scores(values, method=by_id[key[0]].method, trim=by_id[key[0]].trim).value
        for key, values in scores.items()
    }


def matrix_rows(campaign, stages, items, sections) -> Iterator[list]:
    aggregated = _stage_items(campaign, stages)
    stage_totals = {(r.stage_id, r.participant_id): r.total
                    for s in stages for r in s.results.all()}  # fmt: skip
    for r in _results(campaign).iterator(chunk_size=2000):
        org, pid = r.participant.organization, r.participant_id
        row = [org.name, org.parent.name if org.parent else ""]
        for stage in stages:
            row += [_num(aggregated.get((stage.pk, pid, code))) for code, _text in items]
            row.append(_num(stage_totals.get((stage.pk, pid))))
        row += [_num_text(r.section_scores.get(code)) for code in sections]
        row += [_num(r.total), r.grade, r.rank_in_kind]
        yield row


def _num_text(value):
    return None if value in (None, "") else float(value)


def export_matrix(*, campaign) -> Export:
    """Organization × item, per stage (the stage method over submitted sheets) and final
    (sections, total, grade, rank). Two merged header rows, frozen. No database writes."""
    started, out = time.perf_counter(), _spool()
    stages = list(campaign.stages.order_by("position", "pk").prefetch_related("results"))
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
                            rows=matrix_rows(campaign, stages, items, sections),
                            freeze_cols=2)  # fmt: skip
    out.seek(0)
    return Export(out, f"{title}.xlsx", rows, time.perf_counter() - started)


def submitted_sheets(campaign, *, participant=None):
    sheets = ScoreSheet.objects.filter(
        assignment__stage__campaign=campaign, status=SheetStatus.SUBMITTED
    ).select_related("assignment__stage", "assignment__rater", "assignment__participant__rubric",
                     "assignment__participant__organization").prefetch_related("entries")  # fmt: skip
    if participant is not None:
        sheets = sheets.filter(assignment__participant=participant)
    return sheets.order_by("assignment__participant__organization__path",
                           "assignment__stage__position", "assignment__rater_id")  # fmt: skip


def export_sheets(*, campaign, participant=None) -> Export:
    """Each submitted sheet in the document's own layout (the clerk's 得分表, filled in): one
    worksheet per organization × stage × rater. No database writes."""
    started, out = time.perf_counter(), _spool()
    count = xlsx.write_filled_sheets(out, submitted_sheets(campaign, participant=participant))
    out.seek(0)
    name = f"{campaign.name}得分表" + (f"-{participant.organization.name}" if participant else "")
    return Export(out, f"{name}.xlsx", count, time.perf_counter() - started)


__all__ = ["Export", "export_matrix", "export_ranking", "export_sheets"]
