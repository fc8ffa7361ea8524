"""The audit trail: services call these inside their transaction, so a change and its record land together."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models

from .models import AuditEntry

Snapshot = dict[str, Any]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model) -> Snapshot:
    """The object's own fields (foreign keys as ids), ready for JSON."""
    data: Snapshot = {}
    for field in obj._meta.concrete_fields:
        if field.name in {"created_at", "updated_at", "search_text", "path", "depth"}:
            continue
        data[field.attname] = _jsonable(getattr(obj, field.attname))
    return data


def _city_id(obj: models.Model) -> int | None:
    if obj._meta.label == "core.City":
        return obj.pk
    return getattr(obj, "city_id", None)


def _actor_fields(actor) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_name": "system"}
    return {"actor": actor, "actor_name": str(actor)[:200]}


def record(
    *, actor, action: str, obj: models.Model, changes: dict | None = None, note: str = "", city_id=None
) -> AuditEntry:
    return AuditEntry.objects.create(
        city_id=city_id if city_id is not None else _city_id(obj),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=changes or {},
        note=note[:300],
        **_actor_fields(actor),
    )


def record_create(*, actor, obj: models.Model, note: str = "") -> AuditEntry:
    after = snapshot(obj)
    return record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=obj,
        note=note,
        changes={k: [None, v] for k, v in after.items() if v not in (None, "", [], {})},
    )


def record_update(*, actor, obj: models.Model, before: Snapshot, note: str = "") -> AuditEntry | None:
    """Record the fields that changed since `before`; nothing is written when nothing changed."""
    after = snapshot(obj)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if not changes:
        return None
    return record(actor=actor, action=AuditEntry.Action.UPDATE, obj=obj, changes=changes, note=note)


def record_delete(*, actor, obj: models.Model, note: str = "") -> AuditEntry:
    before = snapshot(obj)
    return record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=obj,
        note=note,
        changes={k: [v, None] for k, v in before.items() if v not in (None, "", [], {})},
    )
