"""Writes to learners: create, edit, consent, memberships, merge duplicates, export and erase."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.demography import (
    ETHNICITY_NOT_STATED,
    WG_DOMAINS,
    Sex,
    age_band,
    ethnicity_code,
    has_disability,
)
from learningcity.core.errors import DomainError
from learningcity.core.models import AuditEntry, City
from learningcity.core.permissions import can_view_sensitive
from learningcity.core.registry import app_modules
from learningcity.core.text import fold, normalize

from ..models import (
    Attendance,
    Consent,
    ConsentPurpose,
    Headcount,
    HeadcountSource,
    Learner,
    Membership,
    Programme,
)
from ..rules import (
    can_edit_learner,
    can_erase_learners,
    can_manage_learners,
    can_manage_programme,
    can_view_learner_sensitive,
    learner_edit_scope,
    sensitive_checker,
)
from ..selectors import learner_consents_active
from .attendance import city_today
from .attendance_writes import attendance_writes

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
WG_KEYS = [key for key, _label in WG_DOMAINS]


def new_learner_code() -> str:
    """Pseudonymous: random, no name, no date."""
    return "L" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(7))


def check_birth_year(year: int | None, today: dt.date | None = None) -> None:
    today = today or dt.date.today()
    if year is not None and not (today.year - 110 <= year <= today.year):
        raise DomainError(_("The year of birth %(year)s is impossible.") % {"year": year}, field="birth_year")


def clean_disability(answers: dict | None) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, value in (answers or {}).items():
        if key not in WG_KEYS:
            raise DomainError(
                _("Unknown Washington Group question “%(key)s”.") % {"key": key}, field="disability"
            )
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if number not in (1, 2, 3, 4):
            raise DomainError(_("Washington Group answers are 1 to 4."), field="disability")
        out[key] = number
    return out


class LearnerInvalid(DomainError):
    """Every bad field of a learner at once ({field: message}); `field`/`message` name the first one."""

    def __init__(self, errors: dict[str, str]):
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.errors = errors


SENSITIVE_FIELDS = ("ethnicity", "disability_answers")


def _path(area) -> str:
    return area.path if area is not None else ""


def _inside(path: str, scope: list[str]) -> bool:
    return bool(path) and any(path.startswith(p) for p in scope)


def sets_sensitive(fields: dict[str, Any]) -> bool:
    """Whether cleaned learner fields record an ethnicity (anything but "not stated") or a disability answer."""
    return fields.get("ethnicity", ETHNICITY_NOT_STATED) not in ("", ETHNICITY_NOT_STATED) or bool(
        fields.get("disability_answers")
    )


def sensitive_guard(actor, city: City | int) -> Callable[[str], str | None]:
    """f(home area path) -> None when the actor may record ethnicity and disability of a person living there,
    else the (translated) reason for refusing. Who may not see these fields of a person may not set them either:
    city admins everywhere, an area coordinator for people living in her subtree, nobody else. The add page, the
    API and the import sheet all use it (the import once per file, then per row)."""
    sees = sensitive_checker(actor, city)
    if can_view_sensitive(actor, city):
        message = _(
            "You may record ethnicity and disability only for people whose home area is in the areas you "
            "coordinate."
        )
    else:
        message = _("Your role may not record ethnicity or disability.")
    return lambda path: None if sees(path) else message


def check_sensitive_allowed(*, actor, city: City | int, area, fields: dict[str, Any]) -> None:
    """Refuse ethnicity or disability for a person whose home area would not let the actor see them."""
    if not sets_sensitive(fields):
        return
    refusal = sensitive_guard(actor, city)(_path(area))
    if refusal:
        field = "disability_answers" if fields.get("disability_answers") else "ethnicity"
        raise DomainError(refusal, field=field, code="forbidden")


def _clean(city: City, fields: dict[str, Any]) -> dict[str, Any]:  # noqa: C901 - one independent check per field, each reporting its own error
    """Normalise and check learner fields; every bad field is reported (LearnerInvalid), nothing is kept."""
    errors: dict[str, str] = {}
    if "full_name" in fields:
        fields["full_name"] = normalize(fields["full_name"] or "")
        if not fields["full_name"]:
            errors["full_name"] = _("A name is required.")
    if "sex" in fields:
        fields["sex"] = fields["sex"] or ""
        if fields["sex"] not in Sex.values:
            errors["sex"] = _("Unknown sex.")
    if "birth_year" in fields:
        try:
            check_birth_year(fields["birth_year"])
        except DomainError as exc:
            errors["birth_year"] = exc.message
    if "ethnicity" in fields:
        code = ethnicity_code(fields["ethnicity"])
        if code is None:
            errors["ethnicity"] = _("Unknown ethnicity “%(value)s”.") % {"value": fields["ethnicity"]}
        else:
            fields["ethnicity"] = code
    if "disability_answers" in fields:
        try:
            fields["disability_answers"] = clean_disability(fields["disability_answers"])
        except DomainError as exc:
            errors["disability_answers"] = exc.message
        else:
            fields["has_disability"] = has_disability(fields["disability_answers"])
    area = fields.get("area")
    if area is not None and area.city_id != city.pk:
        errors["area"] = _("Unknown area “%(value)s”.") % {"value": area.code}
    if "languages" in fields:
        fields["languages"] = normalize(fields["languages"] or "")[:100]
    if errors:
        raise LearnerInvalid(errors)
    return fields


@transaction.atomic
def learner_create(
    *, actor, city: City, full_name: str, consent_purposes=(), consent_method: str = "", **fields: Any
) -> Learner:
    if not can_manage_learners(actor, city):
        raise DomainError(_("You may not add learners in this city."), code="forbidden")
    fields = _clean(city, {"full_name": full_name, **fields})
    check_sensitive_allowed(actor=actor, city=city, area=fields.get("area"), fields=fields)
    learner = Learner(city=city, code=new_learner_code(), **fields)
    while Learner.objects.filter(city=city, code=learner.code).exists():
        learner.code = new_learner_code()
    learner.search_text = fold(learner.full_name)
    learner.save()
    audit.record_create(actor=actor, obj=learner)
    for purpose in consent_purposes:
        consent_record(actor=actor, learner=learner, purpose=purpose, method=consent_method)
    return learner


LEARNER_EDITABLE = ("full_name", "sex", "birth_year", "ethnicity", "disability_answers", "area", "languages")


@transaction.atomic
def learner_update(
    *,
    actor,
    learner: Learner,
    consents: Iterable[str] | None = None,
    consent_method: str = "",
    **fields: Any,
) -> Learner:
    """Correct a person's record. Only the fields given are touched; a bad value in any field changes nothing.

    Ethnicity and disability may be changed only by those who may see them (rules.can_view_learner_sensitive).
    `consents`, when given, is the full set of purposes consented to now: new ones are recorded as given,
    missing ones as withdrawn (each a Consent row with who and when). The audit entry lists the changed fields
    with before and after, like every audited change (the audit trail is read by city administrators only,
    who may see sensitive fields; erasing the person empties it).
    """
    if not can_manage_learners(actor, learner.city_id):
        raise DomainError(_("You may not change learners in this city."), code="forbidden")
    scope = learner_edit_scope(actor, learner.city_id)
    if scope is not None and not _inside(_path(learner.area), scope):
        raise DomainError(
            _("You may correct only people whose home area is in the areas you coordinate."), code="forbidden"
        )
    unknown = set(fields) - set(LEARNER_EDITABLE)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    if any(name in fields for name in SENSITIVE_FIELDS) and not can_view_learner_sensitive(actor, learner):
        raise DomainError(
            _("You may not see or change the ethnicity and disability of this person."), code="forbidden"
        )
    fields = _clean(learner.city, dict(fields))
    if "area" in fields:
        _check_move(actor, learner, fields["area"], scope)
    wanted: set[str] | None = None
    if consents is not None:
        wanted = set(consents)
        bad = wanted - set(ConsentPurpose.values)
        if bad:
            raise LearnerInvalid({"consents": _("Unknown purpose of consent.")})
    before = audit.snapshot(learner)
    for name, value in fields.items():
        setattr(learner, name, value)
    learner.search_text = fold(learner.full_name)
    with attendance_writes(learner.city_id):  # the figures follow a person's area, sex, birth year...
        learner.save()
    audit.record_update(actor=actor, obj=learner, before=before)
    if wanted is not None:
        active = learner_consents_active(learner=learner)
        for purpose in sorted(wanted - active):
            consent_record(actor=actor, learner=learner, purpose=purpose, method=consent_method)
        for purpose in sorted(active - wanted):
            consent_record(actor=actor, learner=learner, purpose=purpose, given=False, method=consent_method)
    return learner


def _check_move(actor, learner: Learner, area, scope: list[str] | None) -> None:
    """No one gains sight of a person's ethnicity and disability by changing where they live."""
    new_path = _path(area)
    if scope is not None and not _inside(new_path, scope):
        raise DomainError(
            _("The home area can only be set to one of the areas you coordinate."),
            field="area",
            code="forbidden",
        )
    sees = sensitive_checker(actor, learner.city_id)
    if sees(new_path) and not sees(_path(learner.area)):
        raise DomainError(
            _(
                "Moving this person into an area you coordinate would show you their ethnicity and disability: "
                "ask a city administrator to change the home area."
            ),
            field="area",
            code="forbidden",
        )


@transaction.atomic
def consent_record(*, actor, learner: Learner, purpose: str, given: bool = True, method: str = "") -> Consent:
    if purpose not in ConsentPurpose.values:
        raise DomainError(_("Unknown purpose of consent."), field="purpose")
    if actor is not None and not can_edit_learner(actor, learner):
        raise DomainError(
            _("You may act only for people whose home area is in your scope."), code="forbidden"
        )
    if not given:
        Consent.objects.filter(learner=learner, purpose=purpose, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )
    consent = Consent.objects.create(
        city_id=learner.city_id,
        learner=learner,
        purpose=purpose,
        given=given,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        recorded_by_name=str(actor)[:200] if actor else "system",
        method=normalize(method)[:100],
    )
    audit.record_create(actor=actor, obj=consent)
    return consent


@transaction.atomic
def membership_add(
    *, actor, programme: Programme, learner: Learner, joined_on: dt.date, check_permission: bool = True
) -> Membership:
    """Join a club or enrol in a course. An open membership is returned as is; someone who left may rejoin
    (a new row) from their leaving date on, never overlapping an earlier membership."""
    if check_permission and not can_manage_programme(actor, programme):
        raise DomainError(_("You may not change this programme."), code="forbidden")
    if learner.city_id != programme.city_id:
        raise DomainError(_("The learner belongs to another city."), field="learner")
    rows = Membership.objects.filter(programme=programme, learner=learner)
    existing = rows.filter(left_on__isnull=True).first()
    if existing:
        return existing
    if rows.filter(Q(left_on__gt=joined_on) | Q(joined_on__gte=joined_on)).exists():
        last = rows.order_by("-left_on").values_list("left_on", flat=True).first() or joined_on
        raise DomainError(
            _("%(name)s was already a member on this date; rejoining starts on %(date)s or later.")
            % {"name": learner.full_name, "date": date_format(last, "SHORT_DATE_FORMAT")},
            field="joined_on",
        )
    membership = Membership.objects.create(
        city_id=programme.city_id, programme=programme, learner=learner, joined_on=joined_on
    )
    if check_permission:
        audit.record_create(actor=actor, obj=membership)
    return membership


@transaction.atomic
def membership_end(*, actor, membership: Membership, left_on: dt.date | None = None) -> Membership:
    """A member leaves (default: today in the city). Not before joining, not in the future, not twice."""
    if not can_manage_programme(actor, membership.programme):
        raise DomainError(_("You may not change this programme."), code="forbidden")
    today = city_today(membership.programme.city)
    left_on = left_on or today
    if membership.left_on is not None:
        raise DomainError(_("This membership has already ended."), field="left_on")
    if left_on < membership.joined_on:
        raise DomainError(_("The leaving date is before the joining date."), field="left_on")
    if left_on > today:
        raise DomainError(_("The leaving date cannot be in the future."), field="left_on")
    before = audit.snapshot(membership)
    membership.left_on = left_on
    membership.save(update_fields=["left_on", "updated_at"])
    audit.record_update(actor=actor, obj=membership, before=before)
    return membership


@transaction.atomic
def learner_merge(*, actor, keep: Learner, duplicate: Learner) -> Learner:  # noqa: C901 - split pending: one move per table of the person
    """Fold a duplicate record into the one kept: attendance, memberships and consents move; the audit says so."""
    if not can_manage_learners(actor, keep.city_id):
        raise DomainError(_("You may not change learners in this city."), code="forbidden")
    if keep.pk == duplicate.pk or keep.city_id != duplicate.city_id:
        raise DomainError(_("Choose two different learners of the same city."), field="duplicate")
    # A merge copies the home area, ethnicity and disability from one record to the other: it must not show the
    # actor what she could not see before.
    scope = learner_edit_scope(actor, keep.city_id)
    keep_path, duplicate_path = _path(keep.area), _path(duplicate.area)
    if scope is not None and not (_inside(keep_path, scope) and _inside(duplicate_path, scope)):
        raise DomainError(
            _("You may merge only people whose home area is in the areas you coordinate."), code="forbidden"
        )
    sees = sensitive_checker(actor, keep.city_id)
    if sees(keep_path) != sees(duplicate_path):
        raise DomainError(
            _(
                "Merging these records would show you ethnicity or disability you may not see: ask a city "
                "administrator to merge them."
            ),
            code="forbidden",
        )
    # Every statement below changes rows the figures follow: one after the city's other attendance writers.
    with attendance_writes(keep.city_id):
        seen = set(Attendance.objects.filter(learner=keep).values_list("session_id", flat=True))
        Attendance.objects.filter(learner=duplicate, session_id__in=seen).delete()
        moved = Attendance.objects.filter(learner=duplicate).update(learner=keep)
        kept_memberships = {m.programme_id: m for m in Membership.objects.filter(learner=keep)}
        for m in Membership.objects.filter(learner=duplicate):
            mine = kept_memberships.get(m.programme_id)
            if mine is None:
                m.learner = keep
                m.save(update_fields=["learner", "updated_at"])
                continue
            if m.joined_on < mine.joined_on:
                mine.joined_on = m.joined_on
                mine.save(update_fields=["joined_on", "updated_at"])
            m.delete()
        Consent.objects.filter(learner=duplicate).update(learner=keep)
        before = audit.snapshot(keep)
        for name in ("sex", "birth_year", "area_id", "languages"):
            if not getattr(keep, name) and getattr(duplicate, name):
                setattr(keep, name, getattr(duplicate, name))
        if keep.ethnicity == "99" and duplicate.ethnicity != "99":
            keep.ethnicity = duplicate.ethnicity
        if not keep.disability_answers and duplicate.disability_answers:
            keep.disability_answers = duplicate.disability_answers
            keep.has_disability = duplicate.has_disability
        keep.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.MERGE,
            obj=keep,
            changes={"merged_code": [duplicate.code, keep.code], "attendance_moved": [0, moved]}
            | {
                k: v
                for k, v in {k: [before.get(k), v] for k, v in audit.snapshot(keep).items()}.items()
                if v[0] != v[1]
            },
            note=f"{duplicate.code} -> {keep.code}",
        )
        for hooks in app_modules("person_hooks"):
            hooks.person_merge(keep=keep, duplicate=duplicate, actor=actor)
        duplicate.delete()
    return keep


def learner_export(*, actor, learner: Learner) -> dict[str, Any]:
    """Everything held about one person, as JSON-ready data (their right of access)."""
    if not can_edit_learner(actor, learner):
        raise DomainError(
            _("You may act only for people whose home area is in your scope."), code="forbidden"
        )
    from learningcity.core.demography import ethnicity_name

    sensitive = can_view_learner_sensitive(actor, learner)
    data = {
        "code": learner.code,
        "full_name": learner.full_name,
        "sex": learner.sex,
        "birth_year": learner.birth_year,
        "ethnicity": {"code": learner.ethnicity, "name": ethnicity_name(learner.ethnicity)}
        if sensitive
        else None,
        "disability_answers": learner.disability_answers if sensitive else None,
        "has_disability": learner.has_disability if sensitive else None,
        "home_area": learner.area.name if learner.area_id and learner.area else None,
        "languages": learner.languages,
        "created_at": learner.created_at.isoformat(),
        "consents": [
            {
                "purpose": c.purpose,
                "given": c.given,
                "recorded_by": c.recorded_by_name,
                "recorded_at": c.recorded_at.isoformat(),
                "method": c.method,
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in learner.consents.all()
        ],
        "memberships": [
            {
                "programme": m.programme.title,
                "joined_on": m.joined_on.isoformat(),
                "left_on": m.left_on.isoformat() if m.left_on else None,
            }
            for m in learner.memberships.select_related("programme")
        ],
        "attendance": [
            {"programme": title, "date": date.isoformat()}
            for title, date in learner.attendances.order_by("date").values_list("programme__title_vi", "date")
        ],
    }
    for hooks in app_modules("person_hooks"):
        data.update(hooks.person_export(learner=learner))
    if not sensitive:
        data["withheld"] = {
            "fields": ["ethnicity", "disability_answers", "has_disability"],
            "reason": _(
                "Ethnicity and disability are withheld: your role may not see them for this person. A city "
                "administrator can export everything held."
            ),
        }
    note = (
        "exported personal data" if sensitive else "exported personal data without ethnicity and disability"
    )
    audit.record(actor=actor, action=AuditEntry.Action.UPDATE, obj=learner, note=note)
    return data


@transaction.atomic
def learner_erase(*, actor, learner: Learner) -> int:
    """Delete the person; keep their attendance only as anonymous counts (sex and age band, no identity)."""
    if not can_erase_learners(actor, learner.city_id):
        raise DomainError(_("Only a city administrator may erase a person."), code="forbidden")
    # The attendance is read, counted and deleted with the city's other attendance writers held off.
    with attendance_writes(learner.city_id):
        rows = list(
            Attendance.objects.filter(learner=learner).values_list(
                "session_id", "programme_id", "space_id", "date", "minutes"
            )
        )
        counts = Counter(rows)
        Headcount.objects.bulk_create(
            [
                Headcount(
                    city_id=learner.city_id,
                    session_id=session_id,
                    programme_id=programme_id,
                    space_id=space_id,
                    date=date,
                    minutes=minutes,
                    sex=learner.sex,
                    age_band=age_band(learner.birth_year, date.year),
                    count=n,
                    source=HeadcountSource.ERASED,
                )
                for (session_id, programme_id, space_id, date, minutes), n in counts.items()
            ],
            batch_size=1000,
        )
        audit.record(
            actor=actor,
            action=AuditEntry.Action.ERASE,
            obj=learner,
            changes={"attendance_kept_as_counts": [0, len(rows)]},
            note="person erased",
        )
        # The audit trail must not keep the name either.
        trail = AuditEntry.objects.filter(object_type="programmes.learner", object_id=str(learner.pk))
        trail.exclude(action=AuditEntry.Action.ERASE).update(changes={})
        trail.update(object_repr=learner.code)
        Attendance.objects.filter(learner=learner).delete()
        for hooks in app_modules("person_hooks"):
            hooks.person_erase(learner=learner, actor=actor)
        learner.delete()
    return len(rows)
