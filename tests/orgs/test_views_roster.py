import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kaoping.orgs.models import Organization
from tests.factories import RoleFactory
from tests.orgs.workbooks import upload, xlsx_bytes

ROWS = [
    {"组织名称": "城关镇党委", "组织类别": "党委"},
    {"组织名称": "城关镇白沙村党支部", "组织类别": "村党组织", "上级组织": "城关镇党委"},
]


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def post_file(client, org, content, name="名册.xlsx"):
    url = reverse("orgs:roster_import_into", args=[org.pk])
    return client.post(url, {"file": upload(content, name)})


def test_import_success_lists_new_organizations(alice_client, tree):
    response = post_file(alice_client, tree["county_a"], xlsx_bytes(ROWS))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-summary"' in html
    assert "城关镇白沙村党支部" in html
    assert Organization.objects.get(name="城关镇白沙村党支部").parent.name == "城关镇党委"


def test_import_errors_listed_and_nothing_written(alice_client, tree):
    rows = [*ROWS, {"组织名称": "孤儿支部", "组织类别": "党支部", "上级组织": "无此党委"}]
    before = Organization.objects.count()
    html = post_file(alice_client, tree["county_a"], xlsx_bytes(rows)).content.decode()
    assert "第5行『上级组织』不存在" in html
    assert Organization.objects.count() == before


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"name,kind\n", "roster.csv"), (b"not a zip at all", "roster.xlsx"), (b"", "empty.xlsx")],
)
def test_non_xlsx_or_corrupt_file_gets_a_message(alice_client, tree, content, name):
    response = post_file(alice_client, tree["county_a"], content, name)
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()


def test_nav_entry_offers_a_choice_with_several_scopes(alice_client, alice, tree):
    RoleFactory(user=alice, organization=tree["village_b"], kind="organizer")
    html = alice_client.get(reverse("orgs:roster_import")).content.decode()
    assert reverse("orgs:roster_import_into", args=[tree["village_b"].pk]) in html
    assert reverse("orgs:roster_import_into", args=[tree["city_a"].pk]) in html


def test_nav_entry_goes_to_the_only_scope(alice_client, tree):
    response = alice_client.get(reverse("orgs:roster_import"))
    assert response.url == reverse("orgs:roster_import_into", args=[tree["city_a"].pk])


def test_export_download_is_the_subtree(alice_client, tree):
    response = alice_client.get(reverse("orgs:roster_export", args=[tree["city_a"].pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)] == [
        "中牟县委",
        "白沙村党支部",
    ]


def test_template_download(alice_client):
    response = alice_client.get(reverse("orgs:roster_template"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["B2"].value == "组织名称"
