"""Garbled input never answers 500: odd digits, huge numbers, missing fields, other content
types. Each refusal says what is wrong, or the odd value is ignored (a list filter)."""

import pytest
from django.urls import reverse

from kaoping.campaigns.models import Entry
from tests.campaigns.scoring_fixtures import *  # noqa: F403  (fixtures)

HX = {"HTTP_HX_REQUEST": "true"}
HUGE = "9" * 5000
ODD = ["²", "٣", HUGE, "-1", "1e3", " 2 "]


def sheet_url(name, sheet):
    return reverse(f"campaigns:{name}", kwargs={"pk": sheet.assignment_id})


@pytest.mark.parametrize("value", ODD)
@pytest.mark.parametrize(
    ("item", "field", "extra"),
    [
        ("A7", "count", {}),
        ("A6", "count-principal", {"reason": "违纪"}),
        ("D1", "l-count", {"l-event": "award"}),
    ],
)
def test_odd_counts_get_the_cores_message(client, kinds_sheet, raters, item, field, extra, value):
    client.force_login(raters[0])
    kinds_sheet.refresh_from_db()
    data = {"item": item, "version": kinds_sheet.version, field: value, **extra}
    response = client.post(sheet_url("entry_save", kinds_sheet), data, **HX)
    assert response.status_code == 200
    text = response.content.decode()
    if value == " 2 ":  # stripped: a plain count
        return
    assert 'class="errorlist"' in text or "was not saved" in text


@pytest.mark.parametrize("version", ["", "²", HUGE, "x"])
def test_odd_versions_are_stale(client, review_sheet, raters, version):
    client.force_login(raters[0])
    data = {"item": "1.1", "version": version, "d-amount": "1", "d-reason": "a"}
    response = client.post(sheet_url("entry_save", review_sheet), data, **HX)
    assert response.status_code == 200
    assert "Someone else saved this sheet; reload it." in response.content.decode()
    assert not Entry.objects.exists()


def test_missing_and_foreign_fields(client, review_sheet, raters):
    client.force_login(raters[0])
    assert client.post(sheet_url("entry_save", review_sheet), {}, **HX).status_code == 404
    response = client.post(
        sheet_url("entry_save", review_sheet), b'{"item": "1.1"}', content_type="application/json"
    )
    assert response.status_code == 404  # no form fields at all: no item named
    response = client.post(sheet_url("evidence_upload", review_sheet), {"item": "1.1"}, **HX)
    assert "Choose a photo or a PDF file." in response.content.decode()
    response = client.post(sheet_url("custom_items_write", review_sheet), {})
    assert response.status_code == 403  # a review sheet writes no custom items
    response = client.post(sheet_url("sheet_return", review_sheet), {})
    assert response.status_code == 403


@pytest.mark.parametrize("pk", ["99999999999999999999", HUGE[:30]])
def test_huge_ids_are_404(client, raters, pk, review_sheet):
    client.force_login(raters[0])
    for path in (f"/campaigns/assignments/{pk}/sheet/", f"/campaigns/evidence/{pk}/",
                 f"/campaigns/{pk}/", f"/campaigns/stages/{pk}/assign/"):  # fmt: skip
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize("parent", ODD)
def test_assign_page_ignores_an_odd_parent_filter(client, alice, campaign, stages, parent):
    client.force_login(alice)
    url = reverse("campaigns:assign", args=[stages["review"].pk])
    response = client.get(url, {"parent": parent})
    assert response.status_code == 200
    assert "白沙村党支部" in response.content.decode()  # no filter applied


def test_assign_post_with_odd_values(client, alice, campaign, stages):
    client.force_login(alice)
    url = reverse("campaigns:assign", args=[stages["review"].pk])
    data = {"action": "assign", "participants": ["²", HUGE], "target": "panel:²"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


def test_common_items_post_without_item(client, alice, campaign):
    client.force_login(alice)
    url = reverse("campaigns:common_items", kwargs={"pk": campaign.pk})
    response = client.post(url, {}, follow=True)
    assert "has no custom items to write here" in response.content.decode()
