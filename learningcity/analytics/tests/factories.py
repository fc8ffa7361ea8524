"""Small worlds with hand-countable figures for the analytics tests."""

import datetime as dt
import itertools

from learningcity.core.models import PopulationCount
from learningcity.places.tests.factories import SpaceFactory
from learningcity.programmes.models import Attendance, Learner, Membership, Programme, Session

_seq = itertools.count(1)


def programme(city, *, kind="club", topics=("culture",), area=None, code=None):
    n = next(_seq)
    return Programme.objects.create(
        city=city,
        code=code or f"p{n}",
        kind=kind,
        title_vi=f"Chương trình {n}",
        topics=Programme.join_codes(topics),
        area=area,
    )


def space(city, area, name="Nhà trí tuệ"):
    return SpaceFactory(city=city, area=area, name_vi=name)


def session(prog, *, day, space=None, minutes=60, status="scheduled"):
    end_h, end_m = divmod(8 * 60 + minutes, 60)
    return Session.objects.create(
        city=prog.city,
        programme=prog,
        space=space,
        date=day,
        start_time=dt.time(8, 0),
        end_time=dt.time(end_h, end_m),
        status=status,
    )


def learner(city, *, sex="F", birth_year=1990, ethnicity="03", area=None, disability=None):
    n = next(_seq)
    return Learner.objects.create(
        city=city,
        code=f"L{n:05d}",
        full_name=f"Người học {n}",
        sex=sex,
        birth_year=birth_year,
        ethnicity=ethnicity,
        area=area,
        has_disability=disability,
    )


def attend(sess, person):
    return Attendance.objects.create(
        city=sess.city,
        session=sess,
        learner=person,
        programme=sess.programme,
        space=sess.space,
        area=person.area,
        date=sess.date,
        minutes=sess.minutes,
    )


def member(prog, person, joined=dt.date(2025, 1, 1)):
    return Membership.objects.create(city=prog.city, programme=prog, learner=person, joined_on=joined)


def population(city, area, year, count, sex="", age_band="", ethnicity=""):
    return PopulationCount.objects.create(
        city=city,
        area=area,
        year=year,
        sex=sex,
        age_band=age_band,
        ethnicity=ethnicity,
        count=count,
        source="test",
    )
