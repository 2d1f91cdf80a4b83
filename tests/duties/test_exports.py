import datetime
import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook

from kaoping.duties.domain.progress import verify_item
from kaoping.duties.interfaces.docx_export import list_docx
from kaoping.duties.interfaces.xlsx_export import HEADERS, overview_xlsx


def test_docx_has_the_table_layout_fonts_and_margins(filed_list):
    document = Document(io.BytesIO(list_docx(filed_list)))
    section = document.sections[0]
    # Word stores twips: compare to a tenth of a millimetre.
    mm = [
        round(getattr(section, f).mm, 1)
        for f in (
            "top_margin",
            "bottom_margin",
            "left_margin",
            "right_margin",
            "page_width",
            "page_height",
        )
    ]
    assert mm == [37, 35, 28, 26, 210, 297]
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "2026年度“三级书记”抓机关党建工作责任清单"
    assert texts[1] == "3. 机关党委（总支）下属党支部书记责任清单"
    assert texts[2].startswith("注：个性项目不少于2个。3月底前报本部门（单位）党委（总支）")
    assert texts[3:] == [
        "机关党委（总支）下属党支部：第一党支部",
        "本人签名：王书记",
        "2026年3月20日",
    ]
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["类别", "项目", "内容和标准"]
    assert table.cell(1, 0).text == "共性项目"
    assert table.cell(1, 1).text == "制定计划"
    assert table.cell(1, 2).text.startswith("1. 牢固树立一切工作到支部的理念")
    assert [c.text for c in table.rows[4].cells] == ["个性项目", "开展支部联建", "全年不少于4次"]
    assert [c.text for c in table.rows[5].cells] == ["个性项目", "带头讲党课", "每半年1次"]
    title = document.paragraphs[0].runs[0]
    assert title.font.size == Pt(22)
    assert title._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    runs = [r for p in document.paragraphs for r in p.runs]
    runs += [r for row in table.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert runs and all(r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs)
    assert all(r.font.name == r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs)
    body = document.paragraphs[3].runs[0]
    assert (body.font.name, body.font.size) == ("仿宋_GB2312", Pt(16))


def test_docx_of_a_draft_leaves_the_signature_blank(branch_list):
    document = Document(io.BytesIO(list_docx(branch_list)))
    assert [p.text for p in document.paragraphs][-1] == "本人签名："
    assert document.tables[0].rows[-1].cells[0].text == "个性项目"


def test_xlsx_overview_reads_back(cycle, filed_list, alice):
    verify_item(duty_list=filed_list, item_key="c1", outcome="done", comment="", by=alice)
    lists = cycle.lists.select_related("cycle", "organization").prefetch_related(
        "custom", "verifications").order_by("organization__path")  # fmt: skip
    content = overview_xlsx(cycle, lists, day=datetime.date(2026, 4, 1))
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    by_org = {row[0]: row for row in rows[1:]}
    assert set(by_org) == {"市财政局党组", "市财政局机关党委", "第一党支部", "第二党支部"}
    assert by_org["第一党支部"] == ("第一党支部", "机关党委（总支）下属党支部书记责任清单", "已报备",
                                 "否", "王书记", "2026-03-20", "2026-03-20", 12, 1, 0, 0, 11)  # fmt: skip
    assert by_org["第二党支部"][2:4] == ("未签名", "是")


def test_xlsx_overview_writes_formula_like_text_as_text(cycle, filed_list):
    filed_list.signed_name = '=HYPERLINK("http://x")'
    filed_list.save()
    lists = cycle.lists.select_related("cycle", "organization").prefetch_related(
        "custom", "verifications").order_by("organization__path")  # fmt: skip
    content = overview_xlsx(cycle, lists, day=datetime.date(2026, 4, 1))
    sheet = load_workbook(io.BytesIO(content)).active
    (cell,) = [
        c for row in sheet.iter_rows() for c in row if c.value == "'" + filed_list.signed_name
    ]
    assert cell.data_type == "s"
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    assert any(c.data_type == "n" and c.value == 12 for row in sheet.iter_rows() for c in row)
