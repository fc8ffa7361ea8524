"""Values a city reports by hand (e.g. "share of the budget spent on education: 34%"), with evidence.

They are entered by staff who may manage figures, then approved by a city administrator; approved values are
public, entered ones are visible to staff only. Changing an approved value sends it back to "entered".
"""

from __future__ import annotations

from decimal import Decimal

import filetype
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError, PermissionDeniedError
from learningcity.core.models import Area, City, Role
from learningcity.core.permissions import has_role, is_city_admin

from ..models import Indicator, ManualValue, ManualValueStatus

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/webp", "application/zip"}
EVIDENCE_ZIP_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _can_enter(actor, city: City) -> bool:
    return has_role(actor, city, Role.CITY_ADMIN, Role.AREA_COORDINATOR)


def check_evidence(upload) -> None:
    """Evidence files are checked by content: PDF, image, Excel or Word document, at most 10 MB."""
    if upload is None:
        return
    if upload.size > MAX_EVIDENCE_BYTES:
        raise DomainError(_("The evidence file is too large (the limit is 10 MB)."), field="evidence")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime not in EVIDENCE_TYPES and mime not in EVIDENCE_ZIP_TYPES:
        raise DomainError(
            _("The evidence must be a PDF, an image (JPEG, PNG, WebP) or an Excel or Word document."),
            field="evidence",
        )


@transaction.atomic
def manual_value_enter(
    *,
    actor,
    city: City,
    indicator: Indicator,
    year: int,
    value: Decimal,
    source: str,
    area: Area | None = None,
    note: str = "",
    evidence=None,
) -> ManualValue:
    """Enter (or correct) a reported value; it waits for approval."""
    if not _can_enter(actor, city):
        raise PermissionDeniedError(_("Only city administrators and area coordinators may report values."))
    if not indicator.is_manual:
        raise DomainError(_("This indicator is computed from the data; it cannot be entered by hand."))
    if area is not None and area.city_id != city.pk:
        raise DomainError(_("This area belongs to another city."), field="area")
    if not 1900 <= year <= 2100:
        raise DomainError(_("The year must be a number such as 2025."), field="year")
    if indicator.unit == Indicator.Unit.PERCENT and not Decimal(0) <= value <= Decimal(100):
        raise DomainError(_("A percentage must lie between 0 and 100."), field="value")
    if not (source or "").strip():
        raise DomainError(_("Say where the figure comes from."), field="source")
    check_evidence(evidence)
    obj = ManualValue.objects.for_city(city).filter(indicator=indicator, area=area, year=year).first()
    if obj is None:
        obj = ManualValue(city=city, indicator=indicator, area=area, year=year)
        before = None
    else:
        before = audit.snapshot(obj)
    obj.value = value
    obj.source = source.strip()[:300]
    obj.note = (note or "").strip()[:500]
    obj.status = ManualValueStatus.ENTERED
    obj.entered_by = actor
    obj.approved_by = None
    obj.approved_at = None
    if evidence is not None:
        obj.evidence.save(evidence.name.rsplit("/", 1)[-1][:80], evidence, save=False)
    obj.save()
    if before is None:
        audit.record_create(actor=actor, obj=obj)
    else:
        audit.record_update(actor=actor, obj=obj, before=before)
    return obj


@transaction.atomic
def manual_value_approve(*, actor, city: City, pk: int) -> ManualValue:
    """A city administrator approves a value: from then on it is public."""
    if not is_city_admin(actor, city):
        raise PermissionDeniedError(_("Only city administrators may approve reported values."))
    obj = ManualValue.objects.for_city(city).select_for_update().get(pk=pk)
    if obj.status == ManualValueStatus.APPROVED:
        raise DomainError(_("This value is already approved."))
    if not obj.evidence:
        raise DomainError(_("Attach an evidence file before approving the value."), field="evidence")
    before = audit.snapshot(obj)
    obj.status = ManualValueStatus.APPROVED
    obj.approved_by = actor
    obj.approved_at = timezone.now()
    obj.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit.record_update(actor=actor, obj=obj, before=before, note="approved")
    return obj
