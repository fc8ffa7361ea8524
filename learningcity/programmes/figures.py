from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .models import Learner, Programme, ProgrammeKind, ProgrammeStatus


def key_figures(city):
    programmes = Programme.objects.for_city(city).exclude(status=ProgrammeStatus.CANCELLED)
    counts = programmes.aggregate(
        clubs=Count("pk", filter=Q(kind=ProgrammeKind.CLUB)),
        total=Count("pk"),
    )
    return [
        (_("Programmes"), f"{counts['total']:,}".replace(",", ".")),
        (_("Clubs"), f"{counts['clubs']:,}".replace(",", ".")),
        (_("Learners"), f"{Learner.objects.for_city(city).count():,}".replace(",", ".")),
    ]
