"""Partnerships: agreements between cities and organisations, kept by one city, with their parties."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError
from learningcity.core.models import City
from learningcity.core.text import normalize
from learningcity.programmes.selectors import programme_list

from ..access import can_edit_practices
from ..models import Partnership, PartnershipDocument, PartnershipParty


def _check(actor, city: City) -> None:
    if actor is not None and not can_edit_practices(actor, city):
        raise DomainError(
            _("Only the city's administrators and area coordinators may record partnerships."),
            code="forbidden",
        )


def partnership_create(
    *,
    actor,
    city: City,
    title_vi: str,
    kind: str,
    title_en: str = "",
    status: str = "active",
    objectives_vi: str = "",
    objectives_en: str = "",
    starts_on=None,
    ends_on=None,
    practices=(),
    indicator_codes=(),
    programme_ids=(),
    programme_names=(),
) -> Partnership:
    """An agreement kept by `city`. It covers the city's programmes given by id (checked through programmes'
    selectors) and, by name, programmes not on the installation."""
    _check(actor, city)
    title_vi = normalize(title_vi)
    if not title_vi:
        raise DomainError(_("The partnership needs a title."), field="title_vi")
    if kind not in Partnership.Kind.values:
        raise DomainError(_("Unknown kind of agreement."), field="kind")
    if status not in Partnership.Status.values:
        raise DomainError(_("Unknown status."), field="status")
    if starts_on and ends_on and ends_on < starts_on:
        raise DomainError(_("The end date is before the start date."), field="ends_on")
    practices = list(practices)
    wanted = {int(pk) for pk in programme_ids}
    programmes = list(programme_list(city=city).filter(pk__in=wanted)) if wanted else []
    if len(programmes) != len(wanted):
        raise DomainError(_("A partnership covers programmes of its own city."), field="programme_ids")
    if any(p.city_id != city.pk for p in practices):
        raise DomainError(_("A partnership covers practices of its own city."), field="practices")
    with transaction.atomic():
        partnership = Partnership.objects.create(
            city=city,
            title_vi=title_vi[:200],
            title_en=normalize(title_en)[:200],
            kind=kind,
            status=status,
            objectives_vi=normalize(objectives_vi),
            objectives_en=normalize(objectives_en),
            starts_on=starts_on,
            ends_on=ends_on,
            indicator_codes=[normalize(c) for c in indicator_codes if c],
            programme_names=[normalize(n) for n in programme_names if n],
        )
        partnership.practices.set(practices)
        partnership.programmes.set(programmes)
        audit.record_create(actor=actor, obj=partnership)
    return partnership


def partnership_record(
    *, actor, city: City, partner_city: City | None, organisation: str = "", country_code: str = "", **fields
) -> Partnership:
    """A partnership with its first partner (a city of the installation or an organisation), both or neither."""
    with transaction.atomic():
        partnership = partnership_create(actor=actor, city=city, **fields)
        partnership_party_add(
            actor=actor,
            partnership=partnership,
            partner_city=partner_city,
            organisation=organisation,
            country_code=country_code,
        )
    return partnership


def partnership_document_add(*, actor, partnership: Partnership, title: str, upload) -> PartnershipDocument:
    """A PDF or DOCX of the partnership, checked by its first bytes (practices' documents rules)."""
    from django.core.files.base import ContentFile

    from .practices import MAX_DOCUMENT_BYTES, _sniff_document

    _check(actor, partnership.city)
    title = normalize(title)[:200]
    if not title:
        raise DomainError(_("Give the file a title."), field="title")
    if getattr(upload, "size", 0) > MAX_DOCUMENT_BYTES:
        raise DomainError(_("The document is too large (10 MB at most)."), field="file")
    data = upload.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DomainError(_("The document is too large (10 MB at most)."), field="file")
    content_type = _sniff_document(data)
    name = "document.pdf" if content_type == "application/pdf" else "document.docx"
    with transaction.atomic():
        document = PartnershipDocument(
            partnership=partnership, city=partnership.city, title=title, content_type=content_type
        )
        document.file.save(name, ContentFile(data), save=False)
        document.save()
        audit.record_create(actor=actor, obj=document)
    return document


def partnership_party_add(
    *,
    actor,
    partnership: Partnership,
    partner_city: City | None = None,
    organisation: str = "",
    country_code: str = "",
) -> PartnershipParty:
    _check(actor, partnership.city)
    organisation = normalize(organisation)[:200]
    country_code = normalize(country_code).upper()[:2]
    if partner_city is None and not organisation:
        raise DomainError(_("Name the partner city or organisation."), field="organisation")
    if partner_city is not None and partner_city.pk == partnership.city_id:
        raise DomainError(_("A city is not its own partner."), field="partner_city")
    with transaction.atomic():
        party = PartnershipParty.objects.create(
            partnership=partnership,
            city=partnership.city,
            partner_city=partner_city,
            organisation=organisation,
            country_code=country_code,
        )
        audit.record_create(actor=actor, obj=party)
    return party
