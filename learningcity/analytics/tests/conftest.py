import datetime as dt

import pytest

from learningcity.analytics.measures import MeasureQuery
from learningcity.analytics.periods import period_parse

from . import factories as f


@pytest.fixture
def world(city, areas):
    """A hand-countable city (see the comments for the expected figures)."""
    a = areas
    chieng_coi, to_hieu, me_ban, to_1 = a["chieng_coi"], a["to_hieu"], a["me_ban"], a["to_1"]
    chieng_coi.is_remote = True
    chieng_coi.save(update_fields=["is_remote"])
    x = f.space(city, me_ban, "Nhà trí tuệ Mé Ban")
    y = f.space(city, to_1, "Thư viện Tổ 1")
    p1 = f.programme(city, kind="club", topics=["culture"], code="thai-club")
    p2 = f.programme(city, kind="class", topics=["literacy", "language"], code="thai-script")
    s0 = f.session(p1, day=dt.date(2024, 12, 1), space=x)
    s1 = f.session(p1, day=dt.date(2025, 3, 1), space=x, minutes=60)
    s2 = f.session(p1, day=dt.date(2025, 3, 8), space=x, minutes=90)
    s3 = f.session(p1, day=dt.date(2025, 4, 1), space=x, minutes=60)
    s4 = f.session(p2, day=dt.date(2025, 5, 1), space=y, minutes=120)
    f.session(p2, day=dt.date(2025, 5, 2), space=y, status="cancelled")
    A = f.learner(city, sex="F", birth_year=1990, ethnicity="03", area=me_ban, disability=False)
    B = f.learner(city, sex="F", birth_year=2005, ethnicity="03", area=me_ban, disability=False)
    C = f.learner(city, sex="M", birth_year=1950, ethnicity="01", area=to_1, disability=True)
    D = f.learner(city, sex="M", birth_year=2003, ethnicity="08", area=chieng_coi)
    E = f.learner(city, sex="F", birth_year=1980, ethnicity="01", area=to_hieu)
    for s, people in [(s1, [A, B]), (s2, [A, D]), (s3, [A]), (s4, [C, D]), (s0, [E])]:
        for p in people:
            f.attend(s, p)
    for p in (A, B, D):
        f.member(p1, p)
    f.population(city, chieng_coi, 2025, 100)
    f.population(city, chieng_coi, 2025, 50, sex="F")
    f.population(city, chieng_coi, 2025, 50, sex="M")
    f.population(city, to_hieu, 2025, 50)
    f.population(city, to_hieu, 2025, 30, sex="F")
    f.population(city, to_hieu, 2025, 20, sex="M")
    return {
        **a,
        "x": x,
        "y": y,
        "p1": p1,
        "p2": p2,
        "A": A,
        "B": B,
        "C": C,
        "D": D,
        "E": E,
        "sessions": [s0, s1, s2, s3, s4],
    }


@pytest.fixture
def q2025(city, world):
    return MeasureQuery(city=city, period=period_parse("2025"), today=dt.date(2025, 6, 30))


@pytest.fixture(autouse=True)
def _english():
    """Unit tests compare labels in English; the browser story runs in Vietnamese."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _english_client(client, settings):
    """Requests in the tests ask for English pages and messages too."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
