from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

from .models import Entry, EntryStatus


def key_figures(city):
    count = Entry.objects.for_city(city).filter(status=EntryStatus.SUBMITTED).count()
    if not count:
        return []
    return [(_("Competition entries"), intcomma(count))]
