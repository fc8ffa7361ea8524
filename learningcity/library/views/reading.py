"""Reading counts for everyone: exact for the city's staff, suppressed for the public."""

from __future__ import annotations

from django.shortcuts import render

from learningcity.core.decorators import with_city

from ..reading import reading_figures
from ..rules import can_see_circulation


@with_city
def figures(request, city):
    exact = can_see_circulation(request.user, city)
    return render(
        request,
        "library/figures.html",
        {"city": city, "exact": exact, **reading_figures(city=city, exact=exact)},
    )
