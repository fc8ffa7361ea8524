"""After the event: its materials (slides, recordings, outcome documents) and its figures (charts, CSV, XLSX)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learningcity.core.cells import spreadsheet_response
from learningcity.core.decorators import with_city
from learningcity.core.errors import DomainError
from learningcity.core.forms import add_domain_error
from learningcity.core.private_files import private_file_response

from .. import selectors, statistics
from ..forms import MaterialForm
from ..services import materials as material_services
from . import _event, _manage


@with_city
@login_required
def materials(request, city, event_slug):
    event = _manage(request, city, event_slug)
    form = MaterialForm(request.POST or None, request.FILES or None, event=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            material_services.material_add(
                actor=request.user,
                event=event,
                kind=data["kind"],
                title=data["title"],
                session=data["session"],
                upload=data.get("file"),
                link=data["link"],
                is_public=data["is_public"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The material is added."))
            return redirect("conference_materials", city_slug=city.slug, event_slug=event.slug)
    return render(
        request,
        "conferences/materials.html",
        {"event": event, "form": form, "materials": selectors.materials_for(user=request.user, event=event)},
        status=400 if form.is_bound else 200,
    )


@with_city
@login_required
@require_POST
def material_remove(request, city, event_slug, material_id):
    event = _manage(request, city, event_slug)
    material = selectors.material_get(user=request.user, event=event, material_id=material_id)
    material_services.material_remove(actor=request.user, material=material)
    messages.success(request, _("The material is removed."))
    return redirect("conference_materials", city_slug=city.slug, event_slug=event.slug)


@with_city
def material_file(request, city, event_slug, material_id):
    event = _event(city, event_slug)
    material = selectors.material_get(user=request.user, event=event, material_id=material_id)
    if not material.file:
        raise Http404(_("This material is a link, not a file."))
    name = f"{slugify(material.title)[:60] or 'material'}.{material.file_format}"
    return private_file_response(material.file, filename=name, content_type=material.content_type)


@with_city
def figures(request, city, event_slug):
    """The public figures: small numbers suppressed."""
    event = _event(city, event_slug)
    return render(
        request,
        "conferences/figures.html",
        {"event": event, "figures": statistics.event_figures(event, exact=False)},
    )


@with_city
@login_required
def statistics_page(request, city, event_slug):
    """The organisers' figures: exact counts, and the exports (suppressed: they may leave their hands)."""
    event = _manage(request, city, event_slug)
    return render(
        request,
        "conferences/figures.html",
        {"event": event, "figures": statistics.event_figures(event, exact=True), "manage": True},
    )


@with_city
@login_required
def statistics_export(request, city, event_slug, fmt):
    event = _manage(request, city, event_slug)
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Figures are exported as CSV or XLSX."))
    rows = statistics.figure_rows(statistics.event_figures(event, exact=False))
    return spreadsheet_response(f"{event.slug}-statistics", rows, fmt, sheet=_("Figures"))
