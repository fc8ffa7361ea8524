"""Writes of the field app: devices (register, contact, sign out) and the sync that applies a phone's actions.

Each action is applied once: the handler (a domain app's `field_actions.FIELD_ACTIONS`) and the row that records
its key run in one transaction, and the key is unique in the city, so a resent action (a lost answer, two tabs,
a replay) finds its row and is answered with the first result, never applied twice. A refusal (`DomainError`)
rolls the action back and is answered as a conflict with its code and reason; the next actions are still applied.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import json
import re
from functools import cache
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError
from learningcity.core.permissions import is_city_admin, is_staff_of
from learningcity.core.registry import app_modules

from .models import AppliedAction, Device

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
CLOCK_TOLERANCE = dt.timedelta(minutes=10)
MAX_ACTIONS = 200


def keep_days() -> int:
    """How long a phone may keep its data without contact (and how old an action may be)."""
    return int(getattr(settings, "FIELDWORK_KEEP_DAYS", 14))


def key_keep_days() -> int:
    """How long the key of an applied action is kept (`FIELDWORK_KEY_KEEP_DAYS`, default 60, never less than the
    keep period + 7). An action made longer ago than this is refused as `expired` whatever the phone says (no
    "send anyway"): its key may have been pruned, so the server could no longer tell a resend from a new action."""
    return max(int(getattr(settings, "FIELDWORK_KEY_KEEP_DAYS", 60)), keep_days() + 7)


@cache
def action_handlers() -> dict[str, Any]:
    handlers: dict[str, Any] = {}
    for module in app_modules("field_actions"):
        handlers.update(getattr(module, "FIELD_ACTIONS", {}))
    return handlers


@cache
def _wants_action(handler) -> bool:
    """Whether a handler takes the `action` context (its key and time), the optional part of the contract."""
    return "action" in inspect.signature(handler).parameters


def _action_context(action: dict, skew: dt.timedelta, now: dt.datetime) -> dict:
    """What a handler may want besides the payload: the idempotency key (to hand to its own service, so a
    service keyed by it applies once too) and when the action was made, by the server's clock (the phone's time
    corrected by its clock error, never later than now)."""
    made_at = action.get("made_at")
    made = min(made_at + skew, now) if made_at is not None else now
    return {"key": action["key"], "kind": action["kind"], "made_at": made}


@transaction.atomic
def device_register(*, actor, city, label: str = "") -> Device:
    if not is_staff_of(actor, city):
        raise DomainError(_("You have no role in this city."), code="forbidden")
    device = Device.objects.create(
        city=city, user=actor, label=label.strip()[:120], last_seen_at=timezone.now()
    )
    audit.record_create(actor=actor, obj=device)
    return device


def device_contact(*, device: Device, bundle: bool = False) -> None:
    """The phone called: note when (at most once a minute unless it took a new bundle)."""
    now = timezone.now()
    fields: dict[str, Any] = {}
    if device.last_seen_at is None or now - device.last_seen_at > dt.timedelta(minutes=1):
        fields["last_seen_at"] = now
    if bundle:
        fields["bundle_at"] = now
    if fields:
        Device.objects.filter(pk=device.pk).update(**fields)
        for name, value in fields.items():
            setattr(device, name, value)


@transaction.atomic
def device_sign_out(*, actor, device: Device) -> Device:
    """A lost phone: its next contact is refused and told to wipe what it kept."""
    if not is_city_admin(actor, device.city_id):
        raise DomainError(_("Only a city administrator may sign a device out."), code="forbidden")
    if device.signed_out_at is None:
        before = audit.snapshot(device)
        device.signed_out_at = timezone.now()
        device.signed_out_by = actor
        device.save(update_fields=["signed_out_at", "signed_out_by"])
        audit.record_update(actor=actor, obj=device, before=before, note="signed out")
    return device


def device_wiped(*, device: Device) -> None:
    """The signed-out phone made contact and was told to wipe (the first time is kept)."""
    Device.objects.filter(pk=device.pk, wiped_at__isnull=True).update(wiped_at=timezone.now())


def _digest(action: dict) -> str:
    text = json.dumps(
        {"kind": action["kind"], "payload": action["payload"], "made_at": str(action.get("made_at") or "")},
        sort_keys=True,
        ensure_ascii=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _conflict(key: str, code: str, reason: str, resolution: dict | None = None) -> dict:
    return {"key": key, "status": "conflict", "code": code, "reason": reason, "resolution": resolution}


def _clock_refusal(action: dict, skew: dt.timedelta, now: dt.datetime) -> str | None:
    made_at = action.get("made_at")
    if made_at is None or action["payload"].get("confirm_clock"):
        return None
    made = made_at + skew  # the phone's time, corrected by how far its clock is off now
    if made > now + CLOCK_TOLERANCE:
        return _("This was recorded at a time after it was sent: the phone's clock was wrong.")
    if made < now - dt.timedelta(days=keep_days() + 1):
        return _("This was recorded more than %(days)s days ago, or the phone's clock was wrong.") % {
            "days": keep_days()
        }
    return None


def _resolve_refs(device: Device, payload: dict) -> dict | None:
    """`refs` {field: key of an earlier action}: the id that action created (a newcomer), or None if not applied."""
    refs = payload.get("refs") or {}
    if not refs:
        return payload
    if not isinstance(refs, dict):
        return None
    resolved = dict(payload)
    for field, key in refs.items():
        row = AppliedAction.objects.filter(city_id=device.city_id, device=device, key=str(key)).first()
        if row is None or "id" not in row.result:
            return None
        resolved[str(field)] = row.result["id"]
    return resolved


def _applied(city_id: int, key: str) -> AppliedAction | None:
    return AppliedAction.objects.filter(city_id=city_id, key=key).first()


def _answer_to_resend(device: Device, key: str, digest: str, existing: AppliedAction) -> dict:
    if existing.device_id != device.pk:
        return _conflict(key, "replayed", _("This action was already sent from another device."))
    if existing.digest != digest:
        return _conflict(
            key, "altered", _("This action was changed after it was applied: it was not applied again.")
        )
    return {"key": key, "status": "duplicate", "result": existing.result}


def _apply_one(
    *, device: Device, user, action: dict, skew: dt.timedelta, now: dt.datetime, memo: dict
) -> dict:
    key = action["key"]
    if not KEY_PATTERN.match(key):
        return _conflict(key, "invalid", _("The action has no valid key."))
    digest = _digest(action)
    existing = _applied(device.city_id, key)
    if existing is not None:
        return _answer_to_resend(device, key, digest, existing)
    handler = action_handlers().get(action["kind"])
    if handler is None:
        return _conflict(key, "unknown", _("This kind of action is not known here."))
    made_at = action.get("made_at")
    if made_at is None:
        return _conflict(key, "invalid", _("The action has no time: it cannot be checked against a resend."))
    if made_at + skew < now - dt.timedelta(days=key_keep_days()):
        return _conflict(
            key,
            "expired",
            _(
                "This was recorded more than %(days)s days ago: the server no longer keeps what would show whether it "
                "was already applied. Send it as new only if you are sure it was not."
            )
            % {"days": key_keep_days()},
        )
    refusal = _clock_refusal(action, skew, now)
    if refusal:
        return _conflict(key, "clock", refusal)
    payload = _resolve_refs(device, action["payload"])
    if payload is None:
        return _conflict(key, "depends", _("This depends on an earlier action that was not applied."))
    try:
        with transaction.atomic():
            extra = {"action": _action_context(action, skew, now)} if _wants_action(handler) else {}
            result = handler(city=device.city, user=user, payload=payload, memo=memo, **extra)
            AppliedAction.objects.create(
                city_id=device.city_id,
                device=device,
                user=user,
                key=key,
                kind=action["kind"],
                digest=digest,
                made_at=action.get("made_at"),
                result=result,
            )
    except IntegrityError:  # the same key, applied meanwhile by a concurrent request: ours rolled back
        first = _applied(device.city_id, key)
        return _answer_to_resend(device, key, digest, first) if first else _conflict(key, "invalid", "")
    except DomainError as exc:
        # A concurrent request with the same key may have committed between our first look and the handler,
        # whose refusal then only says "already done" (a newcomer now a member): answer as a resend.
        first = _applied(device.city_id, key)
        if first is not None:
            return _answer_to_resend(device, key, digest, first)
        return _conflict(key, exc.code, exc.message, getattr(exc, "resolution", None))
    return {"key": key, "status": "applied", "result": result}


def applied_actions_prune(*, now: dt.datetime | None = None, batch: int = 5000) -> int:
    """Forget the keys of actions applied more than `key_keep_days()` ago (a scheduled task / `manage.py
    fieldwork_prune`). Safe: an action that old is refused as `expired` before its key is looked for, so a
    pruned key is never applied again. Deletes in batches (short transactions); returns how many went."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=key_keep_days())
    total = 0
    while True:
        ids = list(
            AppliedAction.objects.filter(applied_at__lt=cutoff)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return total
        total += AppliedAction.objects.filter(pk__in=ids).delete()[0]


def sync_apply(*, device: Device, user, actions: list[dict], sent_at: dt.datetime | None) -> dict:
    """Apply a phone's waiting actions in order; each answer is applied, duplicate (sent before) or conflict."""
    if device.user_id != user.pk:
        raise DomainError(_("This phone was prepared by another person."), code="forbidden")
    if len(actions) > MAX_ACTIONS:
        raise DomainError(_("Send at most %(n)s actions at a time.") % {"n": MAX_ACTIONS}, field="actions")
    now = timezone.now()
    skew = now - sent_at if sent_at else dt.timedelta(0)
    memo: dict = {}
    results = [_apply_one(device=device, user=user, action=a, skew=skew, now=now, memo=memo) for a in actions]
    device_contact(device=device)
    return {"results": results, "clock_skew_seconds": int(skew.total_seconds())}
