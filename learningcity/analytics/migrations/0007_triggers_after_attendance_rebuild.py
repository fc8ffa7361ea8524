from django.db import migrations


def install(apps, schema_editor):
    """programmes 0002 altered attendance's foreign keys. SQLite makes such a change by copying the table into a
    new one and dropping the old, and its triggers go with the old table: put the summary triggers back. The
    attendance rows are the same rows, and nothing was written in between, so the summary needs no rebuild.
    On PostgreSQL only the constraints were dropped; installing again replaces the same triggers."""
    from learningcity.analytics import triggers

    triggers.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0006_rollup_statement_triggers"),
        ("programmes", "0002_attendance_lean_keys"),
    ]

    operations = [
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
