"""My sessions (own only) and everyone's sessions (system and security administrators)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from kaoping.security.models import EndReason, UserSession
from tests.security.session_helpers import (
    PHONE_UA,
    START,
    audit_actions,
    english_client,
    is_signed_in,
    sign_in,
)


def test_my_sessions_lists_only_my_open_sessions(alice, bob):
    mine, phone, bobs = english_client(), english_client(), english_client()
    sign_in(mine, alice)
    sign_in(phone, alice, REMOTE_ADDR="10.9.9.9", HTTP_USER_AGENT=PHONE_UA)
    sign_in(bobs, bob)
    response = mine.get(reverse("security:my_sessions"))
    rows = list(response.context["rows"])
    assert {row.user for row in rows} == {alice}
    assert len(rows) == 2
    html = response.content.decode()
    assert "10.9.9.9" in html
    assert "Chrome · Android" in html
    assert html.count("This device") == 1


def test_ending_my_other_session_signs_that_browser_out(alice):
    mine, phone = english_client(), english_client()
    sign_in(mine, alice)
    sign_in(phone, alice)
    row = UserSession.objects.get(session_key=phone.session.session_key)
    response = mine.post(reverse("security:end_my_session", args=[row.pk]))
    assert response.status_code == 302
    assert not is_signed_in(phone)
    assert is_signed_in(mine)
    row.refresh_from_db()
    assert row.end_reason == EndReason.BY_USER


def test_cannot_end_someone_elses_session_from_my_page(alice, bob):
    mine, bobs = english_client(), english_client()
    sign_in(mine, alice)
    sign_in(bobs, bob)
    row = UserSession.objects.get(user=bob)
    response = mine.post(reverse("security:end_my_session", args=[row.pk]))
    assert response.status_code == 404
    assert is_signed_in(bobs)


def test_end_all_other_sessions_keeps_this_one(alice):
    mine, phone, tablet = english_client(), english_client(), english_client()
    for client in (mine, phone, tablet):
        sign_in(client, alice)
    response = mine.post(reverse("security:end_other_sessions"), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Ended 2 other sessions."]
    assert is_signed_in(mine)
    assert not is_signed_in(phone)
    assert not is_signed_in(tablet)


def test_my_sessions_needs_sign_in():
    response = english_client().get(reverse("security:my_sessions"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["alice", "charlie", "auditor"])
def test_everyones_sessions_refused_to_others(request, persona):
    client = english_client()
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("security:all_sessions")).status_code == 403


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin"])
def test_administrator_sees_and_ends_anyones_session(request, persona, alice, bob):
    admin = request.getfixturevalue(persona)
    admin_client, alices = english_client(), english_client()
    admin_client.force_login(admin)
    sign_in(alices, alice, REMOTE_ADDR="10.4.4.4")
    page = admin_client.get(reverse("security:all_sessions"), {"q": "alic"})
    rows = list(page.context["page"].object_list)
    assert [row.user for row in rows] == [alice]
    response = admin_client.post(reverse("security:end_any_session", args=[rows[0].pk]))
    assert response.status_code == 302
    assert not is_signed_in(alices)
    assert UserSession.objects.get(user=alice).end_reason == EndReason.BY_ADMIN
    assert audit_actions(user=admin) == ["session_ended"]


def test_non_administrator_cannot_end_anyones_session(alice, bob):
    mine, bobs = english_client(), english_client()
    sign_in(mine, alice)
    sign_in(bobs, bob)
    row = UserSession.objects.get(user=bob)
    assert mine.post(reverse("security:end_any_session", args=[row.pk])).status_code == 403
    assert is_signed_in(bobs)


@pytest.mark.parametrize(
    "persona, links",
    [
        ("sysadmin", ["security:user_list", "security:all_sessions"]),
        ("secadmin", ["security:all_sessions"]),
        ("auditor", []),
        ("alice", []),
    ],
)
def test_navigation_offers_the_pages_each_administrator_may_open(request, persona, links):
    client = english_client()
    client.force_login(request.getfixturevalue(persona))
    nav = [url for url, _label in client.get(reverse("home")).context["nav_links"]]
    offered = [
        name for name in ("security:user_list", "security:all_sessions") if reverse(name) in nav
    ]
    assert offered == links


def test_idle_sessions_are_not_listed_as_active(alice):
    stale, fresh = english_client(), english_client()
    with time_machine.travel(START, tick=False) as clock:
        sign_in(stale, alice)
        clock.shift(dt.timedelta(minutes=20))
        sign_in(fresh, alice)
        rows = list(fresh.get(reverse("security:my_sessions")).context["rows"])
    assert [row.session_key for row in rows] == [fresh.session.session_key]
