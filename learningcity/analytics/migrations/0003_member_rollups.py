"""The member rollups (members per programme and year, by how often they came: LC.ATTENDANCE and LC.RETENTION
without reading memberships), their triggers and their first rebuild, installed from SQL frozen beside this file
(sql/0003_<engine>_*.sql, recorded from analytics/trigger_sql/members.py; tests/test_trigger_sql.py holds them
equal)."""

from pathlib import Path

import django.db.models.deletion
from django.db import migrations, models

from learningcity.core import frozen_sql

SQL_DIR = Path(__file__).resolve().parent / "sql"


def frozen_statements(vendor: str, name: str) -> list[str]:
    """The statements of sql/0003_<vendor>_<name>.sql, in order (learningcity/core/frozen_sql.py)."""
    return frozen_sql.frozen_statements(SQL_DIR, "0003", vendor, name)


def _run(name: str):
    return frozen_sql.run_frozen(SQL_DIR, "0003", name)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0002_learner_tally"),
        ("core", "0006_role_librarian"),
    ]

    operations = [
        migrations.CreateModel(
            name="MemberCame",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("programme_id", models.BigIntegerField()),
                ("year", models.SmallIntegerField()),
                ("came", models.IntegerField()),
                ("members", models.IntegerField(default=0)),
                (
                    "city",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.city",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["city", "year"], name="member_came_city")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("programme_id", "year", "came"), name="member_came_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="MemberJoin",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("programme_id", models.BigIntegerField()),
                ("year", models.SmallIntegerField()),
                ("joined", models.IntegerField(default=0)),
                ("leaving", models.IntegerField(default=0)),
                (
                    "city",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.city",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["city", "year"], name="member_join_city")],
                "constraints": [
                    models.UniqueConstraint(fields=("programme_id", "year"), name="member_join_unique")
                ],
            },
        ),
        migrations.RunPython(_run("install"), _run("uninstall")),
    ]
