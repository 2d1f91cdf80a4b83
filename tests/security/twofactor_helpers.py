"""Shared steps for the two-factor tests: real TOTP codes from the device key, enrolled users."""

import datetime as dt

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kaoping.audit.models import AuditEvent
from kaoping.security.twofactor import domain
from tests.factories import PASSWORD

# A fixed start; tests move the clock forward from here (TOTP codes are per 30 s step and a
# code once accepted cannot be used again, so consecutive uses need a later step).
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def app_code(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code an authenticator app shows now (or `offset_steps` steps away)."""
    # The app knows only the key and the clock, never the server's drift estimate.
    value = totp(device.bin_key, device.step, device.t0, device.digits, offset_steps)
    return f"{value:0{device.digits}d}"


def later(clock, seconds=0, *, minutes=0):
    clock.shift(dt.timedelta(minutes=minutes, seconds=seconds))


def wrong_code(device: TOTPDevice) -> str:
    # A code that no step within the tolerance window shows.
    accepted = {app_code(device, offset_steps=k) for k in (-1, 0, 1)}
    candidate = 0
    while f"{candidate:06d}" in accepted:
        candidate += 1
    return f"{candidate:06d}"


def enroll(user) -> tuple[TOTPDevice, list[str]]:
    """Enroll through the domain (the views are tested separately); returns device and codes."""
    device = domain.pending_authenticator(user)
    device, codes = domain.confirm_authenticator(user, app_code(device))
    return device, codes


def sign_in_with_password(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def actions_of(user) -> list[str]:
    return list(
        AuditEvent.objects.filter(user=user).order_by("sequence").values_list("action", flat=True)
    )
