"""Budget API under /api/v1/: the city's budget lines (open fiscal data: public)."""

from __future__ import annotations

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from learningcity.core.tenancy import city_get

from . import selectors
from .cofog import COFOG
from .models import Phase
from .schemas import BudgetOut

router = Router(tags=["budget"])
MAX_LINES = 5000


class BudgetFilters(Schema):
    year: int | None = None
    phase: str = ""
    classification: str = ""


@router.get("/cities/{slug}/budget", response=BudgetOut, summary="Budget lines of the city")
def budget(request, slug: str, filters: Query[BudgetFilters]):
    city = city_get(slug)
    if filters.phase and filters.phase not in Phase.values:
        raise HttpError(422, "phase: one of " + ", ".join(Phase.values))
    if filters.classification and filters.classification not in COFOG:
        raise HttpError(422, "classification: a COFOG code such as 09 or 09.1")
    lines = list(
        selectors.line_list(
            city=city,
            filters=selectors.LineFilters(
                year=filters.year, phase=filters.phase, cofog=filters.classification
            ),
        )[:MAX_LINES]
    )
    shares = selectors.education_share(city=city, year=filters.year) if filters.year else []
    return {
        "count": len(lines),
        "lines": [
            {
                "id": line.pk,
                "year": line.year,
                "phase": line.phase,
                "code": line.code.code,
                "code_name": line.code.name,
                "cofog": line.code.cofog,
                "amount": line.amount,
                "source": line.source,
                "spending_unit": line.spending_unit,
                "description": line.description,
                "programme_id": line.programme_id,
                "space_id": line.space_id,
                "funded_kind": line.funded_kind,
                "funded_id": line.funded_id,
            }
            for line in lines
        ],
        "education_share": [
            {"phase": s.phase, "education": s.education, "total": s.total, "percent": s.percent}
            for s in shares
        ],
    }
