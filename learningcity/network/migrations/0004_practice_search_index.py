"""The library's text index (learningcity/network/search_index.py): FTS5 trigram on SQLite, pg_trgm on PostgreSQL."""

from django.db import migrations

from learningcity.network import search_index


def forwards(apps, schema_editor):
    search_index.install(schema_editor)


def backwards(apps, schema_editor):
    search_index.uninstall(schema_editor)


class Migration(migrations.Migration):
    atomic = True

    dependencies = [("network", "0003_partnership_programme_links")]

    operations = [migrations.RunPython(forwards, backwards)]
