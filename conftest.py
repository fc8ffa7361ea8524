"""Fixtures every app's tests may use: two cities with areas and one person per role, and a real browser."""

import os
import warnings

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('HOST') or ''} {db['NAME']}"


def pytest_collection_modifyitems(config, items):
    """A test that opens a browser is a browser test, whether or not its file says so: `-m "not browser"`
    (make test-fast) must never start Chromium."""
    for item in items:
        opens_a_browser = {"page", "browser"} & set(getattr(item, "fixturenames", ()))
        if opens_a_browser and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def city(db):
    from learningcity.core.tests.factories import CityFactory

    return CityFactory(slug="son-la", name_vi="Sơn La", name_en="Son La")


@pytest.fixture
def other_city(db):
    from learningcity.core.tests.factories import CityFactory

    return CityFactory(slug="hue", name_vi="Huế", name_en="Hue", bounds=[15.9, 107.0, 16.8, 108.3])


@pytest.fixture
def areas(city):
    """Province > two wards > a hamlet in each: Chiềng Cơi and Tô Hiệu."""
    from learningcity.core.models import AreaLevel
    from learningcity.core.tests.factories import AreaFactory

    province = AreaFactory(
        city=city, code="14", level=AreaLevel.PROVINCE, name_vi="Tỉnh Sơn La", lat=21.19, lon=104.07
    )
    chieng_coi = AreaFactory(
        city=city, code="03670", parent=province, name_vi="Phường Chiềng Cơi", lat=21.2976, lon=103.876
    )
    to_hieu = AreaFactory(
        city=city, code="03646", parent=province, name_vi="Phường Tô Hiệu", lat=21.3273, lon=103.921
    )
    me_ban = AreaFactory(
        city=city,
        code="03670-MB",
        parent=chieng_coi,
        level=AreaLevel.HAMLET,
        name_vi="Bản Mé Ban",
        lat=21.30,
        lon=103.89,
    )
    to_1 = AreaFactory(
        city=city,
        code="03646-T1",
        parent=to_hieu,
        level=AreaLevel.RESIDENTIAL_GROUP,
        name_vi="Tổ dân phố 1",
        lat=21.33,
        lon=103.92,
    )
    return {
        "province": province,
        "chieng_coi": chieng_coi,
        "to_hieu": to_hieu,
        "me_ban": me_ban,
        "to_1": to_1,
    }


@pytest.fixture
def people(city, areas):
    """One account per role in the city (and a network administrator)."""
    from learningcity.core.models import Role
    from learningcity.core.tests.factories import UserFactory, user_with_role

    return {
        "city_admin": user_with_role(city, Role.CITY_ADMIN, username="admin"),
        "area_coordinator": user_with_role(
            city, Role.AREA_COORDINATOR, area=areas["chieng_coi"], username="coord"
        ),
        "space_coordinator": user_with_role(city, Role.SPACE_COORDINATOR, username="spacecoord"),
        "judge": user_with_role(city, Role.JUDGE, username="judge"),
        "viewer": user_with_role(city, Role.VIEWER, username="viewer"),
        "network_admin": UserFactory(username="network", is_network_admin=True),
        "resident": UserFactory(username="resident"),
    }


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (360 px wide, like a phone) with Vietnamese as the browser language."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    tab = context.new_page()
    tab.set_default_timeout(15000)
    tab.base_url = live_server.url
    yield tab
    context.close()


@pytest.fixture
def login(page):
    """Log a user in through the real login form."""

    def do_login(username, password=None):
        from learningcity.core.tests.factories import PASSWORD

        page.goto(page.base_url + "/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password or PASSWORD)
        with page.expect_navigation():  # signed in before the next page opens
            page.click("main button[type=submit]")

    return do_login


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues(django_db_blocker, tmp_path_factory):
    """`make test` compiles the catalogues; a bare `pytest tests/` after `make messages` needs them too.

    Test workers (pytest-xdist) start together: one compiles under a lock while the others wait, and each then
    drops every cached catalogue, Python's gettext cache included (it is keyed by the .mo's path, so a worker that
    read a stale .mo before the compile would keep serving it after Django's own cache was reset)."""
    import fcntl
    import gettext

    from django.core.management import call_command
    from django.utils.translation import trans_real

    lock_file = tmp_path_factory.getbasetemp().parent / "i18n-compile.lock"
    with open(lock_file, "w") as lock, django_db_blocker.unblock():
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            call_command("i18n_compile", verbosity=0)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    gettext._translations.clear()  # type: ignore[attr-defined]
    trans_real._translations = {}
    trans_real._default = None


@pytest.fixture
def live_values(settings):
    """Live values on, as deployed (core.freshness.live: kept until the next committed write); the tests turn them
    off otherwise (LIVE_VALUES_MAX_AGE = 0). Use with django_db(transaction=True): commits renew the stamp."""
    from learningcity.core import freshness

    freshness.clear()
    settings.LIVE_VALUES_MAX_AGE = 60
    yield
    freshness.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, and on PostgreSQL no connection left to them when they are dropped.

    A thread of a live server or a gunicorn a test started can still be closing its connection when the worker's
    last test ends; dropping the database then failed with "is being accessed by other users" (a warning at the
    end of the PostgreSQL run). Those connections are this run's own: they are ended first."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock():
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        except Exception as exc:  # the drop below then says what is wrong, as before
            warnings.warn(f"could not end the other connections to the test database: {exc}", stacklevel=1)
