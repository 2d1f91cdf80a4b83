"""The summary (工作总结) docx: facts, two chart images, weak items, rectification, benchmarks."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from kaoping.reports.domain.figures import published_figures
from kaoping.reports.domain.summary import weak_items
from tests.reports.documents_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def test_summary_document(client, alice, published):
    client.force_login(alice)
    response = client.get(reverse("reports:summary", args=[published.pk]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "共设2个环节" in text and "共有评分人3人，分配评分表6份，已提交6份" in text
    assert "2026年11月12日" in text
    assert "共2个党组织参加考评，平均得分98.25分" in text
    assert len(document.inline_shapes) == 2  # the two charts
    assert "图1 等次分布（个）" in text and "四、整改情况" in text and "五、典型选树" in text
    weak = document.tables[0]
    assert [c.text for c in weak.rows[1].cells][0::2] == ["1.1", "2"]
    assert weak.rows[1].cells[3].text == "3"  # 1 + 2 points lost on 1.1
    runs = [r for p in document.paragraphs for r in p.runs]
    assert all(r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs)
    assert round(document.sections[0].top_margin.mm) == 37


def test_weak_items_rank_by_points_lost(published):
    weak = weak_items(published_figures(published))
    assert [(w["item"], w["orgs"], w["points"]) for w in weak] == [
        ("1.1", 2, Decimal(3)), ("2.1", 1, Decimal("0.5"))]  # fmt: skip


def test_unpublished_summary_says_so(client, alice, campaign):
    client.force_login(alice)
    document = Document(
        io.BytesIO(client.get(reverse("reports:summary", args=[campaign.pk])).content)
    )
    text = "\n".join(p.text for p in document.paragraphs)
    assert "结果尚未发布" in text and "尚未记录" in text
