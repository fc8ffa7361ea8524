"""Analytics API: frameworks, indicators and their values (suppressed for anonymous callers). Thin."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from learningcity.core.api_auth import api_user, token_city_allows
from learningcity.core.errors import DomainError
from learningcity.core.models import Area
from learningcity.core.permissions import can_view_exact_figures
from learningcity.core.schemas import ErrorOut
from learningcity.core.tenancy import city_get

from . import selectors
from .indicators import evaluate_indicator
from .measures import SELF, MeasureQuery
from .models import Indicator
from .periods import period_parse
from .schemas import FrameworkOut, IndicatorOut, ValuesOut

router = Router(tags=["indicators"])


@router.get("/frameworks", response=list[FrameworkOut], summary="Frameworks and their structure")
def frameworks(request):
    return [
        {
            "code": fw.code,
            "name": fw.name,
            "name_vi": fw.name_vi,
            "name_en": fw.name_en,
            "source": fw.source,
            "version": fw.version,
            "structure": selectors.framework_tree(fw),
        }
        for fw in selectors.framework_list()
    ]


def _indicator_out(city, ind: Indicator) -> dict:
    return {
        "code": ind.code,
        "name": ind.name,
        "name_vi": ind.name_vi,
        "name_en": ind.name_en,
        "description": ind.description,
        "unit": ind.unit,
        "type": ind.formula.get("type", ""),
        "formula": ind.formula,
        "default_by": [b for b in ind.default_by.split(",") if b],
        "frameworks": [f"{n.framework.code}:{n.code}" for n in ind.nodes.all()],
        "targets": [
            {"year": t.year, "value": float(t.value), "scope": "city" if t.city_id else "national"}
            for t in ind.targets.all()
        ],
        "version": ind.version,
        "values_url": reverse("api:indicator_values", kwargs={"slug": city.slug, "code": ind.code}),
    }


@router.get("/cities/{slug}/indicators", response=list[IndicatorOut], summary="The city's indicators")
def indicators(request, slug: str):
    city = city_get(slug)
    return [_indicator_out(city, ind) for ind in selectors.indicator_list(city=city)]


class ValuesFilters(Schema):
    period: str = ""
    area: str = ""
    by: str = ""


def _area(city, value: str) -> Area | None:
    value = (value or "").strip()
    if not value:
        return None
    qs = Area.objects.for_city(city)
    area = qs.filter(code=value).order_by("valid_to").first()
    if area is None and value.isdigit():
        area = qs.filter(pk=int(value)).first()
    if area is None:
        raise DomainError(_("No area has the code “%(code)s”.") % {"code": value[:40]}, field="area")
    return area


@router.get(
    "/cities/{slug}/indicators/{code}/values",
    response={200: ValuesOut, 400: ErrorOut, 404: ErrorOut},
    url_name="indicator_values",
    summary="An indicator's values, one row per cell (suppressed for the public)",
)
def indicator_values(request, slug: str, code: str, filters: Query[ValuesFilters]):
    city = city_get(slug)
    try:
        indicator = selectors.indicator_get(code=code)
    except Indicator.DoesNotExist:
        raise Http404(_("There is no indicator “%(code)s”.") % {"code": code[:40]}) from None
    user = api_user(request)
    exact = can_view_exact_figures(user, city) and token_city_allows(user, city)
    default = "rolling12" if indicator.formula.get("period") == "rolling12" else "year"
    period = period_parse(filters.period, default=default)
    area = _area(city, filters.area)
    by = [b.strip() for b in filters.by.split(",") if b.strip()]
    q = MeasureQuery(city=city, period=period, area=area)
    result = evaluate_indicator(indicator, q, by, exact=exact)
    index = q.index
    rows = []
    for row in result.rows:
        out = {}
        for dim, value in row.keys.items():
            if dim == "area" and value not in (None, "", SELF):
                a = index.areas.get(value)
                out["area"] = a.code if a else value
                out["area_name"] = a.name if a else ""
            else:
                out[dim] = value
        out.update(
            numerator=row.numerator,
            denominator=row.denominator,
            value=row.value,
            suppressed=row.suppressed,
            note=row.note,
        )
        rows.append(out)
    return Status(
        200,
        {
            "indicator": indicator.code,
            "unit": indicator.unit,
            "period": period.code,
            "period_start": period.start.isoformat(),
            "period_end": period.end.isoformat(),
            "area": area.code if area else None,
            "by": result.by,
            "exact": exact,
            "message": result.message,
            "rows": rows,
        },
    )
