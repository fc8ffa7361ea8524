"""Libraries API under /api/v1/: the catalogue for everyone; loans, returns, renewals and holds with a token or
the session, under the same permissions as the pages (services check them). Thin."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router

from learningcity.core.api_auth import api_city_get, token_or_session
from learningcity.core.errors import DomainError
from learningcity.core.schemas import ErrorOut
from learningcity.core.tenancy import city_get

from . import selectors, services
from .models import Borrower, Record
from .schemas import HoldIn, LoanIn, OutcomeOut, RecordDetailOut, RecordPage, RecordQuery, RenewIn, ReturnIn

router = Router(tags=["library"])


def _record_out(r: Record) -> dict:
    return {
        "id": r.pk,
        "title": r.title,
        "subtitle": r.subtitle,
        "title_romanised": r.title_romanised,
        "authors": r.author_list,
        "publisher": r.publisher,
        "year": r.year,
        "edition": r.edition,
        "languages": r.language_codes,
        "subjects": r.subject_list,
        "classification": r.classification,
        "audience": r.audience,
        "format": r.format,
        "isbn": r.isbn,
    }


def _place(space) -> dict | None:
    if space is None:
        return None
    return {"id": space.pk, "name": space.name, "lat": space.lat, "lon": space.lon}


@router.get("/cities/{slug}/library/records", response=RecordPage, summary="Search the city's catalogue")
def records(request, slug: str, query: Query[RecordQuery]):
    city = city_get(slug)
    filters = selectors.RecordFilters(
        q=query.q,
        language=query.language,
        audience=query.audience,
        format=query.format,
        subject=query.subject,
        bookcase=query.bookcase,
        available=query.available,
    )
    result = selectors.record_search(city=city, filters=filters, offset=query.offset, limit=query.limit)
    return {
        "count": result.total,
        "capped": result.capped,
        "facets_sampled": result.sampled,
        "items": [_record_out(r) for r in result.records],
        "facets": {
            name: [{"value": v, "label": label, "count": n} for v, label, n in values]
            for name, values in result.facets.items()
        },
    }


@router.get(
    "/cities/{slug}/library/records/{record_id}",
    response=RecordDetailOut,
    summary="A record, its copies and where they are",
)
def record(request, slug: str, record_id: int):
    city = city_get(slug)
    r = selectors.record_get(city=city, record_id=record_id)
    copies = [
        {
            "barcode": c.barcode,
            "status": c.status,
            "home": _place(c.home),
            "current": _place(c.current),
            "transit_to": _place(c.transit_to),
        }
        for c in selectors.copies_of(record=r)
    ]
    holdings = [
        {"bookcase": _place(h.space), "copies": h.copies, "available": h.available}
        for h in selectors.holdings(record=r)
    ]
    return {**_record_out(r), "copies": copies, "holdings": holdings}


def _space(request, slug: str, space_id: int):
    city = api_city_get(request, slug)
    return city, selectors.bookcase_get(city=city, space_id=space_id)


def _card(city, code: str) -> Borrower:
    card = (
        Borrower.objects.for_city(city)
        .select_related("learner")
        .filter(card_code=code.strip().upper())
        .first()
    )
    if card is None:
        raise DomainError(
            _("No library card has the code “%(code)s”.") % {"code": code[:20]}, field="card_code"
        )
    return card


WRITE = {200: OutcomeOut, 400: ErrorOut, 403: ErrorOut}


@router.post(
    "/cities/{slug}/library/loans", response=WRITE, auth=token_or_session, summary="Lend a copy at a bookcase"
)
def lend(request, slug: str, payload: LoanIn):
    city, space = _space(request, slug, payload.space_id)
    if not selectors.may_lend_at(request.user, space):
        raise DomainError(_("You may not lend at this bookcase."), code="forbidden")
    outcome = services.loan_lend(
        actor=request.user,
        space=space,
        barcode=payload.barcode,
        borrower=_card(city, payload.card_code),
        idempotency_key=payload.idempotency_key,
    )
    return outcome.as_dict()


@router.post(
    "/cities/{slug}/library/returns", response=WRITE, auth=token_or_session, summary="Take a copy back"
)
def take_back(request, slug: str, payload: ReturnIn):
    _, space = _space(request, slug, payload.space_id)
    outcome = services.loan_return(
        actor=request.user,
        space=space,
        barcode=payload.barcode,
        send_home=payload.send_home,
        idempotency_key=payload.idempotency_key,
    )
    return outcome.as_dict()


@router.post("/cities/{slug}/library/renewals", response=WRITE, auth=token_or_session, summary="Renew a loan")
def renew(request, slug: str, payload: RenewIn):
    _, space = _space(request, slug, payload.space_id)
    outcome = services.loan_renew(
        actor=request.user, space=space, barcode=payload.barcode, idempotency_key=payload.idempotency_key
    )
    return outcome.as_dict()


@router.post(
    "/cities/{slug}/library/holds",
    response=WRITE,
    auth=token_or_session,
    summary="Reserve a record: for your own card, or (staff of the pickup bookcase) for a reader's",
)
def hold(request, slug: str, payload: HoldIn):
    city, pickup = _space(request, slug, payload.pickup_id)
    if payload.card_code:
        if not selectors.may_lend_at(request.user, pickup):
            raise DomainError(
                _("Only a volunteer of the bookcase where it is collected may reserve for a reader."),
                code="forbidden",
            )
        borrower = _card(city, payload.card_code)
    else:
        own = selectors.borrower_of_user(city=city, user=request.user)
        if own is None:
            raise DomainError(_("Your account has no library card in this city."), code="forbidden")
        borrower = own
    r = selectors.record_get(city=city, record_id=payload.record_id)
    outcome = services.hold_place(
        actor=request.user,
        record=r,
        borrower=borrower,
        pickup=pickup,
        idempotency_key=payload.idempotency_key,
    )
    return outcome.as_dict()
