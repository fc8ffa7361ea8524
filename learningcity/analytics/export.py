"""Every table on a page exports as CSV (UTF-8 with BOM, so Excel opens Vietnamese correctly) or XLSX."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.text import slugify

from learningcity.core.cells import spreadsheet_response


def table_response(
    name: str, headers: list[str], rows: list[list], fmt: str, *, title: str = ""
) -> HttpResponse:
    """The table as CSV (anything but "xlsx") or XLSX; learningcity.core.cells defuses formula-like cells."""
    lines = ([[title]] if title else []) + [headers, *rows]
    return spreadsheet_response(
        slugify(name) or "table", lines, "xlsx" if fmt == "xlsx" else "csv", sheet=title or name
    )


def svg_response(name: str, svg: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name) or "chart"}.svg"'
    return response
