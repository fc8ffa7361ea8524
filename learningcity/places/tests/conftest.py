import pytest

from learningcity.core.models import Role
from learningcity.core.tests.factories import user_with_role
from learningcity.places.tests.factories import SpaceFactory, SpaceTypeFactory


@pytest.fixture
def spaces(city, areas, people):
    """The Mé Ban House of Wisdom (coordinated by people["space_coordinator"]) and a library in Tô Hiệu."""
    library_type = SpaceTypeFactory(city=city, code="compassionate-library", name_vi="Thư viện nhân ái")
    meban = SpaceFactory(
        city=city,
        area=areas["me_ban"],
        code="SL-NTT-001",
        name_vi="Ngôi nhà trí tuệ bản Mé Ban, phường Chiềng Cơi",
        name_en="House of Wisdom, Mé Ban",
        lat=21.3001,
        lon=103.8925,
    )
    meban.coordinators.add(people["space_coordinator"])
    library = SpaceFactory(
        city=city,
        area=areas["to_1"],
        space_type=library_type,
        code="SL-TVNA-001",
        name_vi="Thư viện nhân ái tổ dân phố 1, phường Tô Hiệu",
        lat=21.33,
        lon=103.92,
        hours="Mo-Fr 07:30-11:00",
        facilities=",books,computers,",
        accessibility=",step_free,",
    )
    return {"meban": meban, "library": library}


@pytest.fixture
def other_coordinator(city):
    return user_with_role(city, Role.SPACE_COORDINATOR, username="othercoord")
