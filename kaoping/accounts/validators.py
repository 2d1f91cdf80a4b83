"""Password rules of the two policy profiles, as one Django password validator.

- dengbao (等保2.0 level 3): at least 8 characters from 3 of the 4 classes (upper case, lower
  case, digits, symbols), not one of the last 5 passwords, not a common password.
- asvs (OWASP ASVS 5.0): at least 12 characters and not on the breached/common list (Django's
  list of 20,000 common passwords, which works offline); no composition rules, no rotation.

The profile in force comes from `kaoping.accounts.policy.current_policy()`, so the security
administrator's choice applies at once.
"""

from __future__ import annotations

import string

from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kaoping.accounts.enums import PasswordProfile

DENGBAO_MIN_LENGTH = 8
DENGBAO_MIN_CLASSES = 3
HISTORY_DEPTH = 5
ASVS_MIN_LENGTH = 12


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and other characters the password uses."""
    return sum(
        [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c in string.digits for c in password),
            any(not c.isalnum() for c in password),
        ]
    )


def used_recently(password: str, user) -> bool:
    """Whether `password` is the current one or one of the last HISTORY_DEPTH - 1 before it."""
    if user is None or user.pk is None:
        return False
    hashes = list(
        user.password_history.order_by("-created_at", "-id").values_list("password", flat=True)[
            :HISTORY_DEPTH
        ]
    )
    if user.password and user.password not in hashes:
        hashes.insert(0, user.password)
    return any(check_password(password, encoded) for encoded in hashes[:HISTORY_DEPTH])


def requirements(profile: str) -> list[str]:
    """What a new password needs under `profile`, as sentences to show beside the form."""
    if profile == PasswordProfile.ASVS:
        return [
            _("At least %(n)d characters.") % {"n": ASVS_MIN_LENGTH},
            _("Not a common or previously breached password."),
        ]
    return [
        _("At least %(n)d characters.") % {"n": DENGBAO_MIN_LENGTH},
        _(
            "At least 3 of these 4 kinds of characters: upper-case letters, lower-case letters,"
            " digits, symbols."
        ),
        _("Different from your last %(n)d passwords.") % {"n": HISTORY_DEPTH},
        _("Not a common password."),
        _("It must be changed every 90 days."),
    ]


class PolicyPasswordValidator:
    """Applies the rules of the profile in force (AUTH_PASSWORD_VALIDATORS names this class)."""

    def __init__(self):
        self._common = CommonPasswordValidator()

    def _profile(self) -> str:
        from kaoping.accounts.policy import current_policy

        return current_policy().password_profile

    def validate(self, password, user=None):
        profile = self._profile()
        errors = []
        if profile == PasswordProfile.ASVS:
            if len(password) < ASVS_MIN_LENGTH:
                errors.append(_too_short(ASVS_MIN_LENGTH))
        else:
            if len(password) < DENGBAO_MIN_LENGTH:
                errors.append(_too_short(DENGBAO_MIN_LENGTH))
            if character_classes(password) < DENGBAO_MIN_CLASSES:
                errors.append(
                    ValidationError(
                        _(
                            "The password must mix at least 3 of: upper-case letters,"
                            " lower-case letters, digits, symbols."
                        ),
                        code="password_too_simple",
                    )
                )
            if used_recently(password, user):
                errors.append(
                    ValidationError(
                        _("The password must differ from your last %(n)d passwords.")
                        % {"n": HISTORY_DEPTH},
                        code="password_reused",
                    )
                )
        try:
            self._common.validate(password, user)
        except ValidationError as error:
            errors.append(
                ValidationError(
                    _("This password is too common or known from breaches."),
                    code=error.error_list[0].code,
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return " ".join(requirements(self._profile()))


def _too_short(n: int) -> ValidationError:
    return ValidationError(
        _("The password must be at least %(n)d characters long.") % {"n": n},
        code="password_too_short",
    )
