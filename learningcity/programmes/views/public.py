"""Public pages: programmes, the city calendar, iCal feeds."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from learningcity.core.decorators import with_city

from .. import ical, selectors
from ..models import ProgrammeKind, Topic

PAGE_SIZE = 25
FEED_PAST_DAYS = 30
FEED_FUTURE_DAYS = 180


def _ics_response(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    response["Cache-Control"] = "public, max-age=900"
    return response


def _feed_range() -> tuple[dt.date, dt.date]:
    today = dt.date.today()
    return today - dt.timedelta(FEED_PAST_DAYS), today + dt.timedelta(FEED_FUTURE_DAYS)


@require_GET
@with_city
def programme_list(request, city):
    kind = request.GET.get("kind", "")
    topic = request.GET.get("topic", "")
    q = request.GET.get("q", "")[:100]
    # An unknown kind or topic is a 400 with an empty list, not every programme as if no filter had been asked for.
    unknown = (kind and kind not in ProgrammeKind.values) or (topic and topic not in Topic.values)
    if unknown:
        kind = kind if kind in ProgrammeKind.values else ""
        topic = topic if topic in Topic.values else ""
    # A page at a time: the same template work per page whatever the city's size (deep pages give the last one).
    qs = selectors.programme_list(city=city, kind=kind, topic=topic, q=q)
    page = Paginator(qs.none() if unknown else qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "programmes/programme_list.html",
        {
            "programmes": page.object_list,
            "page": page,
            "querystring": query.urlencode(),
            "kinds": ProgrammeKind.choices,
            "topics": Topic.choices,
            "kind": kind,
            "topic": topic,
            "q": q,
        },
        status=400 if unknown else 200,
    )


@require_GET
@with_city
def programme_detail(request, city, programme_id: int):
    programme = selectors.programme_get(city=city, programme_id=programme_id)
    today = dt.date.today()
    upcoming = list(
        selectors.session_list(
            city=city, start=today, end=today + dt.timedelta(60), programme_id=programme.pk
        )[:20]
    )
    topics = dict(Topic.choices)
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "upcoming": upcoming,
            "topic_labels": [topics.get(t, t) for t in programme.topic_list],
        },
    )


@require_GET
@with_city
def calendar_page(request, city):
    try:
        start = (
            dt.date.fromisoformat(request.GET.get("from", "")) if request.GET.get("from") else dt.date.today()
        )
    except ValueError:
        start = dt.date.today()
    end = start + dt.timedelta(days=13)
    sessions = list(selectors.session_list(city=city, start=start, end=end)[:400])
    days: dict[dt.date, list] = {}
    for s in sessions:
        days.setdefault(s.date, []).append(s)
    return render(
        request,
        "programmes/calendar.html",
        {
            "days": sorted(days.items()),
            "start": start,
            "end": end,
            "previous": start - dt.timedelta(days=14),
            "next": end + dt.timedelta(days=1),
        },
    )


@require_GET
@with_city
def city_ics(request, city):
    start, end = _feed_range()
    sessions = selectors.session_list(city=city, start=start, end=end)
    return _ics_response(ical.calendar(city=city, name=city.name, sessions=sessions), city.slug)


@require_GET
@with_city
def programme_ics(request, city, programme_id: int):
    programme = selectors.programme_get(city=city, programme_id=programme_id)
    start, end = _feed_range()
    sessions = selectors.session_list(city=city, start=start, end=end, programme_id=programme.pk)
    return _ics_response(
        ical.calendar(city=city, name=f"{programme.title} · {city.name}", sessions=sessions), programme.code
    )


@require_GET
@with_city
def space_ics(request, city, space_id: int):
    from learningcity.places.models import LearningSpace

    space = LearningSpace.objects.filter(city=city, pk=space_id).first()
    if space is None:
        raise Http404(_("No such space."))
    start, end = _feed_range()
    sessions = selectors.session_list(city=city, start=start, end=end, space_id=space.pk)
    return _ics_response(
        ical.calendar(city=city, name=f"{space.name} · {city.name}", sessions=sessions), f"space-{space.pk}"
    )
