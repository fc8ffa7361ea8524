from django.db import migrations


def install(apps, schema_editor):
    """PostgreSQL: the row triggers of 0004/0005 on the summary and on LearnerYear give way to statement-level
    triggers with transition tables (rollup.py); the tables already hold the right figures, so no rebuild.
    SQLite: the same row triggers are put back."""
    from learningcity.analytics import rollup

    rollup.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0005_programme_rollup"),
    ]

    operations = [
        # Backwards: the statement-level triggers keep the same tables, so they stay.
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
