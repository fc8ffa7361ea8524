"""Key figures for the city home: the catalogue and its copies."""

from django.utils.translation import gettext_lazy as _

from .selectors import catalogue_counts


def key_figures(city):
    counts = catalogue_counts(city=city)
    if not counts["records"]:
        return []
    return [
        (_("Books in the city's catalogue"), counts["records"]),
        (_("Copies on the bookcases"), counts["copies"]),
    ]
