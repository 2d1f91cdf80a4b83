"""Data migrations that turn a plaintext column into an encrypted one (and back).

Raw SQL on purpose: the models in a migration already carry EncryptedTextField, which would try
to decrypt the plaintext it reads. Rows already encrypted are left alone, so a migration that
stopped half way can run again.
"""

from __future__ import annotations

from kaoping.core.crypto import blind_index, decrypt, encrypt, is_encrypted

__all__ = ["decrypt_column", "encrypt_column"]


def _rows(schema_editor, model, field: str):
    quote = schema_editor.connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {quote(field)} FROM {table} WHERE {quote(field)} <> ''")
        return list(cursor.fetchall())


def _update(schema_editor, model, pk, values: dict) -> None:
    quote = schema_editor.connection.ops.quote_name
    sets = ", ".join(f"{quote(column)} = %s" for column in values)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {quote(model._meta.pk.column)} = %s",
            [*values.values(), pk],
        )


def encrypt_column(app_label: str, model_name: str, field: str, index_field: str):
    """A RunPython forward function encrypting `field` and filling `index_field`."""

    def forward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        for pk, value in _rows(schema_editor, model, field):
            if not is_encrypted(value):
                _update(schema_editor, model, pk,
                        {field: encrypt(value), index_field: blind_index(value)})  # fmt: skip

    return forward


def decrypt_column(app_label: str, model_name: str, field: str, index_field: str):
    """The reverse: plaintext back, index emptied."""

    def backward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        for pk, value in _rows(schema_editor, model, field):
            if is_encrypted(value):
                _update(schema_editor, model, pk, {field: decrypt(value), index_field: ""})

    return backward
