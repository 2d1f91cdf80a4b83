"""Excel exports read back with openpyxl: values, headers, merged and frozen header rows."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kaoping.campaigns.models import Assignment
from tests.factories import UserFactory
from tests.reports.documents_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def workbook(client, name, campaign, query=""):
    response = client.get(reverse(f"reports:{name}", args=[campaign.pk]) + query)
    assert response.status_code == 200
    # exhausting the stream lets the test client close it (a direct close() would also close
    # the database connection the test transaction runs on)
    content = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(content))


def test_ranking(client, alice, published):
    client.force_login(alice)
    ws = workbook(client, "export_ranking", published)["排名"]
    assert ws["A1"].value == "2026年度村级党建观摩测评结果排名"
    assert "A1:H1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == ["名次", "单位", "上级组织", "类别", "得分", "等次",
                                        "评分人数", "说明"]  # fmt: skip
    assert [ws["A3"].value, ws["B3"].value, ws["E3"].value] == [1, "白沙村党支部", 98.5]
    assert [ws["B4"].value, ws["E4"].value, ws["G4"].value] == ["黄店村党支部", 98, 3]
    assert ws.freeze_panes == "A3"


def test_matrix_per_stage_and_final(client, alice, published):
    client.force_login(alice)
    ws = workbook(client, "export_matrix", published)["得分矩阵"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "单位" and "A2:B2" in merged
    header = [c.value for c in ws[3]]
    stage_names = [c.value for c in ws[2] if c.value]
    assert stage_names == ["单位", "自查自评", "全面考评", "最终结果"]
    assert header[-3:] == ["总分", "等次", "名次"]
    review = header.index("1.1", header.index("合计") + 1)  # the review stage's 1.1
    row = {header[i]: c.value for i, c in enumerate(ws[4])}
    assert ws["A4"].value == "白沙村党支部" and ws.cell(row=4, column=review + 1).value == 2
    assert row["总分"] == 98.5 and row["名次"] == 1
    assert ws.freeze_panes == "C4"


def test_sheets_in_the_documents_layout(client, alice, published):
    client.force_login(alice)
    book = workbook(client, "export_sheets", published)
    assert len(book.sheetnames) == 6 and book.sheetnames[0] == "白沙村党支部-评分人1"
    ws = book.worksheets[0]
    header = [c.value for c in ws[4]]
    assert header == ["序号", "考核指标", "编号", "考核内容", "评分标准", "分值", "扣分", "扣分原因",
                      "得分"]  # fmt: skip
    row = next(r for r in ws.iter_rows(min_row=5) if r[2].value == "1.1")
    assert (row[6].value, row[7].value, row[8].value) == (1, "台账不完整", 2)
    assert ws.cell(row=ws.max_row, column=9).value == 98.5
    assert ws["A1"].value == "村（社区）党建观摩、检查、测评得分表" and ws.freeze_panes
    participant = published.participants.get(organization__name="黄店村党支部")
    one = workbook(client, "export_sheets", published, f"?participant={participant.pk}")
    assert len(one.sheetnames) == 3


def test_documents_page_queries_do_not_grow(client, alice, published, stages, raters):
    client.force_login(alice)
    url = reverse("reports:documents", args=[published.pk])
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(2):
        extra = UserFactory(username=f"extra_{n}", full_name=f"追加评分人{n}")
        Assignment.objects.create(stage=stages["self"], participant=published.participants.first(),
                                  rater=extra)  # fmt: skip
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    assert len(one) == len(three)
    assert "追加评分人1" in response.content.decode()
