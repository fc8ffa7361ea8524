"""Public pages: competitions, entering and editing an entry, the receipt, results, the gallery and votes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learningcity.core.decorators import with_city
from learningcity.core.errors import DomainError
from learningcity.core.forms import add_domain_error
from learningcity.core.ratelimit import RateLimited, rate_limit, too_many

from .. import selectors
from ..api import file_response
from ..forms import EntryForm
from ..models import EntryStatus, FileKind
from ..services.access import can_manage, is_judge
from ..services.certificates import prize_label
from ..services.results import vote_cast
from ..services.submissions import can_edit, entry_submit, entry_update, entry_withdraw


@with_city
def competition_list(request, city):
    return render(
        request, "competitions/competition_list.html", {"competitions": selectors.competition_list(city=city)}
    )


@with_city
def competition_detail(request, city, slug):
    competition = selectors.competition_get(city=city, slug=slug)
    return render(
        request,
        "competitions/competition_detail.html",
        {
            "competition": competition,
            "categories": selectors.categories_with_counts(competition),
            "criteria": competition.criteria.all(),
            "my_entries": selectors.entries_of(request.user, competition),
            "can_manage": can_manage(request.user, city),
        },
    )


@with_city
@login_required
@rate_limit("entry_submit")
def entry_new(request, city, slug):
    competition = selectors.competition_get(city=city, slug=slug)
    form = EntryForm(request.POST or None, request.FILES or None, competition=competition)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = entry_submit(
                actor=request.user,
                competition=competition,
                category=data["category"],
                title=data["title"],
                description=data["description"],
                team_members=data["team_members"],
                files=data["files"],
                gallery_consent=data["gallery_consent"],
                birth_year=data["birth_year"],
                residence=data["residence"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("Your entry is received. Receipt number: %(r)s") % {"r": entry.receipt}
            )
            return redirect("entry_receipt", city_slug=city.slug, slug=slug, receipt=entry.receipt)
    return render(request, "competitions/entry_form.html", {"competition": competition, "form": form})


@with_city
@login_required
def entry_receipt(request, city, slug, receipt):
    competition = selectors.competition_get(city=city, slug=slug)
    entry = selectors.entry_for_entrant(user=request.user, competition=competition, receipt=receipt)
    return render(
        request,
        "competitions/entry_receipt.html",
        {
            "competition": competition,
            "entry": entry,
            "files": selectors.current_files(entry),
            "versions": entry.versions.all(),
            "can_edit": can_edit(request.user, entry),
        },
    )


@with_city
@login_required
@rate_limit("entry_change")
def entry_edit(request, city, slug, receipt):
    competition = selectors.competition_get(city=city, slug=slug)
    entry = selectors.entry_for_entrant(user=request.user, competition=competition, receipt=receipt)
    initial = {
        "title": entry.title,
        "description": entry.description,
        "team_members": entry.team_members,
        "gallery_consent": entry.gallery_consent,
    }
    form = EntryForm(
        request.POST or None, request.FILES or None, competition=competition, edit=True, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry_update(
                actor=request.user,
                entry=entry,
                title=data["title"],
                description=data["description"],
                team_members=data["team_members"],
                files=data["files"],
                gallery_consent=data["gallery_consent"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your entry is updated (version %(n)s).") % {"n": entry.version})
            return redirect("entry_receipt", city_slug=city.slug, slug=slug, receipt=entry.receipt)
    return render(
        request, "competitions/entry_form.html", {"competition": competition, "form": form, "entry": entry}
    )


@with_city
@login_required
@require_POST
@rate_limit("entry_change")
def entry_withdraw_view(request, city, slug, receipt):
    competition = selectors.competition_get(city=city, slug=slug)
    entry = selectors.entry_for_entrant(user=request.user, competition=competition, receipt=receipt)
    try:
        entry_withdraw(actor=request.user, entry=entry)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your entry was withdrawn."))
    return redirect("entry_receipt", city_slug=city.slug, slug=slug, receipt=receipt)


@with_city
def results_page(request, city, slug):
    competition = selectors.competition_get(city=city, slug=slug)
    groups = selectors.published_results(competition)
    for group in groups:
        for r in group["rows"]:
            r.prize_label = r.prize or prize_label(r.rank, competition.winners_per_category)
            r.named = r.rank <= competition.winners_per_category or r.entry.gallery_consent
    return render(request, "competitions/results.html", {"competition": competition, "groups": groups})


@with_city
def gallery(request, city, slug):
    competition = selectors.competition_get(city=city, slug=slug)
    if not competition.gallery_enabled:
        raise Http404(_("This competition has no public gallery."))
    entries = selectors.gallery_entries(competition)
    return render(
        request,
        "competitions/gallery.html",
        {
            "competition": competition,
            "entries": entries,
            "my_votes": selectors.my_votes(request.user, competition),
            "image": FileKind.IMAGE,
            "audio": FileKind.AUDIO,
        },
    )


@with_city
@login_required
@require_POST
def vote(request, city, slug, entry_id):
    competition = selectors.competition_get(city=city, slug=slug)
    entry = selectors.entry_in_competition(competition=competition, entry_id=entry_id)
    if entry is None:
        raise Http404(_("No such entry."))
    try:
        vote_cast(actor=request.user, entry=entry)
    except RateLimited as exc:  # the limit lives in the service (shared by every process): 429, nothing saved
        return too_many(request, exc)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Thank you: your vote for %(code)s is counted.") % {"code": entry.blind_code}
        )
    return redirect("competition_gallery", city_slug=city.slug, slug=slug)


@with_city
def entry_file(request, city, slug, token):
    """A file for its entrant, for staff, or for everyone when its entrant agreed to the gallery.

    Judges never come this way: they use the judging pages, which check assignment and conflicts."""
    competition = selectors.competition_get(city=city, slug=slug)
    found = selectors.entry_file_find(city=city, competition=competition, token=token)
    if found is None:
        raise Http404(_("No such file."))
    entry = found.entry
    own = request.user.is_authenticated and entry.entrant_id == request.user.pk
    public = (
        competition.gallery_enabled
        and entry.gallery_consent
        and entry.status == EntryStatus.SUBMITTED
        and found.removed_in_version is None
    )
    if not (own or can_manage(request.user, city) or public):
        if is_judge(request.user, city):
            raise PermissionDenied(_("Judges open entries from their judging list only."))
        raise Http404(_("No such file."))
    return file_response(found, label=f"{entry.blind_code}.{found.file_format}")
