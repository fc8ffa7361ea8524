"""A story a person could read: on her phone, a coordinator corrects a learner's year of birth (a mistyped year
is refused with a message first) and ends that learner's club membership."""

import pytest
from playwright.sync_api import expect

from learningcity.core.models import AuditEntry
from learningcity.programmes.models import Learner, Membership
from learningcity.programmes.services.attendance import city_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_corrects_a_birth_year_and_ends_a_membership_on_a_360px_phone(
    page, login, transactional_db, city, people, club, members
):
    hoa = members[0]
    login("coord")
    page.goto(page.base_url + f"/son-la/manage/learners/{hoa.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("main a.button[href$='/edit/']")
    # She types the year with a slip of the finger first.
    assert page.input_value("#id_birth_year") == "1960"
    page.fill("#id_birth_year", "1069")
    page.click("main button[type=submit]")
    assert "1069" in page.locator(".has-error .error").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert Learner.objects.get(pk=hoa.pk).birth_year == 1960
    page.fill("#id_birth_year", "1966")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/manage/learners/{hoa.pk}/")
    assert Learner.objects.get(pk=hoa.pk).birth_year == 1966
    assert "1966" in page.locator("main dl").inner_text()
    assert AuditEntry.objects.get(object_type="programmes.learner", action="update").changes == {
        "birth_year": [1960, 1966]
    }
    # She has left the club: end the membership today.
    page.click("ul.memberships a[href*='/end/']")
    today = city_today(city)
    assert page.input_value("#id_left_on") == today.isoformat()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/manage/learners/{hoa.pk}/")
    ended = page.locator("ul.memberships li.ended")
    expect(ended).to_have_count(1)
    assert f"{today:%d/%m/%Y}" in ended.inner_text()
    assert Membership.objects.get(learner=hoa, programme=club).left_on == today
    # The club's members list shows her with her dates; the others are still members.
    with page.expect_navigation():
        page.click(f"ul.memberships a[href$='/programmes/{club.pk}/members/']")
    row = page.locator("tr.ended")
    expect(row).to_have_count(1)
    assert "Lò Thị Hoa" in row.inner_text()
    assert "01/03/2024" in row.inner_text()
    assert page.locator("a[href*='/memberships/'][href$='/end/']").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
