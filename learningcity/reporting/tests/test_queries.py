"""The report's workspace and the targets page answer in a fixed number of queries however many indicators the
catalogue holds: the indicators of a period share one measure query (analytics.selectors.IndicatorReader), their
reported values come in one query, and the targets' actual values share one measure query per year."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from learningcity.analytics.models import Indicator, IndicatorTarget, ManualValue

ADDED = 40


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _add_indicators(city, approver, start: int, n: int) -> None:
    """n more indicators over the measures the catalogue already reads (a copy of each kind of formula, a
    manual one among them), each with a national and a city target and, for the manual ones, a reported value.
    Added before the first count too, so that the page already evaluates each kind with a target."""
    models = {
        i.formula.get("type"): i
        for i in Indicator.objects.filter(is_active=True)
        .exclude(code__startswith="TEST.")
        .order_by("position")
    }
    kinds = [models[k] for k in ("count", "ratio", "parity", "manual") if k in models]
    for k in range(start, start + n):
        model = kinds[k % len(kinds)]
        indicator = Indicator.objects.create(
            code=f"TEST.{k}",
            name_vi=f"Chỉ số thử {k}",
            name_en=f"Test indicator {k}",
            unit=model.unit,
            formula=model.formula,
            position=1000 + k,
        )
        for year in (2024, 2025):
            IndicatorTarget.objects.create(indicator=indicator, year=year, value=Decimal(50))
            IndicatorTarget.objects.create(indicator=indicator, city=city, year=year, value=Decimal(60))
        if model.formula.get("type") == "manual":
            ManualValue.objects.create(
                city=city,
                indicator=indicator,
                year=2025,
                value=Decimal(7),
                source="test",
                status="approved",
                approved_by=approver,
            )


def test_the_workspace_costs_the_same_queries_however_many_indicators(
    client, city, report, people, django_assert_max_num_queries
):
    client.force_login(people["city_admin"])
    url = f"/son-la/manage/reports/{report.pk}/"
    assert client.get(url).status_code == 200  # the catalogue is installed on its first use
    _add_indicators(city, people["city_admin"], 0, 4)
    before = _queries(client, url)
    _add_indicators(city, people["city_admin"], 4, ADDED)
    with django_assert_max_num_queries(before):
        body = client.get(url).content.decode()
    assert f"TEST.{ADDED + 3}" in body  # the added indicators are on the page


def test_the_targets_page_costs_the_same_queries_however_many_indicators(
    client, city, report, people, django_assert_max_num_queries
):
    client.force_login(people["city_admin"])
    url = "/son-la/manage/targets/"
    assert client.get(url).status_code == 200  # the catalogue is installed on its first use
    _add_indicators(city, people["city_admin"], 0, 4)
    before = _queries(client, url)
    _add_indicators(city, people["city_admin"], 4, ADDED)
    with django_assert_max_num_queries(before):
        body = client.get(url).content.decode()
    assert f"TEST.{ADDED + 3}" in body
