import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english(request):
    """Messages are asserted in English (the source language); the browser stories run in Vietnamese."""
    if "page" in request.fixturenames:
        yield
        return
    client = request.getfixturevalue("client")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def demo(db):
    """The small demo of every app (Son La), the network's part included: (city, context)."""
    from learningcity.core.demo import DemoContext, create_city
    from learningcity.core.registry import app_modules

    city = create_city()
    ctx = DemoContext(city=city, password="demo-password-123", log=lambda *a: None, small=True)
    for module in sorted(app_modules("demo"), key=lambda m: getattr(m, "ORDER", 100)):
        module.load(ctx)
    return city, ctx
