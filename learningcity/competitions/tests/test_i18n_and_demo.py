import re
from pathlib import Path

import polib
import pytest

from learningcity.core.demo import DemoContext
from learningcity.core.models import Role
from learningcity.core.tests.factories import user_with_role

from .. import demo
from ..models import Assignment, Competition, Conflict, Entry, JuryMember, Result

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def test_every_string_is_translated_into_vietnamese():
    po = polib.pofile(str(LOCALE / "vi/LC_MESSAGES/django.po"))
    assert len(po) > 300
    assert not po.untranslated_entries()
    assert not po.fuzzy_entries()
    assert not po.obsolete_entries()
    for entry in po:
        wanted = sorted(re.findall(r"%\(\w+\)s", entry.msgid))
        got = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
        assert sorted(re.findall(r"%\(\w+\)s", got)) == wanted, entry.msgid


@pytest.mark.django_db
def test_demo_loads_the_2024_competition_quickly(city, people, django_assert_max_num_queries):
    admin = user_with_role(city, Role.CITY_ADMIN, username="demo-admin")
    ctx = DemoContext(
        city=city, password="demo-password-123", users={"admin": admin, "judge": people["judge"]}
    )
    ctx.log = lambda *_: None
    with django_assert_max_num_queries(120):
        demo.load(ctx)
    competition = Competition.objects.get(city=city, slug=demo.SLUG)
    assert competition.title_vi == "Sơn La - Thành phố học tập toàn cầu thân yêu của tôi"
    assert competition.categories.count() == 4
    assert 280 <= Entry.objects.filter(competition=competition).count() <= 310
    judges = set(
        JuryMember.objects.filter(category__competition=competition).values_list("judge_id", flat=True)
    )
    assert len(judges) == 12
    assert people["judge"].pk in judges
    assert ctx.users["judge.cam"].check_password("demo-password-123")
    assert competition.results_published_at
    assert Result.objects.filter(competition=competition).count() > 280
    conflicts = set(Conflict.objects.values_list("judge_id", "entry_id"))
    assert not conflicts & set(Assignment.objects.values_list("judge_id", "entry_id"))
    demo.load(ctx)  # a second run changes nothing
    assert Competition.objects.filter(city=city).count() == 1


@pytest.mark.django_db
def test_pages_on_the_demo_data_run_a_bounded_number_of_queries(
    client, city, people, django_assert_max_num_queries
):
    admin = user_with_role(city, Role.CITY_ADMIN, username="demo-admin")
    ctx = DemoContext(
        city=city, password="demo-password-123", users={"admin": admin, "judge": people["judge"]}
    )
    ctx.log = lambda *_: None
    demo.load(ctx)
    s = demo.SLUG
    public = [
        f"/son-la/competitions/{s}/results/",
        f"/son-la/competitions/{s}/gallery/",
        f"/api/v1/cities/son-la/competitions/{s}/results",
        "/api/v1/cities/son-la/competitions",
    ]
    for url in public:
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200, url
    client.force_login(admin)
    for url in [
        f"/son-la/manage/competitions/{s}/meeting/",
        f"/son-la/manage/competitions/{s}/entries/",
        f"/son-la/manage/competitions/{s}/",
        f"/son-la/manage/competitions/{s}/conflicts/",
    ]:
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200, url
    client.force_login(people["judge"])
    with django_assert_max_num_queries(12):
        page = client.get("/son-la/manage/judging/")
    assert page.status_code == 200
    assert len(page.context["assignments"]) > 20
