"""The bulletin (通报) of a campaign's published results, in the GB/T 9704 layout.

The text lives in a BulletinDraft the organizer edits; the first opening prefills it from the
published figures. The Word document is rendered from the draft and the frozen results only.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.reports.domain.figures import Figures, published_figures
from kaoping.reports.interfaces import docx_layout as dl
from kaoping.reports.models import BulletinDraft
from kaoping.scoring.rules.base import fmt

EDITABLE = ("red_header", "issuer", "doc_number", "title", "recipients", "body", "signature",
            "dated")  # fmt: skip
RANKING_HEADER = ["名次", "单位", "上级组织", "得分", "等次"]


def _names(rows) -> str:
    return "、".join(f"{r.participant.organization.name}（{fmt(r.total)}分）" for r in rows)


def overview_text(campaign, figures: Figures) -> str:
    """The generated body: who took part, the average, the grade counts, top and bottom lists.

    Chinese on purpose: it is the document's own text, which the organizer then edits."""
    if not figures.count:
        return f"{campaign.name}结果尚未发布。"
    parts = [
        f"根据{campaign.name}工作安排，本次考评共有{figures.count}个党组织参加，"
        f"平均得分{fmt(figures.average) if figures.average is not None else '—'}分，"
        f"最高分{fmt(figures.highest)}分，最低分{fmt(figures.lowest)}分。"
    ]
    grades = figures.grade_counts()
    if grades:
        parts.append("其中" + "，".join(f"{g}{n}个" for g, n in grades) + "。")
    if figures.top():
        parts.append(f"得分排名靠前的是：{_names(figures.top())}。")
    if figures.bottom():
        parts.append(
            f"得分排名靠后的是：{_names(figures.bottom())}，请相关党组织认真对照问题清单抓好整改。"
        )
    parts.append("具体排名见附件。")
    return "".join(parts)


def default_fields(campaign, figures: Figures, *, day: datetime.date | None = None) -> dict:
    """The prefilled draft: the campaign's scope as issuer and recipients' parent, a number
    with this year's 〔〕 brackets, the generated overview as body."""
    day = day or timezone.localdate()
    scope = campaign.scope.name
    return {
        "red_header": True,
        "issuer": f"{scope}文件",
        "doc_number": f"{scope[:1]}委发〔{day.year}〕1号",
        "title": f"关于{campaign.name}结果的通报",
        "recipients": "各党组织：",
        "body": overview_text(campaign, figures),
        "signature": scope,
        "dated": day,
    }


def draft_for(*, campaign, by, day: datetime.date | None = None) -> BulletinDraft:
    """The campaign's draft, created prefilled the first time (history records who)."""
    draft = BulletinDraft.objects.filter(campaign=campaign).first()
    if draft is None:
        draft = BulletinDraft(campaign=campaign, updated_by=by,
                              **default_fields(campaign, published_figures(campaign), day=day))  # fmt: skip
        draft._history_user = by
        draft.save()
    return draft


@transaction.atomic
def save_draft(*, draft: BulletinDraft, by, **fields) -> BulletinDraft:
    """Store the organizer's edits. Refused (ValidationError naming the field) when a text field
    is blank. Side effects: the draft row and a history record with who."""
    blank = [name for name in EDITABLE if name not in ("red_header", "dated")
             and not str(fields.get(name, getattr(draft, name)) or "").strip()]  # fmt: skip
    if blank:
        raise ValidationError({name: [_("This field cannot be blank.")] for name in blank})
    for name in EDITABLE:
        if name in fields:
            setattr(draft, name, fields[name])
    draft.updated_by, draft._history_user = by, by
    draft.save()
    return draft


@transaction.atomic
def regenerate(*, draft: BulletinDraft, by) -> BulletinDraft:
    """Replace the body with a fresh overview from the latest publication (keeps the rest)."""
    draft.body = overview_text(draft.campaign, published_figures(draft.campaign))
    draft.updated_by, draft._history_user = by, by
    draft.save()
    return draft


def ranking_rows(figures: Figures) -> list[list[str]]:
    return [
        [str(r.rank_in_kind or "—"), r.participant.organization.name,
         r.participant.organization.parent.name if r.participant.organization.parent else "",
         fmt(r.total) if r.total is not None else "—", r.grade or "—"]
        for r in figures.rows
    ]  # fmt: skip


def bulletin_docx(*, draft: BulletinDraft, figures: Figures) -> bytes:
    """The Word document: red header (optional), number, title, recipients, body, signature,
    成文日期, then 附件 with the ranking table on its own page. Pure rendering, no writes."""
    document = dl.new_document()
    center = dl.WD_ALIGN_PARAGRAPH.CENTER
    if draft.red_header:
        dl.paragraph(document, draft.issuer, align=center, font=dl.TITLE_FONT, size=36,
                     color=dl.RED)  # fmt: skip
    dl.paragraph(document, draft.doc_number, align=center)
    if draft.red_header:
        dl.red_rule(document)
    dl.title(document, draft.title)
    dl.paragraph(document, draft.recipients)
    for line in draft.body.splitlines():
        if line.strip():
            dl.paragraph(document, line.strip(), indent=True)
    dl.paragraph(document, "附件：" + f"{draft.campaign.name}结果排名", indent=True)
    right = dl.WD_ALIGN_PARAGRAPH.RIGHT
    dl.paragraph(document, draft.signature, align=right)
    dl.paragraph(document, dl.chinese_date(draft.dated), align=right)
    dl.page_break(document)
    dl.paragraph(document, "附件", font=dl.HEADING_FONT)
    dl.title(document, f"{draft.campaign.name}结果排名")
    dl.table(document, RANKING_HEADER, ranking_rows(figures))
    return dl.to_bytes(document)
