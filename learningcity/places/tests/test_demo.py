import time

import pytest

from learningcity.core.demo import DemoContext, create_city
from learningcity.core.demo import load as core_load
from learningcity.places import demo
from learningcity.places.models import LearningSpace, SpaceStatus
from learningcity.places.selectors import SpaceFilters, space_list

pytestmark = pytest.mark.django_db


def test_demo_places_112_spaces_in_their_areas_quickly():
    city = create_city()
    ctx = DemoContext(city=city, password="demo-password-123", log=lambda *a: None)
    core_load(ctx)
    started = time.monotonic()
    demo.load(ctx)
    elapsed = time.monotonic() - started
    assert elapsed < 5
    assert len(ctx.data["spaces"]) == 112
    spaces = LearningSpace.objects.filter(city=city).select_related("area", "space_type")
    assert spaces.count() == 112
    assert spaces.filter(space_type__code="house-of-wisdom").count() == 69
    assert spaces.filter(space_type__code="compassionate-library").count() == 32
    wards = {"03646", "03664", "03670", "03679"}
    for space in spaces:
        if space.lat is None:
            continue
        assert city.contains_point(space.lat, space.lon)
        centre = space.area
        assert abs(space.lat - centre.lat) < 0.02 and abs(space.lon - centre.lon) < 0.02, space
    in_wards = [s for s in spaces if s.area.code[:5] in wards]
    assert len(in_wards) >= 100
    assert spaces.filter(hours="Mo-Su 08:00-20:00").count() > 60
    meban = spaces.get(space_type__code="house-of-wisdom", area__code="03670-MB")
    assert list(meban.coordinators.values_list("username", flat=True)) == ["space.meban"]
    assert meban.status == SpaceStatus.ACTIVE
    found = space_list(city=city, filters=SpaceFilters(q="nha tri tue me ban"))
    assert meban in found
    demo.load(ctx)  # idempotent
    assert LearningSpace.objects.filter(city=city).count() == 112
