"""The trigger SQL that triggers.py and rollup.py install, frozen: every statement `install()` runs (its drops
included) on each engine, counted and fingerprinted, so a refactoring of the SQL builders cannot change what the
database runs. Needs no database: the statements are recorded from a stand-in connection.

A deliberate change of the triggers updates the fingerprints here and ships with a migration that installs them.
"""

from __future__ import annotations

import hashlib
import importlib

import pytest

from learningcity.analytics import members, rollup, tally, triggers


class _Recorder:
    """A connection that records the SQL it is given instead of running it."""

    alias = "default"

    def __init__(self, vendor: str):
        self.vendor = vendor
        self.statements: list[str] = []

    def cursor(self):
        recorder = self

        class Cursor:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def execute(self, sql, params=None):
                recorder.statements.append(sql)

        return Cursor()


def _installed(vendor: str, install) -> tuple[int, str]:
    connection = _Recorder(vendor)
    install(connection)
    return len(connection.statements), hashlib.sha256("\n".join(connection.statements).encode()).hexdigest()


def _rollup_both(connection) -> None:
    rollup.install(connection)
    rollup.install(connection, programmes=False)  # migration 0004, before the programme tables exist


FROZEN = {
    ("postgresql", "summary"): (14, "fdd408cc6c3e09449209609e6ff308568dc07a9218de992f89baaaa019f9bd7f"),
    ("sqlite", "summary"): (92, "b2c62658896dc19eed556693729f47d835087690cae56ad5c46686cfde60e2e0"),
    ("postgresql", "rollup"): (68, "a99caeef508fafcbdfad7d668ef6dccb926079f3ce114dd59b0de21a737c47d3"),
    ("sqlite", "rollup"): (40, "6362959c09ed33d9f98dd86b20026a8f8a25e5f730496c587576c1eac21f3e31"),
    ("postgresql", "tally"): (12, "94082741ecd71f60a3e88dc76ce7e4eced0f9f21f625e67335116212010a1b52"),
    ("sqlite", "tally"): (6, "59d58a2b533d937c22d9f903e17cbd216f0d360a5757c6a1c3dd030335ed6acb"),
    ("postgresql", "members"): (26, "2df1045f1c05ae96767e1d649d2a4c3d9be2fd23debedaa735511cc88260fb09"),
    ("sqlite", "members"): (12, "ffecde7229421eb829c9d097081dd85c042f5cafa61a5aeca61183ef5d8cc1e3"),
}
_INSTALL = {
    "summary": triggers.install,
    "rollup": _rollup_both,
    "tally": tally.install,
    "members": members.install,
}


@pytest.mark.parametrize(("vendor", "layer"), sorted(FROZEN))
def test_installed_trigger_statements_are_unchanged(vendor, layer):
    assert _installed(vendor, _INSTALL[layer]) == FROZEN[(vendor, layer)]


def test_the_rollup_installs_108_statements_on_the_two_engines():
    assert sum(n for (_v, layer), (n, _h) in FROZEN.items() if layer == "rollup") == 108


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_the_squashed_migration_installs_what_the_code_would(vendor):
    """The SQL frozen in analytics 0001 is what trigger_sql builds today, statement by statement, both ways. A change
    to the trigger code fails here until a new migration installs it (and this test then reads that migration)."""
    squash = importlib.import_module("learningcity.analytics.migrations.0001_squashed_frozen_triggers")
    up, down = _Recorder(vendor), _Recorder(vendor)
    triggers.install(up)
    rollup.install(up)
    rollup.uninstall(down)
    triggers.uninstall(down)
    assert squash.frozen_statements(vendor, "install") == [s.strip() for s in up.statements]
    assert squash.frozen_statements(vendor, "uninstall") == [s.strip() for s in down.statements]
    assert len(up.statements) == {"postgresql": 48, "sqlite": 112}[vendor]


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_the_tally_migration_installs_what_the_code_would(vendor):
    """analytics 0002 (the learner tally) runs the SQL frozen beside it: today's tally triggers and their count."""
    from learningcity.analytics.trigger_sql import tally as tally_sql

    migration = importlib.import_module("learningcity.analytics.migrations.0002_learner_tally")
    up, down = _Recorder(vendor), _Recorder(vendor)
    tally.install(up)
    tally.uninstall(down)
    expected = [s.strip() for s in up.statements + tally_sql.backfill_statements()]
    assert migration.frozen_statements(vendor, "install") == expected
    assert migration.frozen_statements(vendor, "uninstall") == [s.strip() for s in down.statements]


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_the_member_rollups_migration_installs_what_the_code_would(vendor):
    """analytics 0003 (the member rollups) runs the SQL frozen beside it: their rebuild and today's triggers."""
    from learningcity.analytics.trigger_sql import members as members_sql

    migration = importlib.import_module("learningcity.analytics.migrations.0003_member_rollups")
    up, down = _Recorder(vendor), _Recorder(vendor)
    members.uninstall(up)
    up.statements += members_sql.backfill_statements(vendor) + members_sql.install_statements(vendor)
    members.uninstall(down)
    assert migration.frozen_statements(vendor, "install") == [s.strip() for s in up.statements]
    assert migration.frozen_statements(vendor, "uninstall") == [s.strip() for s in down.statements]


FROZEN_0004 = {  # the dashboard rollups (dashboard_rollups.py): install(), drops included
    ("postgresql", "dashboard_rollups"): (
        32,
        "601bc7b7b87011c47f010ec304fe941f722a5851a40720c37ab4209d6bb119e5",
    ),
    ("sqlite", "dashboard_rollups"): (22, "d466d9f2b5f85a0209fb7c349a6e37d6005ccf424b1da5fedef54b989ccb3cda"),
}


@pytest.mark.parametrize(("vendor", "layer"), sorted(FROZEN_0004))
def test_installed_dashboard_rollup_statements_are_unchanged(vendor, layer):
    from learningcity.analytics import dashboard_rollups

    assert _installed(vendor, dashboard_rollups.install) == FROZEN_0004[(vendor, layer)]


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_the_dashboard_rollups_migration_installs_what_the_code_would(vendor):
    """analytics 0004 (learners per kind and topic, sessions per programme and space) runs the SQL frozen beside
    it: the drops, the first rebuild and today's triggers of trigger_sql.groups and trigger_sql.sessions."""
    from learningcity.analytics import dashboard_rollups
    from learningcity.analytics.trigger_sql import groups, sessions

    migration = importlib.import_module("learningcity.analytics.migrations.0004_dashboard_rollups")
    up, down = _Recorder(vendor), _Recorder(vendor)
    dashboard_rollups.uninstall(up)
    up.statements += groups.backfill_statements(vendor) + sessions.backfill_statements(vendor)
    up.statements += groups.install_statements(vendor) + sessions.install_statements(vendor)
    dashboard_rollups.uninstall(down)
    assert migration.frozen_statements(vendor, "install") == [s.strip() for s in up.statements]
    assert migration.frozen_statements(vendor, "uninstall") == [s.strip() for s in down.statements]
    assert migration.frozen_statements(vendor, "install") == [
        s.strip() for s in dashboard_rollups.migration_statements(vendor)
    ]
