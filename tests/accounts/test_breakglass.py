"""The first administrators from the command line; break-glass superuser that ends by itself."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from kaoping.accounts.models import User
from kaoping.audit import actions
from kaoping.audit.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def run(*args, **env):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# createadmin


def test_createadmin_makes_an_administrator_with_an_initial_password(monkeypatch):
    monkeypatch.setenv("FIRST_ADMIN_PASSWORD", "Initial-2026-x")
    out = run(
        "createadmin",
        "--role",
        "security",
        "--username",
        "anquan",
        "--full-name",
        "安全员",
        "--password-env",
        "FIRST_ADMIN_PASSWORD",
    )
    user = User.objects.get(username="anquan")
    assert (user.admin_role, user.full_name, user.must_change_password) == (
        "security",
        "安全员",
        True,
    )
    assert user.check_password("Initial-2026-x")
    assert not user.is_superuser and not user.is_staff
    assert "must be changed at first sign-in" in out
    [event] = AuditEvent.objects.filter(action=actions.USER_CREATED)
    assert event.detail == {"user": "anquan", "admin_role": "security"}


def test_createadmin_refuses_a_weak_password_or_a_taken_name(monkeypatch):
    monkeypatch.setenv("PW", "short")
    with pytest.raises(CommandError):
        run("createadmin", "--role", "audit", "--username", "shenji", "--password-env", "PW")
    assert not User.objects.filter(username="shenji").exists()
    UserFactory(username="shenji")
    monkeypatch.setenv("PW", "Initial-2026-x")
    with translation.override("en"), pytest.raises(CommandError, match="already exists"):
        run("createadmin", "--role", "audit", "--username", "SHENJI", "--password-env", "PW")


def test_createadmin_refuses_an_unknown_role():
    with pytest.raises(CommandError):
        run("createadmin", "--role", "superuser", "--username", "x", "--password-env", "PW")


# breakglass


def test_breakglass_grants_superuser_for_the_minutes_given_and_logs_the_reason(charlie):
    with time_machine.travel(START, tick=False):
        out = run(
            "breakglass", "--username", "Charlie", "--reason", "恢复误删的组织", "--minutes", "30"
        )
        charlie.refresh_from_db()
    assert charlie.is_superuser and charlie.is_staff
    assert charlie.break_glass_until == START + datetime.timedelta(minutes=30)
    assert "charlie is a superuser until" in out
    [event] = AuditEvent.objects.filter(action=actions.BREAK_GLASS)
    assert event.detail["reason"] == "恢复误删的组织"
    assert event.detail["minutes"] == 30


@pytest.mark.parametrize(
    "args",
    [
        ["--username", "charlie", "--reason", "  "],
        ["--username", "charlie", "--reason", "x", "--minutes", "0"],
        ["--username", "charlie", "--reason", "x", "--minutes", "1441"],
        ["--username", "nobody", "--reason", "x"],
    ],
)
def test_breakglass_refuses_without_reason_bad_minutes_or_unknown_user(charlie, args):
    with pytest.raises(CommandError):
        run("breakglass", *args)
    charlie.refresh_from_db()
    assert not charlie.is_superuser
    assert not AuditEvent.objects.filter(action=actions.BREAK_GLASS).exists()


def test_breakglass_ends_by_itself_and_the_end_is_logged_once(client, charlie):
    with time_machine.travel(START, tick=False):
        run("breakglass", "--username", "charlie", "--reason", "emergency", "--minutes", "10")
        client.force_login(charlie)
        assert client.get("/admin/").status_code == 200
    with time_machine.travel(START + datetime.timedelta(minutes=9), tick=False):
        assert User.objects.get(pk=charlie.pk).is_superuser
    # Within the idle limit (15 minutes), so the session itself is still alive.
    with time_machine.travel(START + datetime.timedelta(minutes=10), tick=False):
        # Loaded after the end: no privilege, even before anything writes it down.
        loaded = User.objects.get(pk=charlie.pk)
        assert (loaded.is_superuser, loaded.is_staff) == (False, False)
        assert loaded.has_perm("accounts.manage_roles") is False
        assert client.get(reverse("home")).status_code == 200
        assert client.get("/admin/").status_code == 302
    stored = User.objects.values("is_superuser", "is_staff", "break_glass_until").get(pk=charlie.pk)
    assert stored == {"is_superuser": False, "is_staff": False, "break_glass_until": None}
    [ended] = AuditEvent.objects.filter(action=actions.BREAK_GLASS_ENDED)
    assert ended.user == charlie
