"""The participation summary as tests compare it: live against a full rebuild from attendance."""

from django.db import transaction

from learningcity.analytics import triggers
from learningcity.analytics.models import Participation


def summary() -> list[tuple]:
    """The summary's counted rows, sorted (a delete leaves a row at zero; a rebuild leaves none)."""
    counted = Participation.objects.exclude(**dict.fromkeys(triggers.ALL_COLS, 0))
    return sorted(counted.values_list("city_id", "learner_id", "programme_id", "year", *triggers.ALL_COLS))


def rebuilt() -> list[tuple]:
    """What a full rebuild from attendance gives (the rebuild itself rolled back)."""
    with transaction.atomic():
        triggers.backfill()
        out = summary()
        transaction.set_rollback(True)
    return out
