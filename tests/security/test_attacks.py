"""Trying to break in: open redirects, session fixation, second-factor bypass, code reuse,
separation of duties, password history by the side doors, CSRF, and the three middlewares
(session, password, second factor) leading a user through without a loop."""

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from kaoping.accounts import breakglass
from kaoping.accounts.domain.roles import grant_role, set_admin_role
from kaoping.accounts.models import PasswordHistory, Role, User
from kaoping.accounts.passwords import change_password
from kaoping.audit import actions
from kaoping.audit.models import AuditEvent
from kaoping.security.models import UserSession
from kaoping.security.twofactor.reauth import SESSION_KEY as REAUTH_KEY
from tests.factories import PASSWORD, RoleFactory, UserFactory
from tests.security.twofactor_helpers import app_code, enroll, later, wrong_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HOME = reverse("home")
LOGIN = reverse("login")
VERIFY = reverse("twofactor:verify")
ENROLL = reverse("twofactor:enroll")
REAUTH = reverse("twofactor:reauth")
PASSWORD_CHANGE = reverse("accounts:password_change")
EVIL = ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "http:\\\\evil.example"]
NEW_PASSWORD = "Another-pass-2026"


def sign_in(client, user, password=PASSWORD, **extra):
    response = client.post(LOGIN, {"username": user.username, "password": password, **extra})
    assert response.status_code == 302, response.content[:300]
    return response


def session_key(client) -> str:
    return client.cookies["sessionid"].value


def is_external(location: str) -> bool:
    return "evil.example" in location


def links_off_site(response) -> list[str]:
    # The language switcher carries the current URL in a hidden field (set_language checks it
    # before redirecting); what matters is that no link or form action leads off the site.
    html = response.content.decode()
    return re.findall(r'(?:href|action)="[^"]*evil\.example[^"]*"', html)


# --- open redirects --------------------------------------------------------------------------


@pytest.mark.parametrize("target", EVIL)
def test_login_never_redirects_off_site(client, charlie, target):
    response = sign_in(client, charlie, next=target)
    assert response["Location"] == HOME


@pytest.mark.parametrize("target", EVIL)
def test_second_factor_step_never_redirects_off_site(client, charlie, clock, target):
    device, _ = enroll(charlie)
    later(clock, 30)
    sign_in(client, charlie)
    page = client.get(VERIFY, {"next": target})
    assert not links_off_site(page)
    response = client.post(VERIFY, {"code": app_code(device), "next": target})
    assert response.status_code == 302
    assert response["Location"] == HOME


@pytest.mark.parametrize("target", EVIL)
def test_reauth_never_redirects_off_site(client, charlie, target):
    sign_in(client, charlie)
    response = client.post(REAUTH + "?next=x", {"password": PASSWORD, "next": target})
    assert response["Location"] == HOME
    response = client.post(f"{REAUTH}?{'next=' + target}", {"password": PASSWORD})
    assert response["Location"] == HOME


@pytest.mark.parametrize("target", EVIL)
def test_password_change_never_redirects_off_site(client, charlie, target):
    sign_in(client, charlie)
    response = client.post(
        PASSWORD_CHANGE,
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "next": target,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == HOME


@pytest.mark.parametrize("target", EVIL)
def test_enrollment_links_only_to_this_site(client, charlie, target):
    sign_in(client, charlie)
    client.get(ENROLL)
    device = charlie.totpdevice_set.get()
    response = client.post(f"{ENROLL}?next={target}", {"code": app_code(device), "next": target})
    assert response.status_code == 200
    assert not links_off_site(response)


def test_expired_session_sends_to_login_with_a_local_next_only(client, charlie, clock):
    sign_in(client, charlie)
    later(clock, 16 * 60)
    response = client.get(reverse("security:my_sessions"), {"x": "//evil.example/x"})
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN + "?next=%2Fsecurity%2Fsessions%2F")
    # Signing in again with that next comes back to the same page of this site.
    next_value = parse_qs(urlsplit(response["Location"]).query)["next"][0]
    again = sign_in(client, charlie, next=next_value)
    assert again["Location"].startswith("/security/sessions/?")


# --- session fixation and ended sessions ----------------------------------------------------


def test_login_replaces_a_planted_session_key(client, charlie):
    planted = SessionStore()
    planted["planted"] = True
    planted.create()
    client.cookies["sessionid"] = planted.session_key
    sign_in(client, charlie)
    assert session_key(client) != planted.session_key
    assert not Session.objects.filter(session_key=planted.session_key).exists()


def test_second_factor_gives_the_session_a_new_key_and_the_registry_follows(client, charlie, clock):
    device, _ = enroll(charlie)
    later(clock, 30)
    sign_in(client, charlie)
    before = session_key(client)
    client.post(VERIFY, {"code": app_code(device)})
    after = session_key(client)
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    row = UserSession.objects.get(user=charlie, ended_at__isnull=True)
    assert row.session_key == after
    # An administrator ending the session really signs this browser out.
    from kaoping.security.sessions import end_sessions

    assert end_sessions(charlie) == 1
    assert client.get(HOME)["Location"].startswith(LOGIN)


def test_password_change_ends_other_sessions_and_keeps_this_one(charlie):
    here, there = Client(), Client()
    sign_in(here, charlie)
    sign_in(there, charlie)
    response = here.post(
        PASSWORD_CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert here.get(HOME).status_code == 200
    assert there.get(HOME)["Location"].startswith(LOGIN)
    open_rows = UserSession.objects.filter(user=charlie, ended_at__isnull=True)
    assert list(open_rows.values_list("session_key", flat=True)) == [session_key(here)]


def test_enrolling_ends_sessions_that_only_passed_the_password(charlie, clock):
    here, there = Client(), Client()
    sign_in(here, charlie)
    sign_in(there, charlie)
    assert there.get(HOME).status_code == 200
    here.get(ENROLL)
    device = charlie.totpdevice_set.get()
    here.post(ENROLL, {"code": app_code(device)})
    assert here.get(HOME).status_code == 200
    assert there.get(HOME)["Location"].startswith(LOGIN)


def test_disabled_user_is_signed_out_at_once(client, charlie, sysadmin):
    sign_in(client, charlie)
    from kaoping.security.users import disable_user

    disable_user(actor=sysadmin, user=charlie)
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    # Even a session Django still holds for them (a stale copy) grants nothing.
    stale = Client()
    stale.force_login(User.objects.get(pk=charlie.pk))
    assert stale.get(reverse("security:my_sessions"))["Location"].startswith(LOGIN)


# --- break-glass and separation of duties -----------------------------------------------------


def test_break_glass_powers_end_on_time_including_the_admin_site(client, charlie, clock):
    breakglass.grant(user=charlie, minutes=5, reason="restore a deleted organization")
    client.force_login(charlie)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    later(clock, 5 * 60 + 1)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = client.post(
        reverse("admin:accounts_user_change", args=[charlie.pk]), {"is_superuser": "on"}
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    charlie = User.objects.get(pk=charlie.pk)
    assert (charlie.is_superuser, charlie.is_staff, charlie.break_glass_until) == (
        False,
        False,
        None,
    )
    assert not charlie.has_perm("accounts.change_user")
    assert AuditEvent.objects.filter(action=actions.BREAK_GLASS_ENDED).count() == 1


def test_expired_break_glass_grants_nothing_even_before_it_is_written_off(charlie, clock):
    breakglass.grant(user=charlie, minutes=1, reason="test")
    later(clock, 61)
    # No request has run end_if_due: the flags are still in the row, yet confer nothing.
    assert User.objects.filter(pk=charlie.pk, is_superuser=True).exists()
    loaded = User.objects.get(pk=charlie.pk)
    assert (loaded.is_superuser, loaded.is_staff) == (False, False)
    assert not loaded.has_perm("accounts.delete_user")


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor"])
def test_an_administrator_never_gets_a_business_role(request, persona, secadmin, tree):
    admin = request.getfixturevalue(persona)
    with pytest.raises(ValidationError):
        Role.objects.create(user=admin, organization=tree["city_a"], kind="organizer")
    with pytest.raises(ValidationError):
        grant_role(actor=secadmin, user=admin, organization=tree["city_a"], kind="rater")
    with pytest.raises(ValidationError):
        RoleFactory(user=admin, organization=tree["city_a"], kind="viewer")
    assert not Role.objects.filter(user=admin).exists()


def test_the_admin_site_cannot_give_an_administrator_a_business_role(client, charlie, tree):
    auditor = UserFactory(username="auditor2", admin_role="audit")
    breakglass.grant(user=charlie, minutes=30, reason="test")
    client.force_login(charlie)
    response = client.post(
        reverse("admin:accounts_role_add"),
        {"user": auditor.pk, "organization": tree["city_a"].pk, "kind": "organizer"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert "An administrator cannot hold a business role." in response.content.decode()
    assert not Role.objects.filter(user=auditor).exists()


def test_security_admin_cannot_promote_or_demote_themselves_or_leave_none(client, secadmin):
    second = UserFactory(username="secadmin2", admin_role="security")
    client.force_login(secadmin)
    session = client.session
    session[REAUTH_KEY] = dt.datetime.now().timestamp()
    session.save()
    for role in ("", "system", "audit"):
        client.post(
            reverse("accounts:security_admin_role", args=[secadmin.pk]), {"admin_role": role}
        )
        assert User.objects.get(pk=secadmin.pk).admin_role == "security"
    set_admin_role(actor=second, user=secadmin, admin_role="")
    with pytest.raises(ValidationError):
        set_admin_role(actor=second, user=second, admin_role="")
    # The last one cannot be removed by anyone, nor disabled by the system administrator.
    sysadmin = UserFactory(username="sys2", admin_role="system")
    with pytest.raises(ValidationError):
        set_admin_role(actor=sysadmin, user=second, admin_role="")
    client.force_login(sysadmin)
    response = client.post(reverse("security:user_disable", args=[second.pk]))
    assert response.status_code == 403
    assert User.objects.get(pk=second.pk).is_active


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("sysadmin", reverse("audit:index")),
        ("sysadmin", reverse("audit:export")),
        ("sysadmin", reverse("accounts:security_users")),
        ("secadmin", reverse("audit:index")),
        ("secadmin", reverse("security:user_list")),
        ("auditor", reverse("security:user_list")),
        ("auditor", reverse("accounts:security_users")),
        ("auditor", reverse("security:all_sessions")),
        ("auditor", reverse("orgs:tree")),
    ],
)
def test_each_administrator_stays_in_their_lane(client, request, persona, url, tree):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code in (403, 404)


# --- second-factor bypass -------------------------------------------------------------------


@pytest.fixture
def half_signed_in(client, alice, clock):
    """alice has an authenticator and has given only her password."""
    enroll(alice)
    later(clock, 30)
    sign_in(client, alice)
    return client


@pytest.mark.parametrize(
    "url",
    [
        HOME,
        reverse("orgs:tree"),
        reverse("admin:index"),
        PASSWORD_CHANGE,
        REAUTH,
        ENROLL,
        reverse("twofactor:remove"),
        reverse("twofactor:backup_codes"),
        reverse("security:my_sessions"),
        reverse("profile:phone"),
        "/no/such/page/",
    ],
)
def test_nothing_opens_before_the_code(half_signed_in, url):
    response = half_signed_in.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY + "?")


def test_htmx_partials_and_posts_are_held_back_too(half_signed_in, alice, tree):
    response = half_signed_in.get(
        reverse("orgs:children", args=[tree["city_a"].pk]), HTTP_HX_REQUEST="true"
    )
    assert response["HX-Redirect"].startswith(VERIFY)
    assert "<li" not in response.content.decode()
    other = Client()
    sign_in(other, alice)
    response = half_signed_in.post(reverse("security:end_other_sessions"))
    assert response["Location"].startswith(VERIFY)
    assert UserSession.objects.filter(user=alice, ended_at__isnull=True).count() == 2
    old_hash = User.objects.get(pk=alice.pk).password
    half_signed_in.post(
        PASSWORD_CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert User.objects.get(pk=alice.pk).password == old_hash


def test_downloads_are_held_back_before_the_code(client, clock):
    auditor = UserFactory(username="auditor9", admin_role="audit")
    enroll(auditor)
    later(clock, 30)
    sign_in(client, auditor)
    response = client.get(reverse("audit:export"))
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert not response.has_header("Content-Disposition")


@override_settings(KAOPING_TWO_FACTOR_REQUIRED=True)
def test_an_administrator_without_a_device_can_only_enroll(client, sysadmin, charlie):
    sign_in(client, sysadmin)
    for url in (
        reverse("twofactor:reset_for_user", args=[charlie.pk]),
        reverse("security:user_list"),
        reverse("security:user_disable", args=[charlie.pk]),
    ):
        response = client.get(url)
        assert response["Location"].startswith(ENROLL + "?"), url
    response = client.post(reverse("security:user_disable", args=[charlie.pk]))
    assert response["Location"].startswith(ENROLL)
    assert User.objects.get(pk=charlie.pk).is_active
    assert client.get(ENROLL).status_code == 200
    assert client.get(reverse("twofactor:manage")).status_code == 200


def test_an_app_code_works_once(client, charlie, clock):
    device, _ = enroll(charlie)
    later(clock, 30)
    code = app_code(device)
    sign_in(client, charlie)
    assert client.post(VERIFY, {"code": code})["Location"] == HOME
    replay = Client()
    sign_in(replay, charlie)
    response = replay.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert replay.get(HOME)["Location"].startswith(VERIFY)


def test_a_backup_code_works_once(client, charlie, clock):
    _, codes = enroll(charlie)
    sign_in(client, charlie)
    assert client.post(VERIFY, {"code": codes[0]})["Location"] == HOME
    later(clock, 60)
    replay = Client()
    sign_in(replay, charlie)
    assert replay.post(VERIFY, {"code": codes[0]}).status_code == 200
    assert replay.get(HOME)["Location"].startswith(VERIFY)


def test_wrong_codes_lock_the_sign_in_and_the_account(client, charlie, clock):
    device, _ = enroll(charlie)
    later(clock, 30)
    sign_in(client, charlie)
    for _ in range(5):
        later(clock, 20)  # past django-otp's back-off, so each try is really checked
        client.post(VERIFY, {"code": wrong_code(device)})
    # The half-signed-in session is gone and axes locks the username at this address.
    assert client.get(HOME)["Location"].startswith(LOGIN)
    response = client.post(LOGIN, {"username": "charlie", "password": PASSWORD})
    assert response.status_code == 429


def test_reauth_is_rate_limited(client, charlie):
    sign_in(client, charlie)
    before = client.session[REAUTH_KEY]
    for _ in range(5):
        client.post(REAUTH, {"password": "not-it"})
    response = client.post(REAUTH, {"password": PASSWORD})
    assert response.status_code == 429  # refused although right: locked out
    assert client.session[REAUTH_KEY] == before


def test_reauth_refuses_a_code_from_someone_elses_device(client, charlie, clock):
    mine, _ = enroll(charlie)
    dave = UserFactory(username="dave")
    theirs, _ = enroll(dave)
    later(clock, 30)
    sign_in(client, charlie)
    client.post(VERIFY, {"code": app_code(mine)})
    later(clock, 10 * 60)
    before = client.session.get(REAUTH_KEY)
    response = client.post(REAUTH, {"password": PASSWORD, "code": app_code(theirs)})
    assert response.status_code == 200
    assert client.session.get(REAUTH_KEY) == before


# --- password history through every door ----------------------------------------------------


def test_history_is_kept_when_the_django_admin_sets_passwords(charlie):
    first, second = "Admin-set-2026a", "Admin-set-2026b"
    for password in (first, second):
        form = AdminPasswordChangeForm(
            charlie, {"password1": password, "password2": password, "usable_password": "true"}
        )
        assert form.is_valid(), form.errors
        form.save()
    assert PasswordHistory.objects.filter(user=charlie).count() == 2
    with pytest.raises(ValidationError) as refused:
        validate_password(first, User.objects.get(pk=charlie.pk))
    assert "password_reused" in [e.code for e in refused.value.error_list]
    assert User.objects.get(pk=charlie.pk).password_changed_at is not None


def test_history_is_kept_by_the_changepassword_command(charlie, monkeypatch):
    answers = iter(["Command-set-2026", "Command-set-2026"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("changepassword", "charlie", stdout=None)
    charlie = User.objects.get(pk=charlie.pk)
    assert charlie.check_password("Command-set-2026")
    assert PasswordHistory.objects.filter(user=charlie).count() == 1
    change_password(charlie, "Yet-another-2026")
    with pytest.raises(ValidationError):
        validate_password("Command-set-2026", charlie)


def test_each_own_change_adds_exactly_one_history_entry(charlie):
    for n in range(7):
        change_password(charlie, f"Rotating-pass-{n}x")
    assert PasswordHistory.objects.filter(user=charlie).count() == 5


# --- audit contents ---------------------------------------------------------------------------


def test_failed_login_is_audited_with_name_and_address_never_the_password(client, charlie):
    secret = "Secret-guess-77"
    client.post(LOGIN, {"username": "charlie", "password": secret}, REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(action=actions.LOGIN_FAILED)
    assert (event.username, event.client_address, event.result) == (
        "charlie",
        "10.1.2.3",
        "failure",
    )
    everything = " ".join(
        f"{e.detail} {e.target_repr} {e.username}" for e in AuditEvent.objects.all()
    )
    assert secret not in everything


def test_phone_and_codes_never_reach_the_audit_log(client, charlie, clock):
    sign_in(client, charlie)
    response = client.post(reverse("profile:phone"), {"phone": "138 1234 5678"})
    assert response.status_code == 302
    client.get(ENROLL)
    device = charlie.totpdevice_set.get()
    code = app_code(device)
    page = client.post(ENROLL, {"code": code})
    backup = page.context["codes"]
    text = " ".join(f"{e.detail} {e.target_repr}" for e in AuditEvent.objects.all())
    assert "5678" not in text and "13812345678" not in text
    assert code not in text
    assert not any(c in text for c in backup)


# --- CSRF -------------------------------------------------------------------------------------


def test_no_view_is_exempt_from_csrf():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "kaoping"
    offenders = [
        str(p) for p in root.rglob("*.py") if "csrf_exempt" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("persona", "name", "args"),
    [
        ("charlie", "logout", []),
        ("charlie", "security:end_other_sessions", []),
        ("charlie", "twofactor:reauth", []),
        ("charlie", "accounts:password_change", []),
        ("sysadmin", "security:user_disable", ["charlie"]),
        ("sysadmin", "security:user_reset_password", ["charlie"]),
        ("secadmin", "accounts:security_policy", []),
        ("secadmin", "accounts:security_grant", ["charlie"]),
    ],
)
def test_state_changes_need_the_csrf_token(request, persona, name, args, charlie, tree):
    user = request.getfixturevalue(persona)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    session = client.session
    session[REAUTH_KEY] = dt.datetime.now().timestamp()
    session.save()
    url = reverse(name, args=[request.getfixturevalue(a).pk for a in args])
    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 403
    assert User.objects.get(pk=charlie.pk).is_active
    assert client.session.get(SESSION_KEY) == str(user.pk)


@pytest.mark.parametrize("name", ["logout", "security:end_other_sessions", "security:user_disable"])
def test_get_does_not_change_state(client, name, sysadmin, charlie):
    client.force_login(sysadmin)
    url = reverse(name, args=[charlie.pk] if name == "security:user_disable" else [])
    response = client.get(url)
    assert response.status_code == 405
    assert User.objects.get(pk=charlie.pk).is_active
    assert client.session.get(SESSION_KEY) == str(sysadmin.pk)


# --- the three middlewares together -----------------------------------------------------------


@override_settings(KAOPING_TWO_FACTOR_REQUIRED=True, KAOPING_ENFORCE_PASSWORD_POLICY=True)
def test_forced_password_forced_enrollment_and_stale_reauth_all_get_done(client, alice, clock):
    """alice must change her initial password AND enroll (organizer) AND her sign-in is more
    than five minutes old (re-auth): following the redirects and doing what each page asks
    brings her home, each step once, in a few hops."""
    User.objects.filter(pk=alice.pk).update(must_change_password=True)
    sign_in(client, alice)
    later(clock, 6 * 60)  # re-auth window over, idle limit (15 min) not reached
    url, seen, done = HOME, [], []
    for _ in range(20):
        path = url.split("?")[0]
        response = client.get(url)
        if response.status_code == 302:
            url = response["Location"]
            seen.append(url)
            continue
        assert response.status_code == 200, (url, response.status_code)
        if path == HOME:
            break
        done.append(path)
        if path == REAUTH:
            current = NEW_PASSWORD if PASSWORD_CHANGE in done else PASSWORD
            response = client.post(url, {"password": current})
            assert response.status_code == 302, response.content[:500]
            url = response["Location"]
        elif path == PASSWORD_CHANGE:
            data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD}
            response = client.post(url, {**data, "new_password2": NEW_PASSWORD})
            assert response.status_code == 302, response.content[:500]
            url = response["Location"]
        elif path == ENROLL:
            device = alice.totpdevice_set.get()
            response = client.post(url, {"code": app_code(device)})
            assert response.status_code == 200 and "codes" in response.context
            url = HOME
        else:
            pytest.fail(f"unexpected page {url}")
    else:
        pytest.fail(f"no way through: {seen}")
    # Each thing asked once: re-auth, then the new password, then enrollment.
    assert done == [REAUTH, PASSWORD_CHANGE, ENROLL], seen
    alice = User.objects.get(pk=alice.pk)
    assert not alice.must_change_password
    assert alice.totpdevice_set.filter(confirmed=True).count() == 1


# --- the second-factor middleware's cost and its remembered "no device" ----------------------


def totp_queries(client, url=HOME) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum("otp_totp" in q["sql"] for q in queries.captured_queries)


def test_no_device_query_per_page_without_a_device(client, charlie, clock):
    sign_in(client, charlie)
    assert [totp_queries(client) for _ in range(3)] == [0, 0, 0]


def test_a_verified_session_costs_only_django_otps_device_check(client, charlie, clock):
    device, _ = enroll(charlie)
    later(clock, 30)
    sign_in(client, charlie)
    client.post(VERIFY, {"code": app_code(device)})
    # django-otp loads the session's device to confirm it still exists; nothing else.
    assert totp_queries(client) == 1


def test_remembered_no_device_is_rechecked_within_a_minute(client, charlie, clock):
    sign_in(client, charlie)
    # A device confirmed behind the session's back (not through the enrollment page, which
    # ends the other sessions): the session may go on for at most a minute.
    enroll(charlie)
    assert client.get(HOME).status_code == 200
    later(clock, 61)
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_the_admin_site_cannot_make_a_role_holder_an_administrator_in_one_go(
    client, charlie, alice, tree
):
    """The user form and the roles inline in one submission: admin_role set and a role added."""
    breakglass.grant(user=charlie, minutes=30, reason="test")
    client.force_login(charlie)
    target = UserFactory(username="erin")
    url = reverse("admin:accounts_user_change", args=[target.pk])
    data = {
        "username": "erin",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "admin_role": "audit",
        "roles-TOTAL_FORMS": "1",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
        "roles-0-organization": str(tree["city_a"].pk),
        "roles-0-kind": "rater",
    }
    response = client.post(url, data)
    assert response.status_code == 200, response.status_code
    assert "An administrator cannot hold a business role." in response.content.decode()
    target = User.objects.get(pk=target.pk)
    assert (target.admin_role, target.roles.count()) == ("", 0)
    # Without the role the same form saves (the inline was the only problem).
    data["roles-TOTAL_FORMS"] = "0"
    assert client.post(url, data).status_code == 302
    assert User.objects.get(pk=target.pk).admin_role == "audit"


def test_a_break_glass_superuser_cannot_hand_out_lasting_privileges(client, charlie):
    breakglass.grant(user=charlie, minutes=30, reason="test")
    client.force_login(charlie)
    target = UserFactory(username="erin")
    data = {
        "username": "erin",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("admin:accounts_user_change", args=[target.pk]), data)
    assert response.status_code == 302
    target = User.objects.get(pk=target.pk)
    assert (target.is_superuser, target.is_staff) == (False, False)


@override_settings(KAOPING_TWO_FACTOR_REQUIRED=True)
def test_break_glass_powers_need_a_second_factor(client, charlie):
    breakglass.grant(user=charlie, minutes=30, reason="test")
    sign_in(client, charlie)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(ENROLL)


def test_changes_in_the_admin_site_reach_the_chained_audit_log(client, charlie, tree):
    breakglass.grant(user=charlie, minutes=30, reason="test")
    client.force_login(charlie)
    target = UserFactory(username="erin", full_name="Erin")
    response = client.post(
        reverse("admin:accounts_role_add"),
        {"user": target.pk, "organization": tree["city_a"].pk, "kind": "organizer"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=actions.ADMIN_SITE_CHANGE)
    assert event.user_id == charlie.pk
    assert event.detail["operation"] == "added"
    assert event.detail["model"] == "accounts.Role"
    assert event.detail["object_id"] == str(Role.objects.get(user=target).pk)


def test_a_code_typed_at_a_failed_reauth_is_not_kept_in_clear(client, charlie, clock):
    from axes.models import AccessAttempt

    _, codes = enroll(charlie)
    sign_in(client, charlie)
    client.post(VERIFY, {"code": codes[0]})
    client.post(REAUTH, {"password": "wrong-one", "code": codes[1]})
    stored = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert stored and codes[1] not in stored and "wrong-one" not in stored


def test_an_all_digit_backup_code_still_works(client, charlie, clock):
    from django_otp.plugins.otp_static.models import StaticToken

    enroll(charlie)
    StaticToken.objects.filter(device__user=charlie).delete()
    device = charlie.staticdevice_set.get()
    device.token_set.create(token="23456723")
    sign_in(client, charlie)
    assert client.post(VERIFY, {"code": "2345 6723"})["Location"] == HOME
