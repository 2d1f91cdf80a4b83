"""The session registry: written at sign-in, ended by logout, by disabling, by end_sessions."""

from django.contrib.sessions.models import Session
from django.urls import reverse

from kaoping.security.models import EndReason, UserSession
from kaoping.security.sessions import end_sessions
from tests.security.session_helpers import PHONE_UA, english_client, is_signed_in, sign_in


def test_sign_in_records_address_device_and_times(alice):
    client = english_client()
    sign_in(client, alice, REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT=PHONE_UA)
    row = UserSession.objects.get(user=alice)
    assert row.address == "10.1.2.3"
    assert row.user_agent == PHONE_UA
    assert row.device == "Chrome · Android"
    assert row.session_key == client.session.session_key
    assert row.ended_at is None


def test_long_user_agent_is_cut(alice):
    sign_in(english_client(), alice, HTTP_USER_AGENT="x" * 1000)
    assert len(UserSession.objects.get(user=alice).user_agent) == 300


def test_logout_ends_the_session_on_the_server(alice):
    client = english_client()
    sign_in(client, alice)
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    row = UserSession.objects.get(user=alice)
    assert row.end_reason == EndReason.LOGOUT
    assert row.ended_at is not None
    assert not is_signed_in(client)


def test_disabling_a_user_ends_all_their_sessions(alice):
    phone, desk = english_client(), english_client()
    sign_in(phone, alice)
    sign_in(desk, alice)
    alice.is_active = False
    alice.save()
    response = phone.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not is_signed_in(desk)
    assert set(UserSession.objects.values_list("end_reason", flat=True)) == {EndReason.DISABLED}


def test_end_sessions_keeps_the_named_one(alice, bob):
    kept, other, bobs = english_client(), english_client(), english_client()
    sign_in(kept, alice)
    sign_in(other, alice)
    sign_in(bobs, bob)
    assert end_sessions(alice, kept.session.session_key, reason=EndReason.PASSWORD_CHANGED) == 1
    assert is_signed_in(kept)
    assert not is_signed_in(other)
    assert is_signed_in(bobs)


def test_end_sessions_keeps_a_session_whose_key_rotated(alice):
    client, other = english_client(), english_client()
    sign_in(client, alice)
    sign_in(other, alice)
    session = client.session
    session.cycle_key()  # what update_session_auth_hash does after a password change
    session.save()
    client.cookies["sessionid"] = session.session_key
    assert end_sessions(alice, session.session_key, reason=EndReason.PASSWORD_CHANGED) == 1
    assert is_signed_in(client)
    assert not is_signed_in(other)
    row = UserSession.objects.get(user=alice, ended_at__isnull=True)
    assert row.session_key == session.session_key


def test_session_without_a_record_is_registered_on_its_next_request(alice):
    client = english_client()
    client.force_login(alice)
    UserSession.objects.all().delete()
    session = client.session
    for key in list(session.keys()):
        if key.startswith("_kaoping_"):
            del session[key]
    session.save()
    assert client.get(reverse("home")).status_code == 200
    assert UserSession.objects.get(user=alice).session_key == session.session_key
