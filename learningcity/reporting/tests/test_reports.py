"""The biennial report: sections with word limits, evidence checked by content, review, approval that freezes the
figures, new versions that show what changed, and documents that carry the frozen figures."""

import io
import json

import docx
import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from learningcity.budget import services as budget_services
from learningcity.core.errors import DomainError
from learningcity.reporting import services
from learningcity.reporting.models import Document, ReportStatus
from learningcity.reporting.sections import BIENNIAL

from .conftest import photo_upload


def _section(report, key):
    return report.sections.get(key=key)


def _share_row(snapshot_lang: dict) -> list:
    resources = next(s for s in snapshot_lang["sections"] if s["key"] == "resources")
    return next(r for r in resources["tables"][0]["rows"] if r[0] == "2025")


def test_sections_follow_the_award_criteria_and_draft_the_budget_share(report):
    from learningcity.reporting.drafting import draft

    assert [s.key for s in report.sections.all()] == [s.key for s in BIENNIAL]
    snap = draft(report, language="en")
    assert _share_row(snap)[1:3] == [34.0, 33.0]  # approved, executed (%)
    assert [r[0] for r in snap["assessment"]["rows"]] == [s["title"] for s in snap["sections"]]


def test_word_limits_are_enforced_and_nothing_is_saved(report, people):
    section = _section(report, "network")
    too_long = " ".join(["từ"] * (section.word_limit + 1))
    with pytest.raises(DomainError, match="limit is 300") as exc:
        services.section_save(
            actor=people["city_admin"], section=section, narrative_vi=too_long, narrative_en=""
        )
    assert exc.value.field == "narrative_vi"
    section.refresh_from_db()
    assert section.narrative_vi == ""


def test_evidence_must_be_what_it_claims(report, people):
    section = _section(report, "learning_for_all")
    admin = people["city_admin"]
    fake = SimpleUploadedFile("ke-hoach.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError, match="not what it claims"):
        services.evidence_add(
            actor=admin, section=section, kind="document", title="x", claim="y", upload=fake
        )
    fake_photo = SimpleUploadedFile("anh.jpg", b"%PDF-1.4 a pdf", content_type="image/jpeg")
    with pytest.raises(DomainError, match="JPEG, PNG or WebP"):
        services.evidence_add(
            actor=admin, section=section, kind="photo", title="x", claim="y", upload=fake_photo
        )
    assert section.evidence.count() == 0
    services.evidence_add(
        actor=admin, section=section, kind="photo", title="Lớp", claim="30 học viên", upload=photo_upload()
    )
    assert section.evidence.get().content_type == "image/jpeg"


def _approved(report, people):
    admin = people["city_admin"]
    services.section_save(
        actor=admin, section=_section(report, "resources"), narrative_vi="Ngân sách", narrative_en="Budget"
    )
    report = services.report_send_for_review(actor=admin, report=report)
    services.comment_add(
        actor=people["viewer"], report=report, body="Thêm số liệu", section=_section(report, "resources")
    )
    return services.report_approve(actor=admin, report=report)


def test_approval_freezes_the_figures_and_a_new_version_shows_what_changed(city, report, people):
    admin = people["city_admin"]
    with pytest.raises(DomainError):
        services.comment_add(actor=people["judge"], report=report, body="x")
    approved = _approved(report, people)
    assert approved.status == ReportStatus.APPROVED
    assert _share_row(approved.snapshot["en"])[2] == 33.0
    # the data changes afterwards: the approved report does not drift
    sheet = "year,phase,code,amount,source,unit\n2025,executed,070-072,1000000000,state,GD\n2025,executed,340-341,1000000000,province,UBND\n"
    budget_services.lines_import(
        actor=admin, city=city, year=2025, stream=io.BytesIO(sheet.encode()), apply=True
    )
    approved.refresh_from_db()
    assert _share_row(approved.snapshot["en"])[2] == 33.0
    with pytest.raises(DomainError, match="cannot be changed"):
        services.section_save(
            actor=admin, section=_section(approved, "plan"), narrative_vi="x", narrative_en=""
        )
    second = services.report_new_version(actor=admin, report=approved)
    assert (second.version, second.status, second.previous_id) == (2, ReportStatus.DRAFT, approved.pk)
    assert _section(second, "resources").narrative_en == "Budget"
    from learningcity.reporting.drafting import draft
    from learningcity.reporting.selectors import changes

    changed = changes(approved.snapshot["en"], draft(second, language="en"))
    cells = {f["cell"]: (f["before"], f["after"]) for c in changed for f in c["figures"]}
    assert any(v == ("33.0", "50.0") for v in cells.values())


def test_the_docx_carries_the_frozen_figures(
    client, city, report, people, django_capture_on_commit_callbacks
):
    approved = _approved(report, people)
    client.force_login(people["city_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/son-la/manage/reports/{approved.pk}/documents/", {"fmt": "docx"})
    document = Document.objects.get()
    assert response.url == f"/son-la/manage/documents/{document.pk}/"
    assert (document.status, document.progress) == ("done", 100)
    page = client.get(response.url)
    assert "Download" in page.content.decode()
    data = b"".join(client.get(f"/son-la/manage/documents/{document.pk}/download/").streaming_content)
    word = docx.Document(io.BytesIO(data))
    assert document.language == "en"  # written in the language of the person who asked for it
    snap = approved.snapshot["en"]
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings[: len(snap["sections"])] == [
        f"{n}. {s['title']}" for n, s in enumerate(snap["sections"], 1)
    ]
    tables = [t for s in snap["sections"] for t in s["tables"]]
    assert len(word.tables) == len(tables) + 1 + len(snap["annexes"])  # and the self-assessment, the annexes
    first = word.tables[0]
    assert [c.text for c in first.rows[0].cells] == tables[0]["headers"]
    resources = next(s for s in snap["sections"] if s["key"] == "resources")["tables"][0]
    index = tables.index(resources)
    row = next(r for r in word.tables[index].rows if r.cells[0].text == "2025")
    assert row.cells[2].text == "33"
    assert len(word.inline_shapes) == sum(1 for s in snap["sections"] for c in s["charts"] if c["bars"])


def test_the_pdf_embeds_fonts_for_vietnamese_and_tai_viet(
    city, report, people, django_capture_on_commit_callbacks
):
    services.section_save(
        actor=people["city_admin"],
        section=_section(report, "culture"),
        narrative_vi="Chữ Thái: ꪼꪕ ꪋꪾ",
        narrative_en="",
    )
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request(actor=people["city_admin"], city=city, report=report, fmt="pdf")
    document.refresh_from_db()
    assert document.status == "done"
    pdf = pikepdf.open(io.BytesIO(document.file.read()))
    fonts = {str(f.get("/BaseFont")) for page in pdf.pages for f in page.Resources.Font.values()}
    assert any("NotoSans" in f for f in fonts)
    assert any("TaiViet" in f for f in fonts)


def test_api_shows_approved_reports_only(client, city, report, people):
    assert client.get("/api/v1/cities/son-la/reports").json() == []
    assert client.get(f"/api/v1/cities/son-la/reports/{report.pk}").status_code == 404
    approved = _approved(report, people)
    [item] = client.get("/api/v1/cities/son-la/reports").json()
    assert item["id"] == approved.pk
    body = client.get(f"/api/v1/cities/son-la/reports/{approved.pk}").json()
    assert body["snapshot"]["sections"][2]["key"] == "resources"
    assert json.dumps(body)


def test_the_workspace_walks_the_workflow(client, city, report, people):
    client.force_login(people["city_admin"])
    url = f"/son-la/manage/reports/{report.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Send for review" in page.content.decode()
    too_long = " ".join(["word"] * 301)
    network, plan = _section(report, "network"), _section(report, "plan")
    refused = client.post(
        url + f"sections/{network.pk}/", {"network-narrative_vi": "", "network-narrative_en": too_long}
    )
    assert refused.status_code == 400
    assert "the limit is 300" in refused.content.decode()
    assert too_long in refused.content.decode()  # what she typed is still there to shorten
    assert _section(report, "network").narrative_en == ""
    client.post(
        url + f"sections/{plan.pk}/evidence/",
        {
            "e-plan-kind": "photo",
            "e-plan-title": "Ảnh",
            "e-plan-claim": "Lớp học",
            "e-plan-file": photo_upload(),
        },
    )
    assert _section(report, "plan").evidence.count() == 1
    client.post(url + "send/")
    client.force_login(people["viewer"])
    client.post(url + "comments/", {"body": "Đồng ý", "section": "plan"})
    assert client.post(url + "approve/").status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.REVIEW  # a viewer comments, only the administrator approves
    client.force_login(people["city_admin"])
    client.post(url + "approve/")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert "Đồng ý" in client.get(url).content.decode()
    assert client.get(f"/son-la/reports/{report.pk}/").status_code == 200


def test_a_judge_or_resident_sees_no_report(client, report, people):
    for who in ("judge", "resident"):
        client.force_login(people[who])
        assert client.get(f"/son-la/manage/reports/{report.pk}/").status_code == 403


def test_national_report_drafts_decision_1373_targets(city, people, budget):
    from learningcity.reporting.drafting import draft

    report = services.report_create(
        actor=people["city_admin"], city=city, kind="national", year_from=2025, year_to=2025
    )
    snap = draft(report, language="en")
    codes = [r[0].split()[0] for r in snap["sections"][0]["tables"][0]["rows"]]
    assert "VN1373.LEARNING_CITIZENS" in codes


def test_vietnamese_workspace_keeps_years_plain(client, vietnamese, report, people):
    client.force_login(people["city_admin"])
    body = client.get("/son-la/manage/reports/").content.decode()
    assert "2024\u20132025" in body
    assert "2.025" not in body


def test_city_targets_page_sets_a_target_beside_the_national_one(client, vietnamese, city, people, budget):
    client.force_login(people["city_admin"])
    response = client.post(
        "/son-la/manage/targets/", {"indicator": "LC.BUDGET.EDU", "year": "2025", "value": "35"}
    )
    assert response.status_code == 302
    body = client.get("/son-la/manage/targets/").content.decode()
    row = body[body.index("LC.BUDGET.EDU</a>") :].split("</tr>")[0]
    assert "<td>2025</td>" in row  # the year as typed, never "2.025"
    assert "<td>35</td>" in row
    assert "<td>33,0</td><td>-2,0</td>" in row  # the actual (the executed share) and the gap
    client.force_login(people["viewer"])
    assert client.get("/son-la/manage/targets/").status_code == 200
    assert (
        client.post("/son-la/manage/targets/", {"indicator": "LC.BUDGET.EDU", "year": "2025"}).status_code
        == 403
    )


def test_lists_answer_in_a_fixed_number_of_queries(
    client, city, report, people, django_assert_max_num_queries
):
    _approved(report, people)
    services.report_new_version(actor=people["city_admin"], report=report.__class__.objects.get(pk=report.pk))
    client.force_login(people["city_admin"])
    with django_assert_max_num_queries(12):
        assert client.get("/son-la/manage/reports/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/cities/son-la/reports").status_code == 200


def test_removing_evidence_from_a_new_version_keeps_the_approved_ones_file(report, people):
    admin = people["city_admin"]
    services.evidence_add(
        actor=admin,
        section=_section(report, "plan"),
        kind="photo",
        title="Ảnh",
        claim="Lớp",
        upload=photo_upload(),
    )
    approved = _approved(report, people)
    second = services.report_new_version(actor=admin, report=approved)
    copy = _section(second, "plan").evidence.get()
    services.evidence_delete(actor=admin, evidence=copy)
    original = _section(approved, "plan").evidence.get()
    assert original.file.storage.exists(original.file.name)
