import pytest

from learningcity.core.demo import DemoContext, create_city
from learningcity.core.demo import load as core_load
from learningcity.places import demo
from learningcity.places.models import LearningSpace, SpaceStatus
from learningcity.places.selectors import SpaceFilters, space_list

pytestmark = pytest.mark.django_db


def test_demo_places_112_houses_of_wisdom_and_libraries_all_on_the_map():
    city = create_city()
    ctx = DemoContext(city=city, password="demo-password-123", log=lambda *a: None)
    core_load(ctx)
    demo.load(ctx)
    assert len(ctx.data["spaces"]) == 123
    spaces = LearningSpace.objects.filter(city=city).select_related("area", "space_type")
    assert spaces.count() == 123
    assert spaces.filter(space_type__code="house-of-wisdom").count() == 69
    assert spaces.filter(space_type__code="compassionate-library").count() == 43
    # Son La's 112 Houses of Wisdom and Compassionate Libraries all stay on the map and in the home's figures.
    bookcases = spaces.filter(space_type__code__in=["house-of-wisdom", "compassionate-library"])
    assert bookcases.filter(status=SpaceStatus.ACTIVE, lat__isnull=False, lon__isnull=False).count() == 112
    from learningcity.places.figures import key_figures

    assert [n for _label, n in key_figures(city)] == [121, 112]  # open spaces (one planned, one closed)
    wards = {"03646", "03664", "03670", "03679"}
    for space in spaces:
        if space.lat is None:
            continue
        assert city.contains_point(space.lat, space.lon)
        centre = space.area
        assert abs(space.lat - centre.lat) < 0.02, space
        assert abs(space.lon - centre.lon) < 0.02, space
    in_wards = [s for s in spaces if s.area.code[:5] in wards]
    assert len(in_wards) >= 100
    assert spaces.filter(hours="Mo-Su 08:00-20:00").count() > 60
    meban = spaces.get(space_type__code="house-of-wisdom", area__code="03670-MB")
    assert list(meban.coordinators.values_list("username", flat=True)) == ["space.meban"]
    assert meban.status == SpaceStatus.ACTIVE
    found = space_list(city=city, filters=SpaceFilters(q="nha tri tue me ban"))
    assert meban in found
    demo.load(ctx)  # idempotent
    assert LearningSpace.objects.filter(city=city).count() == 123
