"""Browser stories, on a 360 px phone screen, in Vietnamese."""

import re

import pytest

from ..models import Assignment, Entry
from ..services.assignment import assignments_auto
from ..services.scoring import scores_save
from ..services.submissions import entry_submit
from .factories import mp3_with_tags, setup_competition, text_file

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_a_resident_submits_a_poem_with_a_recording_and_gets_a_receipt(page, login, city, people):
    competition, poems, _arts, _ = setup_competition(city)
    login("resident")
    page.goto(f"{page.base_url}/son-la/competitions/{competition.slug}/")
    page.click(f"a[href='/son-la/competitions/{competition.slug}/enter/']")
    page.select_option("#id_category", str(poems.pk))
    page.fill("#id_title", "Mùa hoa ban trên bản Mé Ban")
    page.fill("#id_description", "Bài thơ về mùa xuân ở Sơn La")
    poem, recording = text_file(), mp3_with_tags()
    page.set_input_files(
        "#id_files",
        [
            {"name": "bai-tho.txt", "mimeType": "text/plain", "buffer": poem.read()},
            {"name": "ngam-tho.mp3", "mimeType": "audio/mpeg", "buffer": recording.read()},
        ],
    )
    page.check("#id_gallery_consent")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".receipt-number")
    entry = Entry.objects.get(title="Mùa hoa ban trên bản Mé Ban")
    assert page.inner_text(".receipt-number") == entry.receipt
    assert re.match(r"^SL24-THO-[A-Z0-9]{6}$", entry.receipt)
    assert sorted(entry.files.values_list("file_format", flat=True)) == ["mp3", "txt"]
    assert entry.receipt in page.inner_text(".messages")
    # The receipt lists her two files; she may still change the entry before the deadline.
    assert page.locator("main ul li a[href*='/files/']").count() == 2
    assert page.locator(f"a[href$='/entries/{entry.receipt}/edit/']").count() == 1


def test_a_judge_scores_blind_and_cannot_open_an_entry_she_declared_a_conflict_with(
    page, login, city, people
):
    competition, poems, _arts, panel = setup_competition(city, judges=2)
    for i in range(2):
        entry_submit(
            actor=people["resident"],
            competition=competition,
            category=poems,
            title=f"Bài thơ số {i + 1}",
            team_members="Quàng Văn Bí",
            files=[text_file(name="Lo-Thi-Mai.txt")],
        )
    assignments_auto(actor=people["city_admin"], competition=competition)
    judge = panel[0]
    first, second = (
        Assignment.objects.filter(judge=judge).select_related("entry").order_by("entry__blind_code")
    )
    login(judge.username)
    page.goto(f"{page.base_url}/son-la/manage/judging/")
    listing = page.inner_text("main")
    assert first.entry.blind_code in listing
    assert second.entry.blind_code in listing
    with page.expect_navigation():
        page.click(f"text={first.entry.blind_code}")
    body = page.inner_text("main")
    for secret in (people["resident"].full_name, "Quàng Văn Bí", "Lo-Thi-Mai"):
        assert secret not in body
        assert secret not in page.content()
    content, artistry = competition.criteria.order_by("position")
    page.fill(f"#criterion_{content.pk}", "11")  # outside the rubric: the browser refuses it (the server too)
    page.fill(f"#criterion_{artistry.pk}", "7")
    page.click("button[value=submit]")
    assert page.eval_on_selector(f"#criterion_{content.pk}", "el => el.validity.rangeOverflow")
    assert not Assignment.objects.get(pk=first.pk).submitted_at
    page.fill(f"#criterion_{content.pk}", "8.5")
    page.fill(f"#comment_{content.pk}", "Hình ảnh đẹp, gần gũi")
    page.click("button[value=submit]")
    page.wait_for_url(re.compile(r"/manage/judging/$"))
    first.refresh_from_db()
    assert first.submitted_at
    assert first.total == pytest.approx(100 * (2 * 0.85 + 0.7) / 3)
    # She recognises the second poem: she declares a conflict, and can no longer open it.
    page.click(f"text={second.entry.blind_code}")
    page.fill("#id_reason", "Bài của học trò tôi")
    page.click("form[action$='/conflict/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/manage/judging/$"))
    assert not Assignment.objects.filter(pk=second.pk).exists()
    response = page.goto(f"{page.base_url}/son-la/manage/judging/entries/{second.entry_id}/")
    assert response.status == 403
    assert page.locator("main .error").count() == 1
    response = page.goto(f"{page.base_url}/son-la/manage/judging/{second.pk}/")
    assert response.status == 403


def test_staff_publish_results_and_print_certificates(page, login, city, people):
    competition, poems, _arts, _panel = setup_competition(city, judges=2, winners_per_category=1)
    for i in range(2):
        entry_submit(
            actor=people["resident"],
            competition=competition,
            category=poems,
            title=f"Bài {i}",
            files=[text_file()],
        )
    assignments_auto(actor=people["city_admin"], competition=competition)
    content, artistry = competition.criteria.all()
    for a in Assignment.objects.select_related("entry"):
        value = 9 if a.entry.title == "Bài 0" else 6
        scores_save(actor=a.judge, assignment=a, values={content.pk: value, artistry.pk: value})
    login("admin")
    page.goto(f"{page.base_url}/son-la/manage/competitions/{competition.slug}/meeting/")
    page.click("button[value=compute]")
    page.wait_for_selector("button[value=approve]")
    assert page.locator("main table tbody tr").count() == 2
    page.click("button[value=approve]")
    page.wait_for_selector("button[value=publish]")
    page.click("button[value=publish]")
    page.wait_for_selector("a[href*='certificates']")
    competition.refresh_from_db()
    assert competition.results_published_at
    href = page.get_attribute("a[href*='certificates/?winners=1']", "href")
    pdf = page.request.get(page.base_url + href)
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    page.goto(f"{page.base_url}/son-la/competitions/{competition.slug}/results/")
    assert "Bài 0" in page.inner_text("main table tbody tr:first-child")
