"""The delegates' documents: badges, certificates and letters print names and session titles in their own
script (Thai, Lao, Khmer, Tai Viet, Vietnamese), and the e-mails that announce them carry them as PDF attachments
within a size cap."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from learningcity.core import pdf_scripts
from learningcity.core.errors import DomainError
from learningcity.core.models import AuditEntry

from .. import pdf
from ..services import mail as mail_services
from ..services import registration as reg
from ..services import schedule as s

BKK = zoneinfo.ZoneInfo("Asia/Bangkok")


def fonts_of(document: bytes) -> set[str]:
    """The fonts a PDF embeds, read from its font dictionaries (`/BaseFont /ABCDEF+NotoSansThai-Bold`: the
    subset tag dropped). Reportlab writes those dictionaries uncompressed."""
    assert document.startswith(b"%PDF")
    return {m.decode() for m in re.findall(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([\w-]+)", document)}


def register(event, actor, full_name, native="", **extra):
    return reg.registration_create(
        actor=actor, event=event, full_name=full_name, name_native=native, country="TH", **extra
    )


NAMES = [
    ("Somchai Jaidee", "สมชาย ใจดี", "NotoSansThai-Regular"),
    ("Somphone Keo", "ສົມພອນ ແກ້ວ", "NotoSansLao-Regular"),
    ("Sok Chanda", "សុខ ចាន់ដា", "NotoSansKhmer-Regular"),
    ("Lo Thi Hoa", "ꪶꪀ ꪖꪲ ꪭꪱ", "NotoSansTaiViet-Regular"),
]


@pytest.mark.parametrize(("full_name", "native", "font"), NAMES)
def test_a_badge_embeds_the_font_of_the_names_script(event, people, full_name, native, font):
    person = register(event, people["resident"], full_name, native)
    fonts = fonts_of(pdf.badge_pdf(person))
    assert font in fonts  # the name in its own script, in that script's font
    assert "NotoSans-Bold" in fonts  # the name in Latin letters, in the base font
    assert {
        f for f in fonts if f.startswith("NotoSans") and f not in ("NotoSans-Bold", "NotoSans-Regular")
    } == {font}


def test_a_vietnamese_name_stays_in_the_base_font(event, people):
    person = register(event, people["resident"], "Lo Thi Hoa", "Lò Thị Hoà")
    fonts = fonts_of(pdf.badge_pdf(person)) - {"Helvetica"}  # reportlab's default, named, never used
    assert fonts == {"NotoSans-Regular", "NotoSans-Bold"}


def test_runs_split_a_mixed_line_by_script():
    parts = pdf_scripts.runs("Nguyễn Văn A (ສົມພອນ) · សុខ", "Helvetica")
    assert [(font, text) for font, text in parts] == [
        ("Helvetica", "Nguyễn Văn A ("),
        ("LC-lao", "ສົມພອນ"),
        ("Helvetica", ") · "),
        ("LC-khmer", "សុខ"),
    ]


def test_a_khmer_subscript_consonant_is_shaped_into_its_subscript_glyph():
    # ខ្មែរ: KHA, COENG + MO (a subscript MO under KHA), the prebase vowel AE, RO. Unshaped, the coeng is a sign of
    # its own and the vowel prints after KHA; shaped, the vowel comes first and COENG + MO is one glyph that no
    # character maps to (drawn through a private-use code), and the word is narrower.
    [(font, word)] = pdf_scripts.runs("ខ្មែរ", "Helvetica")
    text, width = pdf_scripts.shaped(word, font, 14)
    assert font == "LC-khmer"
    assert "\u17d2" not in text  # no lone coeng sign
    assert text.index("\u17c2") < text.index("\u1781")  # the prebase vowel before its consonant
    assert any(0xE000 <= ord(ch) <= 0xF8FF for ch in text)  # the subscript form
    assert width < pdfmetrics.stringWidth(word, font, 14) - 5


def test_a_badge_draws_the_khmer_name_shaped(event, people, monkeypatch):
    drawn: list[tuple[str, str]] = []
    draw_string = Canvas.drawString

    def record(self, x, y, text, *args, **kwargs):
        drawn.append((self._fontname, text))
        return draw_string(self, x, y, text, *args, **kwargs)

    monkeypatch.setattr(Canvas, "drawString", record)
    person = register(event, people["resident"], "Srey Khmer", "ស្រី ខ្មែរ")
    document = pdf.badge_pdf(person)
    assert "NotoSansKhmer-Regular" in fonts_of(document)
    [khmer] = [text for font, text in drawn if font == "LC-khmer"]
    assert "\u17d2" not in khmer  # both coeng clusters became subscript glyphs
    assert sum(0xE000 <= ord(ch) <= 0xF8FF for ch in khmer) == 2
    latin = [text for font, text in drawn if font != "LC-khmer"]
    assert latin == [event.title, "Srey Khmer", "TH"]
    assert all(type(text) is str for text in latin)  # the base font's runs are drawn unshaped, as before


def test_a_certificate_lists_the_sessions_in_their_scripts(event, admin, people):
    venue = s.venue_create(actor=admin, event=event, name="Centre")
    room = s.room_create(actor=admin, venue=venue, name="Hall", capacity=100)
    thai, khmer = (
        s.session_save(
            actor=admin,
            event=event,
            title=title,
            room=room,
            starts_at=dt.datetime(2024, 10, 29, hour, tzinfo=BKK),
            ends_at=dt.datetime(2024, 10, 29, hour + 1, tzinfo=BKK),
        )
        for title, hour in (("การเรียนรู้ตลอดชีวิต", 9), ("ការរៀនសូត្រពេញមួយជីវិត", 11))
    )
    person = register(event, people["resident"], "Lo Thi Hoa", "Lò Thị Hoà")
    code = reg.badge_payload(person)
    reg.checkin_scan(actor=admin, event=event, code=code)
    reg.checkin_scan(actor=admin, event=event, code=code, session=khmer)
    reg.checkin_scan(actor=admin, event=event, code=code, session=thai)
    person.refresh_from_db()
    fonts = fonts_of(pdf.certificate_pdf(person))
    assert {"NotoSansThai-Regular", "NotoSansKhmer-Regular", "NotoSans-Bold"} <= fonts
    assert "NotoSansLao-Regular" not in fonts


def test_a_missing_script_font_falls_back_to_the_base_font(event, people, settings, tmp_path):
    person = register(event, people["resident"], "Somchai Jaidee", "สมชาย ใจดี")
    settings.PDF_FONT_DIR = str(tmp_path)  # no fonts there
    pdf_scripts._registered.cache_clear()
    try:
        fonts = fonts_of(pdf.badge_pdf(person))
    finally:
        pdf_scripts._registered.cache_clear()
    assert not any(f.startswith("NotoSansThai") for f in fonts)
    assert "NotoSans-Regular" in fonts


# ------------------------------------------------------------------------------------------------ e-mails
@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def pdfs(message) -> dict[str, bytes]:
    found = {}
    for name, content, mimetype in message.attachments:
        assert mimetype == "application/pdf"
        assert content.startswith(b"%PDF")
        found[name] = content
    return found


def test_confirmation_mail_carries_the_badge_and_the_visa_letter(
    event, people, immediate_tasks, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        person = register(
            event, people["resident"], "Somchai Jaidee", "สมชาย ใจดี", email="s@example.org", visa_letter=True
        )
    (message,) = mail.outbox
    assert message.to == ["s@example.org"]
    assert message.subject == "Registration confirmed: ASEAN+3 conference"
    attached = pdfs(message)
    assert set(attached) == {f"badge-{person.pk}.pdf", f"invitation-{person.pk}.pdf"}
    assert "NotoSansThai-Regular" in fonts_of(attached[f"badge-{person.pk}.pdf"])
    assert f"/son-la/events/{event.slug}/registrations/" in message.body


def test_waiting_list_mail_has_no_attachment_and_moving_up_brings_the_badge(
    event, people, immediate_tasks, django_capture_on_commit_callbacks
):
    lead = people["resident"]
    first = register(event, lead, "A One")
    register(event, lead, "B Two")
    register(event, lead, "D Four")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        waiting = register(event, lead, "C Three", email="c@example.org")
    (told,) = mail.outbox
    assert told.subject.startswith("On the waiting list")
    assert told.attachments == []
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reg.registration_cancel(actor=lead, registration=first)
    (moved,) = mail.outbox
    assert moved.subject.startswith("A place is free")
    assert list(pdfs(moved)) == [f"badge-{waiting.pk}.pdf"]


def test_a_document_over_the_cap_is_linked_instead(
    event, people, settings, immediate_tasks, django_capture_on_commit_callbacks
):
    settings.CONFERENCE_MAIL_MAX_ATTACHMENT_BYTES = 1000  # smaller than any badge
    settings.CSRF_TRUSTED_ORIGINS = ["https://hoctap.example.org"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        person = register(event, people["resident"], "Somchai Jaidee", email="s@example.org")
    (message,) = mail.outbox
    assert message.attachments == []
    badge_url = reverse("conference_badge", args=["son-la", event.slug, person.pk])
    assert "https://hoctap.example.org" + badge_url in message.body


def test_certificates_are_mailed_after_the_event_to_those_checked_in(
    client, city, event, admin, people, immediate_tasks, django_capture_on_commit_callbacks
):
    lead = people["resident"]
    came = register(event, lead, "Sok Chanda", "សុខ ចាន់ដា", email="sok@example.org")
    register(event, lead, "Stayed Home", email="home@example.org")
    reg.checkin_scan(actor=admin, event=event, code=reg.badge_payload(came))
    with pytest.raises(DomainError) as early:
        mail_services.certificates_send(
            actor=admin, event=event, now=dt.datetime(2024, 10, 29, 17, tzinfo=BKK)
        )
    assert early.value.code == "too_early"
    with pytest.raises(DomainError) as steward:
        mail_services.certificates_send(actor=people["viewer"], event=event)
    assert steward.value.code == "forbidden"
    mail.outbox.clear()
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("conference_certificates_send", args=[city.slug, event.slug]))
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["sok@example.org"]
    attached = pdfs(message)
    assert list(attached) == [f"certificate-{came.pk}.pdf"]
    assert "NotoSansKhmer-Regular" in fonts_of(attached[f"certificate-{came.pk}.pdf"])
    client.force_login(people["viewer"])
    refused = client.post(reverse("conference_certificates_send", args=[city.slug, event.slug]))
    assert refused.status_code == 403


def test_pressing_twice_sends_each_certificate_once_and_a_later_check_in_gets_hers(
    client, city, event, admin, people, immediate_tasks, django_capture_on_commit_callbacks
):
    lead = people["resident"]
    first = register(event, lead, "Sok Chanda", email="sok@example.org")
    late = register(event, lead, "Late Comer", email="late@example.org")
    reg.checkin_scan(actor=admin, event=event, code=reg.badge_payload(first))
    url = reverse("conference_certificates_send", args=[city.slug, event.slug])
    client.force_login(admin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, follow=True)
    assert [m.to for m in mail.outbox] == [["sok@example.org"]]
    page = again.content.decode()
    assert "being e-mailed to 0 people checked in" in page
    assert "1 person checked in had been sent one before" in page
    first.refresh_from_db()
    assert first.certificate_sent_at is not None

    reg.checkin_scan(actor=admin, event=event, code=reg.badge_payload(late))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        third = client.post(url, follow=True)
    assert [m.to for m in mail.outbox] == [["late@example.org"]]
    assert list(pdfs(mail.outbox[0])) == [f"certificate-{late.pk}.pdf"]
    page = third.content.decode()
    assert "e-mailed to 1 person checked in" in page
    assert "1 person checked in had been sent one before" in page
    notes = list(
        AuditEntry.objects.filter(object_id=str(event.pk), note__startswith="certificates").values_list(
            "note", flat=True
        )
    )
    assert sorted(notes) == sorted(
        [
            "certificates of attendance e-mailed to 1 (0 had one already)",
            "certificates of attendance e-mailed to 0 (1 had one already)",
            "certificates of attendance e-mailed to 1 (1 had one already)",
        ]
    )
