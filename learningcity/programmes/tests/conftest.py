import pytest

from learningcity.places.tests.factories import SpaceFactory

from .factories import LearnerFactory, MembershipFactory, ProgrammeFactory, SessionFactory


@pytest.fixture
def space(city, areas, people):
    s = SpaceFactory(city=city, area=areas["me_ban"], name_vi="Ngôi nhà trí tuệ bản Mé Ban")
    s.coordinators.add(people["space_coordinator"])
    return s


@pytest.fixture
def club(city, space, areas):
    p = ProgrammeFactory(
        city=city,
        code="clb-me-ban",
        title_vi="Câu lạc bộ văn hoá Thái Mé Ban",
        title_blt="ꪶꪁꪙ ꪼꪕ",
        area=areas["me_ban"],
    )
    p.spaces.add(space)
    return p


@pytest.fixture
def session(club, space):
    return SessionFactory(programme=club, space=space)


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
