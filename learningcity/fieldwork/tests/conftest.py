import datetime as dt

import pytest

from learningcity.core.models import Role
from learningcity.core.tests.factories import user_with_role
from learningcity.library import services as library
from learningcity.places.tests.factories import SpaceFactory, SpaceTypeFactory
from learningcity.programmes.models import Consent
from learningcity.programmes.tests.factories import (
    LearnerFactory,
    MembershipFactory,
    ProgrammeFactory,
    SessionFactory,
)

API = "/api/v1/cities/son-la/field"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Seven accounts per test: hashing is not what these tests are about (Argon2 costs ~0.3 s each here)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def space(city, areas, people):
    s = SpaceFactory(city=city, area=areas["me_ban"], name_vi="Ngôi nhà trí tuệ bản Mé Ban")
    s.coordinators.add(people["space_coordinator"])
    return s


@pytest.fixture
def club(city, space, areas):
    p = ProgrammeFactory(
        city=city, code="clb-me-ban", title_vi="Câu lạc bộ văn hoá Thái Mé Ban", area=areas["me_ban"]
    )
    p.spaces.add(space)
    return p


@pytest.fixture
def sessions(club, space):
    today = dt.date.today()
    return [
        SessionFactory(programme=club, space=space, date=today - dt.timedelta(days=1)),
        SessionFactory(programme=club, space=space, date=today),
    ]


@pytest.fixture
def members(club, areas):
    out = []
    for i, name in enumerate(["Lò Thị Hoa", "Cầm Văn Minh", "Quàng Thị Xuân"]):
        learner = LearnerFactory(
            city=club.city, full_name=name, area=areas["me_ban"], birth_year=1960 + i * 20
        )
        MembershipFactory(programme=club, learner=learner)
        out.append(learner)
    return out


@pytest.fixture
def phone(client, city, people):
    """The space coordinator's phone: logged in, registered; returns (client, headers)."""
    client.force_login(people["space_coordinator"])
    key = client.post(f"{API}/devices", {"label": "Android"}, content_type="application/json").json()[
        "device"
    ]
    return client, {"HTTP_X_FIELD_DEVICE": key}


# The library's bookcases, copies and cards (lending offline)
@pytest.fixture
def shelves(city, areas, people):
    wisdom = SpaceTypeFactory(city=city, code="house-of-wisdom", name_vi="Ngôi nhà trí tuệ")
    meban = SpaceFactory(
        city=city, area=areas["me_ban"], space_type=wisdom, name_vi="Ngôi nhà trí tuệ Mé Ban"
    )
    meban.coordinators.add(people["space_coordinator"])
    tohieu = SpaceFactory(
        city=city, area=areas["to_1"], space_type=wisdom, name_vi="Ngôi nhà trí tuệ Tô Hiệu"
    )
    return {"meban": meban, "tohieu": tohieu}


@pytest.fixture
def librarian(city):
    return user_with_role(city, Role.LIBRARIAN, username="librarian")


def card_for(city, librarian, name, code):
    learner = LearnerFactory(city=city, full_name=name, code=code, birth_year=1990, sex="F")
    Consent.objects.create(city=city, learner=learner, purpose="participation", given=True)
    return library.borrower_register(actor=librarian, learner=learner)


@pytest.fixture
def cards(city, librarian):
    return [
        card_for(city, librarian, "Cầm Thị Xuân", "LT900001"),
        card_for(city, librarian, "Lò Văn Hải", "LT900002"),
    ]


@pytest.fixture
def books(city, librarian, shelves):
    record = library.record_create(
        actor=librarian, city=city, title="Truyện cổ tích Việt Nam", languages=["vie"]
    )
    for n in range(1, 4):
        library.copy_add(actor=librarian, record=record, barcode=f"SL00000{n}", home=shelves["meban"])
    library.copy_add(actor=librarian, record=record, barcode="SL000009", home=shelves["tohieu"])
    return record


@pytest.fixture
def conference(city, people):
    """An event of the city today with three confirmed delegates (the conferences app's services); its
    stewards are the space coordinator (the `phone` fixture's person) and the viewer."""
    from learningcity.conferences.services import registration as reg
    from learningcity.conferences.services import schedule, stewards

    today = dt.date.today()
    event = schedule.event_create(
        actor=people["city_admin"],
        city=city,
        slug="hoi-nghi-son-la",
        title_vi="Hội nghị thành phố học tập",
        title_en="Learning city conference",
        starts_on=today,
        ends_on=today + dt.timedelta(days=1),
        time_zone="Asia/Bangkok",
        capacity=50,
    )
    delegates = [
        reg.registration_create(actor=people["resident"], event=event, full_name=name, country="VN")
        for name in ["Lò Thị Hoà", "Cầm Văn Đức", "Quàng Thị Xuân"]
    ]
    for who in ("space_coordinator", "viewer"):
        stewards.steward_name(actor=people["city_admin"], event=event, username=people[who].username)
    return event, delegates
