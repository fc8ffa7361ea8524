from __future__ import annotations

from decimal import Decimal

from ninja import Schema


class BudgetLineOut(Schema):
    id: int
    year: int
    phase: str
    code: str
    code_name: str
    cofog: str
    amount: Decimal
    currency: str = "VND"
    source: str
    spending_unit: str
    description: str
    programme_id: int | None
    space_id: int | None
    funded_kind: str
    funded_id: int | None


class ShareOut(Schema):
    phase: str
    education: Decimal
    total: Decimal
    percent: Decimal | None


class BudgetOut(Schema):
    count: int
    lines: list[BudgetLineOut]
    education_share: list[ShareOut]
