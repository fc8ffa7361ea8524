"""What the library offers the field app (core.registry hook `field_actions`, contract in docs/fieldwork.md).

The bundle: for each bookcase where this person lends (`selectors.lending_spaces`, the rule of the lending
desk: its volunteers, its area's coordinators, librarians and administrators), the copies on its shelf or lent
from it, its open loans, and the card code and name of the borrowers who hold those loans or whose home bookcase
it is. Nothing else about a borrower leaves the server (no sex, year of birth, ethnicity, disability, account or
reading history), for any role: lending by card code needs none of it.

The actions go through the library's own services (`loan_lend`, `loan_return`: their permission checks, locks,
audit trail and loan tally), with the phone's idempotency key, so an action is applied once by the library as
well. Conflicts (a `DomainError` whose code names the kind): `gone` (no such bookcase, copy or card),
`forbidden` (she no longer lends there), `withdrawn` (the copy was withdrawn or lost), `changed` (the copy was
returned elsewhere, or lent again, since the phone was prepared: "Keep mine" takes it back here with `force`),
`on_loan` (lending a copy that is lent to another card: take it back first),
`held` (reserved for another reader), `blocked` (the card's holder withdrew consent), `limit` (the most a
person may borrow here).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from learningcity.core.errors import DomainError
from learningcity.programmes.selectors import learner_consents_active

from . import selectors
from .models import Borrower, Copy, CopyStatus, Hold, HoldStatus, Loan
from .rules import can_lend_at, can_lend_somewhere
from .services import loan_lend, loan_return
from .services.circulation import rules_for

MAX_BOOKCASES = 10  # a librarian may lend everywhere: her phone keeps the first ten, not the whole city
MAX_COPIES = 3000  # per bookcase
ACTIVE_HOLDS = (HoldStatus.WAITING, HoldStatus.IN_TRANSIT, HoldStatus.READY)
UNLENDABLE = (CopyStatus.LOST, CopyStatus.WITHDRAWN, CopyStatus.CATALOGUING)


class Conflict(DomainError):
    """A refusal with a way out: `resolution` says what the phone may do instead."""

    def __init__(self, message: str, *, code: str, resolution: dict):
        super().__init__(message, code=code)
        self.resolution = resolution


def field_bundle(*, city, user) -> dict | None:
    """The bookcases where this person lends, their copies, open loans and borrowers' cards (None: nothing)."""
    if not can_lend_somewhere(user, city):
        return None
    spaces = list(selectors.lending_spaces(user=user, city=city)[:MAX_BOOKCASES])
    if not spaces:
        return None
    space_ids = [s.pk for s in spaces]
    loans = list(
        Loan.objects.filter(city_id=city.pk, space_id__in=space_ids, returned_at__isnull=True)
        .order_by("due_on", "pk")
        .values("pk", "space_id", "copy_id", "borrower_id", "due_on")
    )
    lent_copies = {loan["copy_id"] for loan in loans}
    copies = []
    for space in spaces:
        copies += list(
            Copy.objects.filter(city_id=city.pk)
            .filter(
                Q(current_id=space.pk)
                | Q(pk__in=[ln["copy_id"] for ln in loans if ln["space_id"] == space.pk])
            )
            .exclude(status=CopyStatus.WITHDRAWN)
            .order_by("barcode")
            .values("pk", "barcode", "status", "current_id", "record__title")[:MAX_COPIES]
        )
    borrower_ids = {loan["borrower_id"] for loan in loans if loan["borrower_id"]}
    borrowers = (
        Borrower.objects.filter(city_id=city.pk)
        .filter(Q(pk__in=borrower_ids) | Q(home_space_id__in=space_ids))
        .order_by("card_code")
        .values_list("pk", "card_code", "learner__full_name")
    )
    cards = {pk: code for pk, code, _name in borrowers}
    return {
        "bookcases": [{"id": s.pk, "name": s.name} for s in spaces],
        "copies": [
            {
                "id": c["pk"],
                "barcode": c["barcode"],
                "title": c["record__title"],
                "status": c["status"],
                "at": c["current_id"],
                "lent": c["pk"] in lent_copies,
            }
            for c in copies
        ],
        "loans": [
            {
                "id": loan["pk"],
                "bookcase": loan["space_id"],
                "copy": loan["copy_id"],
                "card": cards.get(loan["borrower_id"], ""),
                "due_on": loan["due_on"].isoformat(),
            }
            for loan in loans
        ],
        "borrowers": [{"card": code, "name": name} for _pk, code, name in borrowers],
    }


def _int(payload: dict, name: str) -> int:
    value = payload.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(_("The action is malformed: “%(field)s” is missing.") % {"field": name}, field=name)
    return value


def _text(payload: dict, name: str) -> str:
    value = str(payload.get(name) or "").strip().upper()[:32]
    if not value:
        raise DomainError(_("The action is malformed: “%(field)s” is missing.") % {"field": name}, field=name)
    return value


def _bookcase(city, user, payload: dict, memo: dict):
    space_id = _int(payload, "space_id")
    space = selectors.bookcases(city=city).filter(pk=space_id).first()
    if space is None:
        raise DomainError(_("This bookcase no longer exists."), code="gone")
    allowed = memo.setdefault("bookcases", {})
    if space.pk not in allowed:
        allowed[space.pk] = can_lend_at(user, space)
    if not allowed[space.pk]:
        raise DomainError(
            _("You no longer lend at %(place)s.") % {"place": space.name},
            code="forbidden",
        )
    return space


def _copy(city, barcode: str) -> Copy:
    copy = Copy.objects.filter(city_id=city.pk, barcode=barcode).select_related("record", "current").first()
    if copy is None:
        raise DomainError(_("No copy has the barcode “%(code)s”.") % {"code": barcode}, code="gone")
    if copy.status in (CopyStatus.WITHDRAWN, CopyStatus.LOST):
        raise DomainError(
            _("“%(title)s” (%(code)s) is marked %(status)s since this phone was prepared.")
            % {"title": copy.record.title, "code": copy.barcode, "status": copy.get_status_display().lower()},
            code="withdrawn",
        )
    return copy


def _day(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "SHORT_DATE_FORMAT")


def _when(action: dict | None) -> dt.datetime | None:
    """When it happened by the server's clock (fieldwork corrects the phone's); the services default to now."""
    return action.get("made_at") if action else None


def lend_action(*, city, user, payload: dict, memo: dict, action: dict | None = None) -> dict:
    """{space_id, barcode, card_code}: `loan_lend`, keyed by the action's key. Lending a copy already lent to
    the same card changes nothing."""
    space = _bookcase(city, user, payload, memo)
    barcode, card_code = _text(payload, "barcode"), _text(payload, "card_code")
    borrower = Borrower.objects.filter(city_id=city.pk, card_code=card_code).select_related("learner").first()
    if borrower is None:
        raise DomainError(_("No library card has the code %(card)s.") % {"card": card_code}, code="gone")
    copy = _copy(city, barcode)
    title = copy.record.title
    if copy.status == CopyStatus.CATALOGUING:
        raise DomainError(
            _("“%(title)s” (%(code)s) is being catalogued: it cannot be lent yet.")
            % {"title": title, "code": copy.barcode},
            code="withdrawn",
        )
    if copy.status == CopyStatus.ON_LOAN:
        loan = Loan.objects.filter(copy=copy, returned_at__isnull=True).select_related("borrower").first()
        if loan is not None and loan.borrower_id != borrower.pk:
            raise DomainError(
                _(
                    "“%(title)s” (%(code)s) is already lent to another card, due back %(due)s: take it back first."
                )
                % {"title": title, "code": copy.barcode, "due": _day(loan.due_on)},
                code="on_loan",
            )
    hold = Hold.objects.filter(copy=copy, status__in=ACTIVE_HOLDS).select_related("pickup").first()
    if hold is not None and hold.borrower_id != borrower.pk:
        raise DomainError(
            _("“%(title)s” (%(code)s) is reserved for another reader at %(place)s: keep it for them.")
            % {"title": title, "code": copy.barcode, "place": hold.pickup.name},
            code="held",
        )
    if "participation" not in learner_consents_active(learner=borrower.learner):
        raise DomainError(
            _("Card %(card)s is blocked: its holder has not given (or has withdrawn) consent to take part.")
            % {"card": borrower.card_code},
            code="blocked",
        )
    if copy.status != CopyStatus.ON_LOAN:
        most = rules_for(space)["max_loans"]
        if Loan.objects.filter(borrower=borrower, returned_at__isnull=True).count() >= most:
            raise DomainError(
                _("%(card)s already has %(n)s books, the most this bookcase lends to one person.")
                % {"card": borrower.card_code, "n": most},
                code="limit",
            )
    outcome = loan_lend(
        actor=user,
        space=space,
        barcode=barcode,
        borrower=borrower,
        idempotency_key=(action or {}).get("key", ""),
        now=_when(action),
    )
    return {
        "id": outcome.loan_id,
        "copy": outcome.copy_id,
        "due_on": outcome.due_on,
        "message": outcome.message,
    }


def return_action(*, city, user, payload: dict, memo: dict, action: dict | None = None) -> dict:
    """{space_id, barcode, loan_id?, force?}: `loan_return`, keyed by the action's key. `loan_id` is the loan the
    phone saw open (or, through `refs`, the one it lent offline): refused as `changed` when that loan was closed
    at another bookcase, or the copy lent again, since; `force` takes the copy back here all the same (the book
    is in her hands). Taking back a copy already on this shelf changes nothing."""
    space = _bookcase(city, user, payload, memo)
    barcode = _text(payload, "barcode")
    copy = _copy(city, barcode)
    loan_id = payload.get("loan_id")
    if isinstance(loan_id, int) and not isinstance(loan_id, bool) and loan_id and not payload.get("force"):
        seen = Loan.objects.filter(pk=loan_id, copy=copy).select_related("returned_space").first()
        if seen is not None and seen.returned_at is not None and seen.returned_space_id != space.pk:
            place = seen.returned_space.name if seen.returned_space else "?"
            raise Conflict(
                _("“%(title)s” was already taken back at %(place)s on %(date)s.")
                % {"title": copy.record.title, "place": place, "date": _day(seen.returned_at)},
                code="changed",
                resolution={"place": place},
            )
        current = Loan.objects.filter(copy=copy, returned_at__isnull=True).first()
        if current is not None and current.pk != loan_id:
            raise DomainError(
                _("“%(title)s” was lent again on %(date)s since this phone was prepared.")
                % {"title": copy.record.title, "date": _day(current.lent_at)},
                code="changed",
            )
    outcome = loan_return(
        actor=user,
        space=space,
        barcode=barcode,
        idempotency_key=(action or {}).get("key", ""),
        now=_when(action),
    )
    return {
        "loan": outcome.loan_id,
        "copy": outcome.copy_id,
        "status": outcome.status,
        "hold": outcome.hold_id,
        "message": outcome.message,
    }


FIELD_ACTIONS: dict[str, Any] = {
    "library.lend": lend_action,
    "library.return": return_action,
}
