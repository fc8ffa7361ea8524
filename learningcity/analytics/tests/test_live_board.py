"""The staff dashboard kept until the next committed write (core.freshness.live, core.changes): staff figures stay
live, whoever writes and however (one tick, an import through the driver's cursor, a population figure)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from learningcity.analytics.services.population import population_count_set
from learningcity.analytics.tests import factories as f
from learningcity.programmes.models import Attendance
from learningcity.programmes.services.attendance_stage import insert_attendance_rows

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/son-la/manage/participation/?period=2025"


def _learners(client) -> str:
    return client.get(URL).context["board"].figures[0][1]


def test_a_kept_board_reads_no_figures_and_every_write_shows_at_the_next_page(
    client, city, world, people, live_values
):
    client.force_login(people["viewer"])
    assert _learners(client) == "4"
    with CaptureQueriesContext(connection) as read:
        page = client.get(URL)
    assert page.status_code == 200
    assert "Exact figures for staff" in page.content.decode()
    tables = " ".join(q["sql"] for q in read.captured_queries)
    assert "core_changestamp" in tables
    for figures in ("analytics_", "programmes_", "core_populationcount"):
        assert figures not in tables

    # An ORM write outside any service (a coordinator's tick goes the same way)
    f.attend(world["sessions"][4], f.learner(city, sex="F", birth_year=1970, area=world["to_1"]))
    assert _learners(client) == "5"

    # Rows written through the driver's own cursor, as the attendance import does
    newcomer = f.learner(city, sex="M", birth_year=1971, area=world["to_1"])
    s = world["sessions"][1]
    assert _learners(client) == "5"  # a learner without attendance changes no count
    insert_attendance_rows(
        [(city.pk, s.pk, newcomer.pk, s.programme_id, s.space_id, newcomer.area_id, s.date, 60)]
    )
    assert _learners(client) == "6"

    # A population figure: the rate of the area changes
    area = world["to_hieu"]
    before = client.get(URL).context["board"].table("area")
    assert next(c for c in before.rows if c.key == area.pk).population == 50
    population_count_set(actor=people["city_admin"], city=city, area=area, year=2025, count=80)
    after = client.get(URL).context["board"].table("area")
    assert next(c for c in after.rows if c.key == area.pk).population == 80


def test_staff_without_exact_figures_never_get_the_exact_board(client, city, world, people, live_values):
    client.force_login(people["viewer"])
    assert client.get(URL).context["board"].exact
    client.force_login(people["judge"])  # staff of the city without the right to exact figures
    response = client.get(URL)
    assert response.status_code == 200
    assert not response.context["board"].exact
    assert response.context["board"].figures[0][1] == "<5"  # judges see the suppressed figures, kept apart


def test_a_rolled_back_import_keeps_the_board(client, city, world, people, live_values):
    client.force_login(people["viewer"])
    assert _learners(client) == "4"
    newcomer = f.learner(city, sex="M", birth_year=1971, area=world["to_1"])
    s = world["sessions"][1]
    row = (city.pk, s.pk, newcomer.pk, s.programme_id, s.space_id, newcomer.area_id, s.date, 60)

    def import_that_stops():
        with transaction.atomic():
            insert_attendance_rows([row])
            raise RuntimeError("the import stopped")

    with pytest.raises(RuntimeError):
        import_that_stops()
    assert _learners(client) == "4"
    assert not Attendance.objects.filter(learner=newcomer).exists()
