"""The campaign summary (工作总结 draft) in Word: process facts, results with two charts,
common weak items, rectification status and the benchmarks selected."""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Q
from django.utils import timezone

from kaoping.campaigns.enums import SheetStatus
from kaoping.campaigns.models import Assignment, ScoreSheet
from kaoping.rectification.domain.overview import counts
from kaoping.rectification.models import Issue
from kaoping.reports.domain.figures import Figures, published_figures
from kaoping.reports.interfaces import charts
from kaoping.reports.interfaces import docx_layout as dl
from kaoping.scoring.rules.base import fmt

WEAK_ITEMS = 10
NOT_RECORDED = "尚未记录。"


def process_facts(campaign) -> dict:
    """Stages with windows, distinct raters, sheets assigned and submitted (three queries)."""
    stages = list(campaign.stages.order_by("position", "pk"))
    assigned = Assignment.objects.filter(stage__campaign=campaign)
    sheets = ScoreSheet.objects.filter(assignment__stage__campaign=campaign).aggregate(
        submitted=Count("pk", filter=Q(status=SheetStatus.SUBMITTED))
    )
    return {
        "stages": stages,
        "raters": assigned.values("rater").distinct().count(),
        "assigned": assigned.count(),
        "submitted": sheets["submitted"],
    }


def weak_items(figures: Figures, limit: int = WEAK_ITEMS) -> list[dict]:
    """Items with the most points lost across organizations (published lost points)."""
    lost: dict[str, dict] = defaultdict(lambda: {"points": Decimal(0), "orgs": 0, "text": ""})
    for row in figures.rows:
        for item in row.lost_points or []:
            entry = lost[item["item"]]
            entry["points"] += Decimal(str(item["points"]))
            entry["orgs"] += 1
            entry["text"] = entry["text"] or item.get("text", "")
    ranked = sorted(lost.items(), key=lambda kv: (-kv[1]["points"], kv[0]))[:limit]
    return [{"item": code, **values} for code, values in ranked]


def section_averages(figures: Figures) -> list[tuple[str, float]]:
    sums: dict[str, list[Decimal]] = defaultdict(list)
    for row in figures.rows:
        for code, score in (row.section_scores or {}).items():
            if score not in (None, ""):
                sums[code].append(Decimal(str(score)))
    return [(code, float(round(sum(v) / len(v), 2))) for code, v in sums.items()]


def rectification_totals(campaign, day: datetime.date) -> dict:
    """Open, overdue, closed and the closure rate over the campaign's issues (one query)."""
    rows = counts(Issue.objects.filter(list__campaign=campaign), day, "organization__parent")
    totals = {key: sum(r[key] for r in rows) for key in ("open", "overdue", "closed", "total")}
    totals["rate"] = (
        (Decimal(totals["closed"] * 100) / totals["total"]).quantize(Decimal("0.1"))
        if totals["total"] else None
    )  # fmt: skip
    return totals


def benchmarks(campaign) -> list[str] | None:
    """Names of the selected benchmarks, or None when benchmark selection is not recorded
    (the selection models may be absent, or the campaign has no round)."""
    try:
        round_model = apps.get_model("campaigns", "BenchmarkRound")
    except LookupError:
        return None
    benchmark_round = round_model.objects.filter(campaign=campaign).first()
    if benchmark_round is None:
        return None
    return [
        n.participant.organization.name
        for n in benchmark_round.nominations.filter(selected=True).select_related(
            "participant__organization"
        )
    ]


def _picture(document, png: bytes, caption: str) -> None:
    para = document.add_paragraph()
    para.alignment = dl.WD_ALIGN_PARAGRAPH.CENTER
    dl.styled_run(para, "").add_picture(io.BytesIO(png), width=dl.Mm(150))
    dl.paragraph(document, caption, align=dl.WD_ALIGN_PARAGRAPH.CENTER, size=dl.TABLE_PT)


def _facts_text(campaign, facts) -> list[str]:
    lines = [f"{campaign.name}共设{len(facts['stages'])}个环节："]
    for stage in facts["stages"]:
        lines.append(f"{stage.name}（{dl.chinese_date(stage.starts_on)}至"
                     f"{dl.chinese_date(stage.ends_on)}）；")  # fmt: skip
    lines.append(f"共有评分人{facts['raters']}人，分配评分表{facts['assigned']}份，"
                 f"已提交{facts['submitted']}份。")  # fmt: skip
    return ["".join(lines)]


def summary_docx(*, campaign, day: datetime.date | None = None) -> bytes:
    """Render the summary. Reads only; no database writes."""
    day = day or timezone.localdate()
    figures, facts = published_figures(campaign), process_facts(campaign)
    document = dl.new_document()
    dl.title(document, f"{campaign.name}工作总结")
    dl.paragraph(document, "一、基本情况", font=dl.HEADING_FONT)
    for line in _facts_text(campaign, facts):
        dl.paragraph(document, line, indent=True)
    dl.paragraph(document, "二、考评结果", font=dl.HEADING_FONT)
    if figures.count:
        grades = "，".join(f"{g}{n}个" for g, n in figures.grade_counts()) or "未评定等次"
        dl.paragraph(document, f"共{figures.count}个党组织参加考评，平均得分{fmt(figures.average)}"
                     f"分，{grades}。", indent=True)  # fmt: skip
        grade_bars = [(g, float(n)) for g, n in figures.grade_counts()]
        _picture(document, charts.bar_chart("等次分布", grade_bars), "图1 等次分布（个）")
        _picture(document, charts.bar_chart("各部分平均得分", section_averages(figures)),
                 "图2 各部分平均得分（分）")  # fmt: skip
    else:
        dl.paragraph(document, "结果尚未发布。", indent=True)
    dl.paragraph(document, "三、共性问题", font=dl.HEADING_FONT)
    weak = weak_items(figures)
    if weak:
        dl.table(document, ["编号", "考核内容", "失分单位数", "累计失分"],
                 [[w["item"], w["text"], str(w["orgs"]), fmt(w["points"])] for w in weak])  # fmt: skip
    else:
        dl.paragraph(document, NOT_RECORDED, indent=True)
    dl.paragraph(document, "四、整改情况", font=dl.HEADING_FONT)
    totals = rectification_totals(campaign, day)
    if totals["total"]:
        dl.paragraph(document, f"共下发整改问题{totals['total']}个，已销号{totals['closed']}个，"
                     f"正在整改{totals['open']}个（其中逾期{totals['overdue']}个），"
                     f"销号率{fmt(totals['rate'])}%。", indent=True)  # fmt: skip
    else:
        dl.paragraph(document, NOT_RECORDED, indent=True)
    dl.paragraph(document, "五、典型选树", font=dl.HEADING_FONT)
    names = benchmarks(campaign)
    text = NOT_RECORDED if not names else "评选出先进典型：" + "、".join(names) + "。"
    dl.paragraph(document, text, indent=True)
    return dl.to_bytes(document)
