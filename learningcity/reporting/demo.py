"""Son La's GNLC profile, city targets, and the 2024-2026 biennial report: version 1 approved (figures frozen),
version 2 in review with a few sections written, evidence attached and a committee comment."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from learningcity.core.indicators import indicator_results

from . import services
from .models import Document, Report
from .tasks import build

ORDER = 60

PROFILE = {
    "gdp_city_usd": Decimal(2900),
    "gdp_city_year": 2023,
    "gdp_country_usd": Decimal(4300),
    "gdp_country_year": 2023,
    "schooling_men": Decimal("8.9"),
    "schooling_women": Decimal("8.1"),
    "schooling_year": 2019,
    "mayor": "Chủ tịch UBND thành phố Sơn La",
    "contact_name": "Văn phòng Ban chỉ đạo thành phố học tập",
    "contact_email": "hoctap@sonla.example",
    "motivation_vi": (
        "Sơn La muốn xây dựng thành phố học tập nơi không ai bị bỏ lại phía sau: người Thái, Mông, Kinh và các dân "
        "tộc khác cùng học suốt đời, giữ gìn tiếng nói, chữ viết và bản sắc văn hoá."
    ),
    "motivation_en": (
        "Son La wants to build a learning city where no one is left behind: Thai, Hmong, Kinh and other peoples "
        "learning throughout life, keeping their languages, scripts and cultures alive."
    ),
    "implementation_vi": "Ngôi nhà trí tuệ và Thư viện nhân ái ở khắp các bản, tổ dân phố; câu lạc bộ văn hoá Thái.",
    "implementation_en": "Houses of Wisdom and Compassionate Libraries in every hamlet; Thai cultural clubs.",
}
CHALLENGES: dict[str, int | None] = {
    "funding": 4,
    "commitment": 2,
    "stakeholders": 3,
    "monitoring": 3,
    "inclusion": 4,
    "technology": 5,
    "capacity": 4,
}

NARRATIVES = {
    "plan": (
        "Kế hoạch xây dựng thành phố học tập giai đoạn 2024-2030 được Ban chỉ đạo ban hành sau khi Sơn La gia nhập mạng lưới.",
        "The 2024-2030 learning-city plan was issued by the Steering Committee after Son La joined the network.",
    ),
    "resources": (
        "Khoảng một phần ba ngân sách thành phố dành cho giáo dục, kể cả xây dựng xã hội học tập.",
        "About a third of the city budget goes to education, including building a learning society.",
    ),
    "learning_for_all": (
        "Các lớp chữ Thái ở Ngôi nhà trí tuệ bản Mé Ban có học viên từ 9 đến 76 tuổi.",
        "The Thai-script class at the Mé Ban House of Wisdom has learners aged 9 to 76.",
    ),
}


def _photo() -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 400), "#d9e7f2")
    ImageDraw.Draw(image).rectangle([40, 40, 600, 360], outline="#1f5f8b", width=8)
    out = io.BytesIO()
    image.save(out, "JPEG")
    return SimpleUploadedFile("lop-chu-thai.jpg", out.getvalue(), content_type="image/jpeg")


def _pdf() -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return SimpleUploadedFile("ke-hoach.pdf", body, content_type="application/pdf")


def _targets(city, admin) -> None:
    analytics = indicator_results()
    indicators = {i.code: i for i in analytics.indicator_list(city=city)}
    for code, year, value in (
        ("LC.BUDGET.EDU", 2025, Decimal(34)),
        ("LC.BUDGET.EDU", 2026, Decimal(35)),
        ("VN1373.LEARNING_CITIZENS", 2026, Decimal(50)),
    ):
        if code in indicators:
            analytics.city_target_set(
                actor=admin, city=city, indicator=indicators[code], year=year, value=value
            )


def load(ctx) -> None:
    city = ctx.city
    if Report.objects.filter(city=city).exists():
        ctx.log("  reporting: already loaded")
        return
    admin = ctx.users.get("admin")
    if admin is None:
        ctx.log("  reporting: no administrator, skipped")
        return
    services.profile_save(actor=admin, city=city, data=PROFILE, challenges=CHALLENGES)
    _targets(city, admin)
    report = services.report_create(actor=admin, city=city, kind="biennial", year_from=2024, year_to=2026)
    sections = {s.key: s for s in report.sections.all()}
    for key, (vi, en) in NARRATIVES.items():
        services.section_save(actor=admin, section=sections[key], narrative_vi=vi, narrative_en=en)
    services.evidence_add(
        actor=admin, section=sections["learning_for_all"], kind="photo", title="Lớp chữ Thái, bản Mé Ban",
        claim="Học viên từ 9 đến 76 tuổi", upload=_photo(),
    )  # fmt: skip
    services.evidence_add(
        actor=admin, section=sections["plan"], kind="document", title="Kế hoạch 2024-2030",
        claim="Kế hoạch được ban hành", upload=_pdf(),
    )  # fmt: skip
    report = services.report_send_for_review(actor=admin, report=report)
    report = services.report_approve(actor=admin, report=report)
    second = services.report_new_version(actor=admin, report=report)
    culture = second.sections.get(key="culture")
    services.section_save(
        actor=admin,
        section=culture,
        narrative_vi="Cuộc thi “Sơn La - Thành phố học tập toàn cầu tôi yêu” nhận gần 300 tác phẩm.",
        narrative_en="The competition “Son La - My Beloved Global Learning City” received nearly 300 entries.",
    )
    second = services.report_send_for_review(actor=admin, report=second)
    viewer = ctx.users.get("viewer") or admin
    services.comment_add(
        actor=viewer,
        report=second,
        section=culture,
        body="Đề nghị bổ sung số liệu người tham gia theo dân tộc.",
    )
    for doc_report in (report, None):
        document = Document.objects.create(city=city, report=doc_report, fmt="json", requested_by=admin)
        build(document.pk)
    ctx.log("  reporting: GNLC profile, targets, biennial report 2024-2026 (v1 approved, v2 in review)")
