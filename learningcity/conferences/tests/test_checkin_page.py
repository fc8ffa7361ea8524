"""The staff check-in page: a check-in answered in place (the page's script posts it with fetch and shows the
answer in a live region, no reload) and, without the script, a normal POST and a redirect with the result."""

import pytest
from playwright.sync_api import expect

from learningcity.conferences.models import CheckIn
from learningcity.conferences.services import registration as reg
from tests.test_browser import axe_violations

URL = "/son-la/events/asean3-test/checkin/"


@pytest.fixture
def delegates(event, people):
    return [
        reg.registration_create(actor=people["resident"], event=event, full_name=name, country="VN")
        for name in ["Lò Thị Hoà", "Cầm Văn Đức"]
    ]


def test_without_the_script_a_check_in_is_posted_and_redirected(client, steward, delegates):
    client.force_login(steward)
    response = client.post(URL, {"code": reg.badge_payload(delegates[0])}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Welcome, Lò Thị Hoà." in response.content.decode()
    assert CheckIn.objects.get().registration == delegates[0]
    again = client.post(URL, {"code": reg.badge_payload(delegates[0])})  # a second scan: refused, on the page
    assert again.status_code == 400
    assert 'role="alert"' in again.content.decode()
    assert CheckIn.objects.count() == 1


def test_the_scripts_check_in_gets_the_answer_alone(client, steward, delegates):
    client.force_login(steward)
    answer = client.post(URL, {"code": reg.badge_payload(delegates[1])}, HTTP_X_CHECKIN="fetch")
    assert answer.status_code == 200
    body = answer.content.decode()
    assert 'id="checkin-said" data-ok="1">Welcome, Cầm Văn Đức.' in body
    assert 'id="checkin-recent"' in body
    assert "<html" not in body
    forged = client.post(URL, {"code": reg.badge_payload(delegates[0])[:-3] + "abc"}, HTTP_X_CHECKIN="fetch")
    assert forged.status_code == 400
    assert 'data-ok="0"' in forged.content.decode()
    empty = client.post(URL, {"code": ""}, HTTP_X_CHECKIN="fetch")
    assert empty.status_code == 400
    assert 'data-ok="0">This field is required.' in empty.content.decode()
    assert list(CheckIn.objects.values_list("registration_id", flat=True)) == [delegates[1].pk]


def test_a_non_steward_cannot_check_in_in_place(client, people, event, delegates):
    client.force_login(people["resident"])
    response = client.post(URL, {"code": reg.badge_payload(delegates[0])}, HTTP_X_CHECKIN="fetch")
    assert response.status_code == 403
    assert not CheckIn.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_steward_checks_in_two_delegates_in_a_row_without_a_reload(page, login, steward, delegates):
    """At the door: she pastes Hoà's badge code, then Đức's; each answer is read aloud in place, the list grows,
    and the page is never reloaded; a badge read twice says so, in place too."""
    hoa, duc = delegates
    login(steward.username)
    page.goto(page.base_url + URL)
    page.evaluate("() => { window.__samePage = true; }")  # gone if the page were loaded again
    result = page.locator("#checkin-result")
    expect(result).to_have_attribute("aria-live", "polite")
    page.fill("#id_code", reg.badge_payload(hoa))
    page.click("#checkin-form button[type=submit]")
    expect(result).to_have_text("Chào mừng Lò Thị Hoà.")
    expect(page.locator("#checkin-recent")).to_contain_text("Lò Thị Hoà")
    expect(page.locator("#id_code")).to_have_value("")
    expect(page.locator("#id_code")).to_be_focused()  # ready for the next code
    page.fill("#id_code", reg.badge_payload(duc))
    page.keyboard.press("Enter")
    expect(result).to_have_text("Chào mừng Cầm Văn Đức.")
    expect(page.locator("#checkin-recent li")).to_have_count(2)
    page.fill("#id_code", reg.badge_payload(duc))  # the same badge again
    page.click("#checkin-form button[type=submit]")
    expect(result).to_have_class("checkin-result error")
    expect(page.locator("#checkin-recent li")).to_have_count(2)
    assert page.evaluate("() => window.__samePage") is True
    assert axe_violations(page) == []
    assert list(CheckIn.objects.order_by("at").values_list("registration_id", flat=True)) == [hoa.pk, duc.pk]
