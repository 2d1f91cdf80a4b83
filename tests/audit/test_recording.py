import io

import pytest
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from kaoping.audit import actions
from kaoping.audit.middleware import AuditDownloadsMiddleware, attachment_name
from kaoping.audit.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("sequence"))


def test_sign_in_and_out_are_recorded_with_user_and_address(client, charlie):
    client.post(
        reverse("login"), {"username": "charlie", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )
    client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3")
    [login] = events(actions.LOGIN)
    [logout] = events(actions.LOGOUT)
    assert (login.user_id, login.username, login.client_address, login.result) == (
        charlie.pk,
        "charlie",
        "10.1.2.3",
        "success",
    )
    assert (logout.username, logout.client_address) == ("charlie", "10.1.2.3")


def test_failed_sign_in_is_recorded_without_the_password(client, charlie):
    client.post(
        reverse("login"), {"username": "charlie", "password": "wrong-1"}, REMOTE_ADDR="10.9.9.9"
    )
    [failure] = events(actions.LOGIN_FAILED)
    assert (failure.username, failure.client_address, failure.result) == (
        "charlie",
        "10.9.9.9",
        "failure",
    )
    assert failure.user_id is None
    assert "wrong-1" not in str(failure.detail)


def test_lockout_is_recorded(client, charlie):
    for _ in range(5):
        client.post(
            reverse("login"), {"username": "charlie", "password": "wrong"}, REMOTE_ADDR="10.0.0.7"
        )
    [lockout] = events(actions.LOCKOUT)[:1]
    assert (lockout.username, lockout.client_address, lockout.result) == (
        "charlie",
        "10.0.0.7",
        "failure",
    )
    assert len(events(actions.LOGIN_FAILED)) == 5


def test_attachment_download_is_recorded(client, alice, tree):
    client.force_login(alice)
    response = client.get(
        reverse("rectification:weak", args=[tree["city_a"].pk]), REMOTE_ADDR="10.4.4.4"
    )
    assert response.status_code == 200
    [download] = events(actions.DOWNLOAD)
    assert download.username == "alice" and download.client_address == "10.4.4.4"
    assert download.detail["path"] == f"/rectification/weak/{tree['city_a'].pk}.xlsx"
    assert download.detail["name"] == "软弱涣散党组织台账-郑州市委.xlsx"
    assert download.detail["view"] == "rectification:weak"


def test_file_response_is_recorded_and_ordinary_pages_are_not(charlie):
    factory = RequestFactory()
    request = factory.get("/files/report.pdf")
    request.user = charlie
    AuditDownloadsMiddleware(lambda r: FileResponse(io.BytesIO(b"x"), filename="r.pdf"))(request)
    AuditDownloadsMiddleware(lambda r: HttpResponse("page"))(factory.get("/"))
    [download] = events(actions.DOWNLOAD)
    assert download.detail["path"] == "/files/report.pdf"
    assert AuditEvent.objects.count() == 1


def test_failed_download_is_not_recorded_as_one(charlie):
    request = RequestFactory().get("/x")
    request.user = charlie

    def refused(request):
        response = HttpResponse(status=403)
        response["Content-Disposition"] = 'attachment; filename="x.xlsx"'
        return response

    AuditDownloadsMiddleware(refused)(request)
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("attachment; filename*=UTF-8''%E5%90%8D%E5%8D%95.xlsx", "名单.xlsx"),
        ('attachment; filename="scores.xlsx"', "scores.xlsx"),
        ("attachment", ""),
    ],
)
def test_attachment_name_is_read_from_the_header(header, name):
    assert attachment_name(header) == name
