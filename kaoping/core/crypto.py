"""Personal data encrypted at rest (phone numbers, ID numbers), with a blind index for lookups.

A value is stored as "gcm1$" + base64(nonce + AES-256-GCM ciphertext): a copy of the database
(a backup, a SQL dump, a support snapshot) shows no phone number. Finding a person by phone does
not decrypt every row: a separate column holds HMAC-SHA256 of the normalized value under another
key, so `User.objects.filter(phone_index=blind_index(typed))` is one indexed lookup.

The key comes from the environment (KAOPING_FIELD_KEY, 32 bytes in urlsafe base64, e.g. the
output of `python -c "import base64,os;print(base64.urlsafe_b64encode(os.urandom(32)).decode())"`);
without it a key file `field.key` is created (mode 0600) in KAOPING_VAR_DIR on first use. Keep
it outside the database and in the backups of the key, not of the data: a lost key loses the
phone numbers. The encryption and index keys are both derived from it (HKDF, distinct labels),
so the index never reveals anything the ciphertext key could decrypt. A stored value that the
key cannot open raises FieldKeyError: a wrong key must never pass as empty data.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
import re
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django import forms
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models

__all__ = [
    "EncryptedTextField",
    "FieldKeyError",
    "blind_index",
    "decrypt",
    "encrypt",
    "is_encrypted",
    "normalize_phone",
]

PREFIX = "gcm1$"
KEY_FILE = "field.key"
NONCE_BYTES = 12


class FieldKeyError(ImproperlyConfigured):
    """The field key is missing, malformed, or not the key the data was written with."""


def _read_key_text() -> str:
    configured = os.environ.get("KAOPING_FIELD_KEY") or getattr(settings, "KAOPING_FIELD_KEY", "")
    if configured:
        return configured
    path = Path(settings.VAR_DIR) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting together cannot both write a different key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as out:
                out.write(base64.urlsafe_b64encode(os.urandom(32)).decode() + "\n")
    return path.read_text().strip()


@functools.cache
def _keys(text: str) -> tuple[bytes, bytes]:
    try:
        master = base64.urlsafe_b64decode(text.encode())
    except (binascii.Error, ValueError):
        master = b""
    if len(master) != 32:
        raise FieldKeyError("KAOPING_FIELD_KEY must be 32 bytes in urlsafe base64")

    def derive(label: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(master)

    return derive(b"kaoping field encryption"), derive(b"kaoping blind index")


def _current_keys() -> tuple[bytes, bytes]:
    return _keys(_read_key_text())


def is_encrypted(value) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def encrypt(plaintext: str) -> str:
    """The stored form of `plaintext`; a fresh nonce each time, so equal values differ."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_current_keys()[0]).encrypt(nonce, plaintext.encode(), None)
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(stored: str) -> str:
    """The plaintext of a stored value; FieldKeyError if it was not written with this key."""
    if not is_encrypted(stored):
        raise FieldKeyError("an encrypted field holds a value that is not encrypted")
    try:
        raw = base64.urlsafe_b64decode(stored[len(PREFIX) :].encode())
        opened = AESGCM(_current_keys()[0]).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None)
    except (InvalidTag, binascii.Error, ValueError):
        raise FieldKeyError(
            "an encrypted field cannot be decrypted: KAOPING_FIELD_KEY (or var/field.key) is "
            "not the key the data was written with"
        ) from None
    return opened.decode()


def normalize_phone(value: str) -> str:
    """Digits only, without China's +86 / 0086: "+86 138-1234-1234" and "13812341234" match."""
    digits = re.sub(r"\D", "", value or "")
    for country in ("0086", "86"):
        if digits.startswith(country) and len(digits) == len(country) + 11:
            return digits[len(country) :]
    return digits


def blind_index(value: str, *, normalize=normalize_phone) -> str:
    """HMAC-SHA256 of the normalized value (hex), or "" for an empty one."""
    normalized = normalize(value or "")
    if not normalized:
        return ""
    return hmac.new(_current_keys()[1], normalized.encode(), hashlib.sha256).hexdigest()


class _IndexingDescriptor:
    """Keeps the index column in step with the value on every assignment, so saves, bulk
    creates and bulk updates that name both fields never store a stale index."""

    def __init__(self, field):
        self.field = field

    def __get__(self, instance, owner):
        if instance is None:
            return self
        return instance.__dict__.get(self.field.attname)

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value
        if self.field.index_field and isinstance(value, str):
            instance.__dict__[self.field.index_field] = blind_index(value)


class EncryptedTextField(models.TextField):
    """A text field stored encrypted. Plaintext in Python, ciphertext in the database.

    `index_field` names a `blind_index_field()` declared after this field on the same model; it
    receives the value's blind index on assignment and on every save (also one with
    update_fields naming only the value). The column cannot be searched: any lookup but isnull
    raises.
    """

    def __init__(self, *args, index_field: str = "", **kwargs):
        self.index_field = index_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.index_field:
            kwargs["index_field"] = self.index_field
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)
        setattr(cls, self.attname, _IndexingDescriptor(self))
        if self.index_field and not cls._meta.abstract:
            models.signals.post_save.connect(self._save_index, sender=cls, weak=False)

    def _save_index(self, sender, instance, update_fields=None, raw=False, **kwargs):
        # save(update_fields=["phone"]) writes only the listed columns: write the index too.
        if raw or not update_fields or self.name not in update_fields:
            return
        if self.index_field not in update_fields:
            index = blind_index(getattr(instance, self.attname) or "")
            sender._base_manager.filter(pk=instance.pk).update(**{self.index_field: index})

    def pre_save(self, model_instance, add):
        # Model.__init__ assigns the index's default after the value: set it again on save (the
        # index field is declared after this one, so its own pre_save reads the fresh value).
        value = super().pre_save(model_instance, add)
        if self.index_field:
            setattr(model_instance, self.index_field, blind_index(value or ""))
        return value

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        # Always sealed, even text that looks sealed: a typed "gcm1$…" must not pass as such.
        if value is None or value == "":
            return value
        return encrypt(value)

    def formfield(self, **kwargs):
        # A one-line input like the CharField it replaces, not a textarea.
        return models.Field.formfield(
            self, **{"form_class": forms.CharField, "max_length": self.max_length, **kwargs}
        )

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted and cannot be searched with "
                f"'{lookup_name}'; filter on its blind index ({self.index_field or 'none'})"
            )
        return super().get_lookup(lookup_name)


def blind_index_field(verbose_name=None) -> models.CharField:
    """The companion column of an EncryptedTextField(index_field=...)."""
    return models.CharField(verbose_name, max_length=64, blank=True, default="", db_index=True,
                            editable=False)  # fmt: skip
