"""SQLite: a covering index of the practices' facets (learningcity/network/search_index.py). PostgreSQL keeps its
plan (its tags may be long for a btree key)."""

from django.db import migrations

from learningcity.network import search_index


def forwards(apps, schema_editor):
    search_index.install_facets(schema_editor)


def backwards(apps, schema_editor):
    search_index.uninstall_facets(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("network", "0004_practice_search_index")]

    operations = [migrations.RunPython(forwards, backwards)]
