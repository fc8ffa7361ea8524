"""Reporting pages: the public GNLC profile and approved reports; for staff the report workspace (sections,
evidence, comments, workflow, documents), the profile form and the city's targets."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from learningcity.core.decorators import staff_only, with_city
from learningcity.core.errors import DomainError
from learningcity.core.forms import add_domain_error
from learningcity.core.indicators import indicator_results
from learningcity.core.private_files import private_file_response

from . import profile as profile_mod
from . import rules, selectors, services
from .drafting import draft
from .forms import CommentForm, EvidenceForm, ProfileForm, ReportCreateForm, SectionForm, TargetForm
from .models import DocumentStatus, ReportStatus
from .tasks import document_filename


def _lang() -> str:
    return (get_language() or "vi")[:2]


@require_GET
@with_city
def profile_public(request, city):
    profile = profile_mod.profile_get(city)
    return render(
        request,
        "reporting/profile.html",
        {
            "facts": profile_mod.facts(city, profile),
            "profile": profile,
            "challenges": profile_mod.challenge_rows(profile),
            "can_edit": rules.can_draft(request.user, city),
        },
    )


@require_GET
@with_city
def report_public_list(request, city):
    reports = selectors.report_list(city=city, approved_only=True)
    return render(request, "reporting/public_list.html", {"reports": reports})


@require_GET
@with_city
def report_public(request, city, pk):
    report = selectors.report_get(city=city, pk=pk, approved_only=True)
    snap = report.snapshot[_lang()] if report.snapshot else draft(report, language=_lang())
    return render(request, "reporting/public_report.html", {"report": report, "snap": snap})


def _reader(request, city) -> None:
    if not rules.can_read(request.user, city):
        raise PermissionDenied(_("Reports are for the city administrator and the steering committee."))


def _drafter(request, city) -> None:
    if not rules.can_draft(request.user, city):
        raise PermissionDenied(_("Only the city administrator drafts reports."))


@with_city
@staff_only
def report_list(request, city):
    _reader(request, city)
    form = ReportCreateForm(request.POST or None)
    if request.method == "POST":
        _drafter(request, city)
        if form.is_valid():
            try:
                report = services.report_create(actor=request.user, city=city, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Report created."))
                return redirect("reporting:report_detail", city_slug=city.slug, pk=report.pk)
    return render(
        request,
        "reporting/report_list.html",
        {
            "reports": selectors.report_list(city=city),
            "form": form,
            "can_draft": rules.can_draft(request.user, city),
        },
    )


@require_GET
@with_city
@staff_only
def report_detail(request, city, pk):
    _reader(request, city)
    return _workspace(request, city, selectors.report_get(city=city, pk=pk))


def _workspace(request, city, report, bound: SectionForm | None = None, status: int = 200):
    """The report's workspace; `bound` is a section's form sent back with its errors and the texts as typed."""
    lang = _lang()
    frozen = bool(report.status == ReportStatus.APPROVED and report.snapshot)
    snap = report.snapshot[lang] if frozen and report.snapshot else draft(report, language=lang)
    stored = {s.key: s for s in report.sections.all()}
    sections = [
        {
            "data": s,
            "form": bound
            if bound is not None and bound.prefix == s["key"]
            else SectionForm(
                initial={"narrative_vi": s["narrative_vi"], "narrative_en": s["narrative_en"]},
                prefix=s["key"],
            ),
            "stored": stored.get(s["key"]),
            "evidence_form": EvidenceForm(prefix=f"e-{s['key']}"),
            "comments": [
                c for c in report.comments.all() if c.section is not None and c.section.key == s["key"]
            ],
        }
        for s in snap["sections"]
    ]
    changed = None
    if report.previous_id and report.previous and report.previous.snapshot:
        changed = selectors.changes(report.previous.snapshot[lang], snap)
    return render(
        request,
        "reporting/report_detail.html",
        {
            "report": report,
            "snap": snap,
            "sections": sections,
            "frozen": frozen,
            "comment_form": CommentForm(),
            "general_comments": [c for c in report.comments.all() if not c.section_id],
            "documents": selectors.documents_of(city=city, report=report),
            "changed": changed,
            "can_draft": rules.can_draft(request.user, city) and report.is_editable,
            "can_approve": rules.can_approve(request.user, city),
            "can_comment": rules.can_comment(request.user, city),
        },
        status=status,
    )


def _back(city, report, anchor: str = ""):
    return redirect(
        reverse("reporting:report_detail", kwargs={"city_slug": city.slug, "pk": report.pk}) + anchor
    )


@require_POST
@with_city
@staff_only
def section_save(request, city, pk, section_id):
    _drafter(request, city)
    report = selectors.report_get(city=city, pk=pk)
    section = selectors.section_get(report=report, pk=section_id)
    key = section.key
    form = SectionForm(request.POST, prefix=key)
    if not form.is_valid():
        messages.error(request, _("The texts could not be read."))
        return _back(city, report, f"#s-{key}")
    try:
        services.section_save(actor=request.user, section=section, **form.cleaned_data)
    except DomainError as exc:
        # nothing is saved, and nothing typed is lost: the page comes back with the texts and the error
        add_domain_error(form, exc)
        return _workspace(request, city, report, bound=form, status=400)
    messages.success(request, _("Section saved."))
    return _back(city, report, f"#s-{key}")


@require_POST
@with_city
@staff_only
def evidence_add(request, city, pk, section_id):
    _drafter(request, city)
    report = selectors.report_get(city=city, pk=pk)
    section = selectors.section_get(report=report, pk=section_id)
    key = section.key
    form = EvidenceForm(request.POST, request.FILES, prefix=f"e-{key}")
    if not form.is_valid():
        messages.error(request, _("Give a kind, a title, the claim and a file."))
        return _back(city, report, f"#s-{key}")
    try:
        services.evidence_add(
            actor=request.user, section=section, upload=form.cleaned_data.pop("file"), **form.cleaned_data
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Evidence attached."))
    return _back(city, report, f"#s-{key}")


@require_GET
@with_city
@staff_only
def evidence_file(request, city, pk):
    _reader(request, city)
    evidence = selectors.evidence_get(city=city, pk=pk)
    ext = (evidence.file.name or "").rsplit(".", 1)[-1]
    return private_file_response(
        evidence.file,
        filename=f"evidence-{evidence.pk}.{ext}",
        content_type=evidence.content_type,
        attachment=not evidence.content_type.startswith("image/"),
    )


@require_POST
@with_city
@staff_only
def evidence_delete(request, city, pk):
    _drafter(request, city)
    evidence = selectors.evidence_get(city=city, pk=pk)
    report = evidence.section.report
    try:
        services.evidence_delete(actor=request.user, evidence=evidence)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Evidence removed."))
    return _back(city, report, f"#s-{evidence.section.key}")


@require_POST
@with_city
@staff_only
def comment_add(request, city, pk):
    _reader(request, city)
    report = selectors.report_get(city=city, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        key = form.cleaned_data["section"]
        section = selectors.section_by_key(report=report, key=key) if key else None
        try:
            services.comment_add(
                actor=request.user, report=report, body=form.cleaned_data["body"], section=section
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("The comment is empty."))
    return _back(city, report, "#comments")


def _act(request, city, pk, service, message) -> HttpResponse:
    if not rules.can_approve(request.user, city):
        raise PermissionDenied(_("Only the city administrator moves a report through its review."))
    report = selectors.report_get(city=city, pk=pk)
    try:
        result = service(actor=request.user, report=report)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(city, report)
    messages.success(request, message)
    return _back(city, result)


@require_POST
@with_city
@staff_only
def report_send(request, city, pk):
    return _act(
        request, city, pk, services.report_send_for_review, _("Sent to the steering committee for review.")
    )


@require_POST
@with_city
@staff_only
def report_return(request, city, pk):
    return _act(request, city, pk, services.report_return_to_draft, _("Returned to draft."))


@require_POST
@with_city
@staff_only
def report_approve(request, city, pk):
    return _act(request, city, pk, services.report_approve, _("Approved: the figures are frozen."))


@require_POST
@with_city
@staff_only
def report_new_version(request, city, pk):
    return _act(request, city, pk, services.report_new_version, _("A new version is ready to edit."))


@require_POST
@with_city
@staff_only
def document_request(request, city, pk=None):
    _reader(request, city) if pk else _drafter(request, city)
    report = selectors.report_get(city=city, pk=pk) if pk else None
    try:
        document = services.document_request(
            actor=request.user, city=city, report=report, fmt=request.POST.get("fmt", ""), language=_lang()
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(city, report) if report else redirect("reporting:profile_edit", city_slug=city.slug)
    return redirect("reporting:document_status", city_slug=city.slug, pk=document.pk)


@require_GET
@with_city
@staff_only
def document_status(request, city, pk):
    document = selectors.document_get(city=city, pk=pk)
    _reader(request, city) if document.report_id else _drafter(request, city)
    return render(
        request,
        "reporting/document_status.html",
        {"document": document, "running": document.status in (DocumentStatus.QUEUED, DocumentStatus.RUNNING)},
    )


@require_GET
@with_city
@staff_only
def document_download(request, city, pk):
    document = selectors.document_get(city=city, pk=pk)
    _reader(request, city) if document.report_id else _drafter(request, city)
    if document.status != DocumentStatus.DONE:
        raise Http404(_("The document is not ready."))
    types = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf",
        "json": "application/json",
    }
    return private_file_response(
        document.file, filename=document_filename(document), content_type=types[document.fmt]
    )


@with_city
@staff_only
def profile_edit(request, city):
    _drafter(request, city)
    profile = profile_mod.profile_get(city)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ProfileForm.Meta.fields}
        try:
            services.profile_save(actor=request.user, city=city, data=data, challenges=form.challenges())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("City profile saved."))
            return redirect("reporting:profile_edit", city_slug=city.slug)
    return render(
        request,
        "reporting/profile_form.html",
        {
            "form": form,
            "facts": profile_mod.facts(city, profile),
            "documents": selectors.documents_of(city=city, report=None),
        },
    )


@with_city
@staff_only
def targets(request, city):
    _reader(request, city)
    analytics = indicator_results()
    indicators = list(analytics.indicator_list(city=city))
    form = TargetForm(request.POST or None, indicators=indicators)
    if request.method == "POST":
        _drafter(request, city)
        if form.is_valid():
            d = form.cleaned_data
            indicator = next(i for i in indicators if i.code == d["indicator"])
            try:
                analytics.city_target_set(
                    actor=request.user, city=city, indicator=indicator, year=d["year"], value=d["value"]
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Target saved."))
                return redirect("reporting:targets", city_slug=city.slug)
    with_targets = list(analytics.indicators_with_targets(indicators))
    rows = analytics.target_rows(city=city, indicators=with_targets, exact=True)
    return render(
        request,
        "reporting/targets.html",
        {"form": form, "rows": rows, "can_edit": rules.can_draft(request.user, city)},
    )
