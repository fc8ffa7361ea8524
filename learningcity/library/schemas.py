from __future__ import annotations

from ninja import Field, Schema


class RecordQuery(Schema):
    q: str = Field("", max_length=200)
    language: str = Field("", max_length=8)
    audience: str = Field("", max_length=12)
    format: str = Field("", max_length=12)
    subject: str = Field("", max_length=100)
    bookcase: int | None = Field(None, ge=1, le=2**31 - 1)
    available: bool = False
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class RecordOut(Schema):
    id: int
    title: str
    subtitle: str
    title_romanised: str
    authors: list[str]
    publisher: str
    year: int | None
    edition: str
    languages: list[str]
    subjects: list[str]
    classification: str
    audience: str
    format: str
    isbn: str


class FacetOut(Schema):
    value: str
    label: str
    count: int


class RecordPage(Schema):
    count: int = Field(
        ...,
        description="Exact up to 1,000; `capped` true when there are more",
    )
    capped: bool
    facets_sampled: bool = Field(..., description="Facets count the first 500 matches only")
    items: list[RecordOut]
    facets: dict[str, list[FacetOut]]


class PlaceOut(Schema):
    id: int
    name: str
    lat: float | None
    lon: float | None


class CopyOut(Schema):
    barcode: str
    status: str
    home: PlaceOut
    current: PlaceOut
    transit_to: PlaceOut | None


class HoldingOut(Schema):
    bookcase: PlaceOut
    copies: int
    available: int


class RecordDetailOut(RecordOut):
    copies: list[CopyOut]
    holdings: list[HoldingOut]


class LoanIn(Schema):
    space_id: int = Field(..., ge=1, le=2**31 - 1)
    barcode: str = Field(..., min_length=1, max_length=64)
    card_code: str = Field(..., min_length=1, max_length=20)
    idempotency_key: str = Field("", max_length=80)


class ReturnIn(Schema):
    space_id: int = Field(..., ge=1, le=2**31 - 1)
    barcode: str = Field(..., min_length=1, max_length=64)
    send_home: bool = False
    idempotency_key: str = Field("", max_length=80)


class RenewIn(Schema):
    space_id: int = Field(..., ge=1, le=2**31 - 1)
    barcode: str = Field(..., min_length=1, max_length=64)
    idempotency_key: str = Field("", max_length=80)


class HoldIn(Schema):
    record_id: int = Field(..., ge=1, le=2**31 - 1)
    pickup_id: int = Field(..., ge=1, le=2**31 - 1)
    card_code: str = Field(
        "", max_length=20, description="Staff of the pickup bookcase only; empty: your own card"
    )
    idempotency_key: str = Field("", max_length=80)


class OutcomeOut(Schema):
    action: str
    message: str
    barcode: str
    copy_id: int | None
    loan_id: int | None
    hold_id: int | None
    due_on: str | None
    status: str
    repeated: bool
