import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from learningcity.core.errors import DomainError
from learningcity.core.models import AuditEntry
from learningcity.places import services
from learningcity.places.models import LearningSpace, OpeningPeriod, SpaceStatusChange
from learningcity.places.tests.factories import SpaceTypeFactory

pytestmark = pytest.mark.django_db


def test_city_admin_creates_a_space_with_audit_status_history_and_periods(city, areas, people):
    SpaceTypeFactory(city=city)
    space = services.space_create(
        actor=people["city_admin"],
        city=city,
        name_vi="  Ngôi nhà trí tuệ bản Mé Ban ",
        space_type="house-of-wisdom",
        area=areas["me_ban"],
        lat=21.3,
        lon=103.89,
        hours="Mo-Su 08:00-20:00",
        facilities="books; internet",
        languages=["vi", "blt-Tavt"],
    )
    assert space.name_vi == "Ngôi nhà trí tuệ bản Mé Ban"
    assert "chieng coi" in space.search_text  # the ward's name is searchable too
    assert space.facilities == ",books,internet,"
    assert OpeningPeriod.objects.filter(space=space).count() == 7
    assert SpaceStatusChange.objects.get(space=space).status_to == "active"
    entry = AuditEntry.objects.get(object_type="places.learningspace", object_id=str(space.pk))
    assert entry.action == "create"
    assert entry.actor == people["city_admin"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("lat", 48.85),  # Paris: outside the province
        ("space_type", "no-such-type"),
        ("facilities", "books, swimming pool"),
        ("hours", "Mo 20:00-08:00"),
    ],
)
def test_bad_values_are_refused(city, areas, people, field, value):
    SpaceTypeFactory(city=city)
    data = {
        "name_vi": "X",
        "space_type": "house-of-wisdom",
        "area": areas["me_ban"],
        "lat": 21.3,
        "lon": 103.9,
    }
    data[field] = value
    with pytest.raises(DomainError) as exc:
        services.space_create(actor=people["city_admin"], city=city, **data)
    assert exc.value.field in (field, "lat")
    assert not LearningSpace.objects.exists()


def test_space_coordinator_edits_only_her_space_and_only_her_fields(spaces, people):
    coordinator = people["space_coordinator"]
    services.space_update(actor=coordinator, space=spaces["meban"], hours="Mo-Sa 07:00-21:00")
    spaces["meban"].refresh_from_db()
    assert spaces["meban"].hours == "Mo-Sa 07:00-21:00"
    assert OpeningPeriod.objects.filter(space=spaces["meban"]).count() == 6
    entry = AuditEntry.objects.filter(object_id=str(spaces["meban"].pk), action="update").get()
    assert entry.changes["hours"] == ["Mo-Su 08:00-20:00", "Mo-Sa 07:00-21:00"]
    with pytest.raises(DomainError) as exc:
        services.space_update(actor=coordinator, space=spaces["library"], hours="Mo 08:00-09:00")
    assert exc.value.code == "forbidden"
    with pytest.raises(DomainError):
        services.space_update(actor=coordinator, space=spaces["meban"], status="closed")


def test_area_coordinator_manages_spaces_in_her_subtree_only(spaces, people, areas):
    coord = people["area_coordinator"]  # Chiềng Cơi
    services.space_update(actor=coord, space=spaces["meban"], status="closed", note="roof repairs")
    history = list(SpaceStatusChange.objects.filter(space=spaces["meban"]).order_by("id"))
    assert [(h.status_from, h.status_to) for h in history][-1] == ("active", "closed")
    assert history[-1].actor == coord
    with pytest.raises(DomainError):
        services.space_update(actor=coord, space=spaces["library"], name_vi="Khác")
    with pytest.raises(DomainError):
        services.space_update(actor=coord, space=spaces["meban"], area=areas["to_1"])


@pytest.mark.parametrize("role", ["judge", "viewer", "resident"])
def test_other_roles_cannot_edit(spaces, people, role):
    with pytest.raises(DomainError):
        services.space_update(actor=people[role], space=spaces["meban"], name_vi="X")


def test_coordinators_need_the_role_and_changes_are_audited(spaces, people, other_coordinator):
    with pytest.raises(DomainError):
        services.space_coordinators_set(
            actor=people["city_admin"], space=spaces["library"], users=[people["judge"]]
        )
    services.space_coordinators_set(
        actor=people["city_admin"], space=spaces["library"], users=[other_coordinator]
    )
    assert list(spaces["library"].coordinators.all()) == [other_coordinator]
    entry = AuditEntry.objects.get(object_id=str(spaces["library"].pk), changes__has_key="coordinators")
    assert entry.changes["coordinators"] == [[], [other_coordinator.pk]]
    with pytest.raises(DomainError):
        services.space_coordinators_set(actor=people["space_coordinator"], space=spaces["meban"], users=[])


def test_exception_closes_a_day(spaces, people):
    day = dt.date(2026, 12, 24)
    exc = services.exception_add(
        actor=people["space_coordinator"], space=spaces["meban"], date_from=day, note="Tết"
    )
    assert exc.closed
    assert exc.date_to == day
    with pytest.raises(DomainError):
        services.exception_add(
            actor=people["space_coordinator"], space=spaces["meban"], date_from=day, closed=False, opens=None
        )
    assert AuditEntry.objects.filter(object_type="places.openingexception").count() == 1


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x8825] = {2: (21.0, 18.0, 0.0)}  # GPSInfo
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_photo_is_reencoded_without_exif(spaces, people):
    data = _jpeg_with_gps()
    assert b"PhoneMaker" in data
    upload = SimpleUploadedFile("x.jpg", data, content_type="image/jpeg")
    photo = services.photo_add(
        actor=people["space_coordinator"], space=spaces["meban"], upload=upload, caption="Lớp học"
    )
    stored = photo.image.read()
    assert b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as img:
        assert not img.getexif()


def test_disguised_photo_is_refused(spaces, people):
    upload = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(DomainError) as exc:
        services.photo_add(actor=people["city_admin"], space=spaces["meban"], upload=upload, caption="x")
    assert exc.value.field == "photo"
