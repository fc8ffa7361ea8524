"""Reading the spreadsheets people actually send: CSV in UTF-8, UTF-8 with BOM, UTF-16 or Windows-1258
(as Excel saves on Vietnamese Windows), and XLSX. The type is decided by content, never by the file name.

Rows are streamed: a million-row file is never held in memory at once. Every text cell is normalised (NFC with
mark order repaired), so "Chiềng Cơi" typed on any machine compares equal.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from .cells import unquote_cell
from .errors import DomainError
from .text import normalize

XLSX_MAGIC = b"PK\x03\x04"
_SNIFF_BYTES = 64 * 1024
_BINARY_SIGNATURES = [
    b"MZ",  # Windows executable
    b"\x7fELF",
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\xd0\xcf\x11\xe0",  # legacy .xls / OLE
    b"Rar!",
    b"\x1f\x8b",
]


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[list[str]]  # data rows only; row number n+2 in the file for the n-th (0-based)
    encoding: str
    kind: str  # "csv" or "xlsx"


def _decode_sample(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith(codecs.BOM_UTF16_LE) or sample.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    try:
        # A cut in the middle of a multibyte character at the end of the sample is fine.
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3:
            return "utf-8"
    try:
        sample.decode("cp1258")
    except UnicodeDecodeError:
        raise DomainError(
            _("The file's text encoding was not recognised. Save it as CSV UTF-8 or as an Excel workbook.")
        ) from None
    return "cp1258"


def _csv_rows(stream: IO[bytes], encoding: str) -> Iterator[list[str]]:
    text = io.TextIOWrapper(stream, encoding=encoding, newline="", errors="strict")
    first = text.readline()
    dialect_delim = (
        ";"
        if first.count(";") > first.count(",") and first.count(";") > first.count("\t")
        else ("\t" if first.count("\t") > first.count(",") else ",")
    )

    def lines() -> Iterator[str]:
        yield first
        yield from text

    try:
        for row in csv.reader(lines(), delimiter=dialect_delim):
            yield [normalize(unquote_cell(cell)) for cell in row]
    except UnicodeDecodeError:
        raise DomainError(
            _("The file mixes text encodings and cannot be read safely. Save it again as CSV UTF-8.")
        ) from None
    except csv.Error as exc:
        raise DomainError(_("The CSV file is malformed: %(reason)s") % {"reason": str(exc)}) from None


def _xlsx_rows(stream: IO[bytes]) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise DomainError(_("The Excel file is damaged or is not a real .xlsx workbook.")) from None
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(values_only=True):
        cells = []
        for value in row:
            if value is None:
                cells.append("")
            elif hasattr(value, "isoformat"):
                cells.append(value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat())
            elif isinstance(value, float) and value.is_integer():
                cells.append(str(int(value)))
            else:
                cells.append(normalize(str(value)))
        if any(cells):
            yield cells
    workbook.close()


def read_table(stream: IO[bytes], *, max_bytes: int | None = None) -> Table:
    """Open an uploaded spreadsheet by its content. Raises DomainError with a message for the user."""
    if max_bytes is not None:
        stream.seek(0, io.SEEK_END)
        size = stream.tell()
        if size > max_bytes:
            raise DomainError(
                _("The file is too large (%(size)s MB; the limit is %(limit)s MB).")
                % {"size": round(size / 1e6, 1), "limit": round(max_bytes / 1e6, 1)}
            )
    stream.seek(0)
    sample = stream.read(_SNIFF_BYTES)
    stream.seek(0)
    if not sample.strip():
        raise DomainError(_("The file is empty."))
    if sample.startswith(XLSX_MAGIC):
        kind, encoding = "xlsx", "xlsx"
        rows = _xlsx_rows(stream)
    else:
        if any(sample.startswith(sig) for sig in _BINARY_SIGNATURES) or (
            b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        ):
            raise DomainError(_("This is not a spreadsheet: upload a CSV or an Excel (.xlsx) file."))
        kind, encoding = "csv", _decode_sample(sample)
        rows = _csv_rows(stream, encoding)
    try:
        headers = next(rows)
    except StopIteration:
        raise DomainError(_("The file has no header row.")) from None
    headers = [h.strip().lower() for h in headers]
    return Table(headers=headers, rows=rows, encoding=encoding, kind=kind)


def require_columns(table: Table, required: list[str]) -> None:
    missing = [c for c in required if c not in table.headers]
    if missing:
        raise DomainError(
            _("Missing column(s): %(columns)s. The first row must name the columns.")
            % {"columns": ", ".join(missing)}
        )


def as_dicts(table: Table) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number in the file, {column: value}) for each data row; the header is row 1."""
    for index, row in enumerate(table.rows, start=2):
        padded = row + [""] * (len(table.headers) - len(row))
        yield index, dict(zip(table.headers, padded, strict=False))
