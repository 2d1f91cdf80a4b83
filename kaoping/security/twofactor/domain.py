"""Second factor: who needs one, enrolling a TOTP app, backup codes, checking a code.

Devices are django-otp's own models (otp_totp, otp_static); this module is the only place that
creates, confirms or deletes them, so views stay thin and the rules live in one spot.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kaoping.accounts import scopes
from kaoping.accounts.enums import RoleKind
from kaoping.accounts.policy import cached_policy

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup"
TOTP_DIGITS = 6


def _policy_requires_everyone() -> bool:
    # The security administrator's saved policy; its default comes from the setting
    # KAOPING_TWO_FACTOR_FOR_EVERYONE. The process's copy (kaoping.accounts.policy.cached_policy).
    return bool(cached_policy().two_factor_for_everyone)


def is_required(user) -> bool:
    """Whether the user must have a second factor before using the site.

    Asked by TwoFactorRequiredMiddleware on every request of a user without a second factor, so
    it answers without a query most of the time: the policy and the user's role kinds come from
    copies this process keeps for at most 30 s (`cached_policy`, `scopes.prompt_role_kinds`),
    dropped at once in the process that changes them. Only the prompt to enroll can lag behind a
    change made in another process, never the code asked of a user who has a factor (the
    middleware checks devices before this); the modules explain why that is acceptable.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if not getattr(settings, "KAOPING_TWO_FACTOR_REQUIRED", True):
        return False
    if getattr(user, "admin_role", "") or getattr(user, "is_superuser", False):
        return True  # administrators, and anyone holding break-glass superuser powers
    if RoleKind.ORGANIZER in scopes.prompt_role_kinds(user):
        return True
    return _policy_requires_everyone()


def authenticator(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- enrollment ------------------------------------------------------------------------------


class AlreadyEnrolled(Exception):
    """The user has a confirmed authenticator; removing it comes before adding another."""


def pending_authenticator(user) -> TOTPDevice:
    """The unconfirmed device being set up; the same one across reloads, so a scanned QR code
    stays valid until the user confirms it."""
    if has_second_factor(user):
        raise AlreadyEnrolled
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def grouped_secret(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing it into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code in a data: URI (no script, no extra request)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def confirm_authenticator(user, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the pending device with its first code; returns it and fresh backup codes, or
    None when the code is wrong (or the device is throttled after earlier wrong codes)."""
    code = normalize_code(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None or not code.isdigit() or not device.verify_token(code):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = replace_backup_codes(user)
    return device, codes


def replace_backup_codes(user) -> list[str]:
    """Issue BACKUP_CODE_COUNT new one-time codes; earlier ones stop working."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = _unique_codes(BACKUP_CODE_COUNT)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def _unique_codes(count: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(StaticToken.random_token())
    return sorted(codes)


def remove_second_factor(user) -> None:
    """Delete the authenticator and the backup codes together."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


# --- checking a code -------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    device: Device | None
    throttled: bool = False

    @property
    def ok(self) -> bool:
        return self.device is not None

    @property
    def used_backup_code(self) -> bool:
        return isinstance(self.device, StaticDevice)


def normalize_code(code: str) -> str:
    # People type codes with spaces or dashes as the app or the printout groups them.
    return "".join(ch for ch in (code or "") if ch not in " -\t").lower()


def check_code(user, code: str) -> CodeCheck:
    """Check a 6-digit app code or a backup code against the user's confirmed devices.

    django-otp's throttling makes each wrong code double the wait before the next try on that
    device (1, 2, 4, 8 … seconds); a throttled device refuses even the right code.
    """
    code = normalize_code(code)
    if not code:
        return CodeCheck(None)
    # Backup codes are 8 letters and digits, so rarely all digits: only six digits are an app's.
    model = TOTPDevice if code.isdigit() and len(code) == TOTP_DIGITS else StaticDevice
    throttled = False
    with transaction.atomic():
        devices = model.objects.select_for_update().filter(user=user, confirmed=True)
        for device in devices:
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            if device.verify_token(code):
                return CodeCheck(device)
    return CodeCheck(None, throttled=throttled)
