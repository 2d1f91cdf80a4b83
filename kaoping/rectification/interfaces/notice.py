"""The rectification notice (整改通知单) as a Word document in the GB/T 9704 layout.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; the title in 2号 (22 pt)
方正小标宋简体 (宋体 for Latin letters, and where the font is missing Word substitutes it); the body
in 3号 (16 pt) 仿宋_GB2312 with a 2-character first-line indent; numbered issues, the deadline,
the issuing unit and the date written 2026年3月31日 at the right. Every run carries its East Asian
font explicitly, or Chinese text falls back to the theme's face.
"""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from kaoping.rectification.enums import KEPT_STATES
from kaoping.rectification.interfaces.dates import cn_date

TITLE_FONT, TITLE_LATIN = "方正小标宋简体", "宋体"
BODY_FONT = "仿宋_GB2312"
TITLE_PT, BODY_PT = 22, 16


def _run(paragraph, text: str, *, font: str, latin: str, size: int):
    run = paragraph.add_run(text)
    run.font.name = latin
    run.font.size = Pt(size)
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    return run


def _body(document, text: str, *, indent=True, align=None):
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.line_spacing = Pt(28)  # 22 lines a page at 3号
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    if align is not None:
        paragraph.alignment = align
    _run(paragraph, text, font=BODY_FONT, latin=BODY_FONT, size=BODY_PT)
    return paragraph


def _page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)


def issue_line(number: int, issue) -> str:
    text = f"{number}．{issue.text}"
    # The raters' reasons already say how much was taken off ("扣1分：…"); the points only when
    # nobody wrote a reason.
    details = "；".join(issue.reasons)
    if not details and issue.points:
        details = f"扣{issue.points.normalize():f}分"
    return text + (f"（{details}）" if details else "") + "。"


def notice_document(lst, issues) -> bytes:
    """The notice of one issued list; `issues` are its kept issues in order."""
    document = Document()
    _page(document)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, "整改通知单", font=TITLE_FONT, latin=TITLE_LATIN, size=TITLE_PT)
    unit = lst.campaign.scope.name
    _body(document, f"{lst.organization.name}：", indent=False)
    deadline = cn_date(lst.deadline_limit)
    _body(document, f"根据{lst.campaign.name}结果，你单位存在以下问题。请对照问题逐项制定整改措施，"
                    f"明确责任人和整改时限，于{deadline}前完成整改，并将整改情况报{unit}，"
                    f"经验收后销号。")  # fmt: skip
    for number, issue in enumerate(issues, start=1):
        _body(document, issue_line(number, issue))
    _body(document, f"整改时限：{deadline}前。")
    _body(document, "")
    _body(document, unit, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _body(document, cn_date(lst.issued_on), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def notice_filename(lst) -> str:
    return f"整改通知单-{lst.organization.name}.docx"


def notices_zip(lists) -> bytes:
    """A zip of the notices of `lists` (issues prefetched as `kept_issues`)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for lst in lists:
            issues = [i for i in lst.issues.all() if i.state in KEPT_STATES]
            archive.writestr(notice_filename(lst), notice_document(lst, issues))
    return out.getvalue()
