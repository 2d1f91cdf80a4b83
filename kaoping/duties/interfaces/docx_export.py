"""One list as a Word document in the document's own table layout (seed 004): the title, the
table 类别 | 项目 | 内容和标准 (共性项目 by category, then one row per 个性项目), the 注 under the
table, the organization's blank and the signature line 本人签名.

Page and fonts follow GB/T 9704: A4, margins 37/35/28/26 mm; title 2号 (22 pt) 方正小标宋简体
(宋体 named as its substitute in the font table, so Word falls back to it where the face is
missing); text 3号 (16 pt) 仿宋_GB2312; the table in 小四 (12 pt) 仿宋_GB2312 so the three
columns fit the page, its header in 黑体. The East Asian font is set on every run.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from kaoping.duties.domain.templates import template_by_id

TITLE_FONT, TITLE_FALLBACK = "方正小标宋简体", "宋体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TITLE_PT, BODY_PT, TABLE_PT = 22, 16, 12


def chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _font(run, name: str, size: int, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _para(container, text: str, *, font=BODY_FONT, size=BODY_PT, bold=False, align=None):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _cell(cell, texts: list[str], *, font=BODY_FONT, size=TABLE_PT, bold=False, align=None):
    # A new cell holds one empty paragraph: write the first text into it, add the others.
    first = cell.paragraphs[0]
    for n, text in enumerate(texts):
        paragraph = first if n == 0 else cell.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        _font(paragraph.add_run(text), font, size, bold)


def _page(document) -> None:
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)


def _declare_fallback(document) -> None:
    """Name 宋体 as the substitute of 方正小标宋简体 in the font table (w:altName)."""
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            part = rel.target_part
            element = getattr(part, "element", None)
            if element is None:
                return
            font = OxmlElement("w:font")
            font.set(qn("w:name"), TITLE_FONT)
            alt = OxmlElement("w:altName")
            alt.set(qn("w:val"), TITLE_FALLBACK)
            font.append(alt)
            element.append(font)


def _table(document, duty_list, custom) -> None:
    template = template_by_id(duty_list.template_id)
    rows = len(duty_list.common) + max(len(custom), 1) + 1
    table = document.add_table(rows=rows, cols=3)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, template.columns, strict=True):
        _cell(cell, [text], font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    widths = (Mm(22), Mm(26), Mm(108))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    for n, category in enumerate(duty_list.common, start=1):
        cells = table.rows[n].cells
        _cell(cells[1], [category["category"]], align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell(cells[2], [f"{item['number']}. {item['text']}" for item in category["items"]])
    first_custom = len(duty_list.common) + 1
    for n, duty in enumerate(custom):
        cells = table.rows[first_custom + n].cells
        _cell(cells[1], [duty["text"]])
        _cell(cells[2], [duty["standard"]])
    common_label = table.cell(1, 0).merge(table.cell(first_custom - 1, 0))
    _cell(common_label, ["共性项目"], align=WD_ALIGN_PARAGRAPH.CENTER)
    custom_label = table.cell(first_custom, 0).merge(table.cell(rows - 1, 0))
    _cell(custom_label, ["个性项目"], align=WD_ALIGN_PARAGRAPH.CENTER)


def list_docx(duty_list) -> bytes:
    """The list as a .docx: the current content; signed lists carry the name and date."""
    template = template_by_id(duty_list.template_id)
    custom = [{"text": d.text, "standard": d.standard} for d in duty_list.custom.all()]
    document = Document()
    _page(document)
    _declare_fallback(document)
    collection = re.sub(r"^\d{4}年度", f"{duty_list.cycle.year}年度", template.collection)
    _para(document, collection, font=TITLE_FONT, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(document, f"{template.number}. {duty_list.title}", font=HEADING_FONT,
          align=WD_ALIGN_PARAGRAPH.CENTER)  # fmt: skip
    _table(document, duty_list, custom)
    _para(document, "注：" + "".join(template.notes))
    org_label, sign_label = template.signature
    _para(document, f"{org_label}：{duty_list.organization.name}")
    _para(document, f"{sign_label}：{duty_list.signed_name}")
    if duty_list.signed_on:
        _para(document, chinese_date(duty_list.signed_on), align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
