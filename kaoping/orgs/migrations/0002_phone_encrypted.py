# Contact phones encrypted at rest with a blind index (kaoping.core.crypto), history included.

from django.db import migrations, models

import kaoping.core.crypto
from kaoping.core.crypto_migrations import decrypt_column, encrypt_column


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalorganization",
            name="phone_index",
            field=models.CharField(
                blank=True, db_index=True, default="", editable=False, max_length=64
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="phone_index",
            field=models.CharField(
                blank=True, db_index=True, default="", editable=False, max_length=64
            ),
        ),
        migrations.AlterField(
            model_name="historicalorganization",
            name="phone",
            field=kaoping.core.crypto.EncryptedTextField(
                blank=True, index_field="phone_index", max_length=40, verbose_name="phone"
            ),
        ),
        migrations.AlterField(
            model_name="organization",
            name="phone",
            field=kaoping.core.crypto.EncryptedTextField(
                blank=True, index_field="phone_index", max_length=40, verbose_name="phone"
            ),
        ),
        migrations.RunPython(
            encrypt_column("orgs", "Organization", "phone", "phone_index"),
            decrypt_column("orgs", "Organization", "phone", "phone_index"),
        ),
        migrations.RunPython(
            encrypt_column("orgs", "HistoricalOrganization", "phone", "phone_index"),
            decrypt_column("orgs", "HistoricalOrganization", "phone", "phone_index"),
        ),
    ]
