"""Lending and taking back books offline: the library's `field_actions` through the sync API."""

import uuid

import pytest
from django.utils import timezone

from learningcity.core.models import RoleAssignment
from learningcity.library import services as library
from learningcity.library.models import CirculationKey, Copy, CopyStatus, Loan
from learningcity.programmes.models import Consent

from .conftest import API

pytestmark = pytest.mark.django_db


def act(kind, payload, key=None):
    return {"key": key or uuid.uuid4().hex, "kind": f"library.{kind}", "payload": payload,
            "made_at": timezone.now().isoformat()}  # fmt: skip


def send(phone, actions):
    client, headers = phone
    body = {"sent_at": timezone.now().isoformat(), "actions": actions}
    response = client.post(f"{API}/sync", body, content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_bundle_keeps_her_bookcase_only_and_no_personal_details(phone, shelves, books, cards, librarian):
    library.loan_lend(actor=librarian, space=shelves["meban"], barcode="SL000001", borrower=cards[0])
    client, headers = phone
    data = client.get(f"{API}/bundle", **headers).json()
    kept = data["sections"]["library"]
    assert [b["id"] for b in kept["bookcases"]] == [shelves["meban"].pk]
    assert {c["barcode"] for c in kept["copies"]} == {"SL000001", "SL000002", "SL000003"}
    assert [(ln["card"], ln["bookcase"]) for ln in kept["loans"]] == [("LT900001", shelves["meban"].pk)]
    assert kept["borrowers"] == [{"card": "LT900001", "name": "Cầm Thị Xuân"}]
    text = str(kept)
    for secret in ("birth_year", "sex", "ethnicity", "disability", "1990", "Lò Văn Hải"):
        assert secret not in text
    assert "library.lend" in data["actions"]
    assert "library.return" in data["actions"]


def test_resident_phone_keeps_no_library(client, city, people, shelves, books):
    client.force_login(people["resident"])
    assert client.post(f"{API}/devices", {}, content_type="application/json").status_code in (401, 403)


def test_lend_then_return_offline_applied_once_with_refs(phone, shelves, books, cards):
    space = shelves["meban"].pk
    lend = act("lend", {"space_id": space, "barcode": "sl000002", "card_code": "lt900002"})
    back = act(
        "return", {"space_id": space, "barcode": "SL000002", "loan_id": 0, "refs": {"loan_id": lend["key"]}}
    )
    first = send(phone, [lend, back])
    assert [r["status"] for r in first] == ["applied", "applied"], first
    loan = Loan.objects.get(copy__barcode="SL000002")
    assert first[0]["result"]["id"] == loan.pk
    assert loan.returned_at is not None
    assert CirculationKey.objects.filter(key=lend["key"], action="lend").exists()
    again = send(phone, [lend, back])
    assert [r["status"] for r in again] == ["duplicate", "duplicate"]
    assert Loan.objects.filter(copy__barcode="SL000002").count() == 1
    assert Copy.objects.get(barcode="SL000002").status == CopyStatus.AVAILABLE


def test_return_already_taken_back_elsewhere_is_a_conflict_then_keep_mine(
    phone, shelves, books, cards, librarian
):
    library.loan_lend(actor=librarian, space=shelves["meban"], barcode="SL000001", borrower=cards[0])
    loan = Loan.objects.get(copy__barcode="SL000001")
    library.loan_return(actor=librarian, space=shelves["tohieu"], barcode="SL000001")  # meanwhile, in town
    payload = {"space_id": shelves["meban"].pk, "barcode": "SL000001", "loan_id": loan.pk}
    [result] = send(phone, [act("return", payload)])
    assert result["status"] == "conflict"
    assert result["code"] == "changed"
    assert "Tô Hiệu" in result["reason"]
    [result] = send(phone, [act("return", payload | {"force": True})])
    assert result["status"] == "applied"
    assert Copy.objects.get(barcode="SL000001").current_id == shelves["meban"].pk


def test_each_refusal_has_its_code_and_the_rest_is_applied(phone, city, shelves, books, cards, librarian):
    space = shelves["meban"].pk
    library.copy_set_status(actor=librarian, copy=Copy.objects.get(barcode="SL000003"), status="withdrawn")
    library.loan_lend(actor=librarian, space=shelves["meban"], barcode="SL000001", borrower=cards[0])
    Consent.objects.filter(learner=cards[1].learner).update(withdrawn_at=timezone.now())
    results = send(
        phone,
        [
            act("lend", {"space_id": space, "barcode": "SL000003", "card_code": "LT900001"}),
            act("return", {"space_id": space, "barcode": "SL000003"}),
            act("lend", {"space_id": space, "barcode": "SL000001", "card_code": "LT900002"}),
            act("lend", {"space_id": space, "barcode": "SL000002", "card_code": "LT900002"}),
            act("lend", {"space_id": space, "barcode": "SL000002", "card_code": "LT999999"}),
            act("lend", {"space_id": space, "barcode": "NOPE", "card_code": "LT900001"}),
            act("lend", {"space_id": shelves["tohieu"].pk, "barcode": "SL000009", "card_code": "LT900001"}),
            act("lend", {"space_id": space, "barcode": "SL000002", "card_code": "LT900001"}),
        ],
    )
    codes = [r.get("code") or r["status"] for r in results]
    assert codes == ["withdrawn", "withdrawn", "on_loan", "blocked", "gone", "gone", "forbidden", "applied"]
    assert all(r["reason"] for r in results if r["status"] == "conflict")
    assert Loan.objects.filter(returned_at__isnull=True).count() == 2


def test_role_taken_away_refuses_and_empties_the_bundle(phone, people, shelves, books, cards):
    shelves["meban"].coordinators.remove(people["space_coordinator"])
    RoleAssignment.objects.filter(user=people["space_coordinator"]).delete()
    client, headers = phone
    assert "library" not in client.get(f"{API}/bundle", **headers).json()["sections"]
    [result] = send(
        phone,
        [act("lend", {"space_id": shelves["meban"].pk, "barcode": "SL000002", "card_code": "LT900001"})],
    )
    assert result["code"] == "forbidden"
    assert not Loan.objects.exists()
