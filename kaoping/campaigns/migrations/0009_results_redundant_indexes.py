import django.db.models.deletion
from django.db import migrations, models

# Each foreign key's own index repeats the first column of its table's unique constraint, so it
# only slows the recompute's and publication's bulk inserts. Only the index goes (by Django's
# own name for it, the same on SQLite and PostgreSQL): altering the field on SQLite would copy
# the whole table.
DROPPED = [
    ("publishedresult", "publication", "campaigns.publication",
     "campaigns_publishedresult_publication_id_50f0d22c", "publication_id"),
    ("result", "campaign", "campaigns.campaign", "campaigns_result_campaign_id_3110e903",
     "campaign_id"),
    ("stageresult", "stage", "campaigns.stage", "campaigns_stageresult_stage_id_a357ac2a",
     "stage_id"),
]  # fmt: skip


def _drop(model, field, target, index, column):
    return migrations.SeparateDatabaseAndState(
        state_operations=[
            migrations.AlterField(
                model_name=model,
                name=field,
                field=models.ForeignKey(
                    db_index=False,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="results",
                    to=target,
                ),
            ),
        ],
        database_operations=[
            migrations.RunSQL(
                f'DROP INDEX IF EXISTS "{index}"',
                reverse_sql=f'CREATE INDEX "{index}" ON "campaigns_{model}" ("{column}")',
            ),
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0008_packed_sheet_figures"),
    ]

    operations = [_drop(*dropped) for dropped in DROPPED]
