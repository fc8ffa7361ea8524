"""The public catalogue: search with facets, a record and where it is, reserving, a reader's own page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learningcity.core.decorators import with_city
from learningcity.core.errors import DomainError

from .. import selectors, services
from ..forms import HistoryForm, ReserveForm, SearchForm
from ..services.catalogue import isbn_display

PAGE_SIZE = 20


def _filters(form: SearchForm) -> tuple[selectors.RecordFilters, tuple[float, float] | None, int]:
    if not form.is_valid():
        return selectors.RecordFilters(), None, 1
    d = form.cleaned_data
    filters = selectors.RecordFilters(
        q=d["q"] or "",
        language=d["language"] or "",
        audience=d["audience"] or "",
        format=d["format"] or "",
        subject=d["subject"] or "",
        bookcase=d["bookcase"],
        available=bool(d["available"]),
    )
    near = (d["near_lat"], d["near_lon"]) if d["near_lat"] is not None and d["near_lon"] is not None else None
    return filters, near, d["page"] or 1


def _link(params: dict, **changes) -> str:
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "", False)}
    if "page" not in changes:
        merged.pop("page", None)
    return "?" + urlencode(merged)


@with_city
def search(request, city):
    form = SearchForm(request.GET or None)
    filters, near, page = _filters(form)
    result = selectors.record_search(
        city=city, filters=filters, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    nearest = selectors.nearest_on_shelf(records=result.records, near=near) if near else {}
    params = {k: v for k, v in request.GET.items() if k in form.fields}
    facet_links = {
        name: [
            (label, n, _link(params, **{name: code}), params.get(name) == code) for code, label, n in values
        ]
        for name, values in result.facets.items()
    }
    pages = (result.total + PAGE_SIZE - 1) // PAGE_SIZE
    return render(
        request,
        "library/search.html",
        {
            "city": city,
            "form": form,
            "result": result,
            "rows": [(r, nearest.get(r.pk)) for r in result.records],
            "facet_links": facet_links,
            "searched": bool(request.GET),
            "page": page,
            "pages": pages,
            "prev_link": _link(params, page=page - 1) if page > 1 else "",
            "next_link": _link(params, page=page + 1) if page < pages else "",
            "clear_link": "?" + urlencode({"q": filters.q}) if filters.q else "?",
            "facet_sample": selectors.FACET_SAMPLE,
        },
    )


@with_city
def record_detail(request, city, pk):
    record = selectors.record_get(city=city, record_id=pk)
    near = None
    try:
        lat, lon = float(request.GET["near_lat"]), float(request.GET["near_lon"])
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            near = (lat, lon)
    except (KeyError, ValueError):
        pass
    holdings = selectors.holdings(record=record, near=near)
    borrower = selectors.borrower_of_user(city=city, user=request.user)
    reserve_form = ReserveForm(
        spaces=selectors.bookcases(city=city),
        initial={"pickup": borrower.home_space_id if borrower else None},
    )
    return render(
        request,
        "library/record.html",
        {
            "city": city,
            "record": record,
            "isbn": isbn_display(record.isbn),
            "holdings": holdings,
            "near": near,
            "borrower": borrower,
            "reserve_form": reserve_form,
        },
    )


@with_city
@login_required
@require_POST
def reserve(request, city, pk):
    """A resident reserves for herself: only the account linked to her card (never by knowing a card code)."""
    record = selectors.record_get(city=city, record_id=pk)
    borrower = selectors.borrower_of_user(city=city, user=request.user)
    if borrower is None:
        raise PermissionDenied(_("Your account has no library card in this city: ask at your bookcase."))
    form = ReserveForm(request.POST, spaces=selectors.bookcases(city=city))
    if not form.is_valid():
        messages.error(request, _("Choose the bookcase where you will collect it."))
        return redirect("library:record", city.slug, record.pk)
    try:
        outcome = services.hold_place(
            actor=request.user,
            record=record,
            borrower=borrower,
            pickup=form.cleaned_data["pickup"],
            idempotency_key=request.POST.get("key", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("library:record", city.slug, record.pk)
    messages.success(request, outcome.message)
    return redirect("library:mine", city.slug)


@with_city
@login_required
def mine(request, city):
    borrower = selectors.borrower_of_user(city=city, user=request.user)
    if borrower is None:
        return render(request, "library/mine.html", {"city": city, "borrower": None}, status=200)
    form = HistoryForm(request.POST or None, initial={"keep_history": borrower.keep_history})
    if request.method == "POST" and form.is_valid():
        services.borrower_update(
            actor=request.user, borrower=borrower, keep_history=form.cleaned_data["keep_history"]
        )
        messages.success(request, _("Your choice is saved."))
        return redirect("library:mine", city.slug)
    return render(
        request,
        "library/mine.html",
        {"city": city, "borrower": borrower, "form": form, **selectors.my_library(borrower=borrower)},
    )


@with_city
@login_required
@require_POST
def hold_cancel(request, city, hold_id):
    hold = selectors.hold_get(city=city, hold_id=hold_id)
    try:
        services.hold_cancel(actor=request.user, hold=hold)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from None
    messages.success(request, _("The reservation is cancelled."))
    back = request.POST.get("next", "")
    if back == "desk":
        return redirect("library:desk", city.slug, hold.pickup_id)
    return redirect("library:mine", city.slug)
