from django.db.models import Count, Q
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .models import Programme, ProgrammeKind, ProgrammeStatus


def key_figures(city):
    # The city's learners follow on the home from analytics' figures (a tally the database keeps, not a count).
    programmes = Programme.objects.for_city(city).exclude(status=ProgrammeStatus.CANCELLED)
    counts = programmes.aggregate(
        clubs=Count("pk", filter=Q(kind=ProgrammeKind.CLUB)),
        total=Count("pk"),
    )
    return [
        (_("Programmes"), number_format(counts["total"], force_grouping=True)),
        (_("Clubs"), number_format(counts["clubs"], force_grouping=True)),
    ]
