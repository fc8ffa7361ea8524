"""Partnerships named their programmes as text; link each name that is one of the city's programmes (by its code
or its Vietnamese or English title, accents and case aside). A name that matches no programme, or several, stays
in `programme_names`, so nothing recorded is lost. Going back puts the linked programmes' titles into the names."""

from django.db import migrations

from learningcity.core.text import fold


def link_names(apps, schema_editor):
    Partnership = apps.get_model("network", "Partnership")
    Programme = apps.get_model("programmes", "Programme")
    by_city: dict[int, dict[str, set[int]]] = {}
    for partnership in Partnership.objects.exclude(programme_names=[]).order_by("pk"):
        if partnership.city_id not in by_city:
            keys: dict[str, set[int]] = {}
            for pk, code, title_vi, title_en in Programme.objects.filter(city_id=partnership.city_id).values_list(
                "pk", "code", "title_vi", "title_en"
            ):
                for key in {fold(code), fold(title_vi), fold(title_en)} - {""}:
                    keys.setdefault(key, set()).add(pk)
            by_city[partnership.city_id] = keys
        keys = by_city[partnership.city_id]
        linked, kept = [], []
        for name in partnership.programme_names or []:
            matches = keys.get(fold(str(name)), set())
            if len(matches) == 1:
                linked.append(next(iter(matches)))
            else:
                kept.append(name)
        if linked:
            partnership.programmes.add(*linked)
            partnership.programme_names = kept
            partnership.save(update_fields=["programme_names"])


def unlink(apps, schema_editor):
    Partnership = apps.get_model("network", "Partnership")
    for partnership in Partnership.objects.prefetch_related("programmes").order_by("pk"):
        titles = [p.title_vi for p in partnership.programmes.all()]
        if titles:
            names = list(partnership.programme_names or [])
            partnership.programme_names = titles + [n for n in names if n not in titles]
            partnership.save(update_fields=["programme_names"])
            partnership.programmes.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0002_moderation_programme_links"),
        ("programmes", "0002_attendance_lean_keys"),
    ]

    operations = [migrations.RunPython(link_names, unlink)]
