import datetime as dt
import io
import unicodedata

import pytest

from learningcity.core.errors import DomainError, ImportRejected
from learningcity.programmes.models import Attendance, ImportBatch, Learner, Membership
from learningcity.programmes.services.imports import sheet_import

from .factories import LearnerFactory, SessionFactory

pytestmark = pytest.mark.django_db

YESTERDAY = dt.date.today() - dt.timedelta(days=1)


def _cp1258(text: str) -> bytes:
    """As Excel on Vietnamese Windows writes it: precomposed where the code page has it, tones combining."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
            out += base.encode("cp1258") + tones.encode("cp1258")
    return out


def csv_bytes(text: str, encoding: str = "utf-8") -> io.BytesIO:
    text = text.replace("\n", "\r\n")
    return io.BytesIO(_cp1258(text) if encoding == "cp1258" else text.encode(encoding))


def run(people, city, data, **kw):
    return sheet_import(actor=people["city_admin"], city=city, stream=data, **kw)


def test_attendance_by_code_is_idempotent(city, people, club, session, members):
    text = "code,programme,date\n" + "".join(
        f"{m.code},clb-me-ban,{session.date:%d/%m/%Y}\n" for m in members
    )
    preview = run(people, city, csv_bytes(text), dry_run=True)
    assert preview.attendance_added == 3
    assert not Attendance.objects.exists()
    result = run(people, city, csv_bytes(text))
    assert result.attendance_added == 3
    assert Attendance.objects.count() == 3
    again = run(people, city, csv_bytes(text))
    assert again.attendance_added == 0
    assert again.attendance_existing == 3
    assert Attendance.objects.count() == 3


def test_same_file_hash_adds_nothing(city, people, club, session):
    text = f"name,sex,birth_year,area,date\nLò Văn Mới,M,1999,03670-MB,{session.date}\n"
    run(people, city, csv_bytes(text), programme=club, sha256="abc")
    ImportBatch.objects.create(city=city, sha256="abc", status="done")
    result = run(people, city, csv_bytes(text), programme=club, sha256="abc")
    assert result.already_imported
    assert Learner.objects.count() == 1


def test_windows_1258_sheet_with_duplicate_and_bad_date(city, people, club, session, members, areas):
    # Excel on Vietnamese Windows: cp1258, tones decomposed.
    hoa = members[0]  # Lò Thị Hoa, 1960, Mé Ban
    text = (
        "Họ và tên,Giới tính,Năm sinh,Dân tộc,Địa bàn,Ngày\n"
        f"Lò Thị Hoa,Nữ,1960,Thái,03670-MB,{session.date:%d/%m/%Y}\n"
        f"Cầm Thị Bích,Nữ,1985,Thái,03670-MB,31/02/2025\n"
        f"Vàng A Sử,Nam,2001,Mông,03670-MB,{session.date:%d/%m/%Y}\n"
    )
    data = csv_bytes(text, "cp1258")
    with pytest.raises(ImportRejected) as exc:
        run(people, city, data, programme=club)
    errors = [(e.row, e.column) for e in exc.value.errors]
    assert (3, "date") in errors
    assert Learner.objects.count() == 3
    assert not Attendance.objects.exists()
    fixed_text = text.replace("31/02/2025", f"{session.date:%d/%m/%Y}")
    preview = run(people, city, csv_bytes(fixed_text, "cp1258"), programme=club, dry_run=True)
    assert [c["id"] for c in preview.to_confirm[0]["candidates"]] == [hoa.pk]
    assert preview.to_confirm[0]["row"] == 2
    with pytest.raises(ImportRejected):  # undecided duplicate
        run(people, city, csv_bytes(fixed_text, "cp1258"), programme=club)
    result = run(people, city, csv_bytes(fixed_text, "cp1258"), programme=club, decisions={"2": str(hoa.pk)})
    assert result.learners_created == 2
    assert result.learners_matched == 1
    assert result.attendance_added == 3
    assert Learner.objects.filter(full_name="Cầm Thị Bích", ethnicity="03").exists()
    assert Learner.objects.get(full_name="Vàng A Sử").ethnicity == "08"
    assert Membership.objects.filter(programme=club).count() == 5


def test_bad_rows_each_get_a_message_and_nothing_changes(city, people, club, session, members):
    future = dt.date.today() + dt.timedelta(days=5)
    SessionFactory(programme=club, date=future)
    text = (
        "name,sex,birth_year,ethnicity,area,date\n"
        f"A,F,1990,Klingon,03670-MB,{session.date}\n"
        f"B,F,1990,Thái,99999,{session.date}\n"
        f"C,F,1790,Thái,03670-MB,{session.date}\n"
        f"D,F,1990,Thái,03670-MB,{future}\n"
        f"{members[0].full_name},F,1960,03,03670-MB,{session.date}\n"
        f"E,Q,1990,Thái,03670-MB,{session.date}\n"
        f"F,F,1990,Thái,03670-MB,2020-01-01\n"
    )
    with pytest.raises(ImportRejected) as exc:
        run(people, city, csv_bytes(text), programme=club, decisions={"6": str(members[0].pk)})
    got = {(e.row, e.column) for e in exc.value.errors}
    assert {(2, "ethnicity"), (3, "area"), (4, "birth_year"), (5, "date"), (7, "sex"), (8, "date")} <= got
    assert Learner.objects.count() == 3
    assert not Attendance.objects.exists()


def test_duplicated_rows_are_refused(city, people, club, session, members):
    text = f"code,date\n{members[0].code},{session.date}\n{members[0].code},{session.date}\n"
    with pytest.raises(ImportRejected) as exc:
        run(people, city, csv_bytes(text), programme=club)
    assert exc.value.errors[0].row == 3
    assert exc.value.errors[0].message.endswith(" 2.")
    assert not Attendance.objects.exists()


def test_disguised_file_and_unknown_code(city, people, club):
    with pytest.raises(DomainError):
        run(people, city, io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100), programme=club)
    with pytest.raises(ImportRejected) as exc:
        run(people, city, csv_bytes("code\nNOPE\n"))
    assert exc.value.errors[0].column == "code"


def test_xlsx_learner_sheet(city, people, areas):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["name", "sex", "birth_year", "ethnicity", "area", "consent"])
    ws.append(["Lò Văn Thành", "M", 1970, "Thai", "03670-MB", "có"])
    ws.append(["Giàng Thị Mỷ", "F", 2010, "H'Mông", "03646-T1", ""])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    result = run(people, city, out)
    assert result.learners_created == 2
    assert result.consents_recorded == 1
    assert Learner.objects.get(full_name="Giàng Thị Mỷ").area == areas["to_1"]


def test_people_of_another_city_cannot_import(other_city, city, people, club):
    with pytest.raises(DomainError):
        sheet_import(actor=people["viewer"], city=city, stream=csv_bytes("code\nX\n"))
    with pytest.raises(DomainError):
        sheet_import(actor=people["city_admin"], city=other_city, stream=csv_bytes("code\nX\n"))


def test_learner_in_other_city_is_not_matched(other_city, city, people, club, session):
    stranger = LearnerFactory(city=other_city)
    with pytest.raises(ImportRejected):
        run(people, city, csv_bytes(f"code,date\n{stranger.code},{session.date}\n"), programme=club)


def test_background_task_applies_a_staged_file(city, people, club, session, members, settings, tmp_path):
    from learningcity.programmes.tasks import import_sheet, read_progress

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    path = tmp_path / "sheet.csv"
    path.write_text("code,date\n" + "".join(f"{m.code},{session.date}\n" for m in members))
    batch = ImportBatch.objects.create(
        city=city, actor=people["city_admin"], file_path=str(path), programme=club, sha256="x1"
    )
    import_sheet.enqueue(batch.pk)
    batch.refresh_from_db()
    assert batch.status == "done"
    assert batch.result["attendance_added"] == 3
    assert read_progress(batch) == 100
    assert not path.exists()


def test_ethnicity_in_a_sheet_only_from_who_may_see_it(city, people, areas):
    """A space coordinator's sheet with an ethnicity is refused row by row (not silently dropped); blank or
    "not stated" passes. An area coordinator may record it only for people living in her areas."""
    sheet = (
        "name,sex,birth_year,ethnicity,area\nLò Văn Thành,M,1970,Thai,03670-MB\nLò Thị Én,F,1980,,03670-MB\n"
    )
    space_coordinator = people["space_coordinator"]
    with pytest.raises(ImportRejected) as refused:
        sheet_import(actor=space_coordinator, city=city, stream=csv_bytes(sheet))
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "ethnicity")]
    assert not Learner.objects.filter(full_name__startswith="Lò").exists()
    blank = sheet.replace(",Thai,", ",,")
    assert sheet_import(actor=space_coordinator, city=city, stream=csv_bytes(blank)).learners_created == 2
    coordinator = people["area_coordinator"]
    inside = "name,sex,birth_year,ethnicity,area\nCầm Thị Vân,F,1990,Thai,03670-MB\n"
    assert sheet_import(actor=coordinator, city=city, stream=csv_bytes(inside)).learners_created == 1
    outside = "name,sex,birth_year,ethnicity,area\nGiàng Thị Mỷ,F,2010,H'Mông,03646-T1\n"
    with pytest.raises(ImportRejected):
        sheet_import(actor=coordinator, city=city, stream=csv_bytes(outside))
