"""GB/T 9704 page and text helpers for python-docx: A4 with the standard margins, and runs
whose East Asian font is set explicitly (otherwise Word falls back to a wrong Chinese face)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "宋体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
RED = RGBColor(0xFF, 0x00, 0x00)
TITLE_PT, BODY_PT, TABLE_PT = 22, 16, 12


def new_document() -> Document:
    """An empty A4 document with GB/T 9704 margins (37/35/28/26 mm) and a 仿宋 normal style."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    return document


def styled_run(paragraph, text: str, *, font: str = BODY_FONT, size: int = BODY_PT,
               bold: bool = False, color: RGBColor | None = None):  # fmt: skip
    """Append a run with its Latin and East Asian font both set."""
    run = paragraph.add_run(text)
    run.font.name, run.font.size, run.font.bold = font, Pt(size), bold
    rfonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), font)
    if font == TITLE_FONT:
        # Word has no fallback list; the hint names the common face for machines without 小标宋
        rfonts.set(qn("w:hAnsi"), TITLE_FALLBACK)
    if color is not None:
        run.font.color.rgb = color
    return run


def paragraph(document, text: str = "", *, align=None, indent: bool = False, **run_options):
    """A paragraph of one styled run; `indent` is the 2-character first-line indent of body text."""
    para = document.add_paragraph()
    if align is not None:
        para.alignment = align
    if indent:
        para.paragraph_format.first_line_indent = Pt(run_options.get("size", BODY_PT) * 2)
    para.paragraph_format.line_spacing = Pt(28)  # 28-29 pt: 22 lines a page as 9704 asks
    if text:
        styled_run(para, text, **run_options)
    return para


def title(document, text: str) -> None:
    paragraph(document, text, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=TITLE_PT)


def red_rule(document) -> None:
    """The red separator line under the issuing authority mark (a bottom border)."""
    para = document.add_paragraph()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "12"), ("space", "1"), ("color", "FF0000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    para._p.get_or_add_pPr().append(borders)


def table(document, header: list[str], rows: list[list[str]]) -> None:
    """A bordered table with a bold header row; every cell's run carries the fonts."""
    grid = document.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, header, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        styled_run(cell.paragraphs[0], text, font=HEADING_FONT, size=TABLE_PT)
    for values in rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            styled_run(cell.paragraphs[0], str(text), size=TABLE_PT)


def page_break(document) -> None:
    """A page break in a run that carries the fonts too (tests check every run)."""
    styled_run(document.add_paragraph(), "").add_break(WD_BREAK.PAGE)


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def chinese_date(day) -> str:
    """成文日期 as GB/T 9704 writes it: 2026年3月31日 (Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"
