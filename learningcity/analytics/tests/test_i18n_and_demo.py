import re
from pathlib import Path

import polib

from learningcity.analytics import demo
from learningcity.analytics.models import ManualValue
from learningcity.core.demo import DemoContext
from learningcity.core.models import PopulationCount

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def test_every_string_is_translated_into_vietnamese():
    po = polib.pofile(str(LOCALE / "vi/LC_MESSAGES/django.po"))
    assert len(po) > 200
    assert not po.untranslated_entries()
    assert not po.fuzzy_entries()
    assert not po.obsolete_entries()
    for entry in po:
        wanted = sorted(re.findall(r"%\(\w+\)s", entry.msgid))
        assert sorted(re.findall(r"%\(\w+\)s", entry.msgstr)) == wanted, entry.msgid


def test_demo_population_follows_census_shares_and_adds_up(city, areas, people):
    ctx = DemoContext(city=city, password="x", users={"admin": people["city_admin"]})
    demo.load(ctx)
    for ward in (areas["chieng_coi"], areas["to_hieu"]):
        for year in (2024, 2025, 2026):
            rows = PopulationCount.objects.filter(city=city, area=ward, year=year)
            total = rows.get(sex="", age_band="", ethnicity="").count
            assert total == sum(r.count for r in rows.exclude(sex="", age_band="", ethnicity=""))
    chieng_coi = PopulationCount.objects.filter(city=city, area=areas["chieng_coi"], year=2025)
    total = chieng_coi.get(sex="", age_band="", ethnicity="").count
    assert total == 24_300
    thai = sum(r.count for r in chieng_coi.filter(ethnicity="03"))
    assert round(thai / total * 100, 1) == 53.6
    # the hamlet's figures are part of its ward's
    hamlet = PopulationCount.objects.get(
        city=city, area=areas["me_ban"], year=2025, sex="", ethnicity="", age_band=""
    )
    assert hamlet.count == round(24_300 * demo.HAMLET_SHARE)
    assert ManualValue.objects.filter(city=city, status="approved").count() == 1
