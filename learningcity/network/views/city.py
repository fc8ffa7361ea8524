"""A city's own network pages, under /<city_slug>/: its practices and their translations, the indicators it
shares, its partnerships, and its people (roles given by invitation, taken back)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learningcity.core.decorators import staff_only, with_city
from learningcity.core.errors import DomainError
from learningcity.core.forms import add_domain_error
from learningcity.core.models import City, Role, RoleAssignment
from learningcity.core.permissions import coordinated_area_paths, is_city_admin

from .. import selectors, services
from ..access import can_edit_practices, can_share_indicators
from ..forms import (
    AcceptForm,
    AdoptForm,
    DocumentForm,
    InvitationForm,
    PartnershipForm,
    PracticeFileForm,
    PracticeForm,
    TranslationForm,
)
from ..models import LANGUAGE_NAMES, Cluster, Invitation, Practice
from ..services.people import invitation_for_token


def _editor(request, city) -> None:
    if not can_edit_practices(request.user, city):
        raise PermissionDenied(_("Only the city's administrators and area coordinators may edit practices."))


def _clusters(city: City):
    return Cluster.objects.filter(network__memberships__city=city).select_related("network").distinct()


def _forbidden(exc: DomainError):
    if exc.code == "forbidden":
        raise PermissionDenied(exc.message)


@with_city
@staff_only
def practice_list(request, city):
    return render(
        request,
        "network/manage_practices.html",
        {
            "city": city,
            "practices": selectors.practice_list_for_city(city=city, published_only=False),
            "can_edit": can_edit_practices(request.user, city),
        },
    )


@with_city
@staff_only
def practice_new(request, city):
    _editor(request, city)
    clusters = list(_clusters(city))
    form = PracticeForm(request.POST or None, clusters=clusters)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [c for c in clusters if str(c.pk) in data["clusters"]]
        texts = {
            k: data[k]
            for k in ("title", "summary", "context", "actions", "participants", "results", "lessons")
        }
        try:
            practice = services.practice_create(
                actor=request.user,
                city=city,
                slug=data["slug"],
                language=data["language"],
                texts=texts,
                clusters=chosen,
                contacts=data["contacts"],
                published=data["published"],
                **form.tags(),
            )
        except DomainError as exc:
            _forbidden(exc)
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The practice was saved."))
            return redirect("network_practice_edit", city.slug, practice.pk)
    return render(
        request,
        "network/form_page.html",
        {"city": city, "form": form, "title": _("New practice")},
        status=400 if form.is_bound and form.errors else 200,
    )


def _practice(city, practice_id) -> Practice:
    try:
        return selectors.practice_get_for_city(city=city, pk=practice_id)
    except Practice.DoesNotExist:
        raise Http404(_("There is no such practice.")) from None


@with_city
@staff_only
def practice_edit(request, city, practice_id):
    practice = _practice(city, practice_id)
    can_edit = can_edit_practices(request.user, city)
    original = next((t for t in practice.texts.all() if t.language == practice.original_language), None)
    form = TranslationForm(request.POST or None, initial=_initial(original))
    form.fields.pop("status")
    if request.method == "POST":
        _editor(request, city)
        action = request.POST.get("action", "save")
        try:
            if action == "publish":
                services.practice_publish(
                    actor=request.user, practice=practice, published=request.POST.get("published") == "1"
                )
                return redirect("network_practice_edit", city.slug, practice.pk)
            if form.is_valid():
                services.practice_text_save(
                    actor=request.user,
                    practice=practice,
                    language=practice.original_language,
                    texts=form.cleaned_data,
                )
                messages.success(request, _("The practice was saved."))
                return redirect("network_practice_edit", city.slug, practice.pk)
        except DomainError as exc:
            _forbidden(exc)
            add_domain_error(form, exc)
    languages = selectors.languages_for(city)
    sources = selectors.adoptable_practices(city=city)
    return render(
        request,
        "network/manage_practice.html",
        {
            "city": city,
            "practice": practice,
            "form": form,
            "can_edit": can_edit,
            "statuses": selectors.translation_status(practice, languages),
            "file_form": PracticeFileForm(),
            "adopt_form": AdoptForm(sources=sources),
            "files": practice.files.all(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _initial(text) -> dict:
    if text is None:
        return {}
    return {
        k: getattr(text, k)
        for k in ("title", "summary", "context", "actions", "participants", "results", "lessons")
    }


@with_city
@staff_only
def practice_translate(request, city, practice_id, lang):
    practice = _practice(city, practice_id)
    _editor(request, city)
    if lang not in LANGUAGE_NAMES or lang == practice.original_language:
        raise Http404(_("There is no such language to translate into."))
    existing = next((t for t in practice.texts.all() if t.language == lang), None)
    initial = _initial(existing) | ({"status": existing.status} if existing else {})
    form = TranslationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        status = data.pop("status")
        try:
            services.practice_text_save(
                actor=request.user, practice=practice, language=lang, texts=data, status=status
            )
        except DomainError as exc:
            _forbidden(exc)
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The translation was saved."))
            return redirect("network_practice_edit", city.slug, practice.pk)
    original = next((t for t in practice.texts.all() if t.language == practice.original_language), None)
    return render(
        request,
        "network/translate.html",
        {
            "city": city,
            "practice": practice,
            "form": form,
            "original": original,
            "language": LANGUAGE_NAMES[lang],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@with_city
@staff_only
def practice_file_add(request, city, practice_id):
    practice = _practice(city, practice_id)
    _editor(request, city)
    form = PracticeFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            data = form.cleaned_data
            services.practice_file_add(
                actor=request.user,
                practice=practice,
                kind=data["kind"],
                title=data["title"],
                upload=data["file"],
            )
        except DomainError as exc:
            _forbidden(exc)
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The file was added."))
    else:
        messages.error(request, _("Choose a kind, a title and a file."))
    return redirect("network_practice_edit", city.slug, practice.pk)


@require_POST
@with_city
@staff_only
def practice_adopt(request, city, practice_id):
    practice = _practice(city, practice_id)
    _editor(request, city)
    sources = selectors.adoptable_practices(city=city)
    form = AdoptForm(request.POST, sources=sources)
    if form.is_valid():
        source = next(p for p in sources if str(p.pk) == form.cleaned_data["source"])
        try:
            services.practice_adopt(
                actor=request.user, practice=practice, source=source, note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            _forbidden(exc)
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Choose the practice it was adopted from."))
    return redirect("network_practice_edit", city.slug, practice.pk)


@with_city
@staff_only
def shared_indicators(request, city):
    if request.method == "POST":
        if not can_share_indicators(request.user, city):
            raise PermissionDenied(_("Only a city administrator may share indicators."))
        code = request.POST.get("code", "")
        try:
            if request.POST.get("share") == "1":
                services.indicator_share(actor=request.user, city=city, code=code)
            elif request.POST.get("share") == "refresh":
                services.shared_values_refresh(city=city)
            else:
                services.indicator_unshare(actor=request.user, city=city, code=code)
        except DomainError as exc:
            _forbidden(exc)
            messages.error(request, exc.message)
        return redirect("network_shared_indicators", city.slug)
    return render(
        request,
        "network/shared_indicators.html",
        {
            "city": city,
            "indicators": selectors.shareable_indicators(city=city),
            "shared": selectors.shared_latest(city=city),
            "can_share": can_share_indicators(request.user, city),
        },
    )


@with_city
@staff_only
def partnership_manage(request, city):
    can_edit = can_edit_practices(request.user, city)
    cities = list(City.objects.filter(is_public=True).exclude(pk=city.pk).order_by("slug"))
    form = PartnershipForm(
        request.POST or None, cities=cities, programmes=selectors.programme_choices(city=city)
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(
                _("Only the city's administrators and area coordinators may record partnerships.")
            )
        if form.is_valid():
            data = dict(form.cleaned_data)
            partner_id = data.pop("partner_city")
            organisation, country = data.pop("organisation"), data.pop("country_code")
            data["indicator_codes"] = [c.strip() for c in data["indicator_codes"].split(",") if c.strip()]
            data["programme_names"] = [c.strip() for c in data["programme_names"].split(",") if c.strip()]
            try:
                services.partnership_record(
                    actor=request.user,
                    city=city,
                    partner_city=next((c for c in cities if c.pk == partner_id), None),
                    organisation=organisation,
                    country_code=country,
                    **data,
                )
            except DomainError as exc:
                _forbidden(exc)
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The partnership was recorded."))
                return redirect("network_manage_partnerships", city.slug)
    return render(
        request,
        "network/manage_partnerships.html",
        {
            "city": city,
            "form": form if can_edit else None,
            "upload_form": DocumentForm() if can_edit else None,  # a document for each partnership
            "partnerships": selectors.partnership_list(city=city),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@with_city
@staff_only
def partnership_document_add(request, city, partnership_id):
    if not can_edit_practices(request.user, city):
        raise PermissionDenied(
            _("Only the city's administrators and area coordinators may record partnerships.")
        )
    partnership = selectors.partnership_get(city=city, pk=partnership_id)
    if partnership is None:
        raise Http404(_("There is no such partnership."))
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.partnership_document_add(
                actor=request.user,
                partnership=partnership,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            _forbidden(exc)
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The file was added."))
    else:
        messages.error(request, _("Choose a title and a file."))
    return redirect("network_manage_partnerships", city.slug)


# ------------------------------------------------------------------------------------------------ people
def _may_invite(user, city) -> bool:
    return is_city_admin(user, city) or bool(coordinated_area_paths(user, city))


@with_city
@staff_only
def people(request, city):
    if not _may_invite(request.user, city):
        raise PermissionDenied(_("Only city administrators and area coordinators manage people."))
    admin = is_city_admin(request.user, city)
    areas = selectors.invitable_areas(user=request.user, city=city)
    spaces = selectors.invitable_spaces(user=request.user, city=city)
    roles = None if admin else [Role.SPACE_COORDINATOR]
    form = InvitationForm(request.POST or None, areas=areas, spaces=spaces, roles=roles)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        area = next((a for a in areas if a.pk == data["area"]), None)
        space = next((s for s in spaces if s.pk == data["space"]), None)
        try:
            invitation, raw = services.invitation_create(
                actor=request.user,
                city=city,
                email=data["email"],
                role=data["role"],
                area=area,
                space=space,
                days=data["days"],
            )
        except DomainError as exc:
            _forbidden(exc)
            add_domain_error(form, exc)
        else:
            _send_invitation(request, city, invitation, raw)
            messages.success(
                request, _("The invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("network_people", city.slug)
    return render(
        request,
        "network/people.html",
        {
            "city": city,
            "form": form,
            "is_admin": admin,
            "assignments": selectors.role_assignments(city=city) if admin else [],
            "invitations": selectors.invitation_list(city=city, user=request.user),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _send_invitation(request, city, invitation: Invitation, raw: str) -> None:
    link = request.build_absolute_uri(reverse("network_invitation", args=[city.slug, raw]))
    role = dict(Role.choices).get(invitation.role, invitation.role)
    send_mail(
        _("An invitation to %(city)s") % {"city": city.name},
        _("You are invited to be %(role)s of %(city)s. Open this link to accept before %(date)s:\n%(link)s")
        % {"role": role, "city": city.name, "date": invitation.expires_at.date().isoformat(), "link": link},
        None,
        [invitation.email],
        fail_silently=True,
    )


@require_POST
@with_city
@staff_only
def role_revoke(request, city, roleassignment_id):
    try:
        assignment = RoleAssignment.objects.select_related("city", "user").get(
            city=city, pk=roleassignment_id
        )
        services.role_revoke(actor=request.user, assignment=assignment)
    except RoleAssignment.DoesNotExist:
        raise Http404(_("There is no such role.")) from None
    except DomainError as exc:
        _forbidden(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The role was taken back."))
    return redirect("network_people", city.slug)


@require_POST
@with_city
@staff_only
def invitation_withdraw(request, city, invitation_id):
    try:
        invitation = Invitation.objects.for_city(city).get(pk=invitation_id)
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except Invitation.DoesNotExist:
        raise Http404(_("There is no such invitation.")) from None
    except DomainError as exc:
        _forbidden(exc)
    return redirect("network_people", city.slug)


@with_city
def invitation_accept(request, city, token):
    try:
        invitation = invitation_for_token(city=city, raw=token)
    except DomainError as exc:
        return render(
            request, "network/invitation_refused.html", {"city": city, "message": exc.message}, status=404
        )
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = request.user if request.user.is_authenticated else None
            assignment = services.invitation_accept(raw=token, city=city, user=user, **form.cleaned_data)
        except DomainError as exc:
            if exc.code == "forbidden":
                return render(
                    request,
                    "network/invitation_refused.html",
                    {"city": city, "message": exc.message},
                    status=404,
                )
            add_domain_error(form, exc)
        else:
            if user is None:
                login(request, assignment.user, backend="learningcity.core.auth_backends.ModelBackend")
            messages.success(
                request, _("Welcome: you are now %(role)s.") % {"role": assignment.get_role_display()}
            )
            return redirect("manage_home", city.slug)
    return render(
        request,
        "network/invitation_accept.html",
        {
            "city": city,
            "invitation": invitation,
            "form": form,
            "role": dict(Role.choices).get(invitation.role),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
