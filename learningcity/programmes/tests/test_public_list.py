"""The public programme list: a page at a time (the same work whatever the city's size), a clear 400 for an unknown
filter value, and a deep page that answers at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learningcity.programmes.views.public import PAGE_SIZE

from .factories import ProgrammeFactory

pytestmark = pytest.mark.django_db
BASE = "/son-la/programmes/"


def test_the_list_shows_one_page_with_a_fixed_number_of_queries(client, city):
    ProgrammeFactory.create_batch(PAGE_SIZE + 5, city=city, kind="club")
    with CaptureQueriesContext(connection) as first:
        page1 = client.get(BASE, {"kind": "club"})
    html = page1.content.decode()
    assert page1.status_code == 200
    assert html.count('class="kind"') == PAGE_SIZE
    assert "kind=club&amp;page=2" in html  # the pager keeps the filter
    page2 = client.get(BASE, {"kind": "club", "page": 2}).content.decode()
    assert page2.count('class="kind"') == 5
    ProgrammeFactory.create_batch(PAGE_SIZE, city=city, kind="club")
    with CaptureQueriesContext(connection) as bigger:
        client.get(BASE, {"kind": "club"})
    assert len(bigger) == len(first)


def test_a_deep_page_answers_with_the_last_page(client, city):
    ProgrammeFactory.create_batch(3, city=city)
    response = client.get(BASE, {"page": 100000})
    assert response.status_code == 200
    assert response.content.decode().count('class="kind"') == 3


def test_an_unknown_filter_value_is_a_400_with_an_empty_list(client, city):
    ProgrammeFactory(city=city)
    for query in ({"kind": "no-such-kind"}, {"topic": "no-such-topic"}):
        response = client.get(BASE, query)
        assert response.status_code == 400, query
        assert 'class="kind"' not in response.content.decode()
