import datetime
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from kaoping.audit import actions
from kaoping.audit.log import record
from kaoping.audit.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 22, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture
def log(charlie, alice):
    with time_machine.travel(NOW - datetime.timedelta(days=3), tick=False):
        record(actions.LOGIN, user=charlie)
        record(actions.LOGIN_FAILED, username="mallory", result="failure", detail={"x": 1})
    with time_machine.travel(NOW, tick=False):
        record(actions.EXPORT, user=alice, target="=HYPERLINK(1)", detail={"rows": 2})


@pytest.mark.parametrize("admin_role", ["", "system", "security"])
@pytest.mark.parametrize("name", ["audit:index", "audit:export"])
def test_only_the_audit_administrator_reads_the_log(client, admin_role, name):
    client.force_login(UserFactory(username=f"u-{admin_role}", admin_role=admin_role))
    assert client.get(reverse(name)).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("audit:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_organizer_is_refused(client, alice):
    client.force_login(alice)
    assert client.get(reverse("audit:index")).status_code == 403


def listed(response):
    return [event.sequence for event in response.context["page"].object_list]


def test_auditor_sees_everything_newest_first(client, auditor, log):
    client.force_login(auditor)
    response = client.get(reverse("audit:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    # 4 is the auditor's own sign-in, recorded by force_login.
    assert listed(response) == [4, 3, 2, 1]
    assert "+08:00" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"user": "charl"}, [1]),
        ({"action": actions.LOGIN_FAILED}, [2]),
        ({"result": "failure"}, [2]),
        ({"q": "HYPERLINK"}, [3]),
        ({"q": '"rows"'}, [3]),
        ({"date_from": "2026-11-19", "date_to": "2026-11-19"}, [2, 1]),
        ({"date_from": "2026-11-22", "action": actions.EXPORT}, [3]),
    ],
)
def test_search_filters(client, auditor, log, query, expected):
    client.force_login(auditor)
    assert listed(client.get(reverse("audit:index"), query)) == expected


def test_reversed_dates_are_refused_with_a_message(client, auditor, log):
    client.force_login(auditor)
    response = client.get(
        reverse("audit:index"),
        {"date_from": "2026-11-22", "date_to": "2026-11-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "The end date is before the start date." in response.content.decode()


def test_pages_split_at_fifty(client, auditor):
    for _ in range(60):
        record(actions.DOWNLOAD)
    client.force_login(auditor)
    assert len(listed(client.get(reverse("audit:index")))) == 50
    assert len(listed(client.get(reverse("audit:index"), {"page": 2}))) == 11


def test_export_writes_the_filtered_rows_and_is_recorded(client, auditor, log):
    client.force_login(auditor)
    response = client.get(reverse("audit:export"), {"user": "alice"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Sequence", "Time", "User", "Address", "Action")
    assert len(rows) == 2
    sequence, time, user, _address, action, target, result, detail, digest = rows[1]
    assert (sequence, user, action, result) == (3, "alice", "Export", "Success")
    assert time == "2026-11-22 10:00:00+08:00"
    assert target == "'=HYPERLINK(1)"  # a formula-looking cell is escaped
    assert detail == '{"rows": 2}'
    assert digest == AuditEvent.objects.get(sequence=3).hash
    exported = AuditEvent.objects.filter(action=actions.AUDIT_EXPORT).get()
    assert exported.username == "auditor" and exported.detail == {"user": "alice"}
    # the export is its own record, not also a download
    assert not AuditEvent.objects.filter(action=actions.DOWNLOAD).exists()


def test_nav_shows_the_audit_log_to_the_auditor_only(client, auditor, charlie):
    client.force_login(auditor)
    assert reverse("audit:index") in client.get(reverse("home")).content.decode()
    client.force_login(charlie)
    assert reverse("audit:index") not in client.get(reverse("home")).content.decode()


def test_text_search_finds_chinese_in_the_detail(client, auditor):
    wanted = record(actions.RETURN, detail={"reason": "扣分原因不具体"})
    record(actions.RETURN, detail={"reason": "other"})
    client.force_login(auditor)
    assert listed(client.get(reverse("audit:index"), {"q": "原因不具"})) == [wanted.sequence]
