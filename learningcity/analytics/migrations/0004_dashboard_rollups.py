"""The dashboard's last rollups (learners per programme kind and topic, sessions held and their dates per programme
and learning space: the staff dashboard of a year without reading a big table), their triggers and their first
rebuild, installed from SQL frozen beside this file (sql/0004_<engine>_*.sql, recorded from
analytics/trigger_sql/groups.py and sessions.py; tests/test_trigger_sql.py holds them equal)."""

from pathlib import Path

import django.db.models.deletion
from django.db import migrations, models

from learningcity.core import frozen_sql

SQL_DIR = Path(__file__).resolve().parent / "sql"


def frozen_statements(vendor: str, name: str) -> list[str]:
    """The statements of sql/0004_<vendor>_<name>.sql, in order (learningcity/core/frozen_sql.py)."""
    return frozen_sql.frozen_statements(SQL_DIR, "0004", vendor, name)


def _run(name: str):
    return frozen_sql.run_frozen(SQL_DIR, "0004", name)


class Migration(migrations.Migration):

    dependencies = [
        ('analytics', '0003_member_rollups'),
        ('core', '0006_role_librarian'),
        ('programmes', '0002_attendance_lean_keys'),
    ]

    operations = [
        migrations.CreateModel(
            name='GroupYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.SmallIntegerField()),
                ('dim', models.CharField(max_length=1)),
                ('value', models.CharField(max_length=100)),
                ('learners', models.IntegerField(default=0)),
                ('q1', models.IntegerField(default=0)),
                ('q2', models.IntegerField(default=0)),
                ('q3', models.IntegerField(default=0)),
                ('q4', models.IntegerField(default=0)),
                ('l01', models.IntegerField(default=0)),
                ('l02', models.IntegerField(default=0)),
                ('l03', models.IntegerField(default=0)),
                ('l04', models.IntegerField(default=0)),
                ('l05', models.IntegerField(default=0)),
                ('l06', models.IntegerField(default=0)),
                ('l07', models.IntegerField(default=0)),
                ('l08', models.IntegerField(default=0)),
                ('l09', models.IntegerField(default=0)),
                ('l10', models.IntegerField(default=0)),
                ('l11', models.IntegerField(default=0)),
                ('l12', models.IntegerField(default=0)),
                ('city', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.city')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('city', 'year', 'dim', 'value'), name='group_year_unique')],
            },
        ),
        migrations.CreateModel(
            name='LearnerGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('learner_id', models.BigIntegerField()),
                ('year', models.SmallIntegerField()),
                ('dim', models.CharField(max_length=1)),
                ('value', models.CharField(max_length=100)),
                ('c01', models.IntegerField(default=0)),
                ('c02', models.IntegerField(default=0)),
                ('c03', models.IntegerField(default=0)),
                ('c04', models.IntegerField(default=0)),
                ('c05', models.IntegerField(default=0)),
                ('c06', models.IntegerField(default=0)),
                ('c07', models.IntegerField(default=0)),
                ('c08', models.IntegerField(default=0)),
                ('c09', models.IntegerField(default=0)),
                ('c10', models.IntegerField(default=0)),
                ('c11', models.IntegerField(default=0)),
                ('c12', models.IntegerField(default=0)),
                ('city', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.city')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('learner_id', 'year', 'dim', 'value'), name='learner_group_unique')],
            },
        ),
        migrations.CreateModel(
            name='SessionDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('unit', models.CharField(max_length=1)),
                ('unit_id', models.BigIntegerField()),
                ('date', models.DateField()),
                ('sessions', models.IntegerField(default=0)),
                ('city', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.city')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('unit', 'unit_id', 'date'), name='session_day_unique')],
            },
        ),
        migrations.CreateModel(
            name='SessionYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('unit', models.CharField(max_length=1)),
                ('unit_id', models.BigIntegerField()),
                ('year', models.SmallIntegerField()),
                ('s01', models.IntegerField(default=0)),
                ('s02', models.IntegerField(default=0)),
                ('s03', models.IntegerField(default=0)),
                ('s04', models.IntegerField(default=0)),
                ('s05', models.IntegerField(default=0)),
                ('s06', models.IntegerField(default=0)),
                ('s07', models.IntegerField(default=0)),
                ('s08', models.IntegerField(default=0)),
                ('s09', models.IntegerField(default=0)),
                ('s10', models.IntegerField(default=0)),
                ('s11', models.IntegerField(default=0)),
                ('s12', models.IntegerField(default=0)),
                ('d01', models.IntegerField(default=0)),
                ('d02', models.IntegerField(default=0)),
                ('d03', models.IntegerField(default=0)),
                ('d04', models.IntegerField(default=0)),
                ('d05', models.IntegerField(default=0)),
                ('d06', models.IntegerField(default=0)),
                ('d07', models.IntegerField(default=0)),
                ('d08', models.IntegerField(default=0)),
                ('d09', models.IntegerField(default=0)),
                ('d10', models.IntegerField(default=0)),
                ('d11', models.IntegerField(default=0)),
                ('d12', models.IntegerField(default=0)),
                ('city', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.city')),
            ],
            options={
                'indexes': [models.Index(fields=['city', 'year'], name='session_year_city')],
                'constraints': [models.UniqueConstraint(fields=('unit', 'unit_id', 'year'), name='session_year_unique')],
            },
        ),
        migrations.RunPython(_run("install"), _run("uninstall")),
    ]
