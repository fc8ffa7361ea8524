"""The library's text index stays in step with the practices (its triggers survive on SQLite) and finds exactly
what the substring filter finds, short words included."""

import datetime as dt
import importlib

import pytest
from django.db import connection

from learningcity.network import search_index, selectors, services
from learningcity.network.models import Practice
from learningcity.network.selectors import PracticeFilters


@pytest.fixture
def network(city):
    network = services.network_create(actor=None, slug="gnlc", name_vi="GNLC")
    services.membership_add(actor=None, network=network, city=city, joined_on=dt.date(2024, 2, 14))
    return network


def _found(network, q):
    return [
        p.slug for p in selectors.practice_search(network=network, filters=PracticeFilters(q=q)).practices
    ]


def test_the_index_follows_every_write(city, network):
    practice = services.practice_create(
        actor=None,
        city=city,
        slug="thai",
        language="vi",
        texts={"title": "Câu lạc bộ chữ Thái", "summary": "Lớp học ở bản Mé"},
        published=True,
    )
    assert _found(network, "chu thai") == ["thai"]
    assert _found(network, "CHỮ thái ở") == ["thai"]  # a two-letter word is matched as a substring too
    assert _found(network, "me ban") == ["thai"]
    assert _found(network, "dệt") == []
    services.practice_text_save(
        actor=None, practice=practice, language="vi", texts={"title": "Nghề dệt thổ cẩm", "summary": "Bản Mé"}
    )
    assert _found(network, "det tho cam") == ["thai"]
    assert _found(network, "chu thai") == []
    Practice.objects.filter(pk=practice.pk).delete()
    assert _found(network, "det") == []


def test_quotes_and_operators_are_words(city, network):
    services.practice_create(
        actor=None,
        city=city,
        slug="quotes",
        language="vi",
        texts={"title": 'Sách "nói" AND OR NEAR', "summary": "s"},
        published=True,
    )
    assert _found(network, '"noi"') == ["quotes"]
    assert _found(network, "and near") == ["quotes"]
    assert _found(network, 'x" OR "y') == []


def test_the_index_is_installed(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'network_practice_fts_%'"
            )
            assert sorted(r[0] for r in cursor.fetchall()) == [
                "network_practice_fts_delete",
                "network_practice_fts_insert",
                "network_practice_fts_update",
            ]
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'network_practice_search_trgm'")
            assert "gin_trgm_ops" in cursor.fetchone()[0]


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_the_migration_installs_what_the_code_would(vendor):
    """network 0001 runs the SQL frozen beside it: what search_index builds today, statement by statement, both
    ways. A change to search_index fails here until a new migration installs it (and this test reads that one)."""
    migration = importlib.import_module("learningcity.network.migrations.0001_initial")
    assert migration.frozen_statements(vendor, "install") == search_index.install_statements(vendor)
    assert migration.frozen_statements(vendor, "uninstall") == search_index.uninstall_statements(vendor)
    assert len(search_index.install_statements(vendor)) == {"postgresql": 2, "sqlite": 8}[vendor]
