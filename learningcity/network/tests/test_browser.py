"""Browser stories of the network, on a 360 px phone screen, in Vietnamese."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from learningcity.analytics import selectors as analytics
from learningcity.core.models import Role, RoleAssignment
from learningcity.core.tests.factories import UserFactory, user_with_role
from learningcity.network import services
from learningcity.network.models import Post, SharedValue
from learningcity.network.services.sharing import definition_of
from learningcity.places.tests.factories import SpaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def network(city, other_city):
    network = services.network_create(
        actor=None, slug="gnlc", name_vi="Mạng lưới GNLC", languages=["vi", "en"]
    )
    services.cluster_create(actor=None, network=network, code="equity", name_vi="Công bằng", name_en="Equity")
    services.membership_add(actor=None, network=network, city=city, joined_on=dt.date(2024, 2, 14))
    services.membership_add(actor=None, network=network, city=other_city, joined_on=dt.date(2023, 1, 1))
    return network


def _log_out(page):
    page.context.clear_cookies()


def test_a_city_administrator_invites_a_colleague_who_becomes_a_space_coordinator(
    page, login, city, areas, people
):
    meban = SpaceFactory(city=city, area=areas["me_ban"], name_vi="Ngôi nhà trí tuệ Mé Ban")
    login("admin")
    page.goto(f"{page.base_url}/son-la/manage/people/")
    page.fill("#id_email", "lan@example.org")
    page.select_option("#id_role", Role.SPACE_COORDINATOR)
    page.select_option("#id_space", str(meban.pk))
    page.click("main form button[type=submit]")
    page.wait_for_selector(".messages")
    assert "lan@example.org" in page.inner_text(".messages")

    # The colleague opens the link of her e-mail, chooses her account's name and password, and accepts.
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/invitations/" in line)
    _log_out(page)
    page.goto(page.base_url + "/" + link.split("/", 3)[3])
    page.fill("#id_username", "lan.lo")
    page.fill("#id_full_name", "Lò Thị Lan")
    page.fill("#id_password", "mua-hoa-ban-2026")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/son-la/manage/")
    lan = RoleAssignment.objects.get(city=city, role=Role.SPACE_COORDINATOR, user__username="lan.lo").user
    assert list(meban.coordinators.all()) == [lan]
    # The link works once.
    _log_out(page)
    page.goto(page.base_url + "/" + link.split("/", 3)[3])
    assert "đã được sử dụng" in page.inner_text("main")


def test_a_coordinator_of_another_city_finds_the_thai_script_practice_asks_and_gets_an_answer(
    page, login, city, other_city, people, network
):
    services.practice_create(
        actor=None,
        city=city,
        slug="thai-script-clubs",
        language="vi",
        published=True,
        texts={"title": "Câu lạc bộ chữ Thái", "summary": "Lớp chữ Thái ở bản Mé Ban, hai buổi mỗi tuần."},
    )
    hue = user_with_role(other_city, Role.CITY_ADMIN, username="hue.coord", email="hue@example.org")
    login("hue.coord")
    page.goto(f"{page.base_url}/networks/gnlc/practices/")
    page.fill("#id_q", "chu thai")  # typed without accents
    with page.expect_navigation():  # the results, not the list still on screen
        page.click("main form[role=search] button[type=submit]")
    with page.expect_navigation():
        page.click("text=Câu lạc bộ chữ Thái")
    page.fill("#id_title", "Ai dạy chữ Thái?")
    page.fill("#id_body", "Các bản của chúng tôi cũng muốn mở lớp. Ai dạy, và được trả công thế nào? @son-la")
    page.click("main section form button[type=submit]")
    page.wait_for_selector(".post")
    thread_url = page.url

    _log_out(page)
    login("admin")  # Son La's administrator answers
    page.goto(thread_url)
    page.fill("#id_body", "Các nghệ nhân và người cao tuổi trong bản dạy tình nguyện.")
    page.click("main form.stack button[type=submit]")
    page.wait_for_selector("text=dạy tình nguyện")
    assert Post.objects.filter(thread__title="Ai dạy chữ Thái?").count() == 2
    assert any(hue.email in m.to for m in mail.outbox)  # she follows her question: the answer is e-mailed


def test_a_network_coordinator_compares_two_cities_participation_rates(
    page, login, city, other_city, network
):
    analytics.ensure_catalogue()
    indicator = analytics.indicator_get(code="LC.PARTICIPATION")
    for c, values in ((city, ["29.5", "31.2"]), (other_city, ["40.0", "41.5"])):
        services.indicator_share(actor=None, city=c, code=indicator.code, refresh=False)
        for year, value in zip((2024, 2025), values, strict=True):
            SharedValue.objects.create(
                city=c,
                indicator_code=indicator.code,
                year=year,
                value=Decimal(value),
                population=100_000,
                unit="percent",
                definition=definition_of(indicator),
                computed_at=timezone.now(),
            )
    network.coordinators.add(UserFactory(username="net.coord"))
    login("net.coord")
    page.goto(f"{page.base_url}/networks/gnlc/compare/")
    page.select_option("#id_indicator", "LC.PARTICIPATION")
    page.select_option("#id_year", "2025")
    page.check("input[name=city][value=son-la]")
    page.check("input[name=city][value=hue]")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    text = page.inner_text("main table")
    assert "31,2%" in text  # Vietnamese decimal comma
    assert "41,5%" in text
    assert "2024: 29,5 · 2025: 31,2" in text
    assert page.locator("svg.chart rect").count() == 2
