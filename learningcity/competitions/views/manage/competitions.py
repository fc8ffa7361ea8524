"""Setting a competition up: the list, a new one, its edit page, and its categories, rubric and juries."""

from __future__ import annotations

from django.contrib import messages
from django.forms import Form
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from learningcity.core.decorators import staff_only, with_city
from learningcity.core.errors import DomainError
from learningcity.core.forms import add_domain_error

from ... import selectors
from ...forms import CategoryForm, CompetitionForm, CriterionForm, JuryForm
from ...services.competitions import (
    category_create,
    competition_create,
    competition_update,
    criterion_create,
    jury_member_add,
)
from .base import require_manager


@with_city
@staff_only
def manage_list(request, city):
    require_manager(request, city)
    return render(
        request, "competitions/manage_list.html", {"competitions": selectors.competition_list(city=city)}
    )


@with_city
@staff_only
def manage_new(request, city):
    require_manager(request, city)
    form = CompetitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        slug, code = data.pop("slug"), data.pop("code")
        try:
            competition = competition_create(actor=request.user, city=city, slug=slug, code=code, **data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Competition created. Now add its categories and rubric."))
            return redirect("manage_competition", city_slug=city.slug, slug=competition.slug)
    return render(request, "competitions/manage_form.html", {"form": form, "heading": _("New competition")})


@with_city
@staff_only
def manage_edit(request, city, slug):
    require_manager(request, city)
    competition = selectors.competition_get(city=city, slug=slug)
    fields = [name for name in CompetitionForm.base_fields if name not in ("slug", "code")]
    form = CompetitionForm(
        request.POST or None, initial={name: getattr(competition, name) for name in fields}
    )
    del form.fields["slug"], form.fields["code"]
    if request.method == "POST" and form.is_valid():
        try:
            competition_update(actor=request.user, competition=competition, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Competition saved."))
            return redirect("manage_competition", city_slug=city.slug, slug=competition.slug)
    return render(
        request,
        "competitions/manage_form.html",
        {"form": form, "heading": _("Edit the competition"), "competition": competition},
    )


@with_city
@staff_only
def manage_competition(request, city, slug):
    """The competition's set-up page: add a category, a criterion of the rubric, a judge to a jury."""
    require_manager(request, city)
    competition = selectors.competition_get(city=city, slug=slug)
    judges = selectors.judge_list(city=city)
    forms = {
        "category_form": CategoryForm(prefix="cat"),
        "criterion_form": CriterionForm(prefix="crit"),
        "jury_form": JuryForm(prefix="jury", competition=competition, judges=judges),
    }
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "category":
                form: Form = CategoryForm(request.POST, prefix="cat")
                forms["category_form"] = form
                if form.is_valid():
                    d = form.cleaned_data
                    category_create(
                        actor=request.user,
                        competition=competition,
                        code=d["code"],
                        name_vi=d["name_vi"],
                        name_en=d["name_en"],
                        allowed_kinds=d["allowed_kinds"],
                        max_file_bytes=d["max_file_bytes"] * 1024 * 1024,
                        max_files=d["max_files"],
                    )
                    messages.success(request, _("Category added."))
                    return redirect(request.path)
            elif which == "criterion":
                form = CriterionForm(request.POST, prefix="crit")
                forms["criterion_form"] = form
                if form.is_valid():
                    criterion_create(actor=request.user, competition=competition, **form.cleaned_data)
                    messages.success(request, _("Criterion added."))
                    return redirect(request.path)
            elif which == "jury":
                form = JuryForm(request.POST, prefix="jury", competition=competition, judges=judges)
                forms["jury_form"] = form
                if form.is_valid():
                    jury_member_add(
                        actor=request.user,
                        category=form.cleaned_data["category"],
                        judge=form.cleaned_data["judge"],
                    )
                    messages.success(request, _("Judge added to the jury."))
                    return redirect(request.path)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "competitions/manage_competition.html",
        {
            "competition": competition,
            "categories": selectors.categories_with_counts(competition),
            "criteria": selectors.criterion_list(competition),
            "juries": selectors.jury_list(competition),
            "progress": selectors.progress_per_judge(competition),
            **forms,
        },
    )
