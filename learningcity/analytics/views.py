"""Pages: the public and staff participation dashboards, indicators, population and reported values. Thin."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learningcity.core import charts
from learningcity.core.decorators import staff_only, with_city
from learningcity.core.errors import DomainError
from learningcity.core.forms import ImportForm, add_domain_error
from learningcity.core.freshness import live, recent
from learningcity.core.import_flow import staged_import
from learningcity.core.models import Area, PopulationCount
from learningcity.core.permissions import can_view_exact_figures, is_city_admin
from learningcity.core.private_files import private_file_response
from learningcity.core.selectors import areas_managed_by

from . import selectors
from .export import svg_response, table_response
from .forms import ManualValueForm, PopulationForm
from .indicators import evaluate_indicator
from .labels import Labeller, dimension_label
from .measures import MeasureQuery
from .models import Indicator
from .periods import period_choices, period_parse
from .selectors.board import Dashboard
from .selectors.targets import target_rows
from .services.manual import manual_value_approve, manual_value_enter
from .services.population import population_count_delete, population_count_set, population_import


def _area_id(request) -> int | None:
    value = request.GET.get("area", "")
    return int(value) if value.isdigit() else None


@dataclass
class _Shown:
    """A computed dashboard and its page body, rendered once per computation (the body is most of the page's cost
    after the figures)."""

    board: Dashboard
    body: str = ""


def _dashboard(request, city, *, staff: bool):
    url_name = "analytics_dashboard_staff" if staff else "analytics_dashboard"
    period_code = request.GET.get("period", "")
    base = reverse(url_name, kwargs={"city_slug": city.slug})

    def link(area_id):
        return f"{base}?area={area_id}" + (f"&period={period_code}" if period_code else "")

    area_id = _area_id(request)

    def compute():
        return _Shown(
            selectors.dashboard(
                city=city, user=request.user, period_code=period_code, area_id=area_id, staff=staff, link=link
            )
        )

    try:
        key = ("dashboard", city.pk, period_code, area_id, get_language(), timezone.localdate())
        if staff:
            # Staff figures stay live: kept only until the next committed write (core.changes), per exactness.
            shown = live((*key, can_view_exact_figures(request.user, city)), compute)
        else:
            # The public board is the same for every visitor (suppressed): computed at most every few seconds.
            shown = recent(key, compute)
    except Area.DoesNotExist:
        raise Http404(_("There is no such area in this city.")) from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(base)
    board = shown.board
    export = request.GET.get("export", "")
    fmt = request.GET.get("format", "csv")
    if export:
        name = f"{city.slug}-{board.period.code}-{export}"
        if export == "ranking":
            headers, rows = selectors.ranking_rows(board)
            return table_response(name, headers, rows, fmt, title=_("Who is left behind"))
        if export == "map" and fmt == "svg":
            return svg_response(name, board.map_svg)
        table = board.table(export)
        if table is None:
            raise Http404(_("There is no such table."))
        if fmt == "svg":
            return svg_response(name, table.svg)
        headers, rows = selectors.table_rows(table)
        return table_response(name, headers, rows, fmt, title=table.title)
    if not shown.body:
        shown.body = render_to_string(
            "analytics/_board.html",
            {
                "board": board,
                "periods": period_choices(),
                "periods_codes": [c for c, _label in period_choices()],
                "period_code": board.period.code,
                "base_url": base,
                "area_param": f"&area={board.area.pk}" if board.area else "",
            },
            request,
        )
    return render(request, "analytics/dashboard.html", {"board": board, "body": shown.body, "staff": staff})


@with_city
def dashboard_public(request, city):
    return _dashboard(request, city, staff=False)


@with_city
@staff_only
def dashboard_staff(request, city):
    return _dashboard(request, city, staff=True)


@with_city
def indicator_list_page(request, city):
    frameworks = selectors.framework_list()
    trees = [(fw, selectors.framework_tree(fw)) for fw in frameworks]
    indicators = list(selectors.indicator_list(city=city))
    return render(request, "analytics/indicator_list.html", {"trees": trees, "indicators": indicators})


@with_city
def indicator_detail_page(request, city, code):
    try:
        indicator = selectors.indicator_get(code=code)
    except Indicator.DoesNotExist:
        raise Http404(_("There is no indicator “%(code)s”.") % {"code": code[:40]}) from None
    exact = can_view_exact_figures(request.user, city)
    default = "rolling12" if indicator.formula.get("period") == "rolling12" else "year"
    by_choices = ["", "area", "sex", "age_band", "ethnicity", "disability", "remote", "kind", "topic"]
    by = request.GET.get("by", indicator.default_by if "by" not in request.GET else "")
    by = by if by in by_choices else ""
    try:
        period = period_parse(request.GET.get("period", ""), default=default)
    except DomainError as exc:
        messages.error(request, exc.message)
        period = period_parse("", default=default)
    q = MeasureQuery(city=city, period=period)

    def compute():
        return evaluate_indicator(indicator, q, [by] if by else [], exact=exact)

    # Public values are the same for every visitor (suppressed): computed at most every few seconds.
    key = ("indicator", city.pk, indicator.code, period.code, by, get_language())
    result = compute() if exact else recent(key, compute)
    label = Labeller(city, q.index, q.root)
    rows = []
    for row in result.rows:
        keys = [label(d, row.keys.get(d)) for d in result.by if d != "reference"]
        if "reference" in row.keys:
            keys.append(label(result.by[-2], row.keys["reference"]))
        rows.append({"keys": keys, "row": row})
    fmt = request.GET.get("format", "")
    headers = [dimension_label(d) if d != "reference" else _("Reference group") for d in result.by]
    headers += [_("Numerator"), _("Denominator"), _("Value"), _("Note")]
    table_rows = [
        [
            *r["keys"],
            "<5" if r["row"].suppressed else r["row"].numerator,
            "" if r["row"].suppressed else r["row"].denominator,
            "" if r["row"].value is None else r["row"].value,
            r["row"].note,
        ]
        for r in rows
    ]
    svg = charts.bar_chart(
        indicator.name,
        [
            charts.Bar(
                " · ".join(r["keys"]) or _("All"),
                r["row"].value,
                "<5" if r["row"].suppressed else ("–" if r["row"].value is None else str(r["row"].value)),
            )
            for r in rows
        ],
    )
    if fmt in ("csv", "xlsx"):
        return table_response(
            f"{city.slug}-{indicator.code}-{period.code}", headers, table_rows, fmt, title=indicator.name
        )
    if fmt == "svg":
        return svg_response(f"{city.slug}-{indicator.code}-{period.code}", svg)
    targets = target_rows(city=city, indicators=[indicator], exact=exact)
    return render(
        request,
        "analytics/indicator_detail.html",
        {
            "indicator": indicator,
            "result": result,
            "headers": headers,
            "table_rows": table_rows,
            "svg": svg,
            "period": period,
            "by": by,
            "by_choices": [(b, dimension_label(b) if b else _("No breakdown")) for b in by_choices],
            "targets": targets,
            "exact": exact,
            "periods": period_choices(),
        },
    )


@with_city
@staff_only
def population_page(request, city):
    areas = areas_managed_by(user=request.user, city=city).filter(valid_to__isnull=True)
    form = PopulationForm(request.POST or None, areas=areas)
    if request.method == "POST":
        if request.POST.get("delete"):
            try:
                population_count_delete(actor=request.user, city=city, pk=int(request.POST["delete"]))
            except (DomainError, PopulationCount.DoesNotExist, ValueError) as exc:
                messages.error(request, getattr(exc, "message", _("Nothing was deleted.")))
            else:
                messages.success(request, _("Population figure deleted."))
            return redirect("analytics_population", city_slug=city.slug)
        if form.is_valid():
            try:
                population_count_set(actor=request.user, city=city, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Population figure saved."))
                return redirect("analytics_population", city_slug=city.slug)
    year = request.GET.get("year", "")
    qs = (
        PopulationCount.objects.for_city(city)
        .select_related("area")
        .order_by("-year", "area__path", "sex", "age_band", "ethnicity")
    )
    if year.isdigit():
        qs = qs.filter(year=int(year))
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(request, "analytics/population.html", {"form": form, "page": page, "year": year})


@with_city
@staff_only
def population_import_page(request, city):
    return staged_import(
        request,
        form=ImportForm(request.POST or None, request.FILES or None),
        template="analytics/population_import.html",
        run=lambda stream, apply: population_import(
            actor=request.user, city=city, stream=stream, apply=apply
        ),
        applied=lambda result: (
            _("%(n)s population figures imported.") % {"n": result["rows"]},
            redirect("analytics_population", city_slug=city.slug),
        ),
    )


@with_city
@staff_only
def manual_values_page(request, city):
    form = ManualValueForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            manual_value_enter(
                actor=request.user,
                city=city,
                indicator=data["indicator"],
                year=data["year"],
                value=data["value"],
                source=data["source"],
                note=data["note"],
                evidence=data["evidence"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Value saved; it waits for approval."))
            return redirect("analytics_manual_values", city_slug=city.slug)
    values = selectors.manual_value_list(city=city, exact=True)
    return render(
        request,
        "analytics/manual_values.html",
        {"form": form, "values": values, "can_approve": is_city_admin(request.user, city)},
    )


@with_city
@staff_only
def manual_value_evidence(request, city, pk):
    """The evidence file of a reported value: for the city's staff (who read the reported values), as a download.

    Never from /media/ (nginx refuses it there): through this check, then X-Accel-Redirect or Django itself."""
    value = selectors.manual_value_list(city=city, exact=True).filter(pk=pk).first()
    if value is None or not value.evidence:
        raise Http404(_("No such file."))
    filename = (value.evidence.name or "").rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return private_file_response(value.evidence, filename=filename, content_type=content_type)


@with_city
@staff_only
@require_POST
def manual_value_approve_view(request, city, pk):
    try:
        manual_value_approve(actor=request.user, city=city, pk=pk)
    except DomainError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Value approved: it is now public."))
    return redirect("analytics_manual_values", city_slug=city.slug)
