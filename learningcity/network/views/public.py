"""Public pages of a network, under /networks/: the network and its map, city profiles, the library of good
practice, the comparison of shared indicators and the partnerships."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from learningcity.core.cells import spreadsheet_response
from learningcity.core.models import City

from .. import selectors
from ..access import is_coordinator
from ..forms import SearchForm
from ..models import Membership, Network, Practice


def _network(slug: str) -> Network:
    try:
        return selectors.network_get(slug=slug)
    except Network.DoesNotExist:
        raise Http404(_("There is no network called “%(slug)s”.") % {"slug": slug[:60]}) from None


def _map(members) -> dict:
    points = selectors.map_points(members)
    centre = [points[0]["lat"], points[0]["lon"]] if points else [21.3273, 103.921]
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "areas_json": "[]",
        "centre_json": json.dumps(centre),
        "point_json": json.dumps(points, ensure_ascii=False),
        "map_class": "network-map",
    }


def network_list(request):
    return render(request, "network/network_list.html", {"networks": selectors.network_list()})


def network_detail(request, network_slug):
    network = _network(network_slug)
    members = selectors.member_list(network=network)
    return render(
        request,
        "network/network_detail.html",
        {
            "network": network,
            "members": members,
            "clusters": network.clusters.all(),
            "remote": selectors.remote_cities(network=network),
            "is_coordinator": is_coordinator(request.user, network),
            **_map(members),
        },
    )


def city_profile(request, network_slug, city_slug):
    network = _network(network_slug)
    try:
        membership = selectors.member_get(network=network, city_slug=city_slug)
    except Membership.DoesNotExist:
        raise Http404(_("This city is not a member of the network.")) from None
    city = membership.city
    practices = selectors.practice_list_for_city(city=city)
    return render(
        request,
        "network/city_profile.html",
        {
            "network": network,
            "membership": membership,
            "profile_city": city,
            "facts": selectors.profile_facts(city),
            "practices": practices,
            "networks": selectors.networks_of(city=city),
            "shared": selectors.shared_latest(city=city),
            "partnerships": selectors.partnership_list(city=city),
            **_map([membership]),
        },
    )


def practice_search(request, network_slug):
    network = _network(network_slug)
    form = SearchForm(request.GET or None)
    filters = selectors.PracticeFilters(**(form.cleaned_data if form.is_valid() else {}))
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    result = selectors.practice_search(network=network, filters=filters, page=page)
    params = {k: v for k, v in (form.cleaned_data if form.is_bound and form.is_valid() else {}).items() if v}
    # Harvested practices have no facets: shown for words alone, on the first page.
    remote = (
        [] if set(params) - {"q"} or page > 1 else selectors.remote_practices(network=network, q=filters.q)
    )
    return render(
        request,
        "network/practice_search.html",
        {
            "network": network,
            "form": form,
            "result": result,
            "params": params,
            "facet_names": _facet_names(),
            "remote": remote,
        },
    )


def _facet_names() -> list[tuple[str, str]]:
    return [
        ("cluster", _("Clusters")),
        ("city", _("Cities")),
        ("kf", _("Key Features")),
        ("sdg", _("SDG targets")),
        ("award", _("Award criteria")),
        ("lang", _("Languages")),
    ]


def practice_detail(request, network_slug, city_slug, practice_slug):
    network = _network(network_slug)
    try:
        practice = selectors.practice_get(network=network, city_slug=city_slug, slug=practice_slug)
    except Practice.DoesNotExist:
        raise Http404(_("There is no such practice in this network.")) from None
    funding = selectors.funding_of(practice.city, "practice", [practice.pk]).get(practice.pk)
    from ..access import speaking_city
    from ..forms import ThreadForm

    return render(
        request,
        "network/practice_detail.html",
        {
            "network": network,
            "practice": practice,
            "text": getattr(practice, "text", None),
            "statuses": selectors.translation_status(practice, network.languages),
            "results": selectors.live_results(practice),
            "adoptions": selectors.adoptions_of(practice),
            "funding": funding,
            "files": practice.files.all(),
            "threads": selectors.thread_list(network=network, practice=practice)
            if selectors.may_read_dialogue(request.user, network)
            else None,
            "thread_form": ThreadForm() if speaking_city(request.user, network) else None,
        },
    )


def practice_file(request, network_slug, city_slug, practice_slug, file_id):
    from learningcity.core.private_files import private_file_response

    network = _network(network_slug)
    try:
        practice = selectors.practice_get(network=network, city_slug=city_slug, slug=practice_slug)
        item = practice.files.get(pk=file_id)
    except (Practice.DoesNotExist, ObjectDoesNotExist):
        raise Http404(_("No such file.")) from None
    ext = (item.file.name or "file").rsplit(".", 1)[-1]
    return private_file_response(
        item.file,
        filename=f"{practice.slug}-{item.pk}.{ext}",
        content_type=item.content_type,
        attachment=item.kind != "photo",
    )


def compare(request, network_slug, fmt=None):
    network = _network(network_slug)
    codes = selectors.shared_indicator_codes(network=network)
    code = request.GET.get("indicator") or (codes[0] if codes else "")
    try:
        year = int(request.GET["year"]) if request.GET.get("year") else None
    except ValueError:
        year = None
    cities = [c for c in request.GET.getlist("city") if c][:50] or None
    comparison = selectors.compare(network=network, code=code, year=year, cities=cities)
    if fmt:
        header, rows = selectors.compare_rows(comparison)
        return spreadsheet_response(f"{network.slug}-{code}-{comparison.year}", [header, *rows], fmt)
    from ..charts import compare_chart

    chosen = set(cities or [])
    times = [r.computed_at for r in comparison.rows if r.computed_at is not None]
    return render(
        request,
        "network/compare.html",
        {
            "network": network,
            "codes": selectors.indicator_choices(codes),
            "code": code,
            "comparison": comparison,
            "table": _compare_table(comparison),
            "members": [
                (m.city.slug, m.city.name, m.city.slug in chosen)
                for m in selectors.member_list(network=network)
            ],
            "chart": compare_chart(comparison),
            "computed": (min(times), max(times)) if times else None,
        },
    )


def _compare_table(comparison) -> list[dict]:
    """The comparison's rows formatted once here (300 rows through template filters cost more than the query)."""
    from django.utils import formats, timezone

    sep = formats.get_format("DECIMAL_SEPARATOR")
    percent = "%" if comparison.indicator is not None and comparison.indicator.unit == "percent" else ""
    dates: dict = {}

    def num(value, places: int) -> str:
        return "—" if value is None else f"{float(value):.{places}f}".replace(".", sep)

    def when(value) -> str:
        if value not in dates:
            dates[value] = formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
        return dates[value]

    here = _("this installation")
    suppressed = _("suppressed")
    return [
        {
            "name": r.city.name,
            "value": suppressed
            if r.suppressed
            else (num(r.value, 1) + percent if r.value is not None else "—"),
            "per_capita": num(r.per_capita, 2),
            "year": str(r.year),
            "trend": " · ".join(f"{y}: {num(v, 1)}" for y, v in r.trend),
            "source": f"{r.source or here}, {when(r.computed_at)}",
        }
        for r in comparison.rows
    ]


def partnerships(request, network_slug):
    network = _network(network_slug)
    items, edges = selectors.partnership_graph(network=network)
    from ..charts import partnership_graph_svg

    return render(
        request,
        "network/partnerships.html",
        {"network": network, "partnerships": items, "edges": edges, "graph": partnership_graph_svg(edges)},
    )


def city_partnerships(request, city_slug):
    from learningcity.core.tenancy import city_get

    city: City = city_get(city_slug)
    return render(
        request,
        "network/city_partnerships.html",
        {"city": city, "partnerships": selectors.partnership_list(city=city)},
    )


def partnership_document(request, city_slug, partnershipdocument_id):
    """A partnership's document: public, as the partnership (an agreement between public bodies)."""
    from learningcity.core.private_files import private_file_response
    from learningcity.core.tenancy import city_get

    from ..models import PartnershipDocument

    city: City = city_get(city_slug)
    try:
        document = PartnershipDocument.objects.for_city(city).get(pk=partnershipdocument_id)
    except PartnershipDocument.DoesNotExist:
        raise Http404(_("No such file.")) from None
    ext = "pdf" if document.content_type == "application/pdf" else "docx"
    return private_file_response(
        document.file, filename=f"partnership-{document.pk}.{ext}", content_type=document.content_type
    )
