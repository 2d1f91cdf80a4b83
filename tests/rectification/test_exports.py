"""The notice (docx, GB/T 9704) and the ledgers (xlsx) read back as a clerk would."""

import datetime
import io
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl import load_workbook

from kaoping.rectification.domain.ledgers import compliance_rows, ledger_issues, weak_rows
from kaoping.rectification.domain.work import close_issue, request_closure, save_plan
from kaoping.rectification.interfaces.ledgers import LEDGER_COLUMNS, ledger_xlsx
from kaoping.rectification.interfaces.notice import notice_document, notices_zip
from kaoping.rectification.models import RectificationList

pytestmark = pytest.mark.django_db


def test_notice_text_fonts_and_margins(issued):
    issued.issued_on = datetime.date(2026, 3, 31)
    doc = Document(io.BytesIO(notice_document(issued, issued.issues.all())))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "整改通知单"
    assert texts[1] == "白沙村党支部："
    assert texts[3].startswith("1．") and "扣1分：台账不完整" in texts[3]
    assert texts[4].startswith("2．")
    assert "整改时限：2026年3月31日前。" in texts
    assert texts[-2:] == ["郑州市委", "2026年3月31日"]
    title_run = doc.paragraphs[0].runs[0]
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title_run.font.size.pt == 22
    for paragraph in doc.paragraphs[1:]:
        for run in paragraph.runs:
            assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
            assert run.font.size.pt == 16
    section = doc.sections[0]
    assert [round(x / Mm(1)) for x in (section.page_width, section.page_height,
            section.top_margin, section.bottom_margin, section.left_margin,
            section.right_margin)] == [210, 297, 37, 35, 28, 26]  # fmt: skip


def test_zip_holds_one_notice_per_issued_list(issued):
    lists = RectificationList.objects.filter(pk=issued.pk).select_related(
        "campaign__scope", "organization").prefetch_related("issues")  # fmt: skip
    names = zipfile.ZipFile(io.BytesIO(notices_zip(lists))).namelist()
    assert names == ["整改通知单-白沙村党支部.docx"]


def test_ledger_has_exactly_the_documents_columns(issue, issued, branch_user, alice, tree):
    save_plan(issue=issue, by=branch_user, measures="补齐台账", owner="张书记",
              deadline=datetime.date(2026, 3, 20))  # fmt: skip
    request_closure(issue=issue, by=branch_user)
    close_issue(
        issue=issue, by=alice, closed_on=datetime.date(2026, 3, 18), day=datetime.date(2026, 3, 18)
    )
    content = ledger_xlsx(unit="郑州市委", day=datetime.date(2026, 3, 31),
                          issues=ledger_issues(tree["city_a"]))  # fmt: skip
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "党建观摩、检查、测评工作整改台账"
    assert rows[1][0] == "单位(盖章)：郑州市委" and rows[1][4] == "时间：2026年3月31日"
    assert rows[2] == ("党组织名称", "整改事项", "整改措施", "整改时限", "责任人", "完成销号时间")
    assert rows[2] == LEDGER_COLUMNS
    assert rows[3][0] == "白沙村党支部"
    assert rows[3][2:] == ("补齐台账", "2026年3月20日", "张书记", "2026年3月18日")
    assert rows[4][5] is None or rows[4][5] == ""
    assert len(rows) == 5


def test_compliance_and_weak_rows(issued, tree):
    compliant, failing = compliance_rows(issued.campaign, tree["city_a"])
    # The village sheet has no failing grade below 97 points: both villages are compliant.
    assert sorted(r[0] for r in compliant + failing) == ["白沙村党支部", "黄店村党支部"]
    assert dict((r[0], r[5]) for r in compliant + failing)["白沙村党支部"] == 2
    village = tree["village_a"]
    village.is_weak = True
    village.save()
    rows = weak_rows(tree["city_a"])
    assert [(r[0], r[1], r[6]) for r in rows] == [("白沙村党支部", "中牟县委", "整改中")] * 2
