"""The reading indicators reach analytics' framework through the `indicator_values.py` registry hook."""

from decimal import Decimal

import pytest
from django.utils import timezone

from learningcity.core.models import PopulationCount
from learningcity.library import indicator_values, services

from .conftest import make_learner

pytestmark = pytest.mark.django_db


def test_reading_indicators_are_computed_from_counts(
    client, city, areas, people, shelves, book, card, librarian
):
    year = timezone.localdate().year
    PopulationCount.objects.create(city=city, area=areas["province"], year=year, count=2_000)
    services.loan_lend(
        actor=people["space_coordinator"], space=shelves["meban"], barcode="SL000001", borrower=card
    )
    services.record_create(actor=librarian, city=city, title="ꪼꪒ ꪁꪮꪉ ꪼꪕ", languages=["tai"])

    loans = indicator_values.indicator_value(city, "LC.LIBRARY.LOANS_PER_1000", year)
    assert loans.value == Decimal("0.5")
    assert "population 2000" in loans.source
    assert indicator_values.indicator_value(city, "LC.LIBRARY.LOANS_PER_1000", year - 3) is None
    share = indicator_values.indicator_value(city, "LC.LIBRARY.MINORITY_SHARE", year)
    assert share.value == Decimal("50.0")
    assert indicator_values.indicator_value(city, "LC.LIBRARY.MINORITY_SHARE", year - 3) is None
    # One active card: under the small-cell rule, nothing is computed (the public page would show a person).
    assert indicator_values.indicator_value(city, "LC.LIBRARY.ACTIVE_BORROWERS", year) is None
    for n in range(4):
        other = services.borrower_register(
            actor=librarian, learner=make_learner(city, full_name=f"Lò Thị {n}", code=f"LT90010{n}")
        )
        services.copy_add(actor=librarian, record=book, barcode=f"SL10000{n}", home=shelves["meban"])
        services.loan_lend(
            actor=people["space_coordinator"], space=shelves["meban"], barcode=f"SL10000{n}", borrower=other
        )
    assert indicator_values.indicator_value(city, "LC.LIBRARY.ACTIVE_BORROWERS", year).value == 5
    assert indicator_values.indicator_value(city, "LC.LIBRARY.ACTIVE_BORROWERS", year - 1) is None
    assert indicator_values.indicator_value(city, "LC.BUDGET.EDU", year) is None  # not the library's

    # Analytics reads them through the hook, on its public indicator page, in the framework catalogue.
    client.cookies["lc_language"] = "en"
    page = client.get(f"/son-la/indicators/LC.LIBRARY.LOANS_PER_1000/?period={year}")
    assert page.status_code == 200
    assert [row.value for row in page.context["result"].rows] == [2.5]
    assert "5 loans at the city's bookcases" in page.context["result"].rows[0].note
