"""Roster imports, accepted or refused, and roster downloads land in the audit log."""

import pytest
from django.urls import reverse

from kaoping.audit import actions
from kaoping.audit.models import AuditEvent
from tests.orgs.workbooks import upload, xlsx_bytes

pytestmark = pytest.mark.django_db

ROWS = [
    {"组织名称": "城关镇党委", "组织类别": "党委"},
    {"组织名称": "城关镇白沙村党支部", "组织类别": "村党组织", "上级组织": "城关镇党委"},
]


def post_file(client, org, content, name="名册.xlsx"):
    url = reverse("orgs:roster_import_into", args=[org.pk])
    return client.post(url, {"file": upload(content, name)}, REMOTE_ADDR="10.3.3.3")


def test_accepted_import_is_recorded(client, alice, tree):
    client.force_login(alice)
    post_file(client, tree["county_a"], xlsx_bytes(ROWS))
    [event] = AuditEvent.objects.filter(action=actions.IMPORT)
    assert (event.result, event.username, event.client_address) == ("success", "alice", "10.3.3.3")
    assert (event.target_type, event.target_id) == ("orgs.organization", str(tree["county_a"].pk))
    assert event.detail == {"kind": "roster", "filename": "名册.xlsx", "created": 2, "updated": 0}


def test_refused_import_is_recorded_as_a_failure(client, alice, tree):
    client.force_login(alice)
    rows = [*ROWS, {"组织名称": "孤儿支部", "组织类别": "党支部", "上级组织": "无此党委"}]
    post_file(client, tree["county_a"], xlsx_bytes(rows))
    [event] = AuditEvent.objects.filter(action=actions.IMPORT)
    assert event.result == "failure" and event.detail["errors"] == 1


def test_unreadable_file_is_recorded_as_a_failure(client, alice, tree):
    client.force_login(alice)
    post_file(client, tree["county_a"], b"PK\x03\x04 broken")
    [event] = AuditEvent.objects.filter(action=actions.IMPORT)
    assert event.result == "failure"


def test_roster_export_is_recorded_as_a_download(client, alice, tree):
    client.force_login(alice)
    response = client.get(reverse("orgs:roster_export", args=[tree["city_a"].pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    [event] = AuditEvent.objects.filter(action=actions.DOWNLOAD)
    assert event.detail["name"].startswith("郑州市委名册-")
