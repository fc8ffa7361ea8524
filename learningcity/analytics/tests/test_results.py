"""Analytics' public reads (selectors.results): what reporting and network see of an indicator, as plain data
with the breakdown values named, suppressed for the public (world: tests/conftest.py)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from learningcity.analytics import selectors
from learningcity.analytics.models import ManualValue

from . import factories as f


def test_a_result_names_its_breakdown_values(city, world):
    result = selectors.indicator_result(city=city, code="LC.SESSIONS", period="2025", by=["kind"], exact=True)
    assert result is not None
    assert (result.code, result.period, result.by) == ("LC.SESSIONS", "2025", ["kind"])
    assert {r.label: r.value for r in result.rows} == {"All": 4, "Club": 3, "Class": 1}
    assert result.total is not None
    assert result.total.value == 4


def test_the_parity_group_is_named_and_the_reference_kept(city, world):
    f.population(city, world["chieng_coi"], 2025, 60, ethnicity="03")
    f.population(city, world["chieng_coi"], 2025, 40, ethnicity="08")
    f.population(city, world["to_hieu"], 2025, 30, ethnicity="01")
    f.population(city, world["to_hieu"], 2025, 20, ethnicity="03")
    result = selectors.indicator_result(city=city, code="SDG4.5.1.ETH", period="2025", exact=True)
    assert result is not None
    assert {r.keys["reference"] for r in result.rows} == {"03"}
    assert {r.labels["ethnicity"]: r.value for r in result.rows} == {"H'Mông": 1.0, "Kinh": 1.33}


def test_the_public_total_hides_small_counts(city, world):
    public = selectors.indicator_total(city=city, indicator="LC.LEARNERS", year=2025)
    exact = selectors.indicator_total(city=city, indicator="LC.LEARNERS", year=2025, exact=True)
    assert exact is not None
    assert exact.value == 4  # A, B, C, D came in 2025
    assert public is not None
    assert public.suppressed
    assert public.value is None


def test_unknown_codes_and_missing_values_give_nothing(city, world):
    assert selectors.indicator_result(city=city, code="NO.SUCH", period="2025") is None
    assert selectors.indicator_total(city=city, indicator="NO.SUCH", year=2025) is None
    manual = next(i for i in selectors.indicator_list(city=city) if i.formula.get("type") == "manual")
    result = selectors.indicator_result(city=city, code=manual.code, period="2025")
    assert result is not None
    assert result.total is None
    assert "2025" in result.message


def test_a_reader_reads_every_reported_value_of_its_period_in_one_query(city, world, people):
    manual = [i for i in selectors.indicator_list(city=city) if i.formula.get("type") == "manual"]
    for n, indicator in enumerate(manual):
        ManualValue.objects.create(
            city=city,
            indicator=indicator,
            year=2025,
            value=n,
            source="test",
            status="approved",
            approved_by=people["city_admin"],
        )
    reader = selectors.IndicatorReader(city=city, period="2025", exact=True)
    with CaptureQueriesContext(connection) as queries:
        results = [reader.result(i.code) for i in manual]
    # One read of the reported values for every manual indicator; the apps that compute some of them (budget,
    # library, through the indicator_values hook) add their own few queries, whatever the number of indicators.
    reads = [q["sql"] for q in queries.captured_queries if '"analytics_manualvalue"' in q["sql"]]
    assert len(reads) == 1, reads
    assert len(manual) > 4
    assert all(r is not None and r.total is not None for r in results)
