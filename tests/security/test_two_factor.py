"""Second factor: enrollment, the login's second step, backup codes, who is forced to enroll."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kaoping.accounts.enums import AdminRole
from kaoping.audit.models import AuditEvent
from kaoping.security.twofactor import domain
from tests.factories import UserFactory
from tests.security.twofactor_helpers import (
    actions_of,
    app_code,
    enroll,
    later,
    sign_in_with_password,
    wrong_code,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HOME = reverse("home")
VERIFY = reverse("twofactor:verify")
ENROLL = reverse("twofactor:enroll")


# --- enrollment ------------------------------------------------------------------------------


def test_enrollment_shows_qr_and_secret_then_confirms_with_first_code(client, charlie, clock):
    client.force_login(charlie)
    page = client.get(ENROLL)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=charlie)
    assert device.confirmed is False
    html = page.content.decode()
    assert '<img class="qr-code" src="data:image/svg+xml;base64,' in html
    assert page.context["secret"] == domain.grouped_secret(device)
    # 20 random bytes are 32 base32 letters, shown as 8 groups of 4 for typing.
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", page.context["secret"])
    # Reloading keeps the same secret, so a code scanned before the reload still confirms.
    assert client.get(ENROLL).context["secret"] == page.context["secret"]

    response = client.post(ENROLL, {"code": app_code(device)})

    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed is True
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sorted(
        StaticToken.objects.filter(device__user=charlie).values_list("token", flat=True)
    ) == sorted(codes)
    for code in codes:
        assert code in response.content.decode()
    assert "two_factor_enrolled" in actions_of(charlie)
    # The session that proved the code is verified: pages open without a second prompt.
    assert client.get(HOME).status_code == 200


def test_enrollment_refuses_a_wrong_code_and_stays_unconfirmed(client, charlie, clock):
    client.force_login(charlie)
    client.get(ENROLL)
    device = TOTPDevice.objects.get(user=charlie)

    response = client.post(ENROLL, {"code": wrong_code(device)})

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "The code does not match. Check the time on your phone and enter the current code."
    ]
    device.refresh_from_db()
    assert device.confirmed is False
    assert not StaticToken.objects.filter(device__user=charlie).exists()
    assert not domain.has_second_factor(charlie)


def test_enrolled_user_cannot_enroll_a_second_app(client, charlie, clock):
    enroll(charlie)
    client.force_login(charlie)
    later(clock, 60)
    client.post(VERIFY, {"code": app_code(TOTPDevice.objects.get(user=charlie))})
    response = client.get(ENROLL)
    assert response.status_code == 302
    assert response.url == reverse("twofactor:manage")
    assert TOTPDevice.objects.filter(user=charlie).count() == 1


# --- the login's second step ----------------------------------------------------------------


def test_login_with_password_then_asks_for_the_code(client, charlie, clock):
    device, _codes = enroll(charlie)
    later(clock, 60)

    response = sign_in_with_password(client, charlie)
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url == f"{VERIFY}?next=%2F"
    # Every page waits for the code, not only the one after login.
    assert client.get(reverse("campaigns:list")).url.startswith(VERIFY)

    response = client.post(VERIFY, {"code": app_code(device), "next": HOME})

    assert response.status_code == 302
    assert response.url == HOME
    assert client.get(HOME).status_code == 200
    assert actions_of(charlie)[-1] == "two_factor_verified"


def test_wrong_code_is_refused_and_the_device_then_throttles(client, charlie, clock):
    device, _codes = enroll(charlie)
    later(clock, 60)
    sign_in_with_password(client, charlie)

    response = client.post(VERIFY, {"code": wrong_code(device)})

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "The verification code is wrong or has expired. Enter the current code."
    ]
    assert client.get(HOME).url.startswith(VERIFY)
    assert actions_of(charlie)[-1] == "two_factor_failed"
    # Straight after a failure even the right code waits (django-otp's back-off) ...
    response = client.post(VERIFY, {"code": app_code(device)})
    assert response.context["form"].errors["code"] == [
        "Too many wrong codes. Wait a moment, then try again."
    ]
    # ... and once the back-off has passed, the right code is accepted.
    later(clock, 5)
    response = client.post(VERIFY, {"code": app_code(device)})
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200


@override_settings(AXES_ENABLED=False)
def test_five_wrong_codes_end_the_sign_in(client, charlie, clock):
    device, _codes = enroll(charlie)
    later(clock, 60)
    sign_in_with_password(client, charlie)
    for _ in range(4):
        assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 200
        later(clock, 20)

    response = client.post(VERIFY, {"code": wrong_code(device)})

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(HOME).url.startswith(reverse("login"))
    assert actions_of(charlie).count("two_factor_failed") == 5


def test_a_code_is_not_accepted_twice(client, charlie, clock):
    device, _codes = enroll(charlie)
    later(clock, 60)
    code = app_code(device)
    sign_in_with_password(client, charlie)
    assert client.post(VERIFY, {"code": code}).status_code == 302

    other = client.__class__()
    sign_in_with_password(other, charlie)
    response = other.post(VERIFY, {"code": code})

    assert response.status_code == 200
    assert other.get(HOME).url.startswith(VERIFY)


def test_backup_code_works_once(client, charlie, clock):
    _device, codes = enroll(charlie)
    later(clock, 60)
    sign_in_with_password(client, charlie)

    # Typed with a dash and in capitals, as people copy them from paper.
    typed = f"{codes[0][:4]}-{codes[0][4:]}".upper()
    response = client.post(VERIFY, {"code": typed}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == HOME
    assert "You used a backup code; 9 left." in response.content.decode()
    assert domain.backup_codes_left(charlie) == 9
    assert actions_of(charlie)[-1] == "two_factor_backup_used"

    client.post(reverse("logout"))
    later(clock, 60)
    sign_in_with_password(client, charlie)
    response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 200
    assert client.get(HOME).url.startswith(VERIFY)


def test_verify_page_sends_users_without_a_device_on(client, charlie):
    client.force_login(charlie)
    response = client.get(f"{VERIFY}?next=/campaigns/")
    assert response.status_code == 302
    assert response.url == "/campaigns/"


def test_verify_page_ignores_a_next_to_another_site(client, charlie, clock):
    device, _codes = enroll(charlie)
    later(clock, 60)
    sign_in_with_password(client, charlie)
    response = client.post(VERIFY, {"code": app_code(device), "next": "https://evil.example/"})
    assert response.url == HOME


def test_htmx_request_of_an_unverified_user_gets_a_client_redirect(client, charlie, clock):
    enroll(charlie)
    later(clock, 60)
    sign_in_with_password(client, charlie)
    response = client.get(reverse("campaigns:list"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(VERIFY)


# --- who must have a second factor ----------------------------------------------------------


@override_settings(KAOPING_TWO_FACTOR_REQUIRED=True)
def test_organizer_without_device_is_sent_to_enrollment(client, alice):
    client.force_login(alice)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url == f"{ENROLL}?next=%2F"
    assert client.get(ENROLL).status_code == 200
    # Leaving stays possible.
    assert client.post(reverse("logout")).status_code == 302


@override_settings(KAOPING_TWO_FACTOR_REQUIRED=True)
@pytest.mark.parametrize("admin_role", AdminRole.values)
def test_administrators_without_device_are_sent_to_enrollment(client, admin_role):
    admin = UserFactory(username=f"admin-{admin_role}", admin_role=admin_role)
    client.force_login(admin)
    assert client.get(HOME).url.startswith(ENROLL)


@override_settings(KAOPING_TWO_FACTOR_REQUIRED=True)
def test_required_user_reaches_pages_after_enrolling(client, alice, clock):
    client.force_login(alice)
    client.get(ENROLL)
    device = TOTPDevice.objects.get(user=alice)
    client.post(ENROLL, {"code": app_code(device)})
    assert client.get(HOME).status_code == 200


@override_settings(KAOPING_TWO_FACTOR_REQUIRED=True)
def test_user_without_admin_or_organizer_role_is_not_forced(client, charlie, tree):
    rater = UserFactory(username="rater")
    from tests.factories import RoleFactory

    RoleFactory(user=rater, organization=tree["city_a"], kind="rater")
    for user in (charlie, rater):
        client.force_login(user)
        assert client.get(HOME).status_code == 200


@override_settings(KAOPING_TWO_FACTOR_REQUIRED=True, KAOPING_TWO_FACTOR_FOR_EVERYONE=True)
def test_policy_for_everyone_forces_every_user(client, charlie):
    client.force_login(charlie)
    assert client.get(HOME).url.startswith(ENROLL)


@override_settings(KAOPING_TWO_FACTOR_REQUIRED=False)
def test_requirement_off_forces_nobody_but_enrolled_users_still_give_a_code(client, alice, clock):
    client.force_login(alice)
    assert client.get(HOME).status_code == 200
    enroll(alice)
    later(clock, 60)
    client.post(reverse("logout"))
    sign_in_with_password(client, alice)
    assert client.get(HOME).url.startswith(VERIFY)


def test_enrollment_page_has_no_inline_script(client, charlie):
    client.force_login(charlie)
    html = client.get(ENROLL).content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []


def test_wrong_codes_count_toward_the_sign_in_lockout(client, charlie, clock):
    device, _codes = enroll(charlie)
    later(clock, 60)
    sign_in_with_password(client, charlie)
    for _ in range(4):
        client.post(VERIFY, {"code": wrong_code(device)})
        later(clock, 20)

    # The fifth failure (passwords and codes together) locks the account at this address ...
    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert response.status_code == 429
    assert client.get(HOME).url.startswith(reverse("login"))
    # ... so even the right password no longer opens a session.
    assert sign_in_with_password(client, charlie).status_code == 429
    assert client.get(HOME).url.startswith(reverse("login"))
    assert AuditEvent.objects.filter(username="charlie", action="lockout").exists()


def test_wrong_code_message_is_in_chinese(client, charlie, clock):
    # Passes once the lead has merged /tmp/tr/2fa.json into the catalogue.
    device, _codes = enroll(charlie)
    later(clock, 60)
    sign_in_with_password(client, charlie)
    with translation.override("zh-hans"):
        client.cookies["django_language"] = "zh-hans"
        response = client.post(VERIFY, {"code": wrong_code(device)})
    assert "验证码错误或已过期，请输入当前的验证码。" in response.content.decode()
