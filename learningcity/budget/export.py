"""The budget as CSV (the import's columns, so an export re-imports) and as a Fiscal Data Package: a ZIP with
datapackage.json (Frictionless, fiscal profile: measures with currency, direction and phase; a functional COFOG
classification with code and parent) beside budget.csv and cofog.csv."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable

from learningcity.core.cells import csv_bytes
from learningcity.core.models import City

from .cofog import COFOG, parent
from .models import BudgetLine

HEADERS = [
    "year", "phase", "code", "code_name", "cofog", "amount", "currency", "source", "unit", "description",
    "programme", "space", "partnership", "practice",
]  # fmt: skip


def line_rows(lines: Iterable[BudgetLine]) -> list[list]:
    rows: list[list] = [HEADERS]
    for line in lines:
        rows.append(
            [
                line.year,
                line.phase,
                line.code.code,
                line.code.name,
                line.code.cofog,
                int(line.amount),
                "VND",
                line.source,
                line.spending_unit,
                line.description,
                line.programme.code if line.programme else "",
                line.space.code if line.space else "",
                line.funded_id if line.funded_kind == "partnership" else "",
                line.funded_id if line.funded_kind == "practice" else "",
            ]
        )
    return rows


def _field(name: str, type_: str, **extra) -> dict:
    return {"name": name, "type": type_, **extra}


def datapackage(city: City) -> dict:
    return {
        "profile": "fiscal-data-package",
        "name": f"{city.slug}-budget",
        "title": f"Budget of {city.name_en or city.name_vi}",
        "countryCode": city.country_code,
        "resources": [
            {
                "name": "budget",
                "path": "budget.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        _field("year", "integer", columnType="date:fiscal-year"),
                        _field("phase", "string", columnType="phase"),
                        _field("code", "string", columnType="administrative-classification:generic:code"),
                        _field(
                            "code_name", "string", columnType="administrative-classification:generic:label"
                        ),
                        _field("cofog", "string", columnType="functional-classification:cofog:code"),
                        _field("amount", "integer", columnType="value", decimalChar=".", groupChar=""),
                        _field("currency", "string", columnType="currency"),
                        _field("source", "string", columnType="fin-source:generic:code"),
                        _field(
                            "unit", "string", columnType="administrative-classification:spending-unit:label"
                        ),
                        _field("description", "string", columnType="budget-line:description"),
                        _field("programme", "string", columnType="project-classification:code"),
                        _field("space", "string", columnType="geo-source:code"),
                        _field("partnership", "string"),
                        _field("practice", "string"),
                    ],
                    "primaryKey": [],
                },
            },
            {
                "name": "cofog",
                "path": "cofog.csv",
                "format": "csv",
                "schema": {
                    "fields": [
                        _field("code", "string"),
                        _field("parent", "string"),
                        _field("label", "string"),
                    ]
                },
            },
        ],
        "model": {
            "measures": {
                "amount": {
                    "source": "amount",
                    "currency": "VND",
                    "direction": "expenditure",
                    "phase": "by line",
                }
            },
            "dimensions": {
                "date": {
                    "dimensionType": "datetime",
                    "primaryKey": ["year"],
                    "attributes": {"year": {"source": "year"}},
                },
                "phase": {
                    "dimensionType": "other",
                    "primaryKey": ["phase"],
                    "attributes": {"phase": {"source": "phase"}},
                },
                "functional-classification": {
                    "dimensionType": "classification",
                    "classificationType": "functional",
                    "primaryKey": ["cofog"],
                    "attributes": {"cofog": {"source": "cofog"}},
                },
                "administrative-classification": {
                    "dimensionType": "classification",
                    "classificationType": "administrative",
                    "primaryKey": ["code"],
                    "attributes": {
                        "code": {"source": "code"},
                        "label": {"source": "code_name", "labelfor": "code"},
                    },
                },
                "fin-source": {
                    "dimensionType": "fact",
                    "primaryKey": ["source"],
                    "attributes": {"source": {"source": "source"}},
                },
            },
        },
    }


def fiscal_data_package(city: City, lines: Iterable[BudgetLine]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("datapackage.json", json.dumps(datapackage(city), ensure_ascii=False, indent=2))
        z.writestr("budget.csv", csv_bytes(line_rows(lines)))
        z.writestr(
            "cofog.csv",
            csv_bytes(
                [["code", "parent", "label"]] + [[c, parent(c), str(label)] for c, label in COFOG.items()]
            ),
        )
    return buffer.getvalue()
