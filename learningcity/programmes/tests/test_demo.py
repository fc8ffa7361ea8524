import pytest

from learningcity.core.demo import DemoContext
from learningcity.programmes import demo
from learningcity.programmes.models import Attendance, Learner, Programme, Session

pytestmark = pytest.mark.django_db


def test_demo_programmes_population_and_attendance(city, areas, people, space, monkeypatch):
    monkeypatch.setattr(demo, "TARGET_LEARNERS", 1500)
    ctx = DemoContext(city=city, password="x", log=lambda *a: None)
    ctx.data["spaces"] = [space]
    ctx.users["space.meban"] = people["space_coordinator"]
    demo.load(ctx)
    assert Programme.objects.filter(city=city, code__startswith="clb-thai-").count() == 35
    assert all(p.title_blt for p in Programme.objects.filter(code__startswith="clb-thai-"))
    assert ctx.data["lau_lau"]
    assert Programme.objects.get(pk=ctx.data["lau_lau"]).partner_country == "FI"
    script = Programme.objects.get(pk=ctx.data["thai_script_class"])
    ages = [
        2024 - y
        for y in Learner.objects.filter(memberships__programme=script).values_list("birth_year", flat=True)
    ]
    assert len(ages) >= 30
    assert min(ages) == 9
    assert max(ages) == 76
    assert Session.objects.filter(programme=script, date__year=2024, date__month=3).count() >= 7
    total = Learner.objects.filter(city=city).count()
    thai = Learner.objects.filter(city=city, ethnicity="03").count()
    assert total == 1500
    assert 0.48 < thai / total < 0.59
    assert Attendance.objects.filter(city=city).count() == ctx.data["attendance_count"] > 10_000
    demo.load(ctx)  # a second load adds nothing
    assert Learner.objects.filter(city=city).count() == 1500
