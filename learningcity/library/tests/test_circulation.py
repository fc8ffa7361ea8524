import datetime as dt

import pytest
from django.utils import timezone

from learningcity.core.errors import DomainError
from learningcity.library import selectors, services
from learningcity.library.models import Copy, Hold, Loan, LoanTally

from .conftest import make_learner

pytestmark = pytest.mark.django_db


def _copy(code):
    return Copy.objects.get(barcode=code)


def test_volunteer_lends_takes_back_and_renews_at_her_bookcase(city, people, shelves, book, card):
    volunteer, meban = people["space_coordinator"], shelves["meban"]
    out = services.loan_lend(actor=volunteer, space=meban, barcode=" sl000001 ", borrower=card)
    assert "lent to LT900001" in out.message
    assert not out.repeated
    assert _copy("SL000001").status == "on_loan"
    again = services.loan_lend(actor=volunteer, space=meban, barcode="SL000001", borrower=card)
    assert again.repeated
    assert Loan.objects.count() == 1  # the same scan twice does one thing
    renewed = services.loan_renew(actor=volunteer, space=meban, barcode="SL000001")
    loan = Loan.objects.get()
    assert loan.renewals == 1
    assert renewed.due_on == loan.due_on.isoformat()
    back = services.loan_return(actor=volunteer, space=meban, barcode="SL000001")
    assert "back on the shelf" in back.message
    twice = services.loan_return(actor=volunteer, space=meban, barcode="SL000001")
    assert twice.repeated
    assert "already back" in twice.message
    assert list(_copy("SL000001").events.order_by("pk").values_list("kind", flat=True)) == [
        "catalogued",
        "lent",
        "renewed",
        "returned",
    ]
    assert LoanTally.objects.get().loans == 1


def test_the_link_to_the_reader_goes_at_return_unless_she_keeps_history(city, people, shelves, book, card):
    volunteer, meban = people["space_coordinator"], shelves["meban"]
    services.loan_lend(actor=volunteer, space=meban, barcode="SL000001", borrower=card)
    services.loan_return(actor=volunteer, space=meban, barcode="SL000001")
    assert Loan.objects.get().borrower is None
    services.borrower_update(actor=people["resident"], borrower=card, keep_history=True)
    services.loan_lend(actor=volunteer, space=meban, barcode="SL000001", borrower=card)
    services.loan_return(actor=volunteer, space=meban, barcode="SL000001")
    assert Loan.objects.filter(borrower=card).count() == 1
    services.borrower_update(actor=people["resident"], borrower=card, keep_history=False)
    assert Loan.objects.filter(borrower=card).count() == 0


def test_clear_messages_and_nothing_changed(city, people, shelves, book, card, librarian):
    volunteer, meban = people["space_coordinator"], shelves["meban"]
    with pytest.raises(DomainError) as exc:
        services.loan_lend(actor=volunteer, space=meban, barcode="NOPE", borrower=card)
    assert exc.value.field == "barcode"
    assert "NOPE" in exc.value.message
    services.loan_lend(actor=volunteer, space=meban, barcode="SL000001", borrower=card)
    other = services.borrower_register(actor=librarian, learner=make_learner(city, code="LT900002"))
    with pytest.raises(DomainError) as exc:
        services.loan_lend(actor=volunteer, space=meban, barcode="SL000001", borrower=other)
    assert "already on loan" in exc.value.message
    services.copy_set_status(actor=librarian, copy=_copy("SL000002"), status="lost")
    with pytest.raises(DomainError) as exc:
        services.loan_lend(actor=volunteer, space=meban, barcode="SL000002", borrower=other)
    assert "lost" in exc.value.message
    services.rules_set(actor=volunteer, space=meban, loan_days=14, renewals=0, max_loans=1)
    services.copy_set_status(actor=librarian, copy=_copy("SL000002"), status="available")
    with pytest.raises(DomainError) as exc:
        services.loan_lend(actor=volunteer, space=meban, barcode="SL000002", borrower=card)
    assert "the most this bookcase lends" in exc.value.message
    assert exc.value.field == "borrower"
    with pytest.raises(DomainError) as exc:
        services.loan_renew(actor=volunteer, space=meban, barcode="SL000001")
    assert "renewed 0 times" in exc.value.message
    assert Loan.objects.count() == 1


def test_no_consent_no_card_and_no_loan(city, librarian, people, shelves, book, card):
    learner = make_learner(city, consent=False, code="LT900003")
    with pytest.raises(DomainError) as exc:
        services.borrower_register(actor=librarian, learner=learner)
    assert exc.value.field == "learner"
    card.learner.consents.update(withdrawn_at=timezone.now())
    with pytest.raises(DomainError) as exc:
        services.loan_lend(
            actor=people["space_coordinator"], space=shelves["meban"], barcode="SL000001", borrower=card
        )
    assert "consent" in exc.value.message
    assert Loan.objects.count() == 0


def test_only_volunteers_of_that_bookcase_lend(city, people, shelves, book, card):
    with pytest.raises(DomainError):
        services.loan_lend(
            actor=people["space_coordinator"], space=shelves["tohieu"], barcode="SL000002", borrower=card
        )
    with pytest.raises(DomainError):
        services.loan_lend(actor=people["viewer"], space=shelves["meban"], barcode="SL000001", borrower=card)
    assert Loan.objects.count() == 0


def test_idempotency_key_replays_the_first_answer(city, people, shelves, book, card):
    volunteer, meban = people["space_coordinator"], shelves["meban"]
    first = services.loan_lend(
        actor=volunteer, space=meban, barcode="SL000001", borrower=card, idempotency_key="k1"
    )
    services.loan_return(actor=volunteer, space=meban, barcode="SL000001", idempotency_key="k2")
    replay = services.loan_lend(
        actor=volunteer, space=meban, barcode="SL000001", borrower=card, idempotency_key="k1"
    )
    assert replay.repeated
    assert replay.loan_id == first.loan_id
    assert _copy("SL000001").status == "available"  # the replay lent nothing again
    assert Loan.objects.count() == 1


def test_floating_collection_and_send_home(city, people, shelves, book, card, librarian):
    services.loan_lend(actor=librarian, space=shelves["meban"], barcode="SL000001", borrower=card)
    services.loan_return(actor=librarian, space=shelves["tohieu"], barcode="SL000001")
    copy = _copy("SL000001")
    assert copy.current == shelves["tohieu"]
    assert copy.home == shelves["meban"]
    assert copy.status == "available"
    services.loan_lend(actor=librarian, space=shelves["tohieu"], barcode="SL000001", borrower=card)
    out = services.loan_return(actor=librarian, space=shelves["tohieu"], barcode="SL000001", send_home=True)
    copy.refresh_from_db()
    assert copy.status == "in_transit"
    assert copy.transit_to == shelves["meban"]
    assert "Send it home" in out.message
    arrived = services.loan_return(actor=librarian, space=shelves["meban"], barcode="SL000001")
    copy.refresh_from_db()
    assert copy.status == "available"
    assert copy.current == shelves["meban"]
    assert "arrived" in arrived.message


def test_resident_reserves_copy_travels_and_she_is_told(city, people, shelves, book, card, librarian):
    tohieu_copy = _copy("SL000002")
    services.loan_lend(
        actor=people["space_coordinator"], space=shelves["meban"], barcode="SL000001", borrower=card
    )
    out = services.hold_place(actor=people["resident"], record=book, borrower=card, pickup=shelves["meban"])
    hold = Hold.objects.get()
    assert hold.status == "in_transit"
    assert hold.copy == tohieu_copy
    assert "on its way" in out.message
    tohieu_copy.refresh_from_db()
    assert tohieu_copy.status == "in_transit"
    assert tohieu_copy.transit_to == shelves["meban"]
    assert tohieu_copy in selectors.desk(space=shelves["tohieu"])["to_send"]
    services.loan_return(actor=people["space_coordinator"], space=shelves["meban"], barcode="SL000002")
    hold.refresh_from_db()
    assert hold.status == "ready"
    assert selectors.my_library(borrower=card)["holds"] == [hold]
    other = services.borrower_register(actor=librarian, learner=make_learner(city, code="LT900004"))
    with pytest.raises(DomainError) as exc:
        services.loan_lend(
            actor=people["space_coordinator"], space=shelves["meban"], barcode="SL000002", borrower=other
        )
    assert "reserved for another reader" in exc.value.message
    services.loan_lend(
        actor=people["space_coordinator"], space=shelves["meban"], barcode="SL000002", borrower=card
    )
    hold.refresh_from_db()
    assert hold.status == "collected"


def test_nobody_reserves_in_someone_elses_name(city, people, shelves, book, card, librarian):
    stranger_card = services.borrower_register(
        actor=librarian, learner=make_learner(city, code="LT900005"), user=people["viewer"]
    )
    for actor in (people["viewer"], people["judge"], people["space_coordinator"]):
        with pytest.raises(DomainError):
            # Mé Ban's volunteer may reserve for a reader collecting at Mé Ban, not at Tô Hiệu.
            services.hold_place(actor=actor, record=book, borrower=card, pickup=shelves["tohieu"])
    assert stranger_card.pk
    assert Hold.objects.count() == 0
    services.hold_place(
        actor=people["space_coordinator"], record=book, borrower=card, pickup=shelves["meban"]
    )
    assert Hold.objects.get().status == "ready"  # a copy is on the shelf there: kept for her


def test_waiting_hold_takes_the_next_copy_back(city, people, shelves, book, card, librarian):
    other = services.borrower_register(actor=librarian, learner=make_learner(city, code="LT900006"))
    services.loan_lend(actor=librarian, space=shelves["meban"], barcode="SL000001", borrower=other)
    services.loan_lend(actor=librarian, space=shelves["tohieu"], barcode="SL000002", borrower=other)
    services.hold_place(actor=people["resident"], record=book, borrower=card, pickup=shelves["meban"])
    assert Hold.objects.get().status == "waiting"
    with pytest.raises(DomainError):
        services.loan_renew(actor=librarian, space=shelves["meban"], barcode="SL000001")
    out = services.loan_return(actor=librarian, space=shelves["tohieu"], barcode="SL000002")
    assert "send it to Ngôi nhà trí tuệ bản Mé Ban" in out.message
    assert Hold.objects.get().status == "in_transit"


def test_overdue_list_at_the_bookcase(city, people, shelves, book, card):
    past = timezone.now() - dt.timedelta(days=30)
    services.loan_lend(
        actor=people["space_coordinator"], space=shelves["meban"], barcode="SL000001", borrower=card, now=past
    )
    lists = selectors.desk(space=shelves["meban"])
    assert [loan.copy.barcode for loan in lists["overdue"]] == ["SL000001"]


def test_a_hold_is_cancelled_only_by_its_reader_or_the_pickup_bookcases_volunteers(
    city, people, shelves, book, card
):
    """The coordinator of Chiềng Cơi ward and Mé Ban's volunteer may not cancel a hold collected at Tô Hiệu."""
    services.hold_place(actor=people["resident"], record=book, borrower=card, pickup=shelves["tohieu"])
    hold = Hold.objects.get()
    status = hold.status
    for actor in (people["area_coordinator"], people["space_coordinator"], people["viewer"]):
        with pytest.raises(DomainError, match="may cancel"):
            services.hold_cancel(actor=actor, hold=hold)
    assert Hold.objects.get(pk=hold.pk).status == status
    services.hold_cancel(actor=people["resident"], hold=Hold.objects.get(pk=hold.pk))
    assert Hold.objects.get(pk=hold.pk).status == "cancelled"
