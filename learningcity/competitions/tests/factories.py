import datetime as dt
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from learningcity.core.models import Role
from learningcity.core.tests.factories import CityFactory, user_with_role

from ..models import Category, Competition, Criterion, FileKind, JuryMember


class CompetitionFactory(factory.django.DjangoModelFactory):
    """A competition open for entries now (deadline in ten days)."""

    class Meta:
        model = Competition

    city = factory.SubFactory(CityFactory)
    slug = factory.Sequence(lambda n: f"competition-{n}")
    code = "SL24"
    title_vi = "Sơn La - Thành phố học tập toàn cầu thân yêu của tôi"
    title_en = "Son La - My Beloved Global Learning City"
    announced_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=20))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    judging_ends_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=40))
    residents_only = False
    reviews_per_entry = 2


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    competition = factory.SubFactory(CompetitionFactory)
    city = factory.LazyAttribute(lambda o: o.competition.city)
    code = factory.Sequence(lambda n: f"C{n}")
    name_vi = factory.Sequence(lambda n: f"Hạng mục {n}")
    allowed_kinds = factory.LazyFunction(
        lambda: [FileKind.IMAGE, FileKind.AUDIO, FileKind.PDF, FileKind.TEXT]
    )
    max_file_bytes = 2 * 1024 * 1024
    files_required = False


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    competition = factory.SubFactory(CompetitionFactory)
    city = factory.LazyAttribute(lambda o: o.competition.city)
    name_vi = factory.Sequence(lambda n: f"Tiêu chí {n}")
    weight = 1
    min_score = 0
    max_score = 10


def setup_competition(city, *, judges=3, **kwargs):
    """A competition with a poem category, a rubric of two weighted criteria and a jury of judges."""
    competition = CompetitionFactory(city=city, **kwargs)
    poems = CategoryFactory(
        competition=competition,
        code="THO",
        name_vi="Thơ",
        name_en="Poems",
        allowed_kinds=[FileKind.TEXT, FileKind.AUDIO, FileKind.PDF],
    )
    arts = CategoryFactory(
        competition=competition,
        code="MT",
        name_vi="Mỹ thuật",
        name_en="Fine arts",
        allowed_kinds=[FileKind.IMAGE],
    )
    CriterionFactory(competition=competition, name_vi="Nội dung", name_en="Content", weight=2)
    CriterionFactory(competition=competition, name_vi="Nghệ thuật", name_en="Artistry", weight=1)
    panel = [
        user_with_role(city, Role.JUDGE, username=f"judge{i}", full_name=f"Giám khảo {i}")
        for i in range(judges)
    ]
    for judge in panel:
        for category in (poems, arts):
            JuryMember.objects.create(city=city, category=category, judge=judge)
    return competition, poems, arts, panel


def jpeg_with_gps(name="tranh.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010E] = "Lò Thị Mai painted this"  # ImageDescription
    exif[0x013B] = "Lò Thị Mai"  # Artist
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def mp3_with_tags(name="ngam-tho.mp3") -> SimpleUploadedFile:
    title = b"Lo Thi Mai"
    frame = b"TPE1" + len(title).to_bytes(4, "big") + b"\x00\x00" + title
    size = len(frame)
    syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    header = b"ID3\x03\x00\x00" + syncsafe
    audio = b"\xff\xfb\x90\x64" + b"\x00" * 400
    return SimpleUploadedFile(name, header + frame + audio, content_type="audio/mpeg")


def text_file(name="bai-tho.txt", body="Sơn La quê hương tôi\nNúi đồi xanh ngát\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body.encode("utf-8"), content_type="text/plain")
