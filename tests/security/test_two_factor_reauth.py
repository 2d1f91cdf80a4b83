"""Re-authentication before changing one's second factor; replacing and removing it."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from kaoping.security.twofactor import domain
from kaoping.security.twofactor.reauth import require_recent_auth
from tests.factories import PASSWORD
from tests.security.twofactor_helpers import (
    actions_of,
    app_code,
    enroll,
    later,
    sign_in_with_password,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HOME = reverse("home")
VERIFY = reverse("twofactor:verify")
REAUTH = reverse("twofactor:reauth")
REMOVE = reverse("twofactor:remove")
CODES = reverse("twofactor:backup_codes")


@pytest.fixture
def signed_in(client, charlie, clock):
    """charlie, enrolled, signed in with password and code at START + 1 min."""
    device, codes = enroll(charlie)
    later(clock, minutes=1)
    sign_in_with_password(client, charlie)
    assert client.post(VERIFY, {"code": app_code(device)}).status_code == 302
    return device, codes


def test_sign_in_counts_as_recent_then_expires_after_five_minutes(client, signed_in, clock):
    assert client.get(REMOVE).status_code == 200
    later(clock, minutes=4, seconds=59)
    assert client.get(REMOVE).status_code == 200
    later(clock, seconds=2)

    response = client.get(REMOVE)

    assert response.status_code == 302
    assert response.url == f"{REAUTH}?next=%2Ftwo-factor%2Fremove%2F"


def test_reauth_needs_password_and_code_then_lasts_five_minutes(client, signed_in, charlie, clock):
    device, _codes = signed_in
    later(clock, minutes=6)
    assert client.get(REMOVE).status_code == 302

    response = client.post(REAUTH, {"password": "wrong", "code": app_code(device), "next": REMOVE})
    assert response.status_code == 200
    assert response.context["form"].errors["password"] == ["The password is wrong."]

    response = client.post(REAUTH, {"password": PASSWORD, "next": REMOVE})
    assert response.context["form"].errors["code"] == ["Enter the verification code."]

    response = client.post(REAUTH, {"password": PASSWORD, "code": app_code(device), "next": REMOVE})
    assert response.status_code == 302
    assert response.url == REMOVE
    assert "reauthenticated" in actions_of(charlie)
    assert client.get(REMOVE).status_code == 200

    later(clock, minutes=5, seconds=1)
    assert client.get(REMOVE).url.startswith(REAUTH)


def test_reauth_without_device_asks_the_password_only(client, charlie, clock):
    client.force_login(charlie)
    later(clock, minutes=6)
    page = client.get(REAUTH)
    assert "code" not in page.context["form"].fields
    response = client.post(REAUTH, {"password": PASSWORD, "next": HOME})
    assert response.url == HOME


def test_remove_turns_the_second_factor_off(client, signed_in, charlie):
    response = client.post(REMOVE)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=charlie).exists()
    assert not StaticDevice.objects.filter(user=charlie).exists()
    assert actions_of(charlie)[-1] == "two_factor_removed"
    # Without a device the session has nothing to verify: pages open.
    assert client.get(HOME).status_code == 200


def test_remove_without_recent_auth_changes_nothing(client, signed_in, charlie, clock):
    later(clock, minutes=6)
    response = client.post(REMOVE)
    assert response.url.startswith(REAUTH)
    assert TOTPDevice.objects.filter(user=charlie, confirmed=True).exists()


def test_new_backup_codes_replace_the_old_ones(client, signed_in, charlie, clock):
    _device, old_codes = signed_in
    response = client.post(CODES)
    new_codes = response.context["codes"]
    assert len(new_codes) == 10
    assert set(new_codes).isdisjoint(old_codes)

    client.post(reverse("logout"))
    sign_in_with_password(client, charlie)
    assert client.post(VERIFY, {"code": old_codes[0]}).status_code == 200
    later(clock, seconds=5)
    assert client.post(VERIFY, {"code": new_codes[0]}).status_code == 302


def test_manage_page_shows_state(client, signed_in):
    page = client.get(reverse("twofactor:manage"))
    assert page.context["enrolled"] is True
    assert page.context["codes_left"] == 10
    assert "10 backup codes left." in page.content.decode()


def test_decorator_sends_anonymous_users_to_login(rf: RequestFactory):
    from django.contrib.auth.models import AnonymousUser

    view = require_recent_auth(lambda request: HttpResponse("changed"))
    request = rf.get("/account/phone/")
    request.user = AnonymousUser()
    response = view(request)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_grouped_secret_types_back_to_the_key(charlie):
    import base64

    device = domain.pending_authenticator(charlie)
    typed = domain.grouped_secret(device).replace(" ", "")
    assert base64.b32decode(typed) == device.bin_key


# --- the system administrator resets someone's second factor (lost phone) --------------------


def test_system_admin_turns_off_someones_second_factor(client, sysadmin, charlie, clock):
    enroll(charlie)
    charlie_client = client.__class__()
    later(clock, minutes=1)
    sign_in_with_password(charlie_client, charlie)
    client.force_login(sysadmin)
    url = reverse("twofactor:reset_for_user", args=[charlie.pk])
    assert client.get(url).status_code == 200

    response = client.post(url)

    assert response.url == reverse("security:user_edit", args=[charlie.pk])
    assert not domain.has_second_factor(charlie)
    assert not StaticDevice.objects.filter(user=charlie).exists()
    # charlie's half-open session has ended.
    assert charlie_client.get(HOME).url.startswith(reverse("login"))
    assert actions_of(sysadmin)[-1] == "two_factor_removed"


@pytest.mark.parametrize("persona", ["secadmin", "auditor", "alice"])
def test_others_may_not_reset_a_second_factor(client, request, persona, charlie, clock):
    enroll(charlie)
    client.force_login(request.getfixturevalue(persona))
    url = reverse("twofactor:reset_for_user", args=[charlie.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert domain.has_second_factor(charlie)


def test_system_admin_cannot_reset_another_administrator(client, sysadmin, secadmin, clock):
    enroll(secadmin)
    client.force_login(sysadmin)
    response = client.post(reverse("twofactor:reset_for_user", args=[secadmin.pk]))
    assert response.status_code == 403
    assert domain.has_second_factor(secadmin)


def test_reset_of_an_unknown_user_is_404(client, sysadmin):
    client.force_login(sysadmin)
    assert client.get(reverse("twofactor:reset_for_user", args=[999999])).status_code == 404
