"""The bulletin: prefilled draft from published figures, edits kept, docx in GB/T 9704 layout."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from kaoping.reports.domain.bulletin import draft_for, overview_text
from kaoping.reports.domain.figures import published_figures
from kaoping.reports.models import BulletinDraft
from tests.reports.documents_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 5)


def test_overview_cites_the_figures(published):
    text = overview_text(published, published_figures(published))
    assert "共有2个党组织参加" in text
    assert "平均得分98.25分" in text and "最高分98.5分" in text and "最低分98分" in text
    assert "具体排名见附件" in text


def test_draft_is_prefilled_once_and_keeps_edits(published, alice, client):
    draft = draft_for(campaign=published, by=alice, day=DAY)
    assert draft.doc_number.endswith("〔2026〕1号") and draft.title.startswith("关于")
    assert draft.dated == DAY
    client.force_login(alice)
    url = reverse("reports:bulletin", args=[published.pk])
    data = {"red_header": "on", "issuer": "中共某市委组织部文件", "doc_number": "市委组发〔2026〕5号",
            "title": "关于观摩测评结果的通报", "recipients": "各县委组织部：",
            "body": "第一段。\n第二段。", "signature": "中共某市委组织部", "dated": "2026-03-31"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.body == "第一段。\n第二段。" and draft.history.count() == 2
    response = client.get(url + "?download=1")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "中共某市委组织部文件" and "市委组发〔2026〕5号" in texts
    assert "关于观摩测评结果的通报" in texts and "2026年3月31日" in texts
    assert "第一段。" in texts and "附件" in texts
    header = document.paragraphs[0].runs[0]
    assert str(header.font.color.rgb) == "FF0000"
    section = document.sections[0]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    runs = [r for p in document.paragraphs for r in p.runs]
    runs += [r for t in document.tables for c in t._cells for p in c.paragraphs for r in p.runs]
    assert runs and all(r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs)
    title = next(p for p in document.paragraphs if p.text == "关于观摩测评结果的通报").runs[0]
    assert title.font.size.pt == 22 and title.font.name == "方正小标宋简体"
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["名次", "单位", "上级组织", "得分", "等次"]
    first = [c.text for c in table.rows[1].cells]
    assert (first[0], first[1], first[3]) == ("1", "白沙村党支部", "98.5")
    assert len(table.rows) == 3


def test_blank_field_is_refused_naming_it(published, alice, client):
    client.force_login(alice)
    url = reverse("reports:bulletin", args=[published.pk])
    client.get(url)
    response = client.post(url, {"issuer": "", "doc_number": "x", "title": "t", "recipients": "r",
                                 "body": "b", "signature": "s", "dated": "2026-03-31"})  # fmt: skip
    assert response.status_code == 200
    assert "issuer" in response.context["form"].errors
    assert BulletinDraft.objects.get().issuer != ""


def test_regenerate_restores_the_generated_body(published, alice, client):
    client.force_login(alice)
    url = reverse("reports:bulletin", args=[published.pk])
    client.get(url)
    BulletinDraft.objects.update(body="x")
    client.post(url, {"action": "regenerate"})
    assert "共有2个党组织参加" in BulletinDraft.objects.get().body


@pytest.mark.parametrize("persona", ["bob", "charlie"])
def test_other_scopes_get_404(published, persona, request, client):
    client.force_login(request.getfixturevalue(persona))
    for name in ("documents", "bulletin", "export_ranking", "export_matrix", "export_sheets",
                 "summary"):  # fmt: skip
        assert client.get(reverse(f"reports:{name}", args=[published.pk])).status_code == 404
    assert not BulletinDraft.objects.exists()


def test_anonymous_is_sent_to_login(published, client):
    for name in ("documents", "bulletin", "export_ranking", "export_matrix", "export_sheets",
                 "summary"):  # fmt: skip
        response = client.get(reverse(f"reports:{name}", args=[published.pk]))
        assert response.status_code == 302 and "login" in response["Location"]
