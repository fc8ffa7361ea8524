from django.db import migrations


def reinstall(apps, schema_editor):
    from learningcity.analytics import triggers

    triggers.install(schema_editor.connection)


class Migration(migrations.Migration):
    """Reinstall the attendance triggers (their definition changed with the bulk import path)."""

    dependencies = [
        ("analytics", "0002_participation_summary"),
    ]

    operations = [
        migrations.RunPython(reinstall, migrations.RunPython.noop),
    ]
