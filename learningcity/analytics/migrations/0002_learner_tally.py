"""The learner tally (one row per city: its number of learners, for the city home), its triggers on
programmes_learner and its first count, installed from SQL frozen beside this file (sql/0002_<engine>_*.sql,
recorded from analytics/trigger_sql/tally.py; tests/test_trigger_sql.py holds them equal)."""

from pathlib import Path

import django.db.models.deletion
from django.db import migrations, models

from learningcity.core import frozen_sql

SQL_DIR = Path(__file__).resolve().parent / "sql"


def frozen_statements(vendor: str, name: str) -> list[str]:
    """The statements of sql/0002_<vendor>_<name>.sql, in order (learningcity/core/frozen_sql.py)."""
    return frozen_sql.frozen_statements(SQL_DIR, "0002", vendor, name)


def _run(name: str):
    return frozen_sql.run_frozen(SQL_DIR, "0002", name)


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
