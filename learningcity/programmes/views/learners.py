"""Staff pages for learners: list, add, see and edit (sensitive fields by role), consent, merge, export, erase."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learningcity.core.decorators import staff_only, with_city
from learningcity.core.demography import WG_DOMAINS, ethnicity_name
from learningcity.core.errors import DomainError
from learningcity.core.forms import add_domain_error
from learningcity.core.models import Area
from learningcity.core.permissions import can_view_sensitive

from .. import selectors, services
from ..forms import ConsentForm, LearnerForm, MergeForm
from ..models import Learner
from ..rules import (
    can_edit_learner,
    can_erase_learners,
    can_manage_learners,
    can_view_learner,
    can_view_learner_sensitive,
    sensitive_checker,
)


def _require(request, city):
    if not can_manage_learners(request.user, city):
        raise PermissionDenied(_("You may not read learners in this city."))


def _areas(city):
    return Area.objects.filter(city=city, valid_to__isnull=True).order_by("path")


@with_city
@staff_only
def learner_list(request, city):
    _require(request, city)
    q = request.GET.get("q", "")
    page = Paginator(selectors.learner_list(city=city, q=q), 50).get_page(request.GET.get("page"))
    check = sensitive_checker(request.user, city)
    rows = [
        {
            "learner": x,
            "sensitive": check(x.area.path if x.area is not None else ""),
            "ethnicity": ethnicity_name(x.ethnicity),
        }
        for x in page
    ]
    return render(request, "programmes/learner_list.html", {"page": page, "rows": rows, "q": q})


@with_city
@staff_only
def learner_new(request, city):
    _require(request, city)
    sensitive = can_view_sensitive(request.user, city)
    form = LearnerForm(request.POST or None, areas=_areas(city), sensitive=sensitive)
    if request.method == "POST" and form.is_valid():
        try:
            learner = services.learner_create(
                actor=request.user,
                city=city,
                consent_purposes=form.cleaned_data.get("consent", []),
                consent_method=form.cleaned_data.get("consent_method", ""),
                **form.service_fields(),
            )
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Learner %(code)s added.") % {"code": learner.code})
            return redirect("learner_detail", city_slug=city.slug, learner_id=learner.pk)
    return render(request, "programmes/learner_form.html", {"form": form})


def _form_errors(form, exc: DomainError) -> None:
    """Put a service's refusal on the form: each bad field (LearnerInvalid names several) under its own input."""
    add_domain_error(
        form, exc, aliases={"consents": "consent", "disability_answers": "wg_" + WG_DOMAINS[0][0]}
    )


@with_city
@staff_only
def learner_edit(request, city, learner_id: int):
    """Correct a person's record; only what changed goes to the service (and so to the audit trail)."""
    _require(request, city)
    learner = selectors.learner_get(city=city, learner_id=learner_id)
    if not can_edit_learner(request.user, learner):
        raise PermissionDenied(
            _("You may correct only people whose home area is in the areas you coordinate.")
        )
    sensitive = can_view_learner_sensitive(request.user, learner)
    active = selectors.learner_consents_active(learner=learner)
    form = LearnerForm(
        request.POST or None,
        areas=selectors.learner_area_choices(city=city, user=request.user, learner=learner),
        sensitive=sensitive,
        initial=LearnerForm.initial_for(learner, active),
    )
    if request.method == "POST" and form.is_valid():
        current = {
            "full_name": learner.full_name,
            "sex": learner.sex,
            "birth_year": learner.birth_year,
            "area": learner.area,
            "languages": learner.languages,
            "ethnicity": learner.ethnicity,
            "disability_answers": learner.disability_answers or {},
        }
        changed = {k: v for k, v in form.service_fields().items() if current[k] != v}
        wanted = set(form.cleaned_data.get("consent", []))
        try:
            services.learner_update(
                actor=request.user,
                learner=learner,
                consents=wanted if wanted != active else None,
                consent_method=form.cleaned_data.get("consent_method", ""),
                **changed,
            )
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            if changed or wanted != active:
                messages.success(request, _("Changes saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("learner_detail", city_slug=city.slug, learner_id=learner.pk)
    return render(request, "programmes/learner_form.html", {"form": form, "learner": learner})


@with_city
@staff_only
def learner_detail(request, city, learner_id: int):
    _require(request, city)
    learner = selectors.learner_get(city=city, learner_id=learner_id)
    if not can_view_learner(request.user, learner):
        raise PermissionDenied(_("This person is outside the areas and programmes you coordinate."))
    consent_form = ConsentForm(request.POST or None)
    if request.method == "POST" and consent_form.is_valid():
        try:
            services.consent_record(actor=request.user, learner=learner, **consent_form.cleaned_data)
        except DomainError as exc:
            consent_form.add_error(None, exc.message)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("learner_detail", city_slug=city.slug, learner_id=learner.pk)
    sensitive = can_view_learner_sensitive(request.user, learner)
    memberships = selectors.memberships_of(learner=learner)
    wg = dict(WG_DOMAINS)
    return render(
        request,
        "programmes/learner_detail.html",
        {
            "learner": learner,
            "sensitive": sensitive,
            "ethnicity": ethnicity_name(learner.ethnicity) if sensitive else "",
            "wg_answers": [(wg.get(k, k), v) for k, v in learner.disability_answers.items()]
            if sensitive
            else [],
            "consents": list(learner.consents.all()),
            "memberships": memberships,
            "managed": set(
                selectors.programmes_managed_by(user=request.user, city=city)
                .filter(pk__in={m.programme_id for m in memberships})
                .values_list("pk", flat=True)
            ),
            "attendance_count": learner.attendances.count(),
            "consent_form": consent_form,
            "merge_form": MergeForm(),
            "can_erase": can_erase_learners(request.user, city),
            "can_edit": can_edit_learner(request.user, learner),
        },
    )


@with_city
@staff_only
def learner_export(request, city, learner_id: int):
    _require(request, city)
    learner = selectors.learner_get(city=city, learner_id=learner_id)
    data = learner_export_data(request, learner)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{learner.code}.json"'
    return response


def learner_export_data(request, learner):
    try:
        return services.learner_export(actor=request.user, learner=learner)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from None


@require_POST
@with_city
@staff_only
def learner_erase(request, city, learner_id: int):
    # The permission first: a refused person gets 403, not a hint from the confirmation check.
    if not can_erase_learners(request.user, city):
        raise PermissionDenied(_("Only a city administrator may erase a person."))
    learner = selectors.learner_get(city=city, learner_id=learner_id)
    if request.POST.get("confirm") != learner.code:
        messages.error(request, _("Type the learner code to confirm the erasure."))
        return redirect("learner_detail", city_slug=city.slug, learner_id=learner.pk)
    try:
        kept = services.learner_erase(actor=request.user, learner=learner)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from None
    messages.success(
        request, _("The person was erased; %(n)s attendances kept as anonymous counts.") % {"n": kept}
    )
    return redirect("learner_list", city_slug=city.slug)


@require_POST
@with_city
@staff_only
def learner_merge(request, city, learner_id: int):
    _require(request, city)
    keep = selectors.learner_get(city=city, learner_id=learner_id)
    form = MergeForm(request.POST)
    duplicate = None
    if form.is_valid():
        duplicate = Learner.objects.filter(
            city=city, code=form.cleaned_data["duplicate_code"].strip().upper()
        ).first()
    if duplicate is None:
        messages.error(request, _("No learner with this code in this city."))
    else:
        try:
            services.learner_merge(actor=request.user, keep=keep, duplicate=duplicate)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("%(dup)s merged into %(keep)s.") % {"dup": duplicate.code, "keep": keep.code}
            )
    return redirect("learner_detail", city_slug=city.slug, learner_id=keep.pk)
