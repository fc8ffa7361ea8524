"""Key figures on the city home from the GNLC profile: the population and the year the city joined."""

from __future__ import annotations

from django.utils.formats import number_format

from learningcity.core.models import City

from .profile import facts


def key_figures(city: City) -> list[tuple[str, str]]:
    shown = {"population", "joined"}
    out = []
    for fact in facts(city):
        if fact.key in shown and fact.value not in (None, ""):
            value = (
                number_format(fact.value, force_grouping=True)
                if fact.key == "population"
                else str(fact.value)
            )
            out.append((fact.label, value))
    return out
