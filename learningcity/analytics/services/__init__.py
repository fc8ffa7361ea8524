"""Writes of the analytics app: the catalogue, population counts, reported values, the city's targets.

The one write from outside analytics is the city's targets (`city_target_set`, re-exported here), which
reporting makes through the `indicator_results` hook: docs/architecture.md, "The layers"."""

from .targets import city_target_set

__all__ = ["city_target_set"]
