"""Exceptions to a space's weekly opening hours (closed days, special hours)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError
from learningcity.core.text import normalize

from ..models import LearningSpace, OpeningException
from ..rules import can_edit_space


def exception_add(
    *,
    actor,
    space: LearningSpace,
    date_from: dt.date,
    date_to: dt.date | None = None,
    closed: bool = True,
    opens: dt.time | None = None,
    closes: dt.time | None = None,
    note: str = "",
) -> OpeningException:
    if not can_edit_space(actor, space):
        raise DomainError(_("You may not change this space."), code="forbidden")
    date_to = date_to or date_from
    if date_to < date_from:
        raise DomainError(_("The last day comes before the first."), field="date_to")
    if (date_to - date_from).days > 366:
        raise DomainError(_("An exception lasts at most a year."), field="date_to")
    if not closed:
        if opens is None or closes is None:
            raise DomainError(_("Give the special opening and closing times."), field="opens")
        if closes <= opens:
            raise DomainError(_("The closing time must come after the opening time."), field="closes")
    else:
        opens = closes = None
    with transaction.atomic():
        exc = OpeningException.objects.create(
            city_id=space.city_id,
            space=space,
            date_from=date_from,
            date_to=date_to,
            closed=closed,
            opens=opens,
            closes=closes,
            note=normalize(note)[:200],
        )
        audit.record_create(actor=actor, obj=exc, note=str(space)[:200])
    return exc


def exception_delete(*, actor, exception: OpeningException) -> None:
    if not can_edit_space(actor, exception.space):
        raise DomainError(_("You may not change this space."), code="forbidden")
    with transaction.atomic():
        audit.record_delete(actor=actor, obj=exception, note=str(exception.space)[:200])
        exception.delete()
