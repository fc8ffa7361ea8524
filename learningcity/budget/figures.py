from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import selectors
from .models import Phase


def key_figures(city):
    """The latest year's education share (executed, else adjusted, else approved): two small queries."""
    years = selectors.budget_years(city=city)
    if not years:
        return []
    shares = selectors.education_share(city=city, year=years[0])
    for phase in (Phase.EXECUTED, Phase.ADJUSTED, Phase.APPROVED):
        share = selectors.share_for(shares, phase)
        if share is not None and share.percent is not None:
            return [
                (
                    _("Budget spent on education (%(year)s)") % {"year": years[0]},
                    f"{number_format(share.percent, decimal_pos=1)} %",
                )
            ]
    return []
