"""Budget pages: the public overview of the figures; lines, import, codes and exports for the city administrator."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from learningcity.core.cells import spreadsheet_response
from learningcity.core.decorators import staff_only, with_city
from learningcity.core.errors import DomainError
from learningcity.core.forms import add_domain_error
from learningcity.core.import_flow import staged_import
from learningcity.core.permissions import can_view_exact_figures, is_city_admin

from . import export, selectors, services
from .forms import BudgetImportForm, CodeMappingForm, CopyYearForm, LineFilterForm, LineForm
from .models import BudgetLine

PAGE_SIZE = 50


def _year(request, city) -> int | None:
    years = selectors.budget_years(city=city)
    raw = request.GET.get("year", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return years[0] if years else None


@require_GET
@with_city
def overview(request, city):
    year = _year(request, city)
    data = selectors.overview(city=city, year=year) if year else None
    return render(
        request,
        "budget/overview.html",
        {
            "year": year,
            "years": selectors.budget_years(city=city),
            "data": data,
            "admin": is_city_admin(request.user, city),
            "exact": can_view_exact_figures(request.user, city),
        },
    )


def _admin(request, city) -> None:
    if not is_city_admin(request.user, city):
        raise PermissionDenied(_("Only the city administrator manages the budget."))


@require_GET
@with_city
@staff_only
def line_list(request, city):
    _admin(request, city)
    form = LineFilterForm(request.GET or None)
    filters = selectors.LineFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.LineFilters(
            year=d["year"], phase=d["phase"] or "", cofog=d["cofog"] or "", source=d["source"] or ""
        )
    lines = selectors.line_list(city=city, filters=filters)
    fmt = request.GET.get("format", "")
    if fmt == "csv":
        return spreadsheet_response(f"{city.slug}-budget", export.line_rows(lines), "csv")
    if fmt == "fdp":
        response = HttpResponse(export.fiscal_data_package(city, lines), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{city.slug}-budget-fdp.zip"'
        return response
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "budget/line_list.html", {"form": form, "page": page, "querystring": query.urlencode()}
    )


@with_city
@staff_only
def line_edit(request, city, pk=None):
    _admin(request, city)
    line = get_object_or_404(BudgetLine.objects.for_city(city).select_related("code"), pk=pk) if pk else None
    initial = {}
    if line is not None:
        initial = {
            "year": line.year, "phase": line.phase, "code": line.code.code, "amount": line.amount,
            "source": line.source, "spending_unit": line.spending_unit, "description": line.description,
            "programme_id": line.programme_id, "space_id": line.space_id,
        }  # fmt: skip
    form = LineForm(
        request.POST or None,
        initial=initial,
        programmes=selectors.programme_choices(city=city),
        spaces=selectors.space_choices(city=city),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.line_save(actor=request.user, city=city, line=line, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Budget line saved."))
            return redirect(f"{_url(city, 'budget:line_list')}?year={saved.year}")
    return render(request, "budget/line_form.html", {"form": form, "line": line})


@require_POST
@with_city
@staff_only
def line_delete(request, city, pk):
    _admin(request, city)
    line = get_object_or_404(BudgetLine.objects.for_city(city), pk=pk)
    services.line_delete(actor=request.user, line=line)
    messages.success(request, _("Budget line deleted."))
    return redirect("budget:line_list", city_slug=city.slug)


@with_city
@staff_only
def line_import(request, city):
    _admin(request, city)
    form = BudgetImportForm(request.POST or None, request.FILES or None)
    year = form.data.get("year", "")
    if request.method == "POST" and request.POST.get("apply") == "1":
        year = request.POST.get("year", "")
    if request.method == "POST" and not str(year).isdigit():
        form.is_valid()
        return render(request, "budget/import.html", {"form": form})

    def applied(result):
        msg = _("Import done: %(n)s lines of %(year)s.") % {"n": result["lines"], "year": year}
        return msg, redirect(f"{_url(city, 'budget:overview')}?year={year}")

    return staged_import(
        request,
        form=form,
        template="budget/import.html",
        run=lambda stream, apply: services.lines_import(
            actor=request.user, city=city, year=int(year), stream=stream, apply=apply
        ),
        applied=applied,
        context={"year": year},
        max_row_errors=200,
    )


def _url(city, name: str) -> str:
    from django.urls import reverse

    return reverse(name, kwargs={"city_slug": city.slug})


@with_city
@staff_only
def code_list(request, city):
    _admin(request, city)
    year = _year(request, city)
    form = CodeMappingForm(request.POST or None, initial={"year": year})
    copy_form = CopyYearForm(initial={"from_year": year, "to_year": (year or 0) + 1})
    if request.method == "POST" and form.is_valid():
        try:
            mapping = services.code_mapping_save(actor=request.user, city=city, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Budget code %(code)s saved.") % {"code": mapping.code})
            return redirect(f"{_url(city, 'budget:code_list')}?year={mapping.year}")
    codes = selectors.code_mapping_list(city=city, year=year) if year else []
    return render(
        request,
        "budget/codes.html",
        {
            "form": form,
            "copy_form": copy_form,
            "codes": codes,
            "year": year,
            "years": selectors.budget_years(city=city),
        },
    )


@require_POST
@with_city
@staff_only
def code_copy(request, city):
    _admin(request, city)
    form = CopyYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give two years."))
        return redirect("budget:code_list", city_slug=city.slug)
    d = form.cleaned_data
    n = services.code_mappings_copy(
        actor=request.user, city=city, from_year=d["from_year"], to_year=d["to_year"]
    )
    messages.success(request, _("%(n)s codes copied into %(year)s.") % {"n": n, "year": d["to_year"]})
    return redirect(f"{_url(city, 'budget:code_list')}?year={d['to_year']}")
