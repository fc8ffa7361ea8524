"""The core's key figures on the city home: its administrative units, counted from the data."""

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .models import AreaLevel, City
from .models.areas import Area

LOCAL_LEVELS = (AreaLevel.WARD, AreaLevel.COMMUNE, AreaLevel.SPECIAL_ZONE)
NEIGHBOURHOOD_LEVELS = (AreaLevel.HAMLET, AreaLevel.RESIDENTIAL_GROUP)


def key_figures(city: City) -> list[tuple[str, str]]:
    current = Area.objects.for_city(city).current()
    counts = {row["level"]: row["n"] for row in _count_by_level(current)}
    local = sum(counts.get(level, 0) for level in LOCAL_LEVELS)
    hamlets = sum(counts.get(level, 0) for level in NEIGHBOURHOOD_LEVELS)
    return [
        (str(_("Communes and wards")), number_format(local, force_grouping=True)),
        (str(_("Hamlets and residential groups")), number_format(hamlets, force_grouping=True)),
    ]


def _count_by_level(qs):
    from django.db.models import Count

    return qs.values("level").annotate(n=Count("id")).order_by()
