import pytest

from learningcity.core.models import Role
from learningcity.core.tests.factories import user_with_role
from learningcity.places.tests.factories import SpaceFactory, SpaceTypeFactory
from learningcity.programmes.models import Consent
from learningcity.programmes.tests.factories import LearnerFactory


@pytest.fixture
def shelves(city, areas, people):
    """Two bookcases: Mé Ban's House of Wisdom (people["space_coordinator"] lends there) and a library in Tô Hiệu."""
    wisdom = SpaceTypeFactory(city=city, code="house-of-wisdom", name_vi="Ngôi nhà trí tuệ")
    library_type = SpaceTypeFactory(city=city, code="compassionate-library", name_vi="Thư viện nhân ái")
    meban = SpaceFactory(
        city=city,
        area=areas["me_ban"],
        space_type=wisdom,
        code="SL-NTT-001",
        name_vi="Ngôi nhà trí tuệ bản Mé Ban",
        lat=21.3001,
        lon=103.8925,
    )
    meban.coordinators.add(people["space_coordinator"])
    tohieu = SpaceFactory(
        city=city,
        area=areas["to_1"],
        space_type=library_type,
        code="SL-TVNA-001",
        name_vi="Thư viện nhân ái Tô Hiệu",
        lat=21.33,
        lon=103.92,
    )
    return {"meban": meban, "tohieu": tohieu}


@pytest.fixture
def librarian(city):
    return user_with_role(city, Role.LIBRARIAN, username="librarian")


def make_learner(city, *, consent=True, **kwargs):
    learner = LearnerFactory(city=city, **kwargs)
    if consent:
        Consent.objects.create(city=city, learner=learner, purpose="participation", given=True)
    return learner


@pytest.fixture
def card(city, librarian, people):
    from learningcity.library import services

    learner = make_learner(city, full_name="Cầm Thị Xuân", code="LT900001")
    return services.borrower_register(actor=librarian, learner=learner, user=people["resident"])


@pytest.fixture
def book(city, librarian, shelves):
    """A record with one copy at Mé Ban and one at Tô Hiệu."""
    from learningcity.library import services

    record = services.record_create(
        actor=librarian,
        city=city,
        title="Truyện cổ tích Việt Nam",
        authors="Nguyễn Văn An",
        languages=["vie"],
        audience="children",
    )
    services.copy_add(actor=librarian, record=record, barcode="SL000001", home=shelves["meban"])
    services.copy_add(actor=librarian, record=record, barcode="SL000002", home=shelves["tohieu"])
    return record


@pytest.fixture(autouse=True)
def _english():
    """Services' messages are asserted in English here (the pages' Vietnamese is checked by the browser stories)."""
    from django.utils import translation

    with translation.override("en"):
        yield
