"""My account page and the re-authentication-protected phone change."""

import datetime as dt

import pytest
from django.urls import reverse

from kaoping.accounts.models import User
from kaoping.core.crypto import blind_index
from tests.factories import PASSWORD
from tests.security.twofactor_helpers import actions_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PHONE = reverse("profile:phone")
REAUTH = reverse("twofactor:reauth")


def test_account_page_shows_own_phone_masked(client, charlie):
    charlie.phone = "13812341234"
    charlie.save()
    client.force_login(charlie)
    page = client.get(reverse("profile:index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "138****1234" in html
    assert "13812341234" not in html


def test_phone_change_saves_number_and_index(client, charlie, clock):
    client.force_login(charlie)
    response = client.post(PHONE, {"phone": "139 8765 4321"})
    assert response.status_code == 302
    charlie = User.objects.get(pk=charlie.pk)
    assert charlie.phone == "139 8765 4321"
    assert User.objects.filter(phone_index=blind_index("13987654321")).get() == charlie
    assert actions_of(charlie)[-1] == "user_changed"


def test_phone_change_refuses_a_bad_number(client, charlie, clock):
    client.force_login(charlie)
    response = client.post(PHONE, {"phone": "12a"})
    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == [
        "Phone: enter a phone number of 6 to 15 digits, e.g. 138 1234 5678."
    ]
    assert User.objects.get(pk=charlie.pk).phone == ""


def test_phone_change_asks_for_the_password_after_five_minutes(client, charlie, clock):
    client.force_login(charlie)
    clock.shift(dt.timedelta(minutes=5, seconds=1))

    response = client.post(PHONE, {"phone": "13987654321"})

    assert response.url == f"{REAUTH}?next=%2Fme%2Fphone%2F"
    assert User.objects.get(pk=charlie.pk).phone == ""
    client.post(REAUTH, {"password": PASSWORD, "next": PHONE})
    assert client.post(PHONE, {"phone": "13987654321"}).status_code == 302
    assert User.objects.get(pk=charlie.pk).phone == "13987654321"
