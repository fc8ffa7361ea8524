"""The network's part of the demo: a regional network of Son La and three demo cities, the six GNLC clusters,
practices (Son La's Houses of Wisdom, Thai script clubs and Lau Lau Learning are sourced: docs/network.md;
the other cities' practices and figures are invented and marked as demo data), a few discussions, the Finnish
partnership, shared indicators and a comparison."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from learningcity.core.indicators import indicator_results
from learningcity.core.models import City, Role, User
from learningcity.core.services.accounts import role_assign
from learningcity.core.services.cities import city_create

from . import services
from .models import Network, Practice, SharedValue
from .services.sharing import definition_of

ORDER = 70
# A one-page PDF saying it is demo material (no real agreement is shipped).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 100]/Contents 4 0 R/Resources<<>>>>endobj "
    b"4 0 obj<</Length 44>>stream\nBT /F1 12 Tf 20 50 Td (Demo document) Tj ET\nendstream endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
NETWORK_SLUG = "asean3-demo"
SHARED = ["LC.PARTICIPATION", "LC.LEARNERS", "LC.SESSIONS"]

GNLC_CLUSTERS = [
    ("citizenship", "Giáo dục công dân", "Citizenship education"),
    (
        "planning",
        "Lập kế hoạch, giám sát và đánh giá giáo dục",
        "Educational planning, monitoring and evaluation",
    ),
    ("entrepreneurship", "Khởi nghiệp", "Entrepreneurship"),
    ("esd", "Giáo dục vì sự phát triển bền vững", "Education for sustainable development"),
    ("health", "Sức khỏe và hạnh phúc", "Health and well-being"),
    ("equity", "Công bằng và hòa nhập", "Equity and inclusion"),
]

# slug, name_vi, name_en, country, lat, lon, joined, participation by year (demo figures)
DEMO_CITIES = [
    (
        "dien-bien-demo",
        "Điện Biên (demo)",
        "Dien Bien (demo)",
        "VN",
        21.386,
        103.023,
        dt.date(2024, 9, 1),
        [31.0, 33.5, 36.2],
    ),
    (
        "chiang-rai-demo",
        "Chiang Rai (demo)",
        "Chiang Rai (demo)",
        "TH",
        19.910,
        99.840,
        dt.date(2022, 3, 1),
        [44.1, 45.0, 47.3],
    ),
    (
        "luang-prabang-demo",
        "Luang Prabang (demo)",
        "Luang Prabang (demo)",
        "LA",
        19.886,
        102.135,
        dt.date(2025, 1, 15),
        [22.4, 25.9, 27.0],
    ),
]

SON_LA_PRACTICES: list[dict[str, Any]] = [
    {
        "slug": "houses-of-wisdom",
        "clusters": ["equity", "citizenship"],
        "kf": ["BB2", "BB6"],
        "sdg": ["4.6", "11.4"],
        "indicators": ["LC.PARTICIPATION", "LC.LEARNERS"],
        "started": dt.date(2024, 3, 1),
        "vi": {
            "title": "Ngôi nhà trí tuệ và Thư viện nhân ái",
            "summary": "Khoảng 130 Ngôi nhà trí tuệ và Thư viện nhân ái trong các bản và tổ dân phố, dựng trên nhà văn hóa sẵn có, mở cửa 8:00-20:00: đọc sách, sinh hoạt văn hóa, thể thao và trao đổi kinh nghiệm.",
            "context": "Sơn La là thành phố đầu tiên của vùng núi khó khăn gia nhập Mạng lưới thành phố học tập toàn cầu của UNESCO (2024).",
            "actions": "Mỗi bản góp sách theo khẩu hiệu “góp một cuốn sách để đọc nhiều cuốn sách”; tình nguyện viên giữ tủ sách.",
            "results": "35 Ngôi nhà trí tuệ và 8 Thư viện nhân ái sau 7 tháng; khoảng 130 vào năm 2025.",
            "lessons": "Dựa vào nhà văn hóa bản giúp chi phí thấp và người dân tự quản.",
        },
        "en": {
            "title": "Houses of Wisdom and Compassionate Libraries",
            "summary": "About 130 Houses of Wisdom and Compassionate Libraries in hamlets and residential groups, built on existing cultural centres, open 8:00-20:00 for reading, culture, sport and exchanging experience.",
            "context": "Son La is the first city of a disadvantaged mountainous region in the UNESCO Global Network of Learning Cities (2024).",
            "actions": "Each hamlet donates books under the motto “contribute one book to read many”; volunteers keep the bookcases.",
            "results": "35 Houses of Wisdom and 8 Compassionate Libraries after 7 months; about 130 by 2025.",
            "lessons": "Building on hamlet cultural centres keeps costs low and lets residents run them.",
        },
    },
    {
        "slug": "thai-script-clubs",
        "clusters": ["citizenship", "equity"],
        "kf": ["BB2", "WB1"],
        "sdg": ["4.7", "11.4"],
        "indicators": ["LC.PARTICIPATION", "LC.SESSIONS"],
        "started": dt.date(2024, 3, 1),
        "vi": {
            "title": "Câu lạc bộ chữ Thái",
            "summary": "35 câu lạc bộ văn hóa Thái thành lập năm 2024 để giữ gìn tiếng và chữ Thái (chữ Thái Việt), khôi phục lễ hội và trang phục.",
            "context": "Người Thái chiếm hơn một nửa dân số tỉnh Sơn La; ít người trẻ còn đọc được chữ Thái.",
            "actions": "Lớp chữ Thái tại Ngôi nhà trí tuệ bản Mé Ban (phường Chiềng Cơi): hơn 30 học viên từ 9 đến 76 tuổi, hai buổi mỗi tuần từ tháng 3/2024.",
            "participants": "Nghệ nhân, người cao tuổi, học sinh và phụ huynh.",
            "results": "Học viên đọc và viết được chữ Thái cơ bản; câu lạc bộ tổ chức lại lễ hội truyền thống.",
            "lessons": "Người cao tuổi dạy, người trẻ học: lớp học là nơi gặp gỡ giữa các thế hệ.",
        },
        "en": {
            "title": "Thai script clubs",
            "summary": "35 Thai cultural clubs set up in 2024 to preserve the Thai language and its script (Tai Viet), and to restore festivals and costumes.",
            "context": "Thái people are more than half of Son La province; few young people still read the Thai script.",
            "actions": "A Thai-script class at the Mé Ban hamlet House of Wisdom (Chiềng Cơi ward): 30+ learners aged 9 to 76, twice a week since March 2024.",
            "participants": "Artisans, elders, pupils and parents.",
            "results": "Learners read and write basic Thai script; the clubs restored traditional festivals.",
            "lessons": "Elders teach and the young learn: the class is where generations meet.",
        },
        "th_draft": {
            "title": "ชมรมอักษรไทดำ",
            "summary": "ชมรมวัฒนธรรมไท 35 แห่ง ก่อตั้งในปี 2024 เพื่ออนุรักษ์ภาษาและอักษรไทเวียด (ร่างคำแปล)",
        },
    },
    {
        "slug": "lau-lau-learning",
        "clusters": ["health", "citizenship"],
        "kf": ["BB1", "BB5"],
        "sdg": ["4.1", "4.7"],
        "indicators": ["LC.PARTICIPATION"],
        "started": dt.date(2024, 10, 1),
        "vi": {
            "title": "Thí điểm Lau Lau Learning",
            "summary": "Thí điểm phương pháp giáo dục qua nghệ thuật và âm nhạc Lau Lau Learning của Phần Lan (10/2024), lần đầu tiên tại Việt Nam.",
            "actions": "Giáo viên mầm non và tiểu học được tập huấn; các lớp học dùng bài hát và vận động để học.",
            "lessons": "Hợp tác quốc tế mang phương pháp mới, cần điều chỉnh theo văn hóa và ngôn ngữ địa phương.",
        },
        "en": {
            "title": "Lau Lau Learning pilot",
            "summary": "A pilot of Lau Lau Learning, an education method through art and music from Finland (Oct 2024), the first in Viet Nam.",
            "actions": "Pre-school and primary teachers were trained; classes learn through songs and movement.",
            "lessons": "An international partnership brings a new method, to be adapted to local culture and languages.",
        },
    },
]

DEMO_PRACTICES = {
    "dien-bien-demo": (
        "village-bookcases",
        "Tủ sách bản (demo)",
        "Village bookcases (demo)",
        "Tủ sách do tình nguyện viên giữ tại nhà văn hóa bản, học theo Ngôi nhà trí tuệ của Sơn La.",
        "Bookcases kept by volunteers in hamlet cultural centres, adopted from Son La's Houses of Wisdom.",
    ),
    "chiang-rai-demo": (
        "mobile-learning-centres",
        "Trung tâm học tập lưu động (demo)",
        "Mobile learning centres (demo)",
        "Xe học tập đến các bản vùng cao mỗi tuần.",
        "A learning van visits upland villages every week.",
    ),
    "luang-prabang-demo": (
        "heritage-crafts",
        "Nghề thủ công di sản (demo)",
        "Heritage crafts (demo)",
        "Nghệ nhân dạy dệt và giấy dó cho thanh niên.",
        "Artisans teach weaving and mulberry paper to young people.",
    ),
}


def _network() -> Network:
    network = Network.objects.filter(slug=NETWORK_SLUG).first()
    if network is not None:
        return network
    network = services.network_create(
        actor=None,
        slug=NETWORK_SLUG,
        name_vi="Mạng lưới thành phố học tập khu vực (demo)",
        name_en="Regional network of learning cities (demo)",
        languages=["vi", "en", "th"],
        is_demo=True,
        description_vi="Dữ liệu minh họa: Sơn La (thật) và ba thành phố demo của khu vực ASEAN+3.",
        description_en="Demonstration data: Son La (real) and three demo cities of the ASEAN+3 region.",
    )
    for i, (code, vi, en) in enumerate(GNLC_CLUSTERS):
        services.cluster_create(actor=None, network=network, code=code, name_vi=vi, name_en=en, position=i)
    return network


def _demo_city(slug, name_vi, name_en, country, lat, lon) -> City:
    city = City.objects.filter(slug=slug).first()
    return city or city_create(
        actor=None,
        slug=slug,
        name_vi=name_vi,
        name_en=name_en,
        country_code=country,
        center_lat=lat,
        center_lon=lon,
        description_vi="Thành phố demo: số liệu minh họa.",
        description_en="Demo city: invented figures.",
    )


def _user(ctx, username, full_name, **extra) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            password=ctx.password,
            full_name=full_name,
            email=f"{username}@demo.learningcity.invalid",
            **extra,
        )
    ctx.users[username] = user
    return user


def load(ctx) -> None:
    son_la = ctx.city
    network = _network()
    if not network.memberships.filter(city=son_la).exists():
        services.membership_add(
            actor=None,
            network=network,
            city=son_la,
            joined_on=son_la.gnlc_member_since or dt.date(2024, 2, 14),
        )
    coordinator = _user(ctx, "network.coord", "Điều phối mạng lưới (demo)")
    network.coordinators.add(coordinator)
    clusters = {c.code: c for c in network.clusters.all()}
    indicator_codes = {i.code for i in indicator_results().indicator_list(city=son_la)}

    for item in SON_LA_PRACTICES:
        if Practice.objects.filter(city=son_la, slug=item["slug"]).exists():
            continue
        practice = services.practice_create(
            actor=None,
            city=son_la,
            slug=item["slug"],
            language="vi",
            texts=item["vi"],
            published=True,
            key_features=item["kf"],
            sdg_targets=item["sdg"],
            clusters=[clusters[c] for c in item["clusters"]],
            indicator_codes=[c for c in item["indicators"] if c in indicator_codes],
            started_on=item["started"],
            contacts="Ban chỉ đạo Thành phố học tập toàn cầu Sơn La",
        )
        services.practice_text_save(
            actor=None, practice=practice, language="en", texts=item["en"], status="reviewed"
        )
        if "th_draft" in item:
            services.practice_text_save(
                actor=None, practice=practice, language="th", texts=item["th_draft"], status="draft"
            )

    for code in SHARED:
        if code in indicator_codes:
            services.indicator_share(actor=None, city=son_la, code=code)

    cities = {}
    for slug, name_vi, name_en, country, lat, lon, joined, rates in DEMO_CITIES:
        city = _demo_city(slug, name_vi, name_en, country, lat, lon)
        cities[slug] = city
        if not network.memberships.filter(city=city).exists():
            services.membership_add(actor=None, network=network, city=city, joined_on=joined)
        _demo_values(city, rates, indicator_codes)
        p_slug, t_vi, t_en, s_vi, s_en = DEMO_PRACTICES[slug]
        if not Practice.objects.filter(city=city, slug=p_slug).exists():
            services.practice_create(
                actor=None,
                city=city,
                slug=p_slug,
                language="en",
                published=True,
                key_features=["BB2"],
                texts={"title": t_en, "summary": s_en},
                clusters=[clusters["equity"]],
            )
            practice = Practice.objects.get(city=city, slug=p_slug)
            services.practice_text_save(
                actor=None,
                practice=practice,
                language="vi",
                texts={"title": t_vi, "summary": s_vi},
                status="draft",
            )
    admin_db = _user(ctx, "admin.dienbien", "Lò Thị Mai (demo)")
    role_assign(
        actor=None, user=admin_db, city=cities["dien-bien-demo"], role=Role.CITY_ADMIN, check_permission=False
    )
    adopter = Practice.objects.get(city=cities["dien-bien-demo"], slug="village-bookcases")
    source = Practice.objects.get(city=son_la, slug="houses-of-wisdom")
    if adopter.adopted_from_id is None:
        services.practice_adopt(
            actor=None,
            practice=adopter,
            source=source,
            note="Demo: learned at the ASEAN+3 conference, Bangkok 2024.",
        )

    _partnerships(son_la, cities, source)
    _discussions(ctx, network, son_la, admin_db, clusters)
    _photo_and_invitation(ctx, son_la)


def _photo_and_invitation(ctx, son_la: City) -> None:
    """A picture for the Thai script clubs (drawn here: no real photo is shipped) and an open invitation."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    from .models import Invitation, PracticeFile

    practice = Practice.objects.get(city=son_la, slug="thai-script-clubs")
    if not PracticeFile.objects.filter(practice=practice).exists():
        image = Image.new("RGB", (320, 200), "#f4efe6")
        ImageDraw.Draw(image).rectangle((20, 20, 300, 180), outline="#0b5d7a", width=6)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        upload = SimpleUploadedFile("class.png", buffer.getvalue(), content_type="image/png")
        services.practice_file_add(
            actor=None,
            practice=practice,
            kind="photo",
            title="Lớp chữ Thái ở bản Mé Ban (hình minh họa)",
            upload=upload,
        )
    if not Invitation.objects.filter(city=son_la).exists():
        services.invitation_create(
            actor=ctx.users["admin"],
            city=son_la,
            email="new.colleague@demo.learningcity.invalid",
            role=Role.VIEWER,
        )


def _demo_values(city: City, rates: list[float], indicator_codes: set[str]) -> None:
    """Invented yearly figures of a demo city (not from its attendance: it has none), marked as demo data."""
    if "LC.PARTICIPATION" not in indicator_codes:
        return
    indicator = indicator_results().indicator_get(code="LC.PARTICIPATION")
    year = timezone.now().year
    services.indicator_share(actor=None, city=city, code=indicator.code, refresh=False)
    for offset, rate in enumerate(rates):
        SharedValue.objects.update_or_create(
            city=city,
            indicator_code=indicator.code,
            year=year - len(rates) + 1 + offset,
            defaults={
                "value": Decimal(str(rate)),
                "population": 80_000,
                "suppressed": False,
                "unit": indicator.unit,
                "definition": definition_of(indicator),
                "source": "demo",
                "computed_at": timezone.now(),
            },
        )


def _partnerships(son_la: City, cities: dict, houses: Practice) -> None:
    from .models import Partnership

    if Partnership.objects.filter(city=son_la).exists():
        return
    lau = Practice.objects.get(city=son_la, slug="lau-lau-learning")
    from learningcity.programmes.selectors import programme_list

    lau_programmes = list(
        programme_list(city=son_la).filter(code="lau-lau-learning").values_list("pk", flat=True)
    )
    pilot = services.partnership_create(
        actor=None,
        city=son_la,
        title_vi="Thí điểm Lau Lau Learning với Phần Lan",
        title_en="Lau Lau Learning pilot with Finland",
        kind="pilot",
        status="active",
        starts_on=dt.date(2024, 10, 1),
        practices=[lau],
        objectives_vi="Đưa phương pháp giáo dục qua nghệ thuật và âm nhạc vào trường mầm non và tiểu học.",
        objectives_en="Bring learning through art and music into pre-schools and primary schools.",
        indicator_codes=["LC.PARTICIPATION"],
        programme_ids=lau_programmes,
        programme_names=[] if lau_programmes else ["Lau Lau Learning"],
    )
    services.partnership_party_add(
        actor=None, partnership=pilot, organisation="Lau Lau Learning (Finland)", country_code="FI"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    note = SimpleUploadedFile("lau-lau.pdf", DEMO_PDF, content_type="application/pdf")
    services.partnership_document_add(
        actor=None, partnership=pilot, title="Ghi chú thí điểm (minh họa)", upload=note
    )
    twinning = services.partnership_create(
        actor=None,
        city=son_la,
        title_vi="Kết nghĩa Sơn La - Điện Biên (demo)",
        title_en="Son La - Dien Bien twinning (demo)",
        kind="twinning",
        status="active",
        starts_on=dt.date(2025, 3, 1),
        practices=[houses],
        objectives_en="Demo: share the Houses of Wisdom model.",
    )
    services.partnership_party_add(actor=None, partnership=twinning, partner_city=cities["dien-bien-demo"])


def _discussions(ctx, network: Network, son_la: City, asker: User, clusters: dict) -> None:
    if network.threads.exists():
        return
    practice = Practice.objects.get(city=son_la, slug="thai-script-clubs")
    thread = services.thread_create(
        actor=asker,
        network=network,
        practice=practice,
        title="How do you find teachers for the Thai script?",
        body="Our Thái communities want classes too. Who teaches at Mé Ban, and how are they paid? @son-la",
    )
    services.post_create(
        actor=ctx.users["admin"],
        thread=thread,
        body="Elders and artisans of the hamlet teach as volunteers; the House of Wisdom gives the room and the books.",
    )
    services.thread_create(
        actor=ctx.users["admin"],
        network=network,
        cluster=clusters["equity"],
        title="Counting learners with disabilities",
        body="Which of you use the Washington Group questions at registration?",
    )
