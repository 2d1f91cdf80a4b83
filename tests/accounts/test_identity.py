"""Password policy profiles, history, expiry, forced change, the change page, usernames."""

import datetime
import time

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from kaoping.accounts.models import PasswordHistory, SecurityPolicy, User
from kaoping.accounts.passwords import (
    EXPIRED,
    MUST_CHANGE,
    change_password,
    change_reason,
    set_initial_password,
)
from kaoping.accounts.policy import current_policy, update_policy
from kaoping.audit import actions
from kaoping.audit.models import AuditEvent
from kaoping.core.demo.data import ADMIN_ACCOUNTS
from kaoping.core.demo.data import PASSWORD as DEMO_PASSWORD
from kaoping.security.twofactor.reauth import SESSION_KEY as REAUTH_KEY
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
enforced = override_settings(KAOPING_ENFORCE_PASSWORD_POLICY=True)
START = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def codes(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return sorted(e.code for e in error.error_list)
    return []


def sign_in(client, user):
    """Signed in and recently authenticated (the password page asks for that)."""
    client.force_login(user)
    session = client.session
    session[REAUTH_KEY] = time.time()
    session.save()


def use_profile(profile):
    SecurityPolicy.objects.update_or_create(
        pk=1,
        defaults={"password_profile": profile, "idle_minutes": 15, "absolute_hours": 8},
    )


# Profiles.


@pytest.mark.django_db
def test_dengbao_needs_8_characters_of_3_classes_and_not_common():
    assert current_policy().password_profile == "dengbao"
    assert codes("Ab1!x") == ["password_too_short"]
    assert codes("kaopingzhiyuan") == ["password_too_simple"]
    assert codes("abcdefg1") == ["password_too_common", "password_too_simple"]
    assert codes("Zhiyuan-2026") == []
    assert codes("Zhiyuan2026") == []  # upper, lower, digits: 3 of 4


@pytest.mark.django_db
def test_asvs_needs_12_characters_and_not_breached_but_no_classes():
    use_profile("asvs")
    assert codes("Zhiyuan-26") == ["password_too_short"]
    assert codes("qwerty123456") == ["password_too_common"]
    assert codes("correct horse battery staple") == []


@pytest.mark.django_db
@override_settings(KAOPING_PASSWORD_PROFILE="asvs")
def test_setting_chooses_the_profile_until_the_security_admin_saves_one():
    assert current_policy().password_profile == "asvs"
    assert current_policy()._state.adding
    use_profile("dengbao")
    assert current_policy().password_profile == "dengbao"


@pytest.mark.django_db
def test_validation_message_names_the_rule_in_english_and_chinese():
    with translation.override("en"), pytest.raises(ValidationError) as info:
        validate_password("kaopingzhiyuan")
    assert info.value.messages == [
        "The password must mix at least 3 of: upper-case letters, lower-case letters,"
        " digits, symbols."
    ]


# History.


@pytest.mark.django_db
def test_dengbao_refuses_the_last_five_passwords_and_allows_the_sixth_back():
    user = UserFactory()
    passwords = [f"Kaoping-{n}-abc" for n in range(6)]
    for raw in passwords[:5]:
        change_password(user, raw)
    for raw in passwords[:5]:
        assert codes(raw, user) == ["password_reused"]
    change_password(user, passwords[5])
    assert codes(passwords[0], user) == []
    assert codes(passwords[1], user) == ["password_reused"]
    assert PasswordHistory.objects.filter(user=user).count() == 5


@pytest.mark.django_db
def test_the_current_password_counts_as_used_even_without_history():
    user = UserFactory()
    assert codes(PASSWORD, user) == ["password_reused"]


@pytest.mark.django_db
def test_asvs_keeps_no_history_rule():
    use_profile("asvs")
    user = UserFactory()
    assert codes(PASSWORD, user) == []


# Forced change and expiry.


@pytest.mark.django_db
def test_initial_password_must_be_changed_and_must_meet_the_policy():
    user = UserFactory()
    with pytest.raises(ValidationError):
        set_initial_password(user, "short")
    set_initial_password(user, "Initial-2026-x")
    user.refresh_from_db()
    assert user.must_change_password is True
    assert user.check_password("Initial-2026-x")
    assert change_reason(user, profile="dengbao") == MUST_CHANGE
    change_password(user, "Chosen-2026-y")
    user.refresh_from_db()
    assert user.must_change_password is False
    assert change_reason(user, profile="dengbao") is None


@pytest.mark.django_db
def test_dengbao_password_expires_after_90_days_asvs_never():
    with time_machine.travel(START, tick=False):
        user = UserFactory()
        change_password(user, "Chosen-2026-y")
    day_89 = START + datetime.timedelta(days=89, hours=23)
    day_90 = START + datetime.timedelta(days=90)
    assert change_reason(user, profile="dengbao", now=day_89) is None
    assert change_reason(user, profile="dengbao", now=day_90) == EXPIRED
    assert change_reason(user, profile="asvs", now=day_90) is None


@enforced
def test_forced_change_redirects_every_page_but_logout_static_and_the_change_page(client, charlie):
    set_initial_password(charlie, "Initial-2026-x")
    sign_in(client, charlie)
    response = client.get(reverse("orgs:tree"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change") + "?next=%2Forgs%2F"
    assert client.get(reverse("accounts:password_change")).status_code == 200
    assert client.get("/static/kaoping/css/kaoping.css").status_code != 302
    assert client.post(reverse("logout")).url == reverse("login")


@enforced
def test_htmx_request_is_told_where_to_go(client, charlie):
    set_initial_password(charlie, "Initial-2026-x")
    sign_in(client, charlie)
    response = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:password_change"))


@enforced
def test_changing_the_password_lets_the_user_on(client, charlie):
    set_initial_password(charlie, "Initial-2026-x")
    sign_in(client, charlie)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "Initial-2026-x",
            "new_password1": "Chosen-2026-y",
            "new_password2": "Chosen-2026-y",
            "next": "/orgs/",
        },
    )
    assert response.status_code == 302
    assert response.url == "/orgs/"
    charlie.refresh_from_db()
    assert charlie.must_change_password is False
    assert charlie.check_password("Chosen-2026-y")
    assert client.get(reverse("home")).status_code == 200  # still signed in
    event = AuditEvent.objects.get(action=actions.PASSWORD_CHANGED)
    assert event.user == charlie


@enforced
def test_expired_password_redirects_after_90_days(client):
    with time_machine.travel(START, tick=False):
        user = UserFactory()
        change_password(user, "Chosen-2026-y")
    with time_machine.travel(START + datetime.timedelta(days=90, minutes=1), tick=False):
        sign_in(client, user)
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:password_change"))
        with translation.override("en"):
            page = client.get(reverse("accounts:password_change"), HTTP_ACCEPT_LANGUAGE="en")
        assert b"more than 90 days old" in page.content


@enforced
def test_asvs_profile_does_not_expire_passwords(client):
    use_profile("asvs")
    with time_machine.travel(START, tick=False):
        user = UserFactory()
        change_password(user, "a long passphrase here")
    with time_machine.travel(START + datetime.timedelta(days=400), tick=False):
        sign_in(client, user)
        assert client.get(reverse("home")).status_code == 200


@enforced
def test_user_without_recorded_change_is_not_locked_out_and_the_clock_starts_at_sign_in(client):
    user = UserFactory()
    assert user.password_changed_at is None
    with time_machine.travel(START, tick=False):
        response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 200
    user.refresh_from_db()
    assert user.password_changed_at == START


def test_forced_change_is_off_in_the_test_settings(client, charlie):
    set_initial_password(charlie, "Initial-2026-x")
    sign_in(client, charlie)
    assert client.get(reverse("home")).status_code == 200


@enforced
def test_wrong_current_password_or_weak_new_one_changes_nothing(client, charlie):
    sign_in(client, charlie)
    with translation.override("en"):
        weak = client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "kaopingzhiyuan",
                "new_password2": "kaopingzhiyuan",
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert weak.status_code == 200
    assert "new_password2" in weak.context["form"].errors
    wrong = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "nope",
            "new_password1": "Chosen-2026-y",
            "new_password2": "Chosen-2026-y",
        },
    )
    assert "old_password" in wrong.context["form"].errors
    charlie.refresh_from_db()
    assert charlie.check_password(PASSWORD)


@enforced
def test_change_page_lists_what_the_policy_needs(client, charlie):
    sign_in(client, charlie)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "At least 8 characters." in page
    assert "Different from your last 5 passwords." in page
    use_profile("asvs")
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "At least 12 characters." in page
    assert "last 5 passwords" not in page


@pytest.mark.django_db
@enforced
@pytest.mark.parametrize("account", ADMIN_ACCOUNTS, ids=lambda a: a.username)
def test_demo_administrators_sign_in_without_forced_change(client, account):
    from kaoping.core.demo.loader import LoadResult, _ensure_admin_accounts

    _ensure_admin_accounts(LoadResult(), None)
    user = User.objects.get(username=account.username)
    assert user.admin_role == account.admin_role
    assert not user.roles.exists()
    client.post(reverse("login"), {"username": account.username, "password": DEMO_PASSWORD})
    assert change_reason(user, profile="dengbao") is None
    assert "_auth_user_id" in client.session


# Policy changes are audited.


@pytest.mark.django_db
def test_update_policy_records_old_and_new_values(secadmin):
    update_policy(actor=secadmin, idle_minutes=30, password_profile="asvs")
    policy = current_policy()
    assert (policy.idle_minutes, policy.password_profile, policy.updated_by) == (
        30,
        "asvs",
        secadmin,
    )
    event = AuditEvent.objects.get(action=actions.POLICY_CHANGED)
    assert event.user == secadmin
    assert event.detail["changes"] == {
        "idle_minutes": {"old": 15, "new": 30},
        "password_profile": {"old": "dengbao", "new": "asvs"},
    }
    update_policy(actor=secadmin, idle_minutes=30)
    assert AuditEvent.objects.filter(action=actions.POLICY_CHANGED).count() == 1


# Usernames.


@pytest.mark.django_db
def test_usernames_are_unique_ignoring_case_in_the_database():
    UserFactory(username="alice")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="ALICE")


@pytest.mark.django_db
def test_usernames_are_unique_ignoring_case_in_validation():
    UserFactory(username="alice")
    user = User(username="Alice", password="x")
    with pytest.raises(ValidationError) as info:
        user.full_clean()
    assert info.value.error_dict["username"][0].code == "unique"


@enforced
def test_second_factor_comes_before_the_forced_change(client, charlie):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=charlie, name="phone", confirmed=True)
    set_initial_password(charlie, "Initial-2026-x")
    sign_in(client, charlie)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert not response.url.startswith(reverse("accounts:password_change"))


def test_a_fresh_password_costs_no_query_per_request(django_assert_num_queries):
    user = UserFactory()
    change_password(user, "Chosen-2026-y")
    with django_assert_num_queries(0):
        assert change_reason(user) is None
