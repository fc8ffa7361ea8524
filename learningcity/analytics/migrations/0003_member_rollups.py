"""The member rollups (members per programme and year, by how often they came: LC.ATTENDANCE and LC.RETENTION
without reading memberships), their triggers and their first rebuild, installed from SQL frozen beside this file
(sql/0003_<engine>_*.sql, recorded from analytics/trigger_sql/members.py; tests/test_trigger_sql.py holds them
equal)."""

import re
from pathlib import Path

import django.db.models.deletion
from django.db import migrations, models

SQL_DIR = Path(__file__).resolve().parent / "sql"


def frozen_statements(vendor: str, name: str) -> list[str]:
    """The statements of sql/0003_<vendor>_<name>.sql, in order (each follows a `-- statement N` line)."""
    text = (SQL_DIR / f"0003_{vendor}_{name}.sql").read_text(encoding="utf-8")
    return [part.strip() for part in re.split(r"^-- statement \d+$", text, flags=re.MULTILINE)[1:]]


def _run(name: str):
    def run(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            for statement in frozen_statements(schema_editor.connection.vendor, name):
                cursor.execute(statement)

    return run


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
