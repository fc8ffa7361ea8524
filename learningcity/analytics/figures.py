"""Key figures for the city home: the city's learners (the tally the triggers keep, tally.py), learners reached in
the last 12 months and the participation rate (suppressed)."""

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from learningcity.core.errors import DomainError
from learningcity.core.freshness import recent
from learningcity.core.suppression import SUPPRESSED_LABEL, THRESHOLD

from .measures import MeasureQuery, NoData, measure_table
from .periods import period_parse
from .tally import learner_count


def key_figures(city):
    """The same for every visitor (suppressed), so computed at most every few seconds (core.freshness)."""
    return recent(("key_figures", city.pk, get_language()), lambda: _key_figures(city))


def _key_figures(city):
    # Every learner the city has recorded, as programmes showed it (a count of its learners, not suppressed): read
    # from the tally, one row, instead of counting the learner table on every visit.
    out = [(_("Learners"), number_format(learner_count(city.pk), 0, force_grouping=True))]
    try:
        q = MeasureQuery(city=city, period=period_parse("", default="rolling12"))
        learners = measure_table(q, "learners", []).get((), 0)
    except (NoData, DomainError):
        return out
    out += [
        (
            _("Learners in the last 12 months"),
            SUPPRESSED_LABEL
            if learners < THRESHOLD
            else number_format(int(learners), 0, force_grouping=True),
        )
    ]
    try:
        population = measure_table(q, "population", []).get((), 0)
    except NoData:
        population = 0
    if population and learners >= THRESHOLD:
        out.append((_("Participation rate"), number_format(round(learners / population * 100, 1), 1) + "%"))
    return out
