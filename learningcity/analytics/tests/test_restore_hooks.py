"""The tables the restore treats as derived (analytics/restore_hooks.DERIVED) are exactly the analytics tables that
triggers keep: every analytics model but the catalogue, targets and typed values."""

from django.apps import apps

from learningcity.analytics.restore_hooks import DERIVED

ENTERED_BY_PEOPLE = {
    "analytics.catalogueversion",
    "analytics.framework",
    "analytics.frameworknode",
    "analytics.indicator",
    "analytics.indicatortarget",
    "analytics.manualvalue",
}


def test_derived_names_every_trigger_kept_table_and_nothing_else():
    labels = {m._meta.label_lower for m in apps.get_app_config("analytics").get_models()}
    assert set(DERIVED) == labels - ENTERED_BY_PEOPLE
