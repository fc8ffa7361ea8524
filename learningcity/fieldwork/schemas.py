import datetime as dt
from typing import Any

from ninja import Field, Schema


class DeviceIn(Schema):
    label: str = Field("", max_length=120)


class DeviceOut(Schema):
    device: str
    registered_at: dt.datetime
    keep_days: int


class DeviceStatusOut(Schema):
    device: str
    active: bool
    bundle_at: dt.datetime | None
    keep_days: int


class BundleOut(Schema):
    city: str
    user: str
    generated_at: dt.datetime
    expires_at: dt.datetime
    keep_days: int
    actions: list[str]
    sections: dict[str, Any]


class ActionIn(Schema):
    key: str = Field(
        ...,
        min_length=1,
        max_length=64,
        description="Idempotency key made on the phone (8-64 of A-Z a-z 0-9 _ -).",
    )
    kind: str = Field(..., max_length=60, description="e.g. programmes.attendance")
    payload: dict[str, Any]
    made_at: dt.datetime | None = Field(None, description="When it was done, by the phone's clock.")


class SyncIn(Schema):
    sent_at: dt.datetime | None = Field(
        None, description="The phone's clock when sending (to correct made_at)."
    )
    actions: list[ActionIn] = Field(..., max_length=200)


class ActionResult(Schema):
    key: str
    status: str = Field(..., description="applied, duplicate (applied before, not again) or conflict")
    result: dict[str, Any] | None = None
    code: str | None = Field(
        None, description="Conflict kind: cancelled, merged, erased, forbidden, changed, ..."
    )
    reason: str | None = None
    resolution: dict[str, Any] | None = None


class SyncOut(Schema):
    results: list[ActionResult]
    clock_skew_seconds: int


class GoneOut(Schema):
    detail: str
    wipe: bool = True
