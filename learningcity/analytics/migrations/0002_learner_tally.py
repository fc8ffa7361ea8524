"""The learner tally (one row per city: its number of learners, for the city home), its triggers on
programmes_learner and its first count, installed from SQL frozen beside this file (sql/0002_<engine>_*.sql,
recorded from analytics/trigger_sql/tally.py; tests/test_trigger_sql.py holds them equal)."""

import re
from pathlib import Path

import django.db.models.deletion
from django.db import migrations, models

SQL_DIR = Path(__file__).resolve().parent / "sql"


def frozen_statements(vendor: str, name: str) -> list[str]:
    """The statements of sql/0002_<vendor>_<name>.sql, in order (each follows a `-- statement N` line)."""
    text = (SQL_DIR / f"0002_{vendor}_{name}.sql").read_text(encoding="utf-8")
    parts = re.split(r"^-- statement \d+$", text, flags=re.MULTILINE)[1:]
    return [part.strip() for part in parts]


def _run(name: str):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            for statement in frozen_statements(connection.vendor, name):
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_squashed_frozen_triggers"),
        ("core", "0006_role_librarian"),
    ]

    operations = [
        migrations.CreateModel(
            name="LearnerTally",
            fields=[
                (
                    "city",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="core.city",
                    ),
                ),
                ("learners", models.IntegerField(default=0)),
            ],
        ),
        migrations.RunPython(_run("install"), _run("uninstall")),
    ]
