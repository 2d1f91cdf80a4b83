"""The document-layout sheet export (xlsxwriter, streamed) read back with openpyxl: values,
merged cells, fonts, fills, frozen header, print setup, and user text never turned formula."""

import io
import zipfile
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from kaoping.campaigns.models import Entry
from kaoping.reports.domain import exports
from kaoping.reports.interfaces.xlsx_sheets import write_filled_sheets
from tests.reports.documents_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def book_of(campaign, **kwargs):
    export = exports.export_sheets(campaign=campaign, **kwargs)
    with export.file:
        return load_workbook(io.BytesIO(export.file.read())), export


def test_layout_values_merges_and_fonts(published):
    book, export = book_of(published)
    assert export.rows == 6 and len(book.sheetnames) == 6
    ws = book["白沙村党支部-评分人1"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:I1" in merged  # the title across the table
    assert {"A2:B2", "C2:E2", "G2:I2", "A3:B3", "C3:E3", "G3:I3"} <= merged
    assert any(r.startswith("A5:A") for r in merged)  # 序号 merged over the first section
    assert ws["A1"].font.b and ws["A1"].font.sz == 16
    assert ws["A4"].font.b and ws["A4"].fill.fgColor.rgb.endswith("D9E1F2")
    assert ws["A4"].border.left.style == "thin"
    assert (ws["C2"].value, ws["G2"].value) == ("白沙村党支部", "评分人1")
    assert ws["C3"].value  # the submission date
    assert ws.freeze_panes == "D5"
    assert ws.print_title_rows == "$4:$4"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    row = next(r for r in ws.iter_rows(min_row=5) if r[2].value == "1.1")
    assert (row[6].value, row[7].value, row[8].value) == (1, "台账不完整", 2)
    untouched = next(r for r in ws.iter_rows(min_row=5) if r[2].value == "1.2")
    assert untouched[6].value is None and untouched[8].value == untouched[5].value  # full marks
    assert ws.cell(row=ws.max_row, column=2).value == "合计"
    assert ws.cell(row=ws.max_row, column=9).value == 98.5


def test_reason_starting_with_equals_stays_text(published):
    entry = Entry.objects.filter(
        sheet__assignment__participant__organization__name="白沙村党支部", item_code="1.1"
    ).first()
    entry.value = {"deductions": [{"amount": "1", "reason": '=HYPERLINK("x")'}]}
    entry.save(update_fields=["value"])
    book, _export = book_of(published)
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=5):
            if row[2].value == "1.1" and row[7].value and "HYPERLINK" in row[7].value:
                assert row[7].data_type == "s" and row[7].value == '\'=HYPERLINK("x")'
                return
    pytest.fail("the reason was not written")


def test_same_names_stay_unique_and_progress_is_reported(published):
    seen = []
    out = io.BytesIO()
    sheets = list(exports.with_entries(exports.submitted_sheets(published))) * 2
    assert write_filled_sheets(out, exports.counted(sheets, seen.append, every=5)) == 12
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert len(set(n.lower() for n in book.sheetnames)) == 12
    assert "白沙村党支部-评分人1(2)" in book.sheetnames
    assert seen == [5, 10, 12]


def test_package_parts_are_well_formed_and_an_empty_export_has_one_sheet(published):
    out = io.BytesIO()
    assert write_filled_sheets(out, []) == 0
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zf:
        assert zf.testzip() is None
        assert zf.namelist()[0] == "[Content_Types].xml"
        for name in zf.namelist():
            ElementTree.fromstring(zf.read(name))  # raises on malformed XML
    assert load_workbook(io.BytesIO(out.getvalue())).sheetnames == ["无"]
    export = exports.export_sheets(campaign=published)
    with export.file, zipfile.ZipFile(export.file) as zf:
        parts = zf.namelist()
        assert sum(p.startswith("xl/worksheets/sheet") for p in parts) == 6
        for name in parts:
            ElementTree.fromstring(zf.read(name))
        workbook = zf.read("xl/workbook.xml").decode()
        assert workbook.count("_xlnm.Print_Titles") == 6
