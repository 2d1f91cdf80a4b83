"""Phone numbers encrypted at rest, found through the blind index, refused under a wrong key."""

import base64
import os
import stat

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from django.test import override_settings

from kaoping.accounts.models import User
from kaoping.core import crypto
from kaoping.orgs.models import Organization
from tests.factories import OrganizationFactory, UserFactory

PHONE = "13812341234"


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def test_user_phone_stored_column_is_not_the_plaintext(db):
    user = UserFactory(phone=PHONE)

    stored = _raw("accounts_user", "phone", user.pk)

    assert PHONE not in stored
    assert stored.startswith("gcm1$")
    assert User.objects.get(pk=user.pk).phone == PHONE


def test_same_phone_encrypts_differently_each_time(db):
    first, second = UserFactory(phone=PHONE), UserFactory(phone=PHONE)

    assert _raw("accounts_user", "phone", first.pk) != _raw("accounts_user", "phone", second.pk)


def test_empty_phone_stays_empty_with_no_index(db):
    user = UserFactory(phone="")

    assert _raw("accounts_user", "phone", user.pk) == ""
    assert User.objects.get(pk=user.pk).phone_index == ""


def test_find_user_by_phone_through_the_index_in_any_spelling(db):
    wanted = UserFactory(phone=PHONE)
    UserFactory(phone="13900000000")

    found = User.objects.filter(phone_index=crypto.blind_index("+86 138-1234-1234"))

    assert list(found) == [wanted]


def test_index_follows_a_changed_phone(db):
    user = UserFactory(phone=PHONE)
    user.phone = "13900000000"
    user.save()

    assert not User.objects.filter(phone_index=crypto.blind_index(PHONE)).exists()
    assert User.objects.get(phone_index=crypto.blind_index("13900000000")) == user


def test_index_is_not_a_plain_hash_of_the_phone(db):
    import hashlib

    user = UserFactory(phone=PHONE)

    index = _raw("accounts_user", "phone_index", user.pk)
    assert len(index) == 64
    assert index != hashlib.sha256(PHONE.encode()).hexdigest()


def test_searching_the_encrypted_column_itself_is_refused(db):
    with pytest.raises(FieldError, match="phone_index"):
        list(User.objects.filter(phone=PHONE))


def test_organization_contact_phone_encrypted_with_its_history(tree):
    org = OrganizationFactory(name="东关村党支部", kind="village", parent=tree["county_a"])
    org.phone = PHONE
    org.save()

    assert PHONE not in _raw("orgs_organization", "phone", org.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM orgs_historicalorganization WHERE id = %s", [org.pk])
        history = [row[0] for row in cursor.fetchall()]
    assert history and all(PHONE not in value for value in history)
    assert Organization.objects.get(phone_index=crypto.blind_index(PHONE)) == org


def test_wrong_key_fails_loudly_instead_of_reading_empty(db, monkeypatch):
    monkeypatch.setenv("KAOPING_FIELD_KEY", _new_key())
    user = UserFactory(phone=PHONE)

    monkeypatch.setenv("KAOPING_FIELD_KEY", _new_key())

    with pytest.raises(crypto.FieldKeyError, match="not the key"):
        User.objects.get(pk=user.pk)


def test_malformed_key_is_refused(monkeypatch):
    monkeypatch.setenv("KAOPING_FIELD_KEY", "too-short")

    with pytest.raises(crypto.FieldKeyError, match="32 bytes"):
        crypto.encrypt(PHONE)


def test_key_file_created_private_on_first_use(tmp_path, monkeypatch):
    monkeypatch.delenv("KAOPING_FIELD_KEY", raising=False)
    with override_settings(VAR_DIR=tmp_path, KAOPING_FIELD_KEY=""):
        sealed = crypto.encrypt(PHONE)
        key_file = tmp_path / "field.key"

        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert crypto.decrypt(sealed) == PHONE
        assert len(base64.urlsafe_b64decode(key_file.read_text().strip())) == 32


def test_data_migration_encrypts_existing_plaintext_and_is_rerunnable(db):
    from kaoping.core.crypto_migrations import decrypt_column, encrypt_column

    user = UserFactory(phone="")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_user SET phone = %s WHERE id = %s", [PHONE, user.pk])

    class Apps:
        @staticmethod
        def get_model(app_label, model_name):
            return User

    class Editor:  # the helpers use only the schema editor's connection
        pass

    Editor.connection = connection
    forward = encrypt_column("accounts", "User", "phone", "phone_index")
    forward(Apps, Editor)
    once = _raw("accounts_user", "phone", user.pk)
    forward(Apps, Editor)
    assert _raw("accounts_user", "phone", user.pk) == once
    assert User.objects.get(phone_index=crypto.blind_index(PHONE)).phone == PHONE

    decrypt_column("accounts", "User", "phone", "phone_index")(Apps, Editor)
    assert _raw("accounts_user", "phone", user.pk) == PHONE


def test_index_follows_a_save_that_names_only_the_phone(db):
    user = UserFactory(phone=PHONE)
    user.phone = "13900000000"
    user.save(update_fields=["phone"])

    assert User.objects.get(phone_index=crypto.blind_index("13900000000")) == user
