"""analytics 0001-0007 squashed: the tables as they stand, and the triggers installed from SQL frozen beside this file.

The old migrations called today's trigger code, so what they installed changed whenever the code did. This one
runs the statements in sql/0001_<engine>_install.sql, recorded from analytics/trigger_sql on the day of the squash;
a test holds the code and the frozen files equal, so a change to the triggers fails it until a new migration
installs the new SQL. A database that applied 0001-0007 counts this one as applied (`replaces`).
"""

from pathlib import Path

import django.db.models.deletion
import learningcity.analytics.models
from django.conf import settings
from django.db import migrations, models

from learningcity.core import frozen_sql


SQL_DIR = Path(__file__).resolve().parent / "sql"


def frozen_statements(vendor: str, name: str) -> list[str]:
    """The statements of sql/0001_<vendor>_<name>.sql, in order (learningcity/core/frozen_sql.py)."""
    return frozen_sql.frozen_statements(SQL_DIR, "0001", vendor, name)


def _run(name: str):
    return frozen_sql.run_frozen(SQL_DIR, "0001", name)


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ("analytics", "0001_initial"),
        ("analytics", "0002_participation_summary"),
        ("analytics", "0003_bulk_import_sync"),
        ("analytics", "0004_people_rollup"),
        ("analytics", "0005_programme_rollup"),
        ("analytics", "0006_rollup_statement_triggers"),
        ("analytics", "0007_triggers_after_attendance_rebuild"),
    ]

    # The replaced migrations' own dependencies, no later: a database that applied them must stay consistent.
    # programmes 0002 rebuilds attendance on SQLite (dropping its triggers), so the triggers come after it.
    dependencies = [
        ('core', '0003_audit_labels'),
        ('programmes', '0002_attendance_lean_keys'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CatalogueVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.CharField(max_length=40, unique=True, verbose_name='version')),
                ('checksum', models.CharField(max_length=64)),
                ('loaded_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'verbose_name': 'catalogue version',
                'verbose_name_plural': 'catalogue versions',
                'ordering': ['-loaded_at'],
            },
        ),
        migrations.CreateModel(
            name='Framework',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=40, unique=True, verbose_name='code')),
                ('name_vi', models.CharField(max_length=300, verbose_name='name (Vietnamese)')),
                ('name_en', models.CharField(blank=True, max_length=300, verbose_name='name (English)')),
                ('source', models.CharField(blank=True, max_length=300, verbose_name='source')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('version', models.CharField(blank=True, max_length=40, verbose_name='catalogue version')),
            ],
            options={
                'verbose_name': 'framework',
                'verbose_name_plural': 'frameworks',
                'ordering': ['position', 'code'],
            },
        ),
        migrations.CreateModel(
            name='FrameworkNode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=40, verbose_name='code')),
                ('kind', models.CharField(max_length=24, verbose_name='kind')),
                ('name_vi', models.CharField(max_length=400, verbose_name='name (Vietnamese)')),
                ('name_en', models.CharField(blank=True, max_length=400, verbose_name='name (English)')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('framework', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='nodes', to='analytics.framework')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='children', to='analytics.frameworknode')),
            ],
            options={
                'verbose_name': 'framework element',
                'verbose_name_plural': 'framework elements',
                'ordering': ['framework', 'position', 'code'],
            },
        ),
        migrations.CreateModel(
            name='Indicator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=40, unique=True, verbose_name='code')),
                ('name_vi', models.CharField(max_length=300, verbose_name='name (Vietnamese)')),
                ('name_en', models.CharField(blank=True, max_length=300, verbose_name='name (English)')),
                ('description_vi', models.TextField(blank=True, verbose_name='description (Vietnamese)')),
                ('description_en', models.TextField(blank=True, verbose_name='description (English)')),
                ('unit', models.CharField(choices=[('percent', 'per cent'), ('count', 'count'), ('hours', 'hours'), ('index', 'index')], max_length=12, verbose_name='unit')),
                ('formula', models.JSONField(default=dict, verbose_name='formula')),
                ('default_by', models.CharField(blank=True, max_length=100, verbose_name='default breakdown')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('is_active', models.BooleanField(default=True)),
                ('version', models.CharField(blank=True, max_length=40, verbose_name='catalogue version')),
                ('nodes', models.ManyToManyField(blank=True, related_name='indicators', to='analytics.frameworknode')),
            ],
            options={
                'verbose_name': 'indicator',
                'verbose_name_plural': 'indicators',
                'ordering': ['position', 'code'],
            },
        ),
        migrations.CreateModel(
            name='IndicatorTarget',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('value', models.DecimalField(decimal_places=3, max_digits=14, verbose_name='target')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                ('city', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.city')),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='analytics.indicator')),
            ],
            options={
                'verbose_name': 'indicator target',
                'verbose_name_plural': 'indicator targets',
                'ordering': ['indicator', 'year'],
            },
        ),
        migrations.CreateModel(
            name='LearnerYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('learner_id', models.BigIntegerField()),
                ('year', models.SmallIntegerField()),
                ('area_id', models.BigIntegerField(null=True)),
                ('sex', models.CharField(blank=True, max_length=1)),
                ('birth_year', models.SmallIntegerField(null=True)),
                ('ethnicity', models.CharField(blank=True, max_length=2)),
                ('has_disability', models.BooleanField(null=True)),
                ('a01', models.IntegerField(default=0)),
                ('a02', models.IntegerField(default=0)),
                ('a03', models.IntegerField(default=0)),
                ('a04', models.IntegerField(default=0)),
                ('a05', models.IntegerField(default=0)),
                ('a06', models.IntegerField(default=0)),
                ('a07', models.IntegerField(default=0)),
                ('a08', models.IntegerField(default=0)),
                ('a09', models.IntegerField(default=0)),
                ('a10', models.IntegerField(default=0)),
                ('a11', models.IntegerField(default=0)),
                ('a12', models.IntegerField(default=0)),
                ('n01', models.IntegerField(default=0)),
                ('n02', models.IntegerField(default=0)),
                ('n03', models.IntegerField(default=0)),
                ('n04', models.IntegerField(default=0)),
                ('n05', models.IntegerField(default=0)),
                ('n06', models.IntegerField(default=0)),
                ('n07', models.IntegerField(default=0)),
                ('n08', models.IntegerField(default=0)),
                ('n09', models.IntegerField(default=0)),
                ('n10', models.IntegerField(default=0)),
                ('n11', models.IntegerField(default=0)),
                ('n12', models.IntegerField(default=0)),
                ('city', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.city')),
            ],
        ),
        migrations.CreateModel(
            name='ManualValue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('value', models.DecimalField(decimal_places=3, max_digits=14, verbose_name='value')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='note')),
                ('source', models.CharField(max_length=300, verbose_name='source')),
                ('evidence', models.FileField(blank=True, upload_to=learningcity.analytics.models.evidence_path, verbose_name='evidence file')),
                ('status', models.CharField(choices=[('entered', 'entered'), ('approved', 'approved')], default='entered', max_length=12, verbose_name='status')),
                ('approved_at', models.DateTimeField(blank=True, null=True)),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('area', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.area')),
                ('city', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.city')),
                ('entered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='manual_values', to='analytics.indicator')),
            ],
            options={
                'verbose_name': 'reported value',
                'verbose_name_plural': 'reported values',
                'ordering': ['indicator', '-year'],
            },
        ),
        migrations.CreateModel(
            name='Participation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('learner_id', models.BigIntegerField()),
                ('programme_id', models.BigIntegerField()),
                ('year', models.SmallIntegerField()),
                ('a01', models.IntegerField(default=0)),
                ('a02', models.IntegerField(default=0)),
                ('a03', models.IntegerField(default=0)),
                ('a04', models.IntegerField(default=0)),
                ('a05', models.IntegerField(default=0)),
                ('a06', models.IntegerField(default=0)),
                ('a07', models.IntegerField(default=0)),
                ('a08', models.IntegerField(default=0)),
                ('a09', models.IntegerField(default=0)),
                ('a10', models.IntegerField(default=0)),
                ('a11', models.IntegerField(default=0)),
                ('a12', models.IntegerField(default=0)),
                ('n01', models.IntegerField(default=0)),
                ('n02', models.IntegerField(default=0)),
                ('n03', models.IntegerField(default=0)),
                ('n04', models.IntegerField(default=0)),
                ('n05', models.IntegerField(default=0)),
                ('n06', models.IntegerField(default=0)),
                ('n07', models.IntegerField(default=0)),
                ('n08', models.IntegerField(default=0)),
                ('n09', models.IntegerField(default=0)),
                ('n10', models.IntegerField(default=0)),
                ('n11', models.IntegerField(default=0)),
                ('n12', models.IntegerField(default=0)),
                ('city', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.city')),
            ],
            options={
                'verbose_name': 'participation summary',
                'verbose_name_plural': 'participation summaries',
            },
        ),
        migrations.CreateModel(
            name='PeopleYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.SmallIntegerField()),
                ('area_id', models.BigIntegerField(default=0)),
                ('sex', models.CharField(blank=True, max_length=1)),
                ('age_band', models.CharField(blank=True, max_length=5)),
                ('ethnicity', models.CharField(blank=True, max_length=2)),
                ('disability', models.CharField(blank=True, max_length=3)),
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
                ('a01', models.IntegerField(default=0)),
                ('a02', models.IntegerField(default=0)),
                ('a03', models.IntegerField(default=0)),
                ('a04', models.IntegerField(default=0)),
                ('a05', models.IntegerField(default=0)),
                ('a06', models.IntegerField(default=0)),
                ('a07', models.IntegerField(default=0)),
                ('a08', models.IntegerField(default=0)),
                ('a09', models.IntegerField(default=0)),
                ('a10', models.IntegerField(default=0)),
                ('a11', models.IntegerField(default=0)),
                ('a12', models.IntegerField(default=0)),
                ('n01', models.IntegerField(default=0)),
                ('n02', models.IntegerField(default=0)),
                ('n03', models.IntegerField(default=0)),
                ('n04', models.IntegerField(default=0)),
                ('n05', models.IntegerField(default=0)),
                ('n06', models.IntegerField(default=0)),
                ('n07', models.IntegerField(default=0)),
                ('n08', models.IntegerField(default=0)),
                ('n09', models.IntegerField(default=0)),
                ('n10', models.IntegerField(default=0)),
                ('n11', models.IntegerField(default=0)),
                ('n12', models.IntegerField(default=0)),
                ('city', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.city')),
            ],
        ),
        migrations.CreateModel(
            name='ProgrammeLearner',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.SmallIntegerField()),
                ('programme_id', models.BigIntegerField()),
                ('learner_id', models.BigIntegerField()),
                ('months', models.IntegerField(default=0)),
                ('city', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.city')),
            ],
        ),
        migrations.CreateModel(
            name='ProgrammeYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('programme_id', models.BigIntegerField()),
                ('year', models.SmallIntegerField()),
                ('a01', models.IntegerField(default=0)),
                ('a02', models.IntegerField(default=0)),
                ('a03', models.IntegerField(default=0)),
                ('a04', models.IntegerField(default=0)),
                ('a05', models.IntegerField(default=0)),
                ('a06', models.IntegerField(default=0)),
                ('a07', models.IntegerField(default=0)),
                ('a08', models.IntegerField(default=0)),
                ('a09', models.IntegerField(default=0)),
                ('a10', models.IntegerField(default=0)),
                ('a11', models.IntegerField(default=0)),
                ('a12', models.IntegerField(default=0)),
                ('n01', models.IntegerField(default=0)),
                ('n02', models.IntegerField(default=0)),
                ('n03', models.IntegerField(default=0)),
                ('n04', models.IntegerField(default=0)),
                ('n05', models.IntegerField(default=0)),
                ('n06', models.IntegerField(default=0)),
                ('n07', models.IntegerField(default=0)),
                ('n08', models.IntegerField(default=0)),
                ('n09', models.IntegerField(default=0)),
                ('n10', models.IntegerField(default=0)),
                ('n11', models.IntegerField(default=0)),
                ('n12', models.IntegerField(default=0)),
                ('city', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.city')),
            ],
        ),
        migrations.AddConstraint(
            model_name='frameworknode',
            constraint=models.UniqueConstraint(fields=('framework', 'code'), name='framework_node_unique_code'),
        ),
        migrations.AddConstraint(
            model_name='indicatortarget',
            constraint=models.UniqueConstraint(condition=models.Q(('city__isnull', False)), fields=('indicator', 'city', 'year'), name='indicator_target_city'),
        ),
        migrations.AddConstraint(
            model_name='indicatortarget',
            constraint=models.UniqueConstraint(condition=models.Q(('city__isnull', True)), fields=('indicator', 'year'), name='indicator_target_national'),
        ),
        migrations.AddIndex(
            model_name='learneryear',
            index=models.Index(fields=['city', 'year'], name='learner_year_city_year'),
        ),
        migrations.AddConstraint(
            model_name='learneryear',
            constraint=models.UniqueConstraint(fields=('learner_id', 'year'), name='learner_year_unique'),
        ),
        migrations.AddConstraint(
            model_name='manualvalue',
            constraint=models.UniqueConstraint(condition=models.Q(('area__isnull', False)), fields=('city', 'indicator', 'area', 'year'), name='manual_value_unique_area'),
        ),
        migrations.AddConstraint(
            model_name='manualvalue',
            constraint=models.UniqueConstraint(condition=models.Q(('area__isnull', True)), fields=('city', 'indicator', 'year'), name='manual_value_unique_city'),
        ),
        migrations.AddConstraint(
            model_name='manualvalue',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'approved'), _negated=True), ('approved_by__isnull', False), ('approved_at__isnull', False), _connector='OR'), name='manual_value_approved_has_approver'),
        ),
        migrations.AddIndex(
            model_name='participation',
            index=models.Index(fields=['city', 'year'], name='participation_city_year'),
        ),
        migrations.AddConstraint(
            model_name='participation',
            constraint=models.UniqueConstraint(fields=('learner_id', 'programme_id', 'year'), name='participation_unique'),
        ),
        migrations.AddConstraint(
            model_name='peopleyear',
            constraint=models.UniqueConstraint(fields=('city', 'year', 'area_id', 'sex', 'age_band', 'ethnicity', 'disability'), name='people_year_unique'),
        ),
        migrations.AddIndex(
            model_name='programmelearner',
            index=models.Index(fields=['city', 'year', 'programme_id', 'learner_id', 'months'], name='programme_learner_cover'),
        ),
        migrations.AddConstraint(
            model_name='programmelearner',
            constraint=models.UniqueConstraint(fields=('learner_id', 'programme_id', 'year'), name='programme_learner_unique'),
        ),
        migrations.AddIndex(
            model_name='programmeyear',
            index=models.Index(fields=['city', 'year'], name='programme_year_city_year'),
        ),
        migrations.AddConstraint(
            model_name='programmeyear',
            constraint=models.UniqueConstraint(fields=('programme_id', 'year'), name='programme_year_unique'),
        ),
        migrations.RunPython(_run("install"), _run("uninstall")),
    ]
