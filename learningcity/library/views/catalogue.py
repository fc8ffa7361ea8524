"""The catalogue's back office: records, copies, MARC import and export, copy cataloguing, labels, intake."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from learningcity.core.decorators import staff_only, with_city
from learningcity.core.errors import DomainError
from learningcity.core.forms import add_domain_error
from learningcity.core.import_flow import staged_import

from .. import selectors, services
from ..forms import BookDriveForm, CopyForm, CopyStatusForm, MarcImportForm, RecordForm
from ..rules import can_catalogue, can_lend_somewhere
from ..services import donations as donation_services
from ..services import marc
from ..services.catalogue import isbn_display


def _require_cataloguer(user, city) -> None:
    if not can_catalogue(user, city):
        raise PermissionDenied(_("Only the city library's staff may catalogue."))


@with_city
@staff_only
def manage_home(request, city):
    q = request.GET.get("q", "")[:200]
    result = selectors.record_search(city=city, filters=selectors.RecordFilters(q=q), limit=30, facets=False)
    return render(
        request,
        "library/manage_home.html",
        {
            "city": city,
            "q": q,
            "result": result,
            "counts": selectors.catalogue_counts(city=city),
            "may_catalogue": can_catalogue(request.user, city),
            "may_lend": can_lend_somewhere(request.user, city),
            "intake": selectors.intake_queue(city=city) if can_catalogue(request.user, city) else [],
        },
    )


def _record_fields(data: dict) -> dict:
    return {**data, "languages": list(data["languages"])}


@with_city
@staff_only
def record_new(request, city):
    _require_cataloguer(request.user, city)
    form = RecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_create(
                actor=request.user, city=city, **_record_fields(form.cleaned_data)
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The record is in the catalogue. Add its copies below."))
            return redirect("library:record_edit", city.slug, record.pk)
    return render(request, "library/record_form.html", {"city": city, "form": form, "record": None})


@with_city
@staff_only
def record_edit(request, city, pk):
    record = selectors.record_get(city=city, record_id=pk)
    may = can_catalogue(request.user, city)
    spaces = selectors.bookcases(city=city)
    initial = {name: getattr(record, name) for name in RecordForm.base_fields if name != "languages"}
    initial["languages"] = record.language_codes
    form = RecordForm(
        request.POST if request.method == "POST" and "title" in request.POST else None, initial=initial
    )
    copy_form = CopyForm(
        request.POST if request.method == "POST" and "barcode" in request.POST else None, spaces=spaces
    )
    if request.method == "POST":
        _require_cataloguer(request.user, city)
        target = form if "title" in request.POST else copy_form
        if target.is_valid():
            try:
                if target is form:
                    services.record_update(
                        actor=request.user, record=record, **_record_fields(form.cleaned_data)
                    )
                    messages.success(request, _("The record is saved."))
                else:
                    services.copy_add(
                        actor=request.user,
                        record=record,
                        barcode=copy_form.cleaned_data["barcode"],
                        home=copy_form.cleaned_data["home"],
                    )
                    messages.success(request, _("The copy is added."))
            except DomainError as exc:
                add_domain_error(target, exc)
            else:
                return redirect("library:record_edit", city.slug, record.pk)
    return render(
        request,
        "library/record_edit.html",
        {
            "city": city,
            "record": record,
            "isbn": isbn_display(record.isbn),
            "form": form,
            "copy_form": copy_form,
            "copies": selectors.copies_of(record=record),
            "may_catalogue": may,
        },
    )


@with_city
@staff_only
def copy_detail(request, city, copy_id):
    copy = selectors.copy_get(city=city, copy_id=copy_id)
    form = CopyStatusForm(request.POST or None, initial={"status": copy.status})
    if request.method == "POST":
        _require_cataloguer(request.user, city)
        if form.is_valid():
            try:
                services.copy_set_status(actor=request.user, copy=copy, status=form.cleaned_data["status"])
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The copy's status is saved."))
                return redirect("library:copy_detail", city.slug, copy.pk)
    return render(
        request,
        "library/copy_detail.html",
        {
            "city": city,
            "copy": copy,
            "form": form,
            "history": selectors.copy_history(copy=copy),
            "may_catalogue": can_catalogue(request.user, city),
        },
    )


@with_city
@staff_only
def marc_import(request, city):
    _require_cataloguer(request.user, city)

    def run(stream, apply):
        return marc.marc_import(actor=request.user, city=city, stream=stream, apply=apply)

    def applied(result):
        message = _(
            "%(new)s records imported, %(dup)s matched to records already in the catalogue, %(copies)s copies added."
        )
        return message % {"new": result.new, "dup": result.duplicates, "copies": result.copies}, redirect(
            "library:manage_home", city.slug
        )

    return staged_import(
        request,
        form=MarcImportForm(request.POST or None, request.FILES or None),
        template="library/marc_import.html",
        run=run,
        applied=applied,
        context={"city": city},
        max_row_errors=marc.MAX_ERRORS,
    )


@with_city
@staff_only
def marc_export(request, city, fmt):
    _require_cataloguer(request.user, city)
    if fmt not in ("mrc", "xml"):
        raise PermissionDenied(_("Choose MARC 21 (.mrc) or MARCXML (.xml)."))
    content_type = "application/marc" if fmt == "mrc" else "application/marcxml+xml"
    response = StreamingHttpResponse(marc.marc_export(city=city, fmt=fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{city.slug}-catalogue.{fmt}"'
    return response


@with_city
@staff_only
def copy_cataloguing(request, city):
    """Records of the other cities of this installation, to add to this city's catalogue."""
    _require_cataloguer(request.user, city)
    q = request.GET.get("q", "")[:200]
    if request.method == "POST":
        raw = request.POST.get("record", "")
        source = selectors.record_any_city(record_id=int(raw)) if raw.isdigit() else None
        if source is None:
            messages.error(request, _("Choose a record to copy."))
            return redirect("library:copy_cataloguing", city.slug)
        try:
            record = services.record_copy_from(actor=request.user, city=city, source=source)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(reverse("library:copy_cataloguing", args=[city.slug]) + f"?q={q}")
        messages.success(
            request, _("“%(title)s” is in your catalogue. Add its copies.") % {"title": record.title}
        )
        return redirect("library:record_edit", city.slug, record.pk)
    found = selectors.records_elsewhere(city=city, q=q) if q else []
    return render(request, "library/copy_cataloguing.html", {"city": city, "q": q, "found": found})


@with_city
@staff_only
def labels(request, city):
    """A PDF sheet of labels: the copies named (?copy=1&copy=2), or those of a record (?record=...)."""
    _require_cataloguer(request.user, city)
    ids = [int(x) for x in request.GET.getlist("copy") if x.isdigit()][:240]
    record_id = request.GET.get("record", "")
    copies = selectors.copies_for_labels(
        city=city, copy_ids=ids, record_id=int(record_id) if record_id.isdigit() else None
    )
    pdf = donation_services.labels_pdf(city_name=city.name, copies=copies)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{city.slug}-labels.pdf"'
    return response


@with_city
@staff_only
def intake_item(request, city, item_id):
    """Catalogue a donated book: pick (or make) its record, give it a barcode."""
    _require_cataloguer(request.user, city)
    item = selectors.intake_get(city=city, item_id=item_id)
    q = request.GET.get("q", "") or item.isbn or item.title_hint
    error = ""
    if request.method == "POST":
        raw = request.POST.get("record", "")
        record = selectors.record_get_or_none(city=city, record_id=int(raw)) if raw.isdigit() else None
        try:
            if record is None:
                raise DomainError(_("Choose a record of this city."), field="record")
            copy = donation_services.intake_catalogue(
                actor=request.user, item=item, record=record, barcode=request.POST.get("barcode", "")
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Catalogued as %(code)s.") % {"code": copy.barcode})
            return redirect("library:manage_home", city.slug)
    result = selectors.record_search(city=city, filters=selectors.RecordFilters(q=q), limit=10, facets=False)
    suggested = f"{city.slug[:3].upper()}-{uuid.uuid4().hex[:8].upper()}"
    return render(
        request,
        "library/intake_item.html",
        {
            "city": city,
            "item": item,
            "q": q,
            "records": result.records,
            "error": error,
            "suggested": suggested,
        },
    )


@with_city
@staff_only
def drives(request, city):
    """The city's book drives: start one; how many books each brought in and how many are catalogued."""
    _require_cataloguer(request.user, city)
    form = BookDriveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            drive = donation_services.drive_create(actor=request.user, city=city, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("The drive “%(name)s” is open: volunteers can record its donations at their bookcase.")
                % {"name": drive.name},
            )
            return redirect("library:drives", city.slug)
    return render(
        request,
        "library/drives.html",
        {"city": city, "form": form, "drives": selectors.drive_summaries(city=city)},
    )
