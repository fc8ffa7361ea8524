"""Pages: public and staff dashboards, drill down, exports of every table, population and reported values."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from learningcity.analytics.models import ManualValue
from learningcity.core.models import PopulationCount

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_public_dashboard_hides_small_counts(client, city, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        response = client.get("/son-la/participation/?period=2025")
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;5" in html
    assert "<svg" in html
    assert "Exact figures for staff" not in html


def test_staff_dashboard_needs_a_role_and_shows_exact_figures(client, city, world, people):
    assert client.get("/son-la/manage/participation/").status_code == 302
    client.force_login(people["resident"])
    assert client.get("/son-la/manage/participation/").status_code == 403
    client.force_login(people["viewer"])
    response = client.get("/son-la/manage/participation/?period=2025")
    assert response.status_code == 200
    assert response.context["board"].exact
    assert response.context["board"].figures[0][1] == "4"  # learners reached


def test_drill_down_and_export_spaces_in_csv_and_xlsx(client, city, world, people):
    client.force_login(people["viewer"])
    ward = world["chieng_coi"].pk
    page = client.get(f"/son-la/manage/participation/?period=2025&area={ward}")
    assert "Nhà trí tuệ Mé Ban" in page.content.decode()
    csv = client.get(f"/son-la/manage/participation/?period=2025&area={ward}&export=spaces&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "Nhà trí tuệ Mé Ban,3,3" in text
    xlsx = client.get(f"/son-la/manage/participation/?period=2025&area={ward}&export=ethnicity&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert any(row[0] == "Thái" and row[1] == "2" for row in values)
    svg = client.get("/son-la/manage/participation/?period=2025&export=sex&format=svg")
    assert svg.content.startswith(b"<svg")


@pytest.mark.parametrize(
    "url", ["/son-la/participation/?period=abc", "/son-la/participation/?period=2025-13"]
)
def test_bad_period_gives_a_message_not_an_error(client, city, world, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert "Unknown period" in response.content.decode() or "month" in response.content.decode()


def test_unknown_area_is_404(client, city, world):
    assert client.get("/son-la/participation/?area=999999").status_code == 404


def test_indicator_pages_and_export(client, city, world):
    assert client.get("/son-la/indicators/").status_code == 200
    page = client.get("/son-la/indicators/LC.PARTICIPATION/?period=2025&by=sex")
    assert page.status_code == 200
    csv = client.get("/son-la/indicators/LC.LEARNERS/?period=2025&by=sex&format=csv").content.decode(
        "utf-8-sig"
    )
    assert "<5" in csv  # anonymous visitor: 2 women, 2 men
    assert client.get("/son-la/indicators/NOPE/").status_code == 404


def test_population_edit_and_import_all_or_nothing(client, city, world, people):
    client.force_login(people["city_admin"])
    response = client.post(
        "/son-la/manage/population/",
        {"area": world["me_ban"].pk, "year": 2026, "sex": "F", "count": 40, "source": "census"},
    )
    assert response.status_code == 302
    assert PopulationCount.objects.get(area=world["me_ban"], year=2026, sex="F").count == 40
    bad = b"area_code,year,sex,count\n03670,2026,F,10\nNOPE,2026,M,abc\n"
    response = client.post("/son-la/manage/population/import/", {"file": SimpleUploadedFile("p.csv", bad)})
    assert response.status_code == 200
    errors = response.context["row_errors"]
    assert {(e.row, e.column) for e in errors} == {(3, "area_code"), (3, "count")}
    assert not PopulationCount.objects.filter(year=2026, area=world["chieng_coi"]).exists()
    good = "area_code,year,sex,ethnicity,count\n03670,2026,F,Thái,10\n03670,2026,M,Hmông,12\n".encode()
    response = client.post("/son-la/manage/population/import/", {"file": SimpleUploadedFile("p.csv", good)})
    token = response.context["token"]
    response = client.post("/son-la/manage/population/import/", {"token": token, "apply": "1"})
    assert response.status_code == 302
    assert PopulationCount.objects.get(area=world["chieng_coi"], year=2026, sex="M").ethnicity == "08"


def test_manual_value_entered_then_approved_becomes_public(client, city, world, people):
    client.force_login(people["area_coordinator"])
    from learningcity.analytics.selectors import indicator_get

    budget = indicator_get(code="LC.BUDGET.EDU")
    response = client.post(
        "/son-la/manage/indicators/values/",
        {
            "indicator": budget.pk,
            "year": 2024,
            "value": "34",
            "source": "Báo cáo ngân sách 2024",
            "evidence": SimpleUploadedFile("budget.pdf", PDF),
        },
    )
    assert response.status_code == 302
    value = ManualValue.objects.get(indicator=budget)
    assert value.status == "entered"
    client.logout()
    client.cookies["django_language"] = "en"
    public = client.get("/son-la/indicators/LC.BUDGET.EDU/?period=2024")
    assert public.context["result"].message
    assert not public.context["result"].rows
    client.force_login(people["area_coordinator"])
    assert client.post(f"/son-la/manage/indicators/values/{value.pk}/approve/").status_code == 403
    client.force_login(people["city_admin"])
    client.post(f"/son-la/manage/indicators/values/{value.pk}/approve/")
    value.refresh_from_db()
    assert value.status == "approved"
    assert value.approved_by == people["city_admin"]
    client.logout()
    client.cookies["django_language"] = "en"
    public = client.get("/son-la/indicators/LC.BUDGET.EDU/?period=2024")
    assert [r.value for r in public.context["result"].rows] == [34.0]


def test_evidence_is_checked_by_content(client, city, people):
    client.force_login(people["city_admin"])
    from learningcity.analytics.selectors import indicator_get

    budget = indicator_get(code="LC.BUDGET.EDU")
    response = client.post(
        "/son-la/manage/indicators/values/",
        {
            "indicator": budget.pk,
            "year": 2024,
            "value": "34",
            "source": "x",
            "evidence": SimpleUploadedFile("budget.pdf", b"MZ this is a program"),
        },
    )
    assert response.status_code == 200
    assert not ManualValue.objects.exists()


def test_public_board_is_reused_for_a_few_seconds_and_staff_figures_are_live(
    client, city, world, people, settings
):
    """core.freshness: the public board is computed once per max age; staff see a new attendance at once."""
    from learningcity.analytics.tests import factories as f
    from learningcity.core import freshness

    freshness.clear()
    settings.PUBLIC_FIGURES_MAX_AGE = 60  # long enough that only clear() (the passing of time) renews it
    url = "/son-la/participation/?period=2025"
    assert client.get(url).context["board"].figures[0][1] == "<5"  # 4 learners, suppressed
    for birth_year in (1970, 1971):
        f.attend(world["sessions"][4], f.learner(city, sex="F", birth_year=birth_year, area=world["to_1"]))
    assert client.get(url).context["board"].figures[0][1] == "<5"  # the same board, read seconds ago
    client.force_login(people["viewer"])
    assert client.get("/son-la/manage/participation/?period=2025").context["board"].figures[0][1] == "6"
    client.logout()
    freshness.clear()  # what max age does: the next visitor gets a board computed from the data as it is now
    assert client.get(url).context["board"].figures[0][1] == "6"
    settings.PUBLIC_FIGURES_MAX_AGE = 0
    freshness.clear()
