"""Budget: import (all or nothing), figures from lines, exports, API, the funding and indicator hooks."""

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import pytest

from learningcity.budget import funding, indicator_values, selectors, services
from learningcity.budget.models import BudgetLine, Phase
from learningcity.core.errors import DomainError, ImportRejected
from learningcity.core.models import AuditEntry, PopulationCount


def _import(city, user, text: str, *, year=2025, apply=True):
    return services.lines_import(
        actor=user, city=city, year=year, stream=io.BytesIO(text.encode()), apply=apply
    )


def test_import_computes_the_education_share_from_the_lines(city, people, imported):
    assert imported["lines"] == 8
    shares = {s.phase: s for s in selectors.education_share(city=city, year=2025)}
    assert shares[Phase.APPROVED].percent == Decimal("34.00")
    assert shares[Phase.APPROVED].cultural == Decimal(160_000_000)  # 08.2 shown apart, not counted
    assert shares[Phase.EXECUTED].percent == Decimal("34.00")
    assert AuditEntry.objects.filter(city=city, action="import").count() == 1


def test_import_again_replaces_the_phases_and_changes_nothing(city, people, imported, sheet):
    before = sorted(BudgetLine.objects.filter(city=city).values_list("phase", "amount"))
    result = services.lines_import(
        actor=people["city_admin"], city=city, year=2025, stream=io.BytesIO(sheet), apply=True
    )
    assert result["replaced"] == 8
    assert sorted(BudgetLine.objects.filter(city=city).values_list("phase", "amount")) == before


@pytest.mark.parametrize(
    ("cell", "column", "words"),
    [
        ("2025,approved,999-999,100,VND,state,X,,,", "code", "not in the 2025 classification"),
        ("2025,approved,070-072,-100,VND,state,X,,,", "amount", "negative"),
        ("2025,approved,070-072,abc,VND,state,X,,,", "amount", "not an amount"),
        ("2024,approved,070-072,100,VND,state,X,,,", "year", "the sheet is for 2025"),
        ("2025,approved,070-072,100,USD,state,X,,,", "currency", "VND"),
        ("2025,approved,070-072,100,VND,bank,X,,,", "source", "Unknown funding source"),
        ("2025,spent,070-072,100,VND,state,X,,,", "phase", "Unknown phase"),
        ("2025,approved,070-072,100,VND,state,X,,nope,", "programme", "No programme"),
    ],
)
def test_a_bad_row_is_named_and_nothing_changes(city, people, codes, imported, cell, column, words):
    header = "year,phase,code,amount,currency,source,unit,description,programme,space\n"
    good = "2025,approved,070-072,100,VND,state,X,,,\n"
    count = BudgetLine.objects.count()
    with pytest.raises(ImportRejected) as exc:
        _import(city, people["city_admin"], header + good + cell + "\n")
    [error] = exc.value.errors
    assert (error.row, error.column) == (3, column)
    assert words in error.message
    assert BudgetLine.objects.count() == count


def test_only_the_city_administrator_imports(city, people, codes, sheet):
    with pytest.raises(DomainError):
        services.lines_import(
            actor=people["viewer"], city=city, year=2025, stream=io.BytesIO(sheet), apply=True
        )


def test_amounts_as_the_finance_office_writes_them():
    assert services.parse_amount("1.234.567") == Decimal(1234567)
    assert services.parse_amount("1,234,567") == Decimal(1234567)
    assert services.parse_amount("1234567,00") == Decimal(1234567)
    for bad in ("1.5", "12a", "", "-5", "1.23.456"):
        with pytest.raises(ValueError, match="amount"):
            services.parse_amount(bad)


def test_heritage_per_capita_and_the_computed_indicators(city, areas, imported):
    PopulationCount.objects.create(city=city, area=areas["province"], year=2025, count=120_000)
    heritage = selectors.heritage_spending(city=city, year=2025)
    assert heritage.per_capita == Decimal(500)
    assert heritage.by_source == {"community": Decimal(60_000_000)}
    value = indicator_values.indicator_value(city, "SDG11.4.1", 2025)
    assert value.value == Decimal("0.500")
    edu = indicator_values.indicator_value(city, "LC.BUDGET.EDU", 2025)
    assert edu.value == Decimal("34.00")
    assert "4 budget lines of 2025" in edu.source
    assert indicator_values.indicator_value(city, "LC.BUDGET.EDU", 2019) is None


def test_execution_per_programme_and_space_and_the_funding_hook(city, imported, programme, space):
    [row] = selectors.programme_execution(city=city, year=2025)
    assert (row.planned, row.executed, row.status) == (Decimal(0), Decimal(40_000_000), "unplanned")
    assert selectors.space_spending(city=city, year=2025).per_space == Decimal(60_000_000)
    got = funding.funding_for(city, "programme", [programme.pk, 999])
    assert got == {programme.pk: funding.Funding(approved=Decimal(0), executed=Decimal(40_000_000), lines=1)}
    assert funding.funding_for(city, "space", [space.pk])[space.pk].executed == Decimal(60_000_000)
    assert funding.funding_for(city, "partnership", []) == {}


def test_pages_exports_and_api(client, city, people, imported, django_assert_max_num_queries):
    client.force_login(people["city_admin"])
    with django_assert_max_num_queries(12):
        page = client.get("/son-la/manage/budget/?year=2025")
    assert page.status_code == 200
    assert page.content.decode().count("<tr>") >= 9
    csv = client.get("/son-la/manage/budget/?year=2025&format=csv")
    assert csv.content.decode("utf-8-sig").splitlines()[0].startswith("year,phase,code")
    # the CSV export is a sheet the import takes back
    fdp = client.get("/son-la/manage/budget/?format=fdp")
    archive = zipfile.ZipFile(io.BytesIO(fdp.content))
    package = json.loads(archive.read("datapackage.json"))
    assert package["model"]["measures"]["amount"]["currency"] == "VND"
    assert {"budget.csv", "cofog.csv"} <= set(archive.namelist())
    overview = client.get("/son-la/budget/?year=2025")
    assert "34.00" in overview.content.decode()
    with django_assert_max_num_queries(6):
        api = client.get("/api/v1/cities/son-la/budget?year=2025&phase=executed&classification=09").json()
    assert api["count"] == 2
    assert {s["phase"]: s["percent"] for s in api["education_share"]}["executed"] == "34.00"
    assert client.get("/api/v1/cities/son-la/budget?phase=spent").status_code == 422


def test_the_export_reimports_unchanged(city, people, imported):
    from learningcity.budget import export

    data = export.line_rows(selectors.line_list(city=city))
    from learningcity.core.cells import csv_bytes

    before = sorted(BudgetLine.objects.values_list("phase", "amount", "code__code"))
    services.lines_import(
        actor=people["city_admin"], city=city, year=2025, stream=io.BytesIO(csv_bytes(data)), apply=True
    )
    assert sorted(BudgetLine.objects.values_list("phase", "amount", "code__code")) == before


def test_staff_pages_are_for_the_administrator(client, city, people, imported):
    client.force_login(people["viewer"])
    assert client.get("/son-la/manage/budget/").status_code == 403
    assert client.get("/son-la/budget/").status_code == 200


def test_vietnamese_pages_keep_years_plain(client, vietnamese, city, people, imported):
    client.force_login(people["city_admin"])
    body = client.get("/son-la/budget/?year=2025").content.decode()
    assert 'value="2025"' in body
    assert "2.025" not in body
    body = client.get("/son-la/manage/budget/codes/?year=2025").content.decode()
    assert 'value="2025"' in body
    assert "2.025" not in body


def test_import_page_previews_then_applies(client, city, people, codes, sheet):
    client.force_login(people["city_admin"])
    upload = io.BytesIO(sheet)
    upload.name = "ngan-sach.csv"
    preview = client.post("/son-la/manage/budget/import/", {"year": "2025", "file": upload})
    assert "8 lines of 2025" in preview.content.decode()
    assert BudgetLine.objects.count() == 0
    token = preview.context["token"]
    done = client.post("/son-la/manage/budget/import/", {"year": "2025", "token": token, "apply": "1"})
    assert done.status_code == 302
    assert BudgetLine.objects.count() == 8


def test_the_indicator_page_shows_the_computed_share_its_source_and_the_city_target(
    client, city, people, imported
):
    from learningcity.analytics.selectors import indicator_get
    from learningcity.analytics.services.targets import city_target_set

    indicator = indicator_get(code="LC.BUDGET.EDU")
    city_target_set(actor=people["city_admin"], city=city, indicator=indicator, year=2025, value=Decimal(35))
    body = client.get("/son-la/indicators/LC.BUDGET.EDU/?period=2025").content.decode()
    assert "34.0" in body
    assert "computed from 4 budget lines of 2025 (executed)" in body
    assert "<td>35</td>" in body  # the city's target beside the national one (none) and the actual


def test_the_city_home_shows_the_education_share(client, vietnamese, city, imported):
    body = client.get("/son-la/").content.decode()
    assert "<dd>34,0 %</dd>" in body


def test_a_line_is_added_and_changed_by_hand(client, city, people, codes, programme):
    client.force_login(people["city_admin"])
    data = {"year": "2025", "phase": "approved", "code": "070-085", "amount": "1500000", "source": "community",
            "spending_unit": "Phường Chiềng Cơi", "programme_id": str(programme.pk), "space_id": ""}  # fmt: skip
    assert client.post("/son-la/manage/budget/lines/new/", data).status_code == 302
    line = BudgetLine.objects.get()
    assert (line.amount, line.programme_id, line.code.cofog) == (Decimal(1500000), programme.pk, "09.5")
    bad = client.post(f"/son-la/manage/budget/lines/{line.pk}/", {**data, "code": "999"})
    assert "not in the 2025 classification" in bad.content.decode()
    client.post(f"/son-la/manage/budget/lines/{line.pk}/", {**data, "amount": "2000000"})
    line.refresh_from_db()
    assert line.amount == Decimal(2000000)
    assert AuditEntry.objects.filter(object_type="budget.budgetline", action="update").count() == 1


def test_the_public_overview_hides_fewer_than_five_learners(client, city, people, imported, programme):
    from learningcity.programmes.models import Attendance
    from learningcity.programmes.tests.factories import LearnerFactory, SessionFactory

    session = SessionFactory(city=city, programme=programme, date=dt.date(2025, 3, 1))
    for _n in range(3):
        learner = LearnerFactory(city=city)
        Attendance.objects.create(
            city=city, session=session, learner=learner, programme=programme, date=session.date
        )
    row = next(
        r for r in selectors.programme_execution(city=city, year=2025) if r.programme_id == programme.pk
    )
    assert row.learners == 3
    public = client.get("/son-la/budget/?year=2025").content.decode()
    assert "<td>&lt;5</td>" in public
    client.force_login(people["city_admin"])
    assert "<td>&lt;5</td>" not in client.get("/son-la/budget/?year=2025").content.decode()


def test_the_finance_offices_excel_sheet_imports_with_numbers_as_numbers(city, people, codes):
    from learningcity.core.cells import xlsx_bytes

    rows = [
        ["year", "phase", "code", "amount", "source", "unit"],
        [2025, "dự toán được giao", "070-072", 340_000_000, "ngân sách trung ương", "Phòng GD"],
        [2025, "approved", "340-341", 660_000_000.0, "province", "UBND"],
    ]
    result = services.lines_import(
        actor=people["city_admin"], city=city, year=2025, stream=io.BytesIO(xlsx_bytes(rows)), apply=True
    )
    assert result["lines"] == 2
    [share] = selectors.education_share(city=city, year=2025)
    assert share.percent == Decimal("34.00")
