import datetime as dt

import pytest

from learningcity.core.errors import DomainError
from learningcity.core.models import AuditEntry
from learningcity.programmes import services
from learningcity.programmes.models import (
    Attendance,
    Consent,
    Headcount,
    Learner,
    Membership,
    Session,
    SessionStatus,
)

from .factories import LearnerFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_programme_create_is_audited_and_checked(city, people, space):
    p = services.programme_create(
        actor=people["city_admin"],
        city=city,
        code="lau-lau",
        kind="pilot",
        title_vi="Thí điểm Lau Lau Learning",
        partners="Lau Lau Learning (Phần Lan)",
        partner_country="FI",
        topics="|arts|",
        spaces=[space],
    )
    assert list(p.spaces.all()) == [space]
    assert AuditEntry.objects.filter(
        object_type="programmes.programme", object_id=str(p.pk), action="create"
    ).exists()
    with pytest.raises(DomainError) as exc:
        services.programme_create(actor=people["judge"], city=city, code="x", kind="club", title_vi="X")
    assert exc.value.code == "forbidden"
    with pytest.raises(DomainError):
        services.programme_create(
            actor=people["city_admin"], city=city, code="lau-lau", kind="club", title_vi="Y"
        )


def test_space_coordinator_creates_and_leads(city, people, space):
    p = services.programme_create(
        actor=people["space_coordinator"],
        city=city,
        code="doc-sach",
        kind="club",
        title_vi="Đọc sách",
        spaces=[space],
    )
    assert people["space_coordinator"] in p.leaders.all()


def test_schedule_every_saturday_and_sunday_with_a_cancellation_and_a_change(club, people, space):
    schedule = services.schedule_create(
        actor=people["city_admin"],
        programme=club,
        weekdays=[5, 6],
        start_time=dt.time(8),
        end_time=dt.time(10),
        starts_on=dt.date(2025, 3, 1),  # a Saturday
        ends_on=dt.date(2025, 3, 31),
        space=space,
    )
    dates = list(schedule.sessions.order_by("date").values_list("date", flat=True))
    assert len(dates) == 10
    assert all(d.weekday() in (5, 6) for d in dates)
    first, second = schedule.sessions.order_by("date")[:2]
    services.session_cancel(actor=people["city_admin"], session=first, note="Mưa lớn")
    services.session_update(
        actor=people["city_admin"], session=second, start_time=dt.time(9), end_time=dt.time(11)
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == SessionStatus.CANCELLED
    assert second.status == SessionStatus.CHANGED
    assert second.minutes == 120
    with pytest.raises(DomainError):
        services.schedule_create(
            actor=people["city_admin"],
            programme=club,
            weekdays=[],
            start_time=dt.time(8),
            end_time=dt.time(10),
            starts_on=dt.date(2025, 3, 1),
            ends_on=dt.date(2025, 3, 2),
        )


def test_learner_minimum_data_aliases_and_bad_values(city, people, areas):
    learner = services.learner_create(
        actor=people["area_coordinator"],  # Mé Ban is in her ward: she may record ethnicity and disability
        city=city,
        full_name="  Giàng A Páo ",
        sex="M",
        birth_year=1980,
        ethnicity="HMông",
        area=areas["me_ban"],
        disability_answers={"walking": 3, "seeing": 1},
        consent_purposes=["participation"],
        consent_method="phiếu giấy",
    )
    assert learner.full_name == "Giàng A Páo"
    assert learner.ethnicity == "08"
    assert learner.has_disability is True
    assert len(learner.code) == 8
    assert "Giang" not in learner.code
    consent = Consent.objects.get(learner=learner)
    assert consent.recorded_by == people["area_coordinator"]
    assert consent.purpose == "participation"
    for bad in [
        {"ethnicity": "Klingon"},
        {"birth_year": 1850},
        {"birth_year": dt.date.today().year + 1},
        {"sex": "Q"},
    ]:
        with pytest.raises(DomainError):
            services.learner_create(actor=people["city_admin"], city=city, full_name="X", **bad)
    with pytest.raises(DomainError) as exc:
        services.learner_create(actor=people["viewer"], city=city, full_name="X")
    assert exc.value.code == "forbidden"


def test_attendance_one_tap_future_and_cancelled_refused(session, members, people, club):
    assert services.attendance_mark(actor=people["space_coordinator"], session=session, learner=members[0])
    assert Attendance.objects.get().area_id == members[0].area_id
    services.attendance_mark(
        actor=people["space_coordinator"], session=session, learner=members[0], present=False
    )
    assert not Attendance.objects.exists()
    future = SessionFactory(programme=club, date=dt.date.today() + dt.timedelta(days=3))
    with pytest.raises(DomainError):
        services.attendance_mark(actor=people["space_coordinator"], session=future, learner=members[0])
    with pytest.raises(DomainError) as exc:
        services.attendance_mark(actor=people["viewer"], session=session, learner=members[0])
    assert exc.value.code == "forbidden"
    result = services.attendance_set(
        actor=people["space_coordinator"], session=session, learner_ids=[m.pk for m in members]
    )
    assert result == {"added": 3, "removed": 0, "present": 3}


def test_someone_new_at_the_door_is_added_whole_or_not_at_all(session, people, club):
    learner = services.newcomer_add(
        actor=people["space_coordinator"], session=session, full_name="Lò Văn Mới", sex="M", birth_year=2014
    )
    assert Membership.objects.filter(learner=learner, programme=club, joined_on=session.date).exists()
    assert Attendance.objects.filter(learner=learner, session=session).exists()
    assert learner.consents.get().purpose == "participation"
    # The session was cancelled meanwhile: the tick is refused after the person and the membership were made,
    # and neither is left behind.
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status"])
    with pytest.raises(DomainError, match="huỷ"):
        services.newcomer_add(actor=people["space_coordinator"], session=session, full_name="Cầm Thị Lan")
    assert not Learner.objects.filter(full_name="Cầm Thị Lan").exists()
    assert Membership.objects.filter(programme=club).count() == 1


def test_area_coordinator_of_another_ward_cannot_take_attendance(session, members, city, areas):
    from learningcity.core.models import Role
    from learningcity.core.tests.factories import user_with_role

    other = user_with_role(city, Role.AREA_COORDINATOR, area=areas["to_hieu"])
    with pytest.raises(DomainError):
        services.attendance_mark(actor=other, session=session, learner=members[0])


def test_headcount_by_sex_and_age_band(session, people):
    total = services.headcount_record(
        actor=people["space_coordinator"],
        session=session,
        counts=[{"sex": "F", "age_band": "25-64", "count": 12}, {"sex": "M", "age_band": "6-14", "count": 5}],
    )
    assert total == 17
    assert Headcount.objects.count() == 2
    with pytest.raises(DomainError):
        services.headcount_record(
            actor=people["space_coordinator"], session=session, counts=[{"age_band": "7-9", "count": 1}]
        )


def test_merge_moves_attendance_and_is_audited(session, members, people, club):
    keep, dup = (
        members[0],
        LearnerFactory(city=club.city, full_name="Lo Thi Hoa", birth_year=None, ethnicity="99"),
    )
    Membership.objects.create(city=club.city, programme=club, learner=dup, joined_on=dt.date(2024, 5, 1))
    services.attendance_mark(actor=people["city_admin"], session=session, learner=dup)
    services.attendance_mark(actor=people["city_admin"], session=session, learner=keep)
    services.learner_merge(actor=people["city_admin"], keep=keep, duplicate=dup)
    assert not Learner.objects.filter(pk=dup.pk).exists()
    assert Attendance.objects.filter(learner=keep).count() == 1
    assert Membership.objects.filter(learner=keep, programme=club).count() == 1
    entry = AuditEntry.objects.get(action="merge")
    assert dup.code in entry.note
    assert entry.actor == people["city_admin"]


def test_export_and_erasure_keep_only_anonymous_counts(session, members, people):
    learner = members[0]
    services.consent_record(actor=people["city_admin"], learner=learner, purpose="sensitive", method="spoken")
    services.attendance_mark(actor=people["city_admin"], session=session, learner=learner)
    data = services.learner_export(actor=people["city_admin"], learner=learner)
    assert data["full_name"] == learner.full_name
    assert data["attendance"][0]["date"] == session.date.isoformat()
    assert data["consents"][0]["purpose"] == "sensitive"
    with pytest.raises(DomainError):
        services.learner_erase(actor=people["space_coordinator"], learner=learner)
    kept = services.learner_erase(actor=people["city_admin"], learner=learner)
    assert kept == 1
    assert not Learner.objects.filter(pk=learner.pk).exists()
    hc = Headcount.objects.get()
    assert (hc.count, hc.sex, hc.age_band, hc.source, hc.session_id) == (1, "F", "65+", "erased", session.pk)
    names = " ".join(str(e.changes) + e.object_repr for e in AuditEntry.objects.all())
    assert learner.full_name not in names


def test_session_change_updates_denormalised_attendance(session, members, people):
    services.attendance_mark(actor=people["city_admin"], session=session, learner=members[0])
    new_day = session.date - dt.timedelta(days=1)
    services.session_update(actor=people["city_admin"], session=session, date=new_day, end_time=dt.time(11))
    row = Attendance.objects.get()
    assert row.date == new_day
    assert row.minutes == 180
    assert Session.objects.get(pk=session.pk).status == SessionStatus.CHANGED
