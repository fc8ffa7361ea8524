"""Lending at the bookcase, on a phone: lend, take back, renew by barcode (typed or scanned); the bookcase's
lists (overdue, to send, kept for a reader), its rules, library cards and donations."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from learningcity.core.decorators import staff_only, with_city
from learningcity.core.errors import DomainError
from learningcity.core.forms import add_domain_error
from learningcity.core.models import User
from learningcity.core.scan import BOOK_FORMATS, CAMERA_POLICY, scan_texts

from .. import selectors, services
from ..forms import BorrowerForm, DeskForm, DonationForm, RulesForm
from ..rules import can_lend_at, can_lend_somewhere
from ..services import donations as donation_services
from ..services.circulation import rules_for


def _space_for(request, city, space_id):
    space = selectors.bookcase_get(city=city, space_id=space_id)
    if not can_lend_at(request.user, space):
        raise PermissionDenied(_("You may not lend at this bookcase."))
    return space


@with_city
@staff_only
def desk_list(request, city):
    if not can_lend_somewhere(request.user, city):
        raise PermissionDenied(_("You do not lend at any bookcase of this city."))
    spaces = list(selectors.lending_spaces(user=request.user, city=city)[:300])
    if len(spaces) == 1:
        return redirect("library:desk", city.slug, spaces[0].pk)
    return render(request, "library/desk_list.html", {"city": city, "spaces": spaces})


def _borrower(city, form: DeskForm):
    """The borrower chosen (id), or found by card code or name; a list when the name fits several."""
    data = form.cleaned_data
    if data.get("borrower_id"):
        return selectors.borrower_get(city=city, borrower_id=data["borrower_id"]), []
    found = selectors.borrower_find(city=city, q=data.get("borrower", ""))
    if len(found) == 1:
        return found[0], []
    if not found:
        form.add_error(
            "borrower", _("No library card matches “%(q)s”.") % {"q": data.get("borrower", "")[:60]}
        )
    return None, found


def _act(request, space, form: DeskForm, borrower):
    data = form.cleaned_data
    common = {
        "actor": request.user,
        "space": space,
        "barcode": data["barcode"],
        "idempotency_key": data["key"],
    }
    if data["action"] == "lend":
        return services.loan_lend(**common, borrower=borrower)
    if data["action"] == "renew":
        return services.loan_renew(**common)
    return services.loan_return(**common, send_home=data["send_home"])


@with_city
@staff_only
def desk(request, city, space_id):
    space = _space_for(request, city, space_id)
    form = DeskForm(
        request.POST or None, initial={"key": uuid.uuid4().hex, "action": request.GET.get("action", "lend")}
    )
    candidates: list = []
    status = 200
    if request.method == "POST" and form.is_valid():
        borrower = None
        if form.cleaned_data["action"] == "lend":
            if not (form.cleaned_data.get("borrower") or form.cleaned_data.get("borrower_id")):
                form.add_error("borrower", _("Type the borrower's card code or name to lend."))
            else:
                borrower, candidates = _borrower(city, form)
        if form.is_valid() and not candidates and (borrower or form.cleaned_data["action"] != "lend"):
            try:
                outcome = _act(request, space, form, borrower)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, outcome.message)
                return redirect(f"{request.path}?action={form.cleaned_data['action']}")
    if request.method == "POST" and form.errors:
        status = 400
    response = render(
        request,
        "library/desk.html",
        {
            "city": city,
            "space": space,
            "form": form,
            "candidates": candidates,
            "lists": selectors.desk(space=space),
            "rules": rules_for(space),
            "fresh_key": uuid.uuid4().hex,
            "scan_text": scan_texts("copy"),
            "scan_formats": BOOK_FORMATS,
        },
        status=status,
    )
    response["Permissions-Policy"] = CAMERA_POLICY  # the copy scanner (core/scan.js); no other page
    return response


@with_city
@staff_only
def rules(request, city, space_id):
    space = _space_for(request, city, space_id)
    form = RulesForm(request.POST or None, initial=rules_for(space))
    if request.method == "POST" and form.is_valid():
        try:
            services.rules_set(actor=request.user, space=space, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The rules of this bookcase are saved."))
            return redirect("library:desk", city.slug, space.pk)
    return render(request, "library/rules.html", {"city": city, "space": space, "form": form})


@with_city
@staff_only
def borrower_new(request, city):
    """Issue a library card to a person registered with consent; optionally link her account."""
    if not can_lend_somewhere(request.user, city):
        raise PermissionDenied(_("You may not issue library cards in this city."))
    form = BorrowerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        learner = selectors.learner_by_code(city=city, code=data["learner_code"])
        user = (
            User.objects.filter(username=data["username"].strip()).first()
            if data["username"].strip()
            else None
        )
        if learner is None:
            form.add_error("learner_code", _("No learner of this city has that code."))
        elif data["username"].strip() and user is None:
            form.add_error("username", _("No account has that user name."))
        else:
            try:
                card = services.borrower_register(
                    actor=request.user,
                    learner=learner,
                    card_code=data["card_code"],
                    user=user,
                    keep_history=data["keep_history"],
                )
            except DomainError as exc:
                add_domain_error(form, exc, aliases={"learner": "learner_code", "user": "username"})
            else:
                messages.success(request, _("Card %(code)s is ready.") % {"code": card.card_code})
                return redirect("library:desk_list", city.slug)
    return render(request, "library/borrower_form.html", {"city": city, "form": form})


@with_city
@staff_only
def donations(request, city, space_id):
    space = _space_for(request, city, space_id)
    form = DonationForm(request.POST or None, drives=selectors.drives(city=city))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            donation = donation_services.donation_record(
                actor=request.user,
                space=space,
                received_on=data["received_on"],
                lines=data["titles"].splitlines(),
                donor_name=data["donor_name"],
                drive=data["drive"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("%(n)s books wait to be catalogued. Thank you!") % {"n": donation.books}
            )
            return redirect("library:donations", city.slug, space.pk)
    return render(
        request,
        "library/donations.html",
        {
            "city": city,
            "space": space,
            "form": form,
            "queue": selectors.intake_queue(city=city, space_id=space.pk),
        },
    )
