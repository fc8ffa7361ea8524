"""Hooks that exactly one app must offer: found by name, or a clear failure naming the hook."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from learningcity.core import indicators, registry


def test_a_hook_nobody_offers_fails_naming_it():
    with pytest.raises(ImproperlyConfigured, match=r"'no_such_hook' hook .*found: no installed app"):
        registry.one_app_module("no_such_hook")


def test_a_hook_that_several_apps_offer_fails_naming_them():
    with pytest.raises(ImproperlyConfigured, match=r"'demo' hook .*learningcity\.analytics\.demo"):
        registry.one_app_module("demo")


def test_indicator_results_are_analytics_own():
    assert indicators.indicator_results().__name__ == "learningcity.analytics.indicator_results"


def test_without_analytics_the_indicator_results_fail_clearly(monkeypatch):
    monkeypatch.setattr(registry, "app_modules", lambda name: ())
    with pytest.raises(ImproperlyConfigured, match="'indicator_results' hook"):
        indicators.indicator_results()


def test_the_provider_offers_every_member_of_the_contract():
    provider = indicators.indicator_results()
    members = [n for n in vars(indicators.IndicatorResults) if not n.startswith("_")]
    assert "city_target_set" in members
    assert [n for n in members if not callable(getattr(provider, n, None))] == []
