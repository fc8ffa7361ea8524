import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english(request):
    """Messages are asserted in English; the browser stories and the Vietnamese checks set their own."""
    if "page" in request.fixturenames or "vietnamese" in request.fixturenames:
        yield
        return
    client = request.getfixturevalue("client")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def codes(city, people):
    from learningcity.budget import services

    admin = people["city_admin"]
    made = {}
    for code, name, cofog, edu in [
        ("070-072", "Giáo dục tiểu học", "09.1", None),
        ("070-085", "Xã hội học tập", "09.5", None),
        ("160-161", "Thư viện", "08.2", False),
        ("160-165", "Di sản", "08.2", None),
        ("340-341", "Quản lý nhà nước", "01", None),
    ]:
        made[code] = services.code_mapping_save(
            actor=admin, city=city, year=2025, code=code, name=name, cofog=cofog, counts_as_education=edu
        )
    return made


SHEET = """year,phase,code,amount,currency,source,unit,description,programme,space
2025,approved,070-072,"340.000.000",VND,state,Phòng GD,Tiểu học,,
2025,approved,160-161,100000000,VND,province,Phòng VH,Thư viện,,
2025,approved,160-165,60000000,VND,province,Phòng VH,Di sản,,
2025,approved,340-341,500000000,,province,UBND,,,
2025,executed,070-072,300000000,VND,state,Phòng GD,,,
2025,executed,070-085,40000000,VND,international,TTHTCĐ,Lau Lau,{programme},
2025,executed,340-341,600000000,VND,province,UBND,,,
2025,executed,160-165,60000000,VND,community,Phòng VH,,,{space}
"""


@pytest.fixture
def programme(city):
    from learningcity.programmes.tests.factories import ProgrammeFactory

    return ProgrammeFactory(city=city, code="lau-lau-learning")


@pytest.fixture
def space(city, areas):
    from learningcity.places.tests.factories import SpaceFactory

    return SpaceFactory(city=city, area=areas["me_ban"], code="SL-NTT-001")


@pytest.fixture
def sheet(programme, space) -> bytes:
    return SHEET.format(programme=programme.code, space=space.code).encode()


@pytest.fixture
def imported(city, people, codes, sheet):
    import io

    from learningcity.budget import services

    return services.lines_import(
        actor=people["city_admin"], city=city, year=2025, stream=io.BytesIO(sheet), apply=True
    )


@pytest.fixture
def vietnamese(client):
    """The page is asked for in Vietnamese (the language cookie)."""
    client.cookies["lc_language"] = "vi"
