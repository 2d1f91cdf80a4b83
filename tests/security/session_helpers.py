"""Steps shared by the session and account-management tests."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from kaoping.audit.models import AuditEvent
from tests.factories import PASSWORD

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)


def english_client() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def sign_in(client, user, **headers):
    """Sign in through the login form (so the user_logged_in receiver sees a real request)."""
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, **headers
    )
    assert response.status_code == 302, response.content[:500]
    return response


def is_signed_in(client) -> bool:
    response = client.get(reverse("security:my_sessions"))
    return response.status_code == 200


def audit_actions(**filters) -> list[str]:
    """The audited actions matching `filters`, in order, sign-ins and sign-outs left out."""
    events = AuditEvent.objects.filter(**filters).exclude(action__in=["login", "logout"])
    events = events.order_by("sequence")
    return list(events.values_list("action", flat=True))
