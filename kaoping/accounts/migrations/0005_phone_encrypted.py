# Phone numbers encrypted at rest with a blind index (kaoping.core.crypto).

from django.db import migrations, models

import kaoping.core.crypto
from kaoping.core.crypto_migrations import decrypt_column, encrypt_column


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_identity"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="phone_index",
            field=models.CharField(
                blank=True, db_index=True, default="", editable=False, max_length=64
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="phone",
            field=kaoping.core.crypto.EncryptedTextField(
                blank=True, index_field="phone_index", max_length=40, verbose_name="phone"
            ),
        ),
        migrations.RunPython(
            encrypt_column("accounts", "User", "phone", "phone_index"),
            decrypt_column("accounts", "User", "phone", "phone_index"),
        ),
    ]
