"""The paper round trip: blank sheets, filled offline, uploaded all-or-nothing as if typed in."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kaoping.campaigns.domain.sheets import open_sheet, save_entry, submit_sheet
from kaoping.campaigns.models import Entry, ScoreSheet
from kaoping.reports.models import ImportRecord
from kaoping.scoring.workbook import HEADER_ROW
from tests.reports.documents_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_review(campaign, stages, review_assignments):
    """The campaign open, its review window around the real today (views save "today")."""
    today = datetime.date.today()
    campaign.state = "open"
    campaign.save()
    review = stages["review"]
    review.starts_on, review.ends_on = today - datetime.timedelta(1), today + datetime.timedelta(1)
    review.save()
    return review


def blank(client, rater, stage):
    client.force_login(rater)
    response = client.get(
        reverse("reports:paper_blank", kwargs={"stage": stage.pk, "rater": rater.pk})
    )
    assert response.status_code == 200
    # exhausting the stream lets the test client close it (a direct close() would also close
    # the database connection the test transaction runs on)
    content = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(content))


def columns(ws):
    return {ws.cell(row=HEADER_ROW, column=c).value: c for c in range(1, ws.max_column + 1)}


def fill(ws, code, deduct, reason="台账不全"):
    cols = columns(ws)
    row = next(r for r in range(HEADER_ROW + 1, ws.max_row + 1)
               if ws.cell(row=r, column=cols["编号"]).value == code)  # fmt: skip
    ws.cell(row=row, column=cols["扣分"], value=deduct)
    ws.cell(row=row, column=cols["扣分原因"], value=reason)
    return row


def upload(client, stage, workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile("filled.xlsx", buffer.getvalue())
    return client.post(reverse("reports:paper_upload", kwargs={"stage": stage.pk}),
                       {"workbook": file})  # fmt: skip


def test_blank_has_one_printable_sheet_per_organization(client, raters, open_review):
    book = blank(client, raters[0], open_review)
    assert book.sheetnames == ["白沙村党支部", "黄店村党支部", "填表说明"]
    ws = book["白沙村党支部"]
    assert ws["C2"].value == "白沙村党支部" and ws["G2"].value == "评分人1"
    header = [ws.cell(row=HEADER_ROW, column=c).value for c in range(1, ws.max_column + 1)]
    assert header[:2] == ["序号", "考核指标"] and header[-3:] == ["扣分", "扣分原因", "得分"]
    assert int(ws.page_setup.paperSize) == 9 and ws.freeze_panes  # 9 = A4
    assert ws.data_validations.dataValidation  # every 扣分 cell is validated
    assert any(str(r) == "A1:I1" for r in ws.merged_cells.ranges)


def test_round_trip_reproduces_typed_in_totals(client, raters, open_review, review_assignments):
    book = blank(client, raters[0], open_review)
    fill(book["白沙村党支部"], "1.1", 1)
    fill(book["白沙村党支部"], "2.1", 0.5, "会议记录缺失")
    fill(book["黄店村党支部"], "1.1", 2)
    response = upload(client, open_review, book)
    assert response.status_code == 302
    record = ImportRecord.objects.get()
    assert (record.by, record.entry_count, record.sheets.count()) == (raters[0], 3, 2)
    imported = ScoreSheet.objects.get(assignment__rater=raters[0],
                                      assignment__participant__organization__name="白沙村党支部")  # fmt: skip
    entry = imported.entries.get(item_code="2.1")
    assert entry.history.first().history_change_reason == "imported"
    assert entry.history.first().history_user == raters[0]
    # the same deductions typed in by rater_2, one entry at a time
    typed_assignment = next(a for a in review_assignments if a.rater == raters[1]
                            and a.participant.organization.name == "白沙村党支部")  # fmt: skip
    typed = open_sheet(assignment=typed_assignment)
    version = typed.version
    for code, amount in (("1.1", "1"), ("2.1", "0.5")):
        value = {"deductions": [{"amount": amount, "reason": "x"}]}
        version = save_entry(sheet=typed, item_code=code, value=value, by=raters[1],
                             version=version).version  # fmt: skip
    by_paper = submit_sheet(sheet=imported, by=raters[0])
    by_hand = submit_sheet(sheet=typed, by=raters[1])
    assert by_paper.total == by_hand.total == 98.5
    assert dict(imported.entries.values_list("item_code", "score")) == dict(
        typed.entries.values_list("item_code", "score"))  # fmt: skip


def test_one_bad_cell_writes_nothing_and_names_sheet_row_item(client, raters, open_review):
    book = blank(client, raters[0], open_review)
    fill(book["白沙村党支部"], "1.1", 1)
    row = fill(book["黄店村党支部"], "1.1", 9)  # more than the item's 3 points
    response = upload(client, open_review, book)
    assert response.status_code == 200
    problems = response.context["problems"]
    assert problems and problems[0].row == row and problems[0].item.startswith("1.1")
    assert "黄店村党支部" in problems[0].sheet
    assert not Entry.objects.exists() and not ImportRecord.objects.exists()
    assert "Nothing was imported" in response.content.decode()


def test_not_an_xlsx_is_refused_by_the_form(client, raters, open_review):
    client.force_login(raters[0])
    response = client.post(reverse("reports:paper_upload", kwargs={"stage": open_review.pk}),
                           {"workbook": SimpleUploadedFile("x.xlsx", b"hello")})  # fmt: skip
    assert "only Excel workbook (.xlsx) files can be uploaded" in response.content.decode()


def test_closed_window_writes_nothing(client, raters, open_review):
    book = blank(client, raters[0], open_review)
    fill(book["白沙村党支部"], "1.1", 1)
    open_review.ends_on = open_review.starts_on
    open_review.starts_on -= datetime.timedelta(5)
    open_review.ends_on -= datetime.timedelta(3)
    open_review.save()
    response = upload(client, open_review, book)
    assert response.status_code == 200 and response.context["problems"]
    assert not Entry.objects.exists()


def test_personas(client, raters, open_review, review_assignments, alice, bob, charlie):
    one = review_assignments[0]
    blank_url = reverse("reports:paper_blank", kwargs={"assignment": one.pk})
    upload_url = reverse("reports:paper_upload", kwargs={"assignment": one.pk})
    assert client.get(blank_url).status_code == 302  # anonymous → login
    client.force_login(alice)  # organizer: may print blanks, may not import a rater's entries
    response = client.get(blank_url)
    assert response.status_code == 200 and b"".join(response.streaming_content)
    assert client.get(upload_url).status_code == 404
    for user in (bob, charlie, raters[1]):
        client.force_login(user)
        assert client.get(blank_url).status_code == 404
        assert client.get(upload_url).status_code == 404
    client.force_login(one.rater)
    assert client.get(upload_url).status_code == 200
