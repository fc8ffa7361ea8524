"""The learner tally (tally.py): every way learners are added or removed keeps each city's count equal to a fresh
count of its learners, on both engines; the city home shows it."""

import pytest
from django.db import connection

from learningcity.analytics import tally
from learningcity.analytics.figures import _key_figures
from learningcity.programmes import services
from learningcity.programmes.models import Learner

from . import factories as f

pytestmark = pytest.mark.django_db


def tallies() -> dict[int, int]:
    """Every city's tally, cities with no learner left out (a row of 0 says the same as no row)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT city_id, learners FROM {tally.TALLY}")  # noqa: S608 - a constant table name
        return {city_id: n for city_id, n in cursor.fetchall() if n}


def counted() -> dict[int, int]:
    """A fresh count of the learners of every city."""
    out: dict[int, int] = {}
    for city_id in Learner.objects.values_list("city_id", flat=True):
        out[city_id] = out.get(city_id, 0) + 1
    return out


def test_the_tally_follows_every_write_of_learners(city, other_city, world, people):
    assert tallies() == counted()
    assert tallies()[city.pk] == 5  # A..E of the world
    # inserts: one by one (a form, the API) and many in one statement (a bulk load)
    new = services.learner_create(actor=people["city_admin"], city=city, full_name="Lò Thị Mai")
    Learner.objects.bulk_create(
        [Learner(city=city, code=f"BULK{i}", full_name=f"Người {i}") for i in range(7)]
        + [Learner(city=other_city, code=f"OTH{i}", full_name=f"Người khác {i}") for i in range(3)]
    )
    assert tallies() == counted()
    assert tallies()[city.pk] == 13
    assert tallies()[other_city.pk] == 3
    # updates: an edit changes nothing; a record moved to another city moves its count (a repair by hand)
    services.learner_update(actor=people["city_admin"], learner=new, full_name="Lò Thị Mai Anh", sex="F")
    Learner.objects.filter(code__in=["BULK0", "BULK1"]).update(city=other_city)
    assert tallies() == counted()
    assert tallies()[other_city.pk] == 5
    # a merge deletes the duplicate; an erasure deletes the person
    services.learner_merge(actor=people["city_admin"], keep=world["A"], duplicate=world["B"])
    assert tallies() == counted()
    services.learner_erase(actor=people["city_admin"], learner=world["C"])
    assert tallies() == counted()
    assert tallies()[city.pk] == 9
    # deletes: one row, many rows in one statement
    Learner.objects.filter(code="BULK2").delete()
    Learner.objects.filter(city=other_city).delete()
    assert tallies() == counted()
    assert other_city.pk not in tallies()


def _two_learners_one_code(city):
    from django.db import transaction

    with transaction.atomic():
        f.learner(city)
        Learner.objects.create(city=city, code=Learner.objects.first().code, full_name="Trùng mã")


def test_a_failed_write_leaves_the_tally_as_it_was(city, world):
    from django.db import IntegrityError

    before = tallies()
    with pytest.raises(IntegrityError, match=r"(?i)unique"):
        _two_learners_one_code(city)
    assert tallies() == before == counted()


def test_deleting_a_city_takes_its_tally_with_it(other_city):
    f.learner(other_city)
    f.learner(other_city)
    assert tallies() == {other_city.pk: 2}
    other_city.delete()
    assert tallies() == {}


def test_backfill_rebuilds_the_tally_and_its_triggers(city, world):
    before = tallies()
    tally.uninstall()
    f.learner(city)  # behind the tally's back
    assert not tally.installed()
    assert tally.backfill() >= 1
    assert tally.installed()
    assert tallies() == counted() == {city.pk: before[city.pk] + 1}
    f.learner(city)
    assert tallies() == counted()


def test_the_city_home_shows_the_tally(client, city, world):
    figures = dict(_key_figures(city))
    assert figures["Learners"] == "5"
    with connection.cursor() as cursor:  # the figure reads the tally, not the learner table
        cursor.execute(f"UPDATE {tally.TALLY} SET learners = 1234 WHERE city_id = %s", [city.pk])  # noqa: S608
    assert dict(_key_figures(city))["Learners"] == "1,234"
    response = client.get(f"/{city.slug}/")
    assert response.status_code == 200
    assert "1,234" in response.content.decode()
