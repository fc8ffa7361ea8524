"""Every table on a page exports as CSV (UTF-8 with BOM, so Excel opens Vietnamese correctly) or XLSX."""

from __future__ import annotations

import csv
import io
import re

from django.http import HttpResponse
from django.utils.text import slugify

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def _safe(value):
    """Neutralise spreadsheet formulas in text cells (CSV injection)."""
    if isinstance(value, str) and _FORMULA_START.match(value) and value != "-":
        return "'" + value
    return value


def table_response(
    name: str, headers: list[str], rows: list[list], fmt: str, *, title: str = ""
) -> HttpResponse:
    filename = slugify(name) or "table"
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet((title or name)[:31] or "table")
        if title:
            ws.append([title])
        ws.append(headers)
        for row in rows:
            ws.append([_safe(v) for v in row])
        buf = io.BytesIO()
        wb.save(buf)
        response = HttpResponse(buf.getvalue(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf)
    if title:
        writer.writerow([title])
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else _safe(v) for v in row])
    response = HttpResponse(buf.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def svg_response(name: str, svg: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name) or "chart"}.svg"'
    return response
