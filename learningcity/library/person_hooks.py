"""The library's part of a person's export, erasure and merge (programmes.services.learners calls these through
core.registry, so programmes imports nothing from the library)."""

from __future__ import annotations

from typing import Any

from learningcity.core import audit
from learningcity.core.models import AuditEntry

from .models import Borrower, Hold, Loan


def person_export(*, learner) -> dict[str, Any]:
    card = Borrower.objects.filter(learner=learner).first()
    if card is None:
        return {"library": None}
    loans = Loan.objects.filter(borrower=card).select_related("copy__record").order_by("lent_at")
    holds = Hold.objects.filter(borrower=card).select_related("record", "pickup").order_by("created_at")
    return {
        "library": {
            "card_code": card.card_code,
            "keep_history": card.keep_history,
            "loans": [
                {
                    "title": loan.copy.record.title,
                    "barcode": loan.copy.barcode,
                    "lent_at": loan.lent_at.isoformat(),
                    "due_on": loan.due_on.isoformat(),
                    "returned_at": loan.returned_at.isoformat() if loan.returned_at else None,
                }
                for loan in loans
            ],
            "holds": [
                {"title": h.record.title, "collect_at": h.pickup.name, "status": h.status} for h in holds
            ],
        }
    }


def person_erase(*, learner, actor=None) -> None:
    """Forget the card: loans keep their copy and dates without the person; holds go; counts stay."""
    card = Borrower.objects.filter(learner=learner).first()
    if card is None:
        return
    Loan.objects.filter(borrower=card).update(borrower=None)
    Hold.objects.filter(borrower=card).delete()
    trail = AuditEntry.objects.filter(object_type="library.borrower", object_id=str(card.pk))
    trail.update(changes={}, object_repr="")
    card.delete()


def person_merge(*, keep, duplicate, actor=None) -> None:
    """The duplicate's card, loans and holds move to the person kept."""
    dup_card = Borrower.objects.filter(learner=duplicate).first()
    if dup_card is None:
        return
    kept_card = Borrower.objects.filter(learner=keep).first()
    if kept_card is None:
        before = audit.snapshot(dup_card)
        dup_card.learner = keep
        dup_card.save(update_fields=["learner", "updated_at"])
        audit.record_update(actor=actor, obj=dup_card, before=before, note="person merged")
        return
    Loan.objects.filter(borrower=dup_card).update(borrower=kept_card)
    Hold.objects.filter(borrower=dup_card).update(borrower=kept_card)
    if dup_card.user_id and not kept_card.user_id:
        user_id = dup_card.user_id
        dup_card.user = None
        dup_card.save(update_fields=["user"])
        kept_card.user_id = user_id
        kept_card.save(update_fields=["user", "updated_at"])
    audit.record_delete(actor=actor, obj=dup_card, note=f"merged into card {kept_card.card_code}")
    dup_card.delete()
