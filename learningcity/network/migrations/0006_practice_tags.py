"""The practices' facets move from a string column (`tags_text`, ",kind:value,") to a narrow table of (practice,
tag) rows that the library counts through an index (learningcity/network/models.py: PracticeTag).

The published practices' facets are carried over from `tags_text` (what the services had written), with a
"city:<id>" tag each; a draft has no rows. SQLite's covering index of (status, city, updated_at, tags_text) is dropped before
the column (search_index.py); an index of (status, updated_at, city) walks the newest first on both engines.
Going back writes `tags_text` again from the rows (a draft's stays empty until its next edit)."""

import django.db.models.deletion
from django.db import migrations, models

from learningcity.network import search_index


def tags_from_text(apps, schema_editor):
    Practice = apps.get_model("network", "Practice")
    PracticeTag = apps.get_model("network", "PracticeTag")
    rows = []
    published = Practice.objects.filter(status="published")
    for pk, city_id, tags_text in published.values_list("pk", "city_id", "tags_text"):
        tags = [t for t in (tags_text or "").split(",") if t] + [f"city:{city_id}"]
        rows += [PracticeTag(practice_id=pk, city_id=city_id, tag=tag[:80]) for tag in dict.fromkeys(tags)]
    PracticeTag.objects.bulk_create(rows, batch_size=5000)


def text_from_tags(apps, schema_editor):
    Practice = apps.get_model("network", "Practice")
    PracticeTag = apps.get_model("network", "PracticeTag")
    by_practice: dict[int, list[str]] = {}
    for practice_id, tag in PracticeTag.objects.order_by("pk").values_list("practice_id", "tag"):
        if not tag.startswith("city:"):
            by_practice.setdefault(practice_id, []).append(tag)
    for practice_id, tags in by_practice.items():
        Practice.objects.filter(pk=practice_id).update(tags_text="," + ",".join(tags) + ",")


def drop_facets_index(apps, schema_editor):
    search_index.uninstall_facets(schema_editor)


def create_facets_index(apps, schema_editor):
    # Going back, SQLite rebuilt the table to add `tags_text` again, and its text index triggers went with it.
    search_index.install(schema_editor)
    search_index.install_facets(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_role_librarian"),
        ("network", "0005_practice_facets_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="PracticeTag",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("tag", models.CharField(max_length=80)),
                (
                    "city",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.city",
                    ),
                ),
                (
                    "practice",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tags",
                        to="network.practice",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["tag", "city", "practice"], name="practice_tag_facets")
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("practice", "tag"), name="practice_tag_unique")
                ],
            },
        ),
        migrations.RunPython(tags_from_text, text_from_tags),
        migrations.RunPython(drop_facets_index, create_facets_index),
        migrations.RemoveField(model_name="practice", name="tags_text"),
        migrations.AddIndex(
            model_name="practice",
            index=models.Index(fields=["status", "updated_at", "city"], name="network_pra_status_e69780_idx"),
        ),
    ]
