import datetime

import time_machine
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD


def fail_login(client, **headers):
    return client.post(reverse("login"), {"username": "alice", "password": "wrong"}, **headers)


def test_five_failures_lock_the_account_for_that_address(client, alice):
    for _ in range(5):
        fail_login(client, REMOTE_ADDR="10.0.0.7")
    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 429


def test_lockout_does_not_reach_another_address(client, alice):
    for _ in range(5):
        fail_login(client, REMOTE_ADDR="10.0.0.7")
    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8"
    )
    assert response.status_code == 302


def test_forged_forwarded_header_is_ignored_without_proxy(client, alice):
    for n in range(5):
        fail_login(client, REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 429


@override_settings(KAOPING_PROXY_COUNT=1)
def test_behind_a_proxy_the_forwarded_client_is_locked_not_the_proxy(client, alice):
    for n in range(5):
        # The client forges the left part; the proxy appends the address it really saw.
        fail_login(
            client, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.9"
        )
    locked = client.post(
        reverse("login"),
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    other_client = client.post(
        reverse("login"),
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.10",
    )
    assert locked.status_code == 429
    assert other_client.status_code == 302


def test_the_fifth_failure_locks_and_the_right_password_stays_refused_for_30_minutes(client, alice):
    start = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            assert fail_login(client, REMOTE_ADDR="10.0.0.7").status_code == 200
        assert fail_login(client, REMOTE_ADDR="10.0.0.7").status_code == 429
        right = {"username": "alice", "password": PASSWORD}
        assert client.post(reverse("login"), right, REMOTE_ADDR="10.0.0.7").status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=30, seconds=1), tick=False):
        assert client.post(reverse("login"), right, REMOTE_ADDR="10.0.0.7").status_code == 302
        assert "_auth_user_id" in client.session


def test_trying_during_the_lockout_restarts_the_30_minutes(client, alice):
    start = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
    right = {"username": "alice", "password": PASSWORD}
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            fail_login(client, REMOTE_ADDR="10.0.0.7")
    with time_machine.travel(start + datetime.timedelta(minutes=29), tick=False):
        assert client.post(reverse("login"), right, REMOTE_ADDR="10.0.0.7").status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=31), tick=False):
        assert client.post(reverse("login"), right, REMOTE_ADDR="10.0.0.7").status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=61, seconds=1), tick=False):
        assert client.post(reverse("login"), right, REMOTE_ADDR="10.0.0.7").status_code == 302
