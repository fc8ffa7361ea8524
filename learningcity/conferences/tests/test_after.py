"""After the event: materials checked by content (a disguised or oversize file is refused with its reason and
nothing is written), public or only for delegates; the figures as charts and CSV/XLSX, with small numbers
suppressed wherever they may be seen outside the organisers' page."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from learningcity.core.errors import DomainError
from learningcity.core.models import AuditEntry

from .. import statistics
from ..models import Material
from ..pdf import document_pdf
from ..services import materials as m
from ..services import registration as reg
from .conftest import at


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in members.items():
            package.writestr(name, data)
    return out.getvalue()


DOCX = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_a_material_is_checked_by_content_and_a_refusal_writes_nothing(event, admin, setup, settings):
    pdf = m.material_add(
        actor=admin,
        event=event,
        kind="slides",
        title="Opening slides",
        session=setup["opening"],
        upload=_upload("opening.pdf", document_pdf("Opening", ["Welcome"])),
    )
    assert (pdf.file_format, pdf.content_type, pdf.is_public) == ("pdf", "application/pdf", False)
    assert pdf.file.read().startswith(b"%PDF-")
    docx = m.material_add(
        actor=admin, event=event, kind="outcome", title="Statement", upload=_upload("s.docx", _zip(DOCX))
    )
    assert docx.file_format == "docx"
    link = m.material_add(
        actor=admin, event=event, kind="recording", title="Video", link="https://video.example.org/1"
    )
    assert not link.file
    before = (Material.objects.count(), AuditEntry.objects.count())
    refusals = [
        (_upload("slides.pdf", b"MZ\x90\x00" + b"\x00" * 100), "is not what its name says"),  # a program
        (_upload("report.pdf", "Chỉ là chữ".encode()), "is not what its name says"),  # a text
        (_upload("notes.docx", _zip({"a.txt": b"x"})), "is not what its name says"),  # any zip
        (
            _upload("macro.docx", _zip({**DOCX, "word/vbaProject.bin": b"\x00"})),
            "contains macros",
        ),
        (_upload("empty.pdf", b""), "is empty"),
    ]
    for upload, reason in refusals:
        with pytest.raises(DomainError, match=reason) as refused:
            m.material_add(actor=admin, event=event, kind="slides", title="X", upload=upload)
        assert upload.name in refused.value.message
        assert refused.value.field == "file"
    settings.MAX_UPLOAD_BYTES = 1000
    with pytest.raises(DomainError, match=r"too large \(0\.0 MB; the limit is 0\.0 MB\)"):
        m.material_add(
            actor=admin, event=event, kind="slides", title="Big", upload=_upload("big.pdf", b"%PDF-" * 400)
        )
    with pytest.raises(DomainError, match="https://"):
        m.material_add(actor=admin, event=event, kind="recording", title="X", link="javascript:alert(1)")
    with pytest.raises(DomainError, match="one of the two"):
        m.material_add(
            actor=admin,
            event=event,
            kind="recording",
            title="X",
            link="https://video.example.org/2",
            upload=_upload("s.docx", _zip(DOCX)),
        )
    assert (Material.objects.count(), AuditEntry.objects.count()) == before


def test_a_disguised_file_on_the_page_is_named_with_its_reason(client, city, event, admin):
    client.force_login(admin)
    url = reverse("conference_materials", args=[city.slug, event.slug])
    answer = client.post(
        url,
        {"kind": "slides", "title": "Slides", "file": _upload("slides.pdf", b"MZ" + b"\x00" * 64)},
    )
    assert answer.status_code == 400
    assert "“slides.pdf” is not what its name says" in answer.content.decode()
    assert not Material.objects.exists()
    answer = client.post(url, {"kind": "recording", "title": "Video", "link": "https://v.example.org/x"})
    assert answer.status_code == 302
    assert Material.objects.get().link == "https://v.example.org/x"


def test_private_materials_only_for_delegates_public_ones_for_everyone(client, city, event, admin, people):
    pdf = document_pdf("Statement", ["We agree."])
    public = m.material_add(
        actor=admin,
        event=event,
        kind="outcome",
        title="Statement",
        upload=_upload("a.pdf", pdf),
        is_public=True,
    )
    private = m.material_add(
        actor=admin, event=event, kind="slides", title="Workshop slides", upload=_upload("b.pdf", pdf)
    )
    url = lambda x: reverse("conference_material", args=[city.slug, event.slug, x.pk])  # noqa: E731
    detail = reverse("conference_detail", args=[city.slug, event.slug])
    answer = client.get(url(public))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert b"".join(answer.streaming_content).startswith(b"%PDF-")
    assert client.get(url(private)).status_code == 404
    page = client.get(detail).content.decode()
    assert "Statement" in page
    assert "Workshop slides" not in page
    delegate = people["resident"]
    client.force_login(delegate)
    assert client.get(url(private)).status_code == 404  # signed in, not registered
    reg.registration_create(actor=delegate, event=event, full_name="Lò Thị Xuân", country="VN")
    assert client.get(url(private)).status_code == 200
    assert "Workshop slides" in client.get(detail).content.decode()


def _register(event, people, rows, start=0):
    who = people["resident"]
    for i, (country, sex) in enumerate(rows, start=start):
        reg.registration_create(
            actor=who,
            event=event,
            full_name=f"Delegate {i}",
            country=country,
            sex=sex,
            email=f"d{i}@x.invalid",
        )


def test_public_figures_hide_small_counts_and_what_would_give_them_away(client, city, event, people, admin):
    type(event).objects.filter(pk=event.pk).update(capacity=0)
    event.refresh_from_db()
    _register(event, people, [("VN", "f")] * 6 + [("TH", "m")] * 2)
    public = statistics.event_figures(event, exact=False)
    assert public.delegates == 8
    country = {r.key: r.text for r in public.figures[0].rows}
    # TH (2) is under 5; VN would give it away (8 - 6), so it is hidden too.
    assert country == {"VN": "<5", "TH": "<5"}
    exact = statistics.event_figures(event, exact=True)
    assert {r.key: r.value for r in exact.figures[0].rows} == {"VN": 6, "TH": 2}
    page = client.get(reverse("conference_figures", args=[city.slug, event.slug])).content.decode()
    assert page.count("<svg") == 4  # country, delegation, sex, role (no session attended yet)
    assert ">6<" not in page
    assert "“&lt;5”" in page  # written escaped: the page parses
    client.force_login(admin)
    organisers = client.get(reverse("conference_statistics_page", args=[city.slug, event.slug]))
    assert ">6<" in organisers.content.decode()
    xlsx = client.get(reverse("conference_statistics", args=[city.slug, event.slug, "xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert ("country", "TH", "TH", "<5") in rows
    assert ("country", "VN", "VN", "<5") in rows
    assert ("delegates", "total", "Confirmed delegates", 8) in rows
    assert all(not isinstance(r[3], int) or r[3] >= 5 for r in rows[1:])
    client.logout()
    assert (
        client.get(reverse("conference_statistics", args=[city.slug, event.slug, "csv"])).status_code == 302
    )


def test_the_figures_take_the_same_queries_whatever_the_size_of_the_event(client, city, event, people):
    type(event).objects.filter(pk=event.pk).update(capacity=0)
    event.refresh_from_db()
    url = reverse("conference_figures", args=[city.slug, event.slug])
    _register(event, people, [("VN", "f")] * 3)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _register(event, people, [("TH", "m"), ("LA", "f"), ("KR", "x")] * 10, start=3)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_public_materials_reach_conference_apps_through_the_api(client, event, admin, setup):
    m.material_add(
        actor=admin,
        event=event,
        kind="recording",
        title="Opening video",
        session=setup["opening"],
        link="https://video.example.org/opening",
        is_public=True,
    )
    slides = m.material_add(
        actor=admin,
        event=event,
        kind="slides",
        title="Opening slides",
        session=setup["opening"],
        upload=_upload("o.pdf", document_pdf("Opening", ["Welcome"])),
        is_public=True,
    )
    m.material_add(
        actor=admin,
        event=event,
        kind="slides",
        title="For delegates",
        session=setup["opening"],
        upload=_upload("d.pdf", document_pdf("Private", ["x"])),
    )
    from ..services import schedule as s

    s.schedule_release(actor=admin, event=event)
    base = f"/api/v1/events/{event.slug}"
    one = client.get(f"{base}/sessions/{setup['opening'].pk}").json()
    assert [(x["kind"], x["title"]) for x in one["materials"]] == [
        ("recording", "Opening video"),
        ("slides", "Opening slides"),
    ]
    assert one["materials"][1]["url"].endswith(f"/events/{event.slug}/materials/{slides.pk}/")
    assert one["materials"][1]["url"].startswith("http://testserver/")
    schedule = client.get(f"{base}/schedule").json()
    assert len(schedule["sessions"][0]["materials"]) == 2
    xml = client.get(f"{base}/schedule.xml").content.decode()
    assert '<link href="https://video.example.org/opening">Opening video</link>' in xml
    assert f'materials/{slides.pk}/">Opening slides</attachment>' in xml
    assert "For delegates" not in xml


def test_a_sessions_materials_wait_for_the_release_that_contains_the_session(
    client, city, event, admin, setup, people
):
    from ..services import schedule as s

    pdf = document_pdf("Opening", ["Welcome"])
    opening = m.material_add(
        actor=admin,
        event=event,
        kind="slides",
        title="Opening slides",
        session=setup["opening"],
        upload=_upload("o.pdf", pdf),
        is_public=True,
    )
    whole = m.material_add(
        actor=admin,
        event=event,
        kind="outcome",
        title="Call for papers",
        upload=_upload("c.pdf", pdf),
        is_public=True,
    )
    url = lambda x: reverse("conference_material", args=[city.slug, event.slug, x.pk])  # noqa: E731
    detail = reverse("conference_detail", args=[city.slug, event.slug])
    page = client.get(detail).content.decode()
    assert "Call for papers" in page  # the whole event's: not held back
    assert "Opening slides" not in page  # its session is in no released schedule yet
    assert client.get(url(opening)).status_code == 404
    assert client.get(url(whole)).status_code == 200
    delegate = people["resident"]  # a confirmed delegate sees private materials, not unreleased sessions'
    reg.registration_create(actor=delegate, event=event, full_name="Lò Thị Xuân", country="VN")
    client.force_login(delegate)
    assert client.get(url(opening)).status_code == 404
    client.force_login(admin)  # the organisers see it, to check it before the release
    assert "Opening slides" in client.get(detail).content.decode()
    assert client.get(url(opening)).status_code == 200

    s.schedule_release(actor=admin, event=event)
    client.logout()
    assert "Opening slides" in client.get(detail).content.decode()
    assert client.get(url(opening)).status_code == 200
    later = s.session_save(
        actor=admin,
        event=event,
        title="Added later",
        room=setup["room_a"],
        starts_at=at(29, 11),
        ends_at=at(29, 12),
    )
    added = m.material_add(
        actor=admin,
        event=event,
        kind="recording",
        title="Later video",
        session=later,
        link="https://video.example.org/later",
        is_public=True,
    )
    assert "Later video" not in client.get(detail).content.decode()  # until the next release
    assert client.get(url(added)).status_code == 404
    s.schedule_release(actor=admin, event=event)
    assert "Later video" in client.get(detail).content.decode()
