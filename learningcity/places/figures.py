from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .models import LearningSpace, SpaceStatus


def key_figures(city):
    counts = (
        LearningSpace.objects.for_city(city)
        .public()
        .aggregate(
            active=Count("id", filter=Q(status=SpaceStatus.ACTIVE)),
            wisdom=Count(
                "id",
                filter=Q(
                    status=SpaceStatus.ACTIVE,
                    space_type__code__in=["house-of-wisdom", "compassionate-library"],
                ),
            ),
        )
    )
    return [
        (_("Learning spaces"), counts["active"]),
        (_("Houses of Wisdom and Compassionate Libraries"), counts["wisdom"]),
    ]
