"""Lending at the bookcase: cards, loans, returns, renewals and holds.

Every operation takes an optional idempotency key: the same key sent again (an offline queue replaying, a
double tap) answers with the first answer and changes nothing. Scanning a copy twice does one thing even
without a key: lending a copy already lent to the same person, or taking back a copy already on the shelf, is
answered as done. What a person read is private: at return the loan loses its borrower unless she chose to keep
her history; the figures are counted at lending time in `LoanTally`, without the person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.demography import age_band
from learningcity.core.errors import DomainError
from learningcity.core.models import AuditEntry
from learningcity.programmes.selectors import learner_consents_active

from ..models import (
    BookcaseRules,
    Borrower,
    CirculationKey,
    Copy,
    CopyEvent,
    CopyStatus,
    Hold,
    HoldStatus,
    Loan,
    LoanTally,
    Record,
)
from ..rules import can_catalogue, can_lend_at, can_lend_somewhere
from .catalogue import copy_event

DEFAULT_RULES = {"loan_days": 21, "renewals": 2, "max_loans": 5}
ACTIVE_HOLDS = (HoldStatus.WAITING, HoldStatus.IN_TRANSIT, HoldStatus.READY)


@dataclass
class Outcome:
    """What the volunteer is told; the same shape is kept for an idempotency key and sent by the API."""

    action: str
    message: str
    barcode: str = ""
    copy_id: int | None = None
    loan_id: int | None = None
    hold_id: int | None = None
    due_on: str | None = None
    status: str = ""
    repeated: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def rules_for(space) -> dict[str, int]:
    row = BookcaseRules.objects.filter(space=space).first()
    if row is None:
        return dict(DEFAULT_RULES)
    return {"loan_days": row.loan_days, "renewals": row.renewals, "max_loans": row.max_loans}


@transaction.atomic
def rules_set(*, actor, space, loan_days: int, renewals: int, max_loans: int) -> BookcaseRules:
    if not can_lend_at(actor, space):
        raise DomainError(_("You may not change the rules of this bookcase."), code="forbidden")
    if not 1 <= loan_days <= 365:
        raise DomainError(_("A loan lasts 1 to 365 days."), field="loan_days")
    if not 1 <= max_loans <= 100:
        raise DomainError(_("A person may borrow 1 to 100 copies."), field="max_loans")
    if not 0 <= renewals <= 20:
        raise DomainError(_("Allow 0 to 20 renewals."), field="renewals")
    row, created = BookcaseRules.objects.get_or_create(city_id=space.city_id, space=space)
    before = audit.snapshot(row)
    row.loan_days, row.renewals, row.max_loans = loan_days, renewals, max_loans
    row.save()
    if created:
        audit.record_create(actor=actor, obj=row)
    else:
        audit.record_update(actor=actor, obj=row, before=before)
    return row


def _once(city_id: int, key: str, action: str, work: Callable[[], Outcome]) -> Outcome:
    """Run `work` once per idempotency key (none: always)."""
    key = (key or "").strip()[:80]
    if not key:
        return work()
    done = CirculationKey.objects.filter(city_id=city_id, key=key).first()
    if done is not None:
        return Outcome(**{**done.result, "repeated": True})
    try:
        with transaction.atomic():
            outcome = work()
            CirculationKey.objects.create(city_id=city_id, key=key, action=action, result=outcome.as_dict())
    except IntegrityError:
        done = CirculationKey.objects.filter(city_id=city_id, key=key).first()
        if done is None:
            raise
        return Outcome(**{**done.result, "repeated": True})
    return outcome


def _copy_for(space, barcode: str) -> Copy:
    code = (barcode or "").strip().upper()
    copy = (
        Copy.objects.select_for_update(of=("self",))
        .select_related("record", "transit_to", "current")
        .filter(city_id=space.city_id, barcode=code)
        .first()
    )
    if copy is None:
        raise DomainError(_("No copy has the barcode “%(code)s”.") % {"code": code[:32]}, field="barcode")
    return copy


def _check_consent(borrower: Borrower) -> None:
    if "participation" not in learner_consents_active(learner=borrower.learner):
        raise DomainError(
            _("%(card)s has not given (or has withdrawn) consent to take part: record it first.")
            % {"card": borrower.card_code},
            field="borrower",
        )


def _day(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _audit_copy(actor, copy: Copy, before_status: str, note: str) -> None:
    audit.record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=copy,
        changes={"status": [before_status, copy.status]} if before_status != copy.status else {},
        note=note,
    )


def _tally(loan: Loan, borrower: Borrower, when: dt.datetime) -> None:
    learner = borrower.learner
    disability = "" if learner.has_disability is None else ("y" if learner.has_disability else "n")
    dims = {
        "city_id": loan.city_id,
        "month": when.date().replace(day=1),
        "space_id": loan.space_id,
        "sex": learner.sex or "",
        "age_band": age_band(learner.birth_year, when.year),
        "ethnicity": learner.ethnicity or "",
        "disability": disability,
        "area_id": learner.area_id,
    }
    if not LoanTally.objects.filter(**dims).update(loans=F("loans") + 1):
        LoanTally.objects.create(**dims, loans=1)


def lend(*, actor, space, barcode: str, borrower: Borrower, now: dt.datetime | None = None) -> Outcome:
    if not can_lend_at(actor, space):
        raise DomainError(_("You may not lend at this bookcase."), code="forbidden")
    if borrower.city_id != space.city_id:
        raise DomainError(_("This borrower belongs to another city."), field="borrower")
    now = now or timezone.now()
    copy = _copy_for(space, barcode)
    title = copy.record.title
    if copy.status == CopyStatus.ON_LOAN:
        loan = Loan.objects.filter(copy=copy, returned_at__isnull=True).first()
        if loan is not None and loan.borrower_id == borrower.pk:
            return Outcome(
                "lend",
                _("“%(title)s” is already lent to %(card)s, due %(due)s.")
                % {"title": title, "card": borrower.card_code, "due": _day(loan.due_on)},
                copy.barcode,
                copy.pk,
                loan.pk,
                due_on=loan.due_on.isoformat(),
                status=copy.status,
                repeated=True,
            )
        due = _day(loan.due_on) if loan else "?"
        raise DomainError(
            _("“%(title)s” (%(code)s) is already on loan, due back %(due)s: take it back first.")
            % {"title": title, "code": copy.barcode, "due": due},
            field="barcode",
        )
    if copy.status in (CopyStatus.LOST, CopyStatus.WITHDRAWN, CopyStatus.CATALOGUING):
        raise DomainError(
            _("“%(title)s” (%(code)s) is marked %(status)s: it cannot be lent.")
            % {"title": title, "code": copy.barcode, "status": copy.get_status_display().lower()},
            field="barcode",
        )
    hold = (
        Hold.objects.filter(copy=copy, status__in=ACTIVE_HOLDS).select_related("borrower", "pickup").first()
    )
    if hold is not None and hold.borrower_id != borrower.pk:
        raise DomainError(
            _("“%(title)s” (%(code)s) is reserved for another reader at %(place)s: keep it for them.")
            % {"title": title, "code": copy.barcode, "place": hold.pickup.name},
            field="barcode",
        )
    _check_consent(borrower)
    rules = rules_for(space)
    open_loans = Loan.objects.filter(borrower=borrower, returned_at__isnull=True).count()
    if open_loans >= rules["max_loans"]:
        raise DomainError(
            _("%(card)s already has %(n)s books, the most this bookcase lends to one person.")
            % {"card": borrower.card_code, "n": open_loans},
            field="borrower",
        )
    before = copy.status
    due_on = (now + dt.timedelta(days=rules["loan_days"])).date()
    loan = Loan.objects.create(
        city_id=space.city_id, copy=copy, borrower=borrower, space=space, lent_at=now, due_on=due_on
    )
    copy.status, copy.current, copy.transit_to = CopyStatus.ON_LOAN, space, None
    copy.save(update_fields=["status", "current", "transit_to", "updated_at"])
    if hold is not None:
        hold.status = HoldStatus.COLLECTED
        hold.save(update_fields=["status", "updated_at"])
    copy_event(copy, CopyEvent.Kind.LENT, actor=actor, space=space, at=now)
    _tally(loan, borrower, now)
    Borrower.objects.filter(pk=borrower.pk).update(last_loan_on=now.date())
    _audit_copy(actor, copy, before, "lent")
    return Outcome(
        "lend",
        _("“%(title)s” lent to %(card)s, due back %(due)s.")
        % {"title": title, "card": borrower.card_code, "due": _day(due_on)},
        copy.barcode,
        copy.pk,
        loan.pk,
        due_on=due_on.isoformat(),
        status=copy.status,
    )


def loan_lend(
    *, actor, space, barcode: str, borrower: Borrower, idempotency_key: str = "", now=None
) -> Outcome:
    with transaction.atomic():
        return _once(
            space.city_id,
            idempotency_key,
            "lend",
            lambda: lend(actor=actor, space=space, barcode=barcode, borrower=borrower, now=now),
        )


def close_open_loan(copy: Copy, *, space=None, now=None) -> Loan | None:
    """End the copy's open loan; the borrower is unlinked unless she keeps her history."""
    loan = Loan.objects.filter(copy=copy, returned_at__isnull=True).select_related("borrower").first()
    if loan is None:
        return None
    loan.returned_at = now or timezone.now()
    loan.returned_space = space
    if loan.borrower is not None and not loan.borrower.keep_history:
        loan.borrower = None
    loan.save(update_fields=["returned_at", "returned_space", "borrower"])
    return loan


def _route_to_hold(copy: Copy, space, now) -> Hold | None:
    """A copy back on a shelf goes to the oldest waiting hold of its record: kept here or sent on."""
    hold = (
        Hold.objects.filter(record_id=copy.record_id, status=HoldStatus.WAITING)
        .select_related("pickup", "borrower")
        .order_by("created_at", "pk")
        .first()
    )
    if hold is None:
        return None
    hold.copy = copy
    if hold.pickup_id == space.pk:
        hold.status, hold.ready_at = HoldStatus.READY, now
        copy.status = CopyStatus.AVAILABLE
    else:
        hold.status = HoldStatus.IN_TRANSIT
        copy.status, copy.transit_to = CopyStatus.IN_TRANSIT, hold.pickup
    hold.save(update_fields=["copy", "status", "ready_at", "updated_at"])
    return hold


def _arrive(*, actor, copy: Copy, space, now) -> Outcome:
    """A copy in transit scanned where it was going: on the shelf here, kept for the reader who reserved it."""
    title, before = copy.record.title, copy.status
    copy.status, copy.current, copy.transit_to = CopyStatus.AVAILABLE, space, None
    hold = Hold.objects.filter(copy=copy, status=HoldStatus.IN_TRANSIT).select_related("borrower").first()
    copy.save(update_fields=["status", "current", "transit_to", "updated_at"])
    copy_event(copy, CopyEvent.Kind.ARRIVED, actor=actor, space=space, at=now)
    _audit_copy(actor, copy, before, "arrived")
    if hold is None:
        message = _("“%(title)s” arrived and is on the shelf.") % {"title": title}
        return Outcome("return", message, copy.barcode, copy.pk, status=copy.status)
    hold.status, hold.ready_at = HoldStatus.READY, now
    hold.save(update_fields=["status", "ready_at", "updated_at"])
    message = _("“%(title)s” arrived: keep it for %(card)s, who reserved it (they are told it is here).")
    message %= {"title": title, "card": hold.borrower.card_code}
    return Outcome("return", message, copy.barcode, copy.pk, hold_id=hold.pk, status=copy.status)


def _return_message(copy: Copy, hold: Hold | None, loan: Loan | None) -> str:
    title = copy.record.title
    if hold is not None and hold.status == HoldStatus.READY:
        message = _("“%(title)s” is back. Keep it here for %(card)s, who reserved it.")
        return message % {"title": title, "card": hold.borrower.card_code}
    if hold is not None:
        message = _("“%(title)s” is back. It is reserved: send it to %(place)s.")
        return message % {"title": title, "place": hold.pickup.name}
    if copy.status == CopyStatus.IN_TRANSIT:
        return _("“%(title)s” is back. Send it home to %(place)s.") % {
            "title": title,
            "place": copy.home.name,
        }
    if loan is None:
        return _("“%(title)s” was not on loan; it is now recorded at this bookcase.") % {"title": title}
    return _("“%(title)s” is back on the shelf.") % {"title": title}


def take_back(*, actor, space, barcode: str, send_home: bool = False, now=None) -> Outcome:
    if not can_lend_at(actor, space):
        raise DomainError(_("You may not take books back at this bookcase."), code="forbidden")
    now = now or timezone.now()
    copy = _copy_for(space, barcode)
    title, before = copy.record.title, copy.status
    if copy.status == CopyStatus.WITHDRAWN:
        message = _("“%(title)s” (%(code)s) was withdrawn from the catalogue.")
        raise DomainError(message % {"title": title, "code": copy.barcode}, field="barcode")
    if copy.status == CopyStatus.IN_TRANSIT and copy.transit_to_id == space.pk:
        return _arrive(actor=actor, copy=copy, space=space, now=now)
    if copy.status == CopyStatus.IN_TRANSIT:
        target = copy.transit_to.name if copy.transit_to else "?"
        message = _("“%(title)s” is on its way to %(place)s: send it on.") % {"title": title, "place": target}
        return Outcome("return", message, copy.barcode, copy.pk, status=copy.status, repeated=True)
    if copy.status in (CopyStatus.AVAILABLE, CopyStatus.CATALOGUING) and copy.current_id == space.pk:
        message = _("“%(title)s” is already back on the shelf here.") % {"title": title}
        return Outcome("return", message, copy.barcode, copy.pk, status=copy.status, repeated=True)
    loan = close_open_loan(copy, space=space, now=now)
    copy.current, copy.transit_to = space, None
    if copy.status != CopyStatus.CATALOGUING:
        copy.status = CopyStatus.AVAILABLE
    hold = _route_to_hold(copy, space, now) if copy.status == CopyStatus.AVAILABLE else None
    if hold is None and send_home and copy.home_id != space.pk:
        copy.status, copy.transit_to = CopyStatus.IN_TRANSIT, copy.home
    copy.save(update_fields=["status", "current", "transit_to", "updated_at"])
    copy_event(copy, CopyEvent.Kind.RETURNED, actor=actor, space=space, at=now)
    if copy.status == CopyStatus.IN_TRANSIT:
        copy_event(copy, CopyEvent.Kind.SENT, actor=actor, space=space, at=now)
    _audit_copy(actor, copy, before, "returned")
    return Outcome(
        "return",
        _return_message(copy, hold, loan),
        copy.barcode,
        copy.pk,
        loan.pk if loan else None,
        hold_id=hold.pk if hold else None,
        status=copy.status,
    )


def loan_return(
    *, actor, space, barcode: str, send_home: bool = False, idempotency_key: str = "", now=None
) -> Outcome:
    with transaction.atomic():
        return _once(
            space.city_id,
            idempotency_key,
            "return",
            lambda: take_back(actor=actor, space=space, barcode=barcode, send_home=send_home, now=now),
        )


def renew(*, actor, space, barcode: str, now=None) -> Outcome:
    if not can_lend_at(actor, space):
        raise DomainError(_("You may not renew loans at this bookcase."), code="forbidden")
    now = now or timezone.now()
    copy = _copy_for(space, barcode)
    loan = Loan.objects.filter(copy=copy, returned_at__isnull=True).select_related("space").first()
    if loan is None:
        raise DomainError(_("“%(title)s” is not on loan.") % {"title": copy.record.title}, field="barcode")
    rules = rules_for(loan.space)
    if loan.renewals >= rules["renewals"]:
        raise DomainError(
            _("“%(title)s” was renewed %(n)s times already, the most this bookcase allows.")
            % {"title": copy.record.title, "n": loan.renewals},
            field="barcode",
        )
    if Hold.objects.filter(record_id=copy.record_id, status=HoldStatus.WAITING).exists():
        raise DomainError(
            _("“%(title)s” is reserved by another reader: it cannot be renewed.")
            % {"title": copy.record.title},
            field="barcode",
        )
    loan.due_on = max(loan.due_on, now.date()) + dt.timedelta(days=rules["loan_days"])
    loan.renewals += 1
    loan.save(update_fields=["due_on", "renewals"])
    copy_event(copy, CopyEvent.Kind.RENEWED, actor=actor, space=space, at=now)
    _audit_copy(actor, copy, copy.status, "renewed")
    return Outcome(
        "renew",
        _("“%(title)s” renewed, due back %(due)s.") % {"title": copy.record.title, "due": _day(loan.due_on)},
        copy.barcode,
        copy.pk,
        loan.pk,
        due_on=loan.due_on.isoformat(),
        status=copy.status,
    )


def loan_renew(*, actor, space, barcode: str, idempotency_key: str = "", now=None) -> Outcome:
    with transaction.atomic():
        return _once(
            space.city_id,
            idempotency_key,
            "renew",
            lambda: renew(actor=actor, space=space, barcode=barcode, now=now),
        )


# ------------------------------------------------------------------------------------------ cards and holds
def may_act_for(actor, borrower: Borrower, space=None) -> bool:
    """The borrower herself (her linked account), or staff who may lend at the bookcase in question."""
    if actor is not None and getattr(actor, "is_authenticated", False) and borrower.user_id == actor.pk:
        return True
    if space is not None:
        return can_lend_at(actor, space)
    return can_catalogue(actor, borrower.city_id)


@transaction.atomic
def borrower_register(
    *, actor, learner, card_code: str = "", user=None, keep_history: bool = False, home_space=None
) -> Borrower:
    """A library card for a person of the city who consented to take part."""
    if not can_lend_somewhere(actor, learner.city_id):
        raise DomainError(_("You may not issue library cards in this city."), code="forbidden")
    if home_space is not None and (
        home_space.city_id != learner.city_id or not can_lend_at(actor, home_space)
    ):
        raise DomainError(_("Choose a bookcase where you lend."), field="home_space")
    existing = Borrower.objects.filter(learner=learner).first()
    if existing is not None:
        return existing
    if "participation" not in learner_consents_active(learner=learner):
        raise DomainError(
            _("%(name)s has not consented to take part: record the consent before issuing a card.")
            % {"name": learner.full_name},
            field="learner",
        )
    code = (card_code or learner.code).strip().upper()[:20]
    if Borrower.objects.filter(city_id=learner.city_id, card_code=code).exists():
        raise DomainError(_("Card code %(code)s is already in use.") % {"code": code}, field="card_code")
    if user is not None and Borrower.objects.filter(user=user).exists():
        raise DomainError(_("This account already has a library card."), field="user")
    borrower = Borrower.objects.create(
        city_id=learner.city_id,
        learner=learner,
        card_code=code,
        user=user,
        keep_history=keep_history,
        home_space=home_space,
    )
    audit.record_create(actor=actor, obj=borrower)
    return borrower


@transaction.atomic
def borrower_update(*, actor, borrower: Borrower, keep_history: bool) -> Borrower:
    """The person herself (or the library's staff) chooses whether her returned loans stay linked to her."""
    if not may_act_for(actor, borrower):
        raise DomainError(_("Only the card holder or the library's staff may change this."), code="forbidden")
    before = audit.snapshot(borrower)
    borrower.keep_history = keep_history
    borrower.save(update_fields=["keep_history", "updated_at"])
    if not keep_history:
        Loan.objects.filter(borrower=borrower, returned_at__isnull=False).update(borrower=None)
    audit.record_update(actor=actor, obj=borrower, before=before)
    return borrower


def _place_hold(*, actor, record: Record, borrower: Borrower, pickup, now) -> Outcome:
    if pickup.city_id != record.city_id or borrower.city_id != record.city_id:
        raise DomainError(_("Choose a bookcase of this city."), field="pickup")
    if not may_act_for(actor, borrower, pickup):
        raise DomainError(
            _(
                "Only the card holder, or a volunteer of the bookcase where it is collected, may reserve for them."
            ),
            code="forbidden",
        )
    _check_consent(borrower)
    held = Hold.objects.filter(record=record, borrower=borrower, status__in=ACTIVE_HOLDS).first()
    if held is not None:
        return Outcome(
            "hold",
            _("“%(title)s” is already reserved for you.") % {"title": record.title},
            hold_id=held.pk,
            status=held.status,
            repeated=True,
        )
    taken = Hold.objects.filter(status__in=ACTIVE_HOLDS, copy__isnull=False).values("copy_id")
    free = (
        Copy.objects.select_for_update(of=("self",))
        .filter(record=record, status=CopyStatus.AVAILABLE)
        .exclude(pk__in=taken)
        .select_related("current")
    )
    here = free.filter(current=pickup).first()
    copy = here or free.order_by("pk").first()
    hold = Hold(city_id=record.city_id, record=record, borrower=borrower, pickup=pickup, copy=copy)
    if copy is None:
        hold.status = HoldStatus.WAITING
        message = _("“%(title)s” is reserved: the next copy to come back goes to %(place)s.")
    elif here is not None:
        hold.status, hold.ready_at = HoldStatus.READY, now
        message = _("“%(title)s” is on the shelf at %(place)s and kept for you.")
    else:
        hold.status = HoldStatus.IN_TRANSIT
        before = copy.status
        copy.status, copy.transit_to = CopyStatus.IN_TRANSIT, pickup
        copy.save(update_fields=["status", "transit_to", "updated_at"])
        copy_event(copy, CopyEvent.Kind.SENT, actor=actor, space=copy.current, at=now)
        _audit_copy(actor, copy, before, "sent for a hold")
        message = _("“%(title)s” is reserved and on its way to %(place)s.")
    hold.save()
    audit.record_create(actor=actor, obj=hold)
    return Outcome(
        "hold",
        message % {"title": record.title, "place": pickup.name},
        copy.barcode if copy else "",
        copy.pk if copy else None,
        hold_id=hold.pk,
        status=hold.status,
    )


def hold_place(
    *, actor, record: Record, borrower: Borrower, pickup, idempotency_key: str = "", now=None
) -> Outcome:
    now = now or timezone.now()
    with transaction.atomic():
        return _once(
            record.city_id,
            idempotency_key,
            "hold",
            lambda: _place_hold(actor=actor, record=record, borrower=borrower, pickup=pickup, now=now),
        )


@transaction.atomic
def hold_cancel(*, actor, hold: Hold) -> Hold:
    if not may_act_for(actor, hold.borrower, hold.pickup):
        raise DomainError(
            _("Only the card holder or the bookcase's volunteers may cancel this."), code="forbidden"
        )
    if hold.status not in ACTIVE_HOLDS:
        return hold
    before = audit.snapshot(hold)
    copy = hold.copy
    hold.status = HoldStatus.CANCELLED
    hold.save(update_fields=["status", "updated_at"])
    if copy is not None and copy.status == CopyStatus.IN_TRANSIT and copy.transit_to_id == hold.pickup_id:
        # Not sent yet or already travelling: it stays where it is recorded and becomes free again.
        copy.status, copy.transit_to = CopyStatus.AVAILABLE, None
        copy.save(update_fields=["status", "transit_to", "updated_at"])
    audit.record_update(actor=actor, obj=hold, before=before)
    return hold
