from django.db import migrations


def reinstall(apps, schema_editor):
    from learningcity.analytics import triggers

    triggers.install(schema_editor.connection)


class Migration(migrations.Migration):
    """Reinstall the attendance triggers for bulk writes (the summary's content does not change).

    PostgreSQL: the row trigger becomes three statement-level triggers with transition tables, one aggregated
    upsert per statement. SQLite: one insert trigger that bulk_insert() can skip (the import adds each batch with
    one aggregated upsert), and the per-month update and delete triggers as before.
    """

    dependencies = [
        ("analytics", "0002_participation_summary"),
    ]

    operations = [
        migrations.RunPython(reinstall, migrations.RunPython.noop),
    ]
