"""Network API under /api/v1/: networks, members, practices (search with facets), the comparison, a city's
partnerships, and the profile a city publishes for network hubs on other installations (harvest.py)."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router

from learningcity.core.models import City
from learningcity.core.schemas import ErrorOut
from learningcity.core.tenancy import city_get

from . import selectors
from .models import Network, Practice
from .schemas import (
    CityNetworkProfileOut,
    CompareOut,
    CompareQuery,
    NetworkDetailOut,
    NetworkOut,
    PartnershipOut,
    PracticePageOut,
    PracticeQuery,
)

router = Router(tags=["network"])


def _network(slug: str) -> Network:
    try:
        return selectors.network_get(slug=slug)
    except Network.DoesNotExist:
        raise Http404(_("There is no network called “%(slug)s”.") % {"slug": slug[:60]}) from None


def _network_out(n: Network, member_count: int) -> dict:
    return {
        "slug": n.slug,
        "name": n.name,
        "name_vi": n.name_vi,
        "name_en": n.name_en,
        "languages": n.languages,
        "member_count": member_count,
        "is_demo": n.is_demo,
    }


@router.get(
    "/networks", response=list[NetworkOut], url_name="network_list", summary="Networks of learning cities"
)
def network_list(request):
    return [_network_out(n, getattr(n, "member_count", 0)) for n in selectors.network_list()]


@router.get(
    "/networks/{network_slug}",
    response={200: NetworkDetailOut, 404: ErrorOut},
    url_name="network_detail",
    summary="A network with its member cities and clusters",
)
def network_detail(request, network_slug: str):
    network = _network(network_slug)
    members = selectors.member_list(network=network)
    return {
        **_network_out(network, len(members)),
        "members": [
            {
                "slug": m.city.slug,
                "name": m.city.name,
                "country_code": m.city.country_code,
                "joined_on": m.joined_on,
                "lat": m.city.center_lat,
                "lon": m.city.center_lon,
            }
            for m in members
        ],
        "clusters": [{"code": c.code, "name": c.name} for c in network.clusters.all()],
    }


def practice_out(practice: Practice, network: Network | None = None) -> dict:
    text = getattr(practice, "text", None) or selectors.text_in(practice)
    url = (
        reverse("network:practice", args=[network.slug, practice.city.slug, practice.slug])
        if network is not None
        else ""
    )
    return {
        "city": practice.city.slug,
        "slug": practice.slug,
        "title": text.title if text else "",
        "summary": text.summary if text else "",
        "original_language": practice.original_language,
        "key_features": practice.key_features,
        "sdg_targets": practice.sdg_targets,
        "award_criteria": practice.award_criteria,
        "clusters": [c.code for c in practice.clusters.all()],
        "indicator_codes": practice.indicator_codes,
        "translations": [
            {"language": t.language, "status": t.status, "title": t.title, "summary": t.summary}
            for t in practice.texts.all()
        ],
        "adopted_from": f"{source.city.slug}/{source.slug}" if (source := practice.adopted_from) else None,
        "url": url,
    }


@router.get(
    "/networks/{network_slug}/practices",
    response={200: PracticePageOut, 404: ErrorOut},
    url_name="network_practices",
    summary="Search the network's library of good practice (accent-insensitive)",
)
def network_practices(request, network_slug: str, filters: Query[PracticeQuery]):
    network = _network(network_slug)
    data = filters.dict()
    page = data.pop("page")
    result = selectors.practice_search(network=network, filters=selectors.PracticeFilters(**data), page=page)
    return {
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "items": [practice_out(p, network) for p in result.practices],
        "facets": {
            k: [{"value": v, "label": label, "count": n} for v, label, n in items]
            for k, items in result.facets.items()
        },
    }


@router.get(
    "/networks/{network_slug}/compare",
    response={200: CompareOut, 404: ErrorOut},
    url_name="network_compare",
    summary="Member cities side by side on one shared indicator and year",
)
def network_compare(request, network_slug: str, params: Query[CompareQuery]):
    network = _network(network_slug)
    code = params.indicator or next(iter(selectors.shared_indicator_codes(network=network)), "")
    comparison = selectors.compare(network=network, code=code, year=params.year)
    if comparison.indicator is None:
        raise Http404(_("There is no indicator “%(code)s”.") % {"code": code[:40]})
    return {
        "indicator": comparison.indicator.code,
        "unit": comparison.indicator.unit,
        "year": comparison.year,
        "years": comparison.years,
        "rows": [
            {
                "city": r.city.slug,
                "city_name": r.city.name,
                "year": r.year,
                "value": r.value,
                "per_1000_inhabitants": r.per_capita,
                "suppressed": r.suppressed,
                "population": r.population,
                "computed_at": r.computed_at,
                "source": r.source or "local",
                "trend": {str(y): v for y, v in r.trend},
            }
            for r in comparison.rows
        ],
        "excluded": [c.slug for c, _why in comparison.excluded],
    }


def _partnership_out(p) -> dict:
    return {
        "id": p.pk,
        "title": p.title,
        "kind": p.kind,
        "status": p.status,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "objectives": p.objectives,
        "parties": [
            {
                "city": party.partner_city.slug if party.partner_city else None,
                "organisation": party.organisation,
                "country_code": party.country_code,
            }
            for party in p.parties.all()
        ],
        "practices": [pr.slug for pr in p.practices.all()],
        "indicator_codes": p.indicator_codes,
        "programmes": [
            {"id": prog.pk, "code": prog.code, "title": prog.title} for prog in p.programmes.all()
        ],
        "programme_names": p.programme_names,
    }


@router.get(
    "/cities/{slug}/partnerships",
    response={200: list[PartnershipOut], 404: ErrorOut},
    url_name="city_partnerships",
    summary="A city's partnerships with cities and organisations",
)
def city_partnerships(request, slug: str):
    city = city_get(slug)
    return [_partnership_out(p) for p in selectors.partnership_list(city=city)]


@router.get(
    "/cities/{slug}/network-profile",
    response={200: CityNetworkProfileOut, 404: ErrorOut},
    url_name="city_network_profile",
    summary="What the city shares with networks: profile, published practices, shared indicator values",
)
def city_network_profile(request, slug: str):
    city: City = city_get(slug)
    return {
        "slug": city.slug,
        "name": city.name,
        "name_vi": city.name_vi,
        "name_en": city.name_en,
        "country_code": city.country_code,
        "lat": city.center_lat,
        "lon": city.center_lon,
        "facts": [list(pair) for pair in selectors.profile_facts(city)],
        "practices": [practice_out(p) for p in selectors.practice_list_for_city(city=city)],
        "shared_values": [
            {
                "indicator": v.indicator_code,
                "year": v.year,
                "value": None if v.suppressed else v.value,
                "numerator": None if v.suppressed else v.numerator,
                "denominator": v.denominator,
                "population": v.population,
                "suppressed": v.suppressed,
                "unit": v.unit,
                "definition": v.definition,
                "computed_at": v.computed_at,
            }
            for v in selectors.shared_values_of(city=city)
        ],
    }
