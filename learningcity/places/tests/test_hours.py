import datetime as dt

import pytest

from learningcity.core.errors import DomainError
from learningcity.places import hours


def test_parse_and_format_round_trip():
    week = hours.parse("Mo-Fr 07:30-11:00,14:00-17:00; Sa 08:00-11:00")
    assert week[0] == [(dt.time(7, 30), dt.time(11)), (dt.time(14), dt.time(17))]
    assert week[6] == []
    assert hours.format_week(week) == "Mo-Fr 07:30-11:00,14:00-17:00; Sa 08:00-11:00"


def test_vietnamese_day_names_and_every_day():
    assert hours.normalize_hours("T2-CN 08:00-20:00") == "Mo-Su 08:00-20:00"
    assert hours.normalize_hours("mo,tu,we,th,fr,sa,su 8h00-20h00") == "Mo-Su 08:00-20:00"


@pytest.mark.parametrize(
    "text", ["Mo 20:00-08:00", "Xx 08:00-10:00", "Mo 8-10", "Mo 08:00-12:00,11:00-13:00", "Mo 25:00-26:00"]
)
def test_bad_hours_are_refused_with_a_message(text):
    with pytest.raises(DomainError) as exc:
        hours.parse(text)
    assert exc.value.field == "hours"
    assert exc.value.message


class Closure:
    def __init__(self, day, closed=True, opens=None, closes=None):
        self.date_from = self.date_to = day
        self.closed, self.opens, self.closes = closed, opens, closes


def test_is_open_uses_week_and_exceptions():
    week = hours.parse("Mo-Su 08:00-20:00")
    monday_noon = dt.datetime(2026, 11, 23, 12, 0)
    assert hours.is_open(week, [], monday_noon)
    assert not hours.is_open(week, [], monday_noon.replace(hour=21))
    assert not hours.is_open(week, [Closure(monday_noon.date())], monday_noon)
    special = Closure(monday_noon.date(), closed=False, opens=dt.time(13), closes=dt.time(22))
    assert hours.is_open(week, [special], monday_noon.replace(hour=21))
    assert not hours.is_open(week, [special], monday_noon)


@pytest.mark.django_db
def test_open_until_midnight_includes_its_last_minute(city, areas):
    """ "24:00" is stored as 23:59; at 23:59:30 such a space is still open, in Python and in the database filter
    (the browser story once failed when it ran in that minute)."""
    from zoneinfo import ZoneInfo

    from learningcity.places.models import LearningSpace
    from learningcity.places.selectors import is_open_now, open_now_q
    from learningcity.places.tests.factories import SpaceFactory

    space = SpaceFactory(city=city, area=areas["me_ban"], hours="Mo-Su 00:00-24:00")
    late = dt.datetime(2026, 12, 3, 23, 59, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert hours.is_open(hours.parse("Mo-Su 00:00-24:00"), [], late)
    assert is_open_now(space, late)
    assert list(LearningSpace.objects.filter(open_now_q(late)).values_list("pk", flat=True)) == [space.pk]
    # A space that closes at 20:00 is not open then.
    assert not hours.is_open(hours.parse("Mo-Su 08:00-20:00"), [], late)
