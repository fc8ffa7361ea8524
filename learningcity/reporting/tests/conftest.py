import io

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _english(request):
    if "page" in request.fixturenames or "vietnamese" in request.fixturenames:
        yield
        return
    client = request.getfixturevalue("client")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def vietnamese(client):
    client.cookies["lc_language"] = "vi"


SHEET = """year,phase,code,amount,source,unit
2025,approved,070-072,340000000,state,Phòng GD
2025,approved,340-341,660000000,province,UBND
2025,executed,070-072,330000000,state,Phòng GD
2025,executed,340-341,670000000,province,UBND
"""


@pytest.fixture
def budget(city, people):
    from learningcity.budget import services

    admin = people["city_admin"]
    for code, cofog in (("070-072", "09.1"), ("340-341", "01")):
        services.code_mapping_save(actor=admin, city=city, year=2025, code=code, name=code, cofog=cofog)
    services.lines_import(actor=admin, city=city, year=2025, stream=io.BytesIO(SHEET.encode()), apply=True)


@pytest.fixture
def report(city, people, budget):
    from learningcity.reporting import services

    return services.report_create(
        actor=people["city_admin"], city=city, kind="biennial", year_from=2024, year_to=2025
    )


def photo_upload(name="anh.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")
