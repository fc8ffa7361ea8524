"""Events, the schedule editor's refusals, releases with changes and notices, registrations with a waiting list,
check-in by badge code, the call reviewed by the competitions engine, and the public schedule formats."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
from django.core import mail
from django.urls import reverse

from learningcity.core.errors import DomainError
from learningcity.core.models import AuditEntry
from learningcity.core.tests.factories import UserFactory

from ..models import CheckIn, Contribution, Registration, RegistrationStatus, Session, SessionBooking
from ..services import registration as reg
from ..services import schedule as s
from ..services import stewards
from .conftest import at


def test_schedule_editor_refuses_double_bookings_and_over_capacity(event, admin, setup):
    audits = AuditEntry.objects.count()
    sessions = Session.objects.count()
    with pytest.raises(DomainError) as room_err:
        s.session_save(
            actor=admin,
            event=event,
            title="Clash",
            room=setup["hall"],
            starts_at=at(29, 9, 30),
            ends_at=at(29, 11),
        )
    assert room_err.value.code == "room_booked"
    assert "Hall" in room_err.value.message
    with pytest.raises(DomainError) as speaker_err:
        s.session_save(
            actor=admin,
            event=event,
            title="Ana twice",
            room=setup["room_a"],
            starts_at=at(29, 9, 45),
            ends_at=at(29, 10, 30),
            speakers=[setup["ana"]],
        )
    assert speaker_err.value.code == "speaker_busy"
    assert "Ana" in speaker_err.value.message
    with pytest.raises(DomainError) as cap_err:
        s.session_save(
            actor=admin,
            event=event,
            title="Too big",
            room=setup["room_a"],
            starts_at=at(29, 11),
            ends_at=at(29, 12),
            expected=41,
        )
    assert cap_err.value.code == "over_capacity"
    with pytest.raises(DomainError):
        s.session_save(
            actor=admin,
            event=event,
            title="Outside",
            room=setup["room_a"],
            starts_at=at(31, 9),
            ends_at=at(31, 10),
        )
    # Moving the opening onto a booked slot is refused and leaves it where it was.
    other = s.session_save(
        actor=admin, event=event, title="Later", room=setup["hall"], starts_at=at(29, 11), ends_at=at(29, 12)
    )
    with pytest.raises(DomainError):
        s.session_move(
            actor=admin, session=other, room=setup["hall"], starts_at=at(29, 9), ends_at=at(29, 10)
        )
    other.refresh_from_db()
    assert other.starts_at == at(29, 11)
    assert Session.objects.count() == sessions + 1
    assert AuditEntry.objects.count() == audits + 1
    # Back to back is fine; the same speaker right after is fine.
    s.session_save(
        actor=admin,
        event=event,
        title="Right after",
        room=setup["hall"],
        starts_at=at(29, 10),
        ends_at=at(29, 11),
        speakers=[setup["ana"]],
    )


def test_only_the_organisers_edit_the_schedule(event, people, setup):
    for who in ("viewer", "resident", "space_coordinator"):
        with pytest.raises(DomainError) as err:
            s.session_save(actor=people[who], event=event, title="x")
        assert err.value.code == "forbidden"


def test_release_lists_changes_and_tells_those_who_chose_the_session(event, admin, setup):
    delegate = UserFactory(username="delegate", email="d@example.org")
    first = s.schedule_release(actor=admin, event=event)
    assert first.number == 1
    assert first.changes == []
    s.favourite_toggle(actor=delegate, session=setup["opening"])
    with pytest.raises(DomainError):
        s.schedule_release(actor=admin, event=event)  # nothing changed
    s.session_move(
        actor=admin, session=setup["opening"], room=setup["room_a"], starts_at=at(29, 9), ends_at=at(29, 10)
    )
    with pytest.raises(DomainError):
        # over capacity is checked on moves too: a plenary expecting 200 cannot go to a room of 40
        s.session_save(
            actor=admin,
            event=event,
            session=setup["opening"],
            title="Opening",
            room=setup["room_a"],
            starts_at=at(29, 9),
            ends_at=at(29, 10),
            expected=200,
        )
    second = s.schedule_release(actor=admin, event=event, note="Opening moved")
    assert second.number == 2
    assert [c["change"] for c in second.changes] == ["moved"]


def test_release_notice_reaches_the_agenda_owner(event, admin, setup, django_capture_on_commit_callbacks):
    delegate = UserFactory(username="delegate2", email="d2@example.org")
    s.schedule_release(actor=admin, event=event)
    s.favourite_toggle(actor=delegate, session=setup["opening"])
    s.session_move(
        actor=admin, session=setup["opening"], room=setup["room_a"], starts_at=at(29, 9), ends_at=at(29, 10)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        s.schedule_release(actor=admin, event=event)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["d2@example.org"]
    assert "Room A" in mail.outbox[0].body


def test_registration_capacity_waitlist_duplicates_and_deadline(event, admin, people):
    lead = people["resident"]
    delegation = reg.delegation_create(actor=lead, event=event, name="Sơn La", country="VN")
    made = [
        reg.registration_create(actor=lead, event=event, delegation=delegation, full_name=n, country="VN")
        for n in ("Lò Văn A", "Cầm Thị B", "Quàng Văn C", "Hà Thị D")
    ]
    assert [r.status for r in made] == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    count = Registration.objects.count()
    with pytest.raises(DomainError) as dup:
        reg.registration_create(
            actor=lead, event=event, delegation=delegation, full_name="lo van a", country="VN"
        )
    assert dup.value.code == "duplicate"
    assert Registration.objects.count() == count
    # Someone else cannot register into her delegation.
    with pytest.raises(DomainError):
        reg.registration_create(
            actor=people["viewer"], event=event, delegation=delegation, full_name="Xa", country="VN"
        )
    promoted = reg.registration_cancel(actor=lead, registration=made[0])
    assert [p.full_name for p in promoted] == ["Hà Thị D"]
    event.registration_closes_at = dt.datetime(2024, 10, 1, tzinfo=dt.UTC)
    event.save()
    with pytest.raises(DomainError) as late:
        reg.registration_create(actor=lead, event=event, full_name="Late", country="VN")
    assert late.value.code == "closed"
    with pytest.raises(DomainError):
        reg.registration_create(actor=lead, event=event, full_name="Bad", country="Viet Nam")


def test_workshop_seats_and_waiting_list(event, admin, people, setup):
    event.capacity = 0
    event.save()
    workshop = s.session_save(
        actor=admin, event=event, title="Workshop", kind="workshop", room=setup["room_a"], capacity=2
    )
    lead = people["resident"]
    regs = [
        reg.registration_create(actor=lead, event=event, full_name=f"P{i}", country="TH") for i in range(3)
    ]
    books = [reg.session_book(actor=lead, registration=r, session=workshop) for r in regs]
    assert [b.status for b in books] == ["confirmed", "confirmed", "waitlisted"]
    with pytest.raises(DomainError):
        reg.session_book(actor=lead, registration=regs[0], session=workshop)
    reg.booking_cancel(actor=lead, booking=books[0])
    books[2].refresh_from_db()
    assert books[2].status == RegistrationStatus.CONFIRMED
    assert SessionBooking.objects.filter(session=workshop, status="confirmed").count() == 2


def test_checkin_refuses_forged_reused_and_other_event_codes(event, admin, people, city):
    lead = people["resident"]
    r = reg.registration_create(actor=lead, event=event, full_name="Lò Thị Xuân", country="VN")
    code = reg.badge_payload(r)
    steward = people["viewer"]
    stewards.steward_name(actor=admin, event=event, username=steward.username)
    done = reg.checkin_scan(actor=steward, event=event, code=code)
    assert done.registration == r
    with pytest.raises(DomainError) as reused:
        reg.checkin_scan(actor=steward, event=event, code=code)
    assert reused.value.code == "reused"
    with pytest.raises(DomainError) as forged:
        reg.checkin_scan(actor=steward, event=event, code=code[:-3] + "abc")
    assert forged.value.code == "forged"
    other = s.event_create(
        actor=admin,
        city=city,
        slug="other-event",
        title_vi="Khác",
        starts_on=dt.date(2024, 11, 1),
        ends_on=dt.date(2024, 11, 1),
    )
    stewards.steward_name(actor=admin, event=other, username=steward.username)
    with pytest.raises(DomainError) as elsewhere:
        reg.checkin_scan(actor=steward, event=other, code=code)
    assert elsewhere.value.code == "other_event"
    with pytest.raises(DomainError) as nobody:
        reg.checkin_scan(actor=people["resident"], event=event, code=code)
    assert nobody.value.code == "forbidden"
    assert CheckIn.objects.count() == 1
    r.refresh_from_db()
    assert r.checked_in_at is not None


def test_public_schedule_json_ics_and_frab_xml(client, city, event, admin, setup):
    s.schedule_release(actor=admin, event=event)
    # A change after the release is not public until the next release.
    s.session_save(
        actor=admin,
        event=event,
        title="Draft only",
        room=setup["room_a"],
        starts_at=at(29, 9),
        ends_at=at(29, 10),
    )
    data = client.get("/api/v1/events/asean3-test/schedule").json()
    assert data["version"] == 1
    assert [x["title"] for x in data["sessions"]] == ["Opening"]
    assert data["sessions"][0]["interpretation"] == ["vi", "th"]
    assert data["sessions"][0]["speakers"][0]["name_native"] == "อนา"
    ics = client.get("/api/v1/events/asean3-test/schedule.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    text = ics.content.decode()
    assert "BEGIN:VEVENT" in text
    assert "DTSTART:20241029T020000Z" in text
    xml = client.get("/api/v1/events/asean3-test/schedule.xml")
    root = ET.fromstring(xml.content)  # noqa: S314 - our own output
    assert root.tag == "schedule"
    ev = root.find("day/room/event")
    assert root.find("day").get("date") == "2024-10-29"
    assert ev.find("start").text == "09:00"
    assert ev.find("duration").text == "01:00"
    assert ev.find("persons/person").text == "Ana"
    one = client.get(f"/api/v1/events/asean3-test/sessions/{setup['opening'].pk}").json()
    assert one["title"] == "Opening"
    assert client.get("/api/v1/events/asean3-test/sessions/999999").status_code == 404
    assert client.get("/api/v1/events/nope").status_code == 404
    events = client.get("/api/v1/events").json()
    assert events[0]["slug"] == "asean3-test"
    assert events[0]["schedule_version"] == 1
    page = client.get(reverse("conference_schedule", args=[city.slug, event.slug]))
    assert page.status_code == 200
    assert "Opening" in page.content.decode()
    assert "Draft only" not in page.content.decode()
    room = client.get(reverse("conference_room", args=[city.slug, event.slug, setup["hall"].pk]))
    assert "Opening" in room.content.decode()


def test_agenda_feed_holds_only_the_chosen_sessions(client, city, event, admin, setup):
    s.session_save(
        actor=admin,
        event=event,
        title="Parallel B",
        room=setup["room_a"],
        starts_at=at(29, 9),
        ends_at=at(29, 10),
    )
    s.schedule_release(actor=admin, event=event)
    user = UserFactory(username="agenda")
    client.force_login(user)
    r = client.post(reverse("conference_favourite", args=[city.slug, event.slug, setup["opening"].pk]))
    assert r.status_code == 302
    page = client.get(reverse("conference_agenda", args=[city.slug, event.slug]))
    token = page.context["feed_token"]
    client.logout()
    feed = client.get(reverse("conference_agenda_ics", args=[city.slug, event.slug, token])).content.decode()
    assert "SUMMARY:Opening" in feed
    assert "Parallel B" not in feed
    assert (
        client.get(reverse("conference_agenda_ics", args=[city.slug, event.slug, "forged"])).status_code
        == 404
    )


def test_call_is_reviewed_by_the_competitions_engine_and_accepted_practice_published(
    event, admin, people, city, django_capture_on_commit_callbacks
):
    from learningcity.competitions.services.assignment import assignments_auto
    from learningcity.competitions.services.competitions import jury_member_add
    from learningcity.competitions.services.results import results_compute
    from learningcity.competitions.services.scoring import assignment_for, scores_save
    from learningcity.network import selectors as network_selectors

    from ..services import call

    now = dt.datetime.now(dt.UTC)
    call.call_open(
        actor=admin,
        event=event,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=10),
        judging_ends_at=now + dt.timedelta(days=20),
        kinds=["practice", "paper"],
        criteria=[("Tính mới", "Originality", 1)],
        questions=["How many learners?"],
        reviews_per_entry=1,
    )
    author = UserFactory(username="author", email="author@example.org")
    with pytest.raises(DomainError):
        call.contribution_submit(
            actor=author, event=event, kind="practice", title="Thai script clubs", answers={}
        )
    c = call.contribution_submit(
        actor=author,
        event=event,
        kind="practice",
        title="Thai script clubs",
        abstract="Clubs teaching the Thai script in villages.",
        answers={"How many learners?": "300"},
        from_city=city,
    )
    competition = event.competition
    for category in competition.categories.all():
        jury_member_add(actor=admin, category=category, judge=people["judge"])
    plan = assignments_auto(actor=admin, competition=competition)
    assert plan is not None
    assignment = assignment_for(judge=people["judge"], entry=c.entry)
    criterion = competition.criteria.get()
    scores_save(
        actor=people["judge"], assignment=assignment, values={criterion.pk: 8}, comment="Good", submit=True
    )
    results_compute(actor=admin, competition=competition)
    from ..selectors import contributions_of

    rows = contributions_of(event)
    assert rows[0]["result"].rank == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call.contribution_decide(actor=admin, contribution=c, accept=True)
    c.refresh_from_db()
    assert c.session is not None
    assert c.session.title == "Thai script clubs"
    assert c.session.speaker_links.get().speaker.user == author
    assert mail.outbox
    assert mail.outbox[0].to == ["author@example.org"]
    practice_id = call.contribution_publish_practice(actor=admin, contribution=c)
    practice = network_selectors.practice_get_for_city(city=city, pk=practice_id)
    assert practice.status == "published"
    with pytest.raises(DomainError):
        call.contribution_publish_practice(actor=admin, contribution=Contribution.objects.get(pk=c.pk))


def test_offline_checkin_through_the_fieldwork_hook(event, admin, people, steward):
    from ..field_actions import FIELD_ACTIONS, field_bundle

    r = reg.registration_create(
        actor=people["resident"], event=event, full_name="Lò Văn Offline", country="VN"
    )
    handler = FIELD_ACTIONS["conferences.checkin"]
    payload = {"event": event.slug, "code": reg.badge_payload(r), "at": "2024-10-29T01:30:00+00:00"}
    assert handler(city=event.city, user=steward, payload=payload, memo={})["registration"] == r.pk
    # a second scan (another steward, another door) is no conflict: nothing changes
    assert handler(city=event.city, user=steward, payload=payload, memo={}) == {"changed": False}
    assert r.checkins.count() == 1
    today = dt.date.today()
    type(event).objects.filter(pk=event.pk).update(starts_on=today, ends_on=today)  # the coming days
    kept = field_bundle(city=event.city, user=steward)
    badge = kept["events"][0]["badges"][r.badge_code]
    assert badge["in"] is True
    assert badge["code"] == reg.badge_payload(r)
    assert "country" not in badge
    assert "sex" not in badge
    forged = dict(payload, code=payload["code"][:-2] + "xx")
    with pytest.raises(DomainError) as refused:
        handler(city=event.city, user=steward, payload=forged, memo={})
    assert refused.value.code == "forged"
    assert field_bundle(city=event.city, user=people["resident"]) is None


def test_pages_register_a_delegation_refuse_a_duplicate_and_give_letters_and_certificates(
    client, city, event, admin, people
):
    lead = people["resident"]
    client.force_login(lead)
    url = reverse("conference_register", args=[city.slug, event.slug])
    member = {
        "delegation_name": "Sơn La",
        "full_name": "Lo Thi Xuan",
        "name_native": "Lò Thị Xuân",
        "country": "VN",
        "sex": "f",
        "visa_letter": "on",
    }
    assert client.post(url, member).status_code == 302
    count = Registration.objects.count()
    again = client.post(url, member)
    assert again.status_code == 200
    assert "already registered" in again.content.decode()
    assert Registration.objects.count() == count
    r = Registration.objects.get(full_name="Lo Thi Xuan")
    assert r.delegation.name == "Sơn La"
    assert r.delegation.lead == lead
    letter = client.get(reverse("conference_visa_letter", args=[city.slug, event.slug, r.pk]))
    assert letter["Content-Type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF")
    badge = client.get(reverse("conference_badge", args=[city.slug, event.slug, r.pk]))
    assert badge.content.startswith(b"%PDF")
    # No certificate before check-in.
    cert = reverse("conference_certificate", args=[city.slug, event.slug, r.pk])
    assert client.get(cert).status_code == 302
    reg.checkin_scan(actor=admin, event=event, code=reg.badge_payload(r))
    assert client.get(cert).content.startswith(b"%PDF")
    # Someone else's registration is not hers to see.
    client.force_login(people["viewer"])
    assert client.get(reverse("conference_badge", args=[city.slug, event.slug, r.pk])).status_code == 404
    client.force_login(admin)
    csv_text = client.get(
        reverse("conference_statistics", args=[city.slug, event.slug, "csv"])
    ).content.decode()
    assert "delegates,total,Confirmed delegates,<5" in csv_text
    assert "country,VN,VN,<5" in csv_text


def test_the_schedule_editor_page_shows_a_refusal_and_writes_nothing(client, city, event, admin, setup):
    client.force_login(admin)
    url = reverse("conference_manage", args=[city.slug, event.slug])
    response = client.post(
        url,
        {
            "title": "Clash",
            "kind": "parallel",
            "room": setup["hall"].pk,
            "day": "2024-10-29",
            "start": "09:30",
            "end": "10:30",
            "capacity": 0,
            "expected": 0,
        },
    )
    assert response.status_code == 200
    assert "already booked" in response.content.decode()
    assert not Session.objects.filter(title="Clash").exists()


def test_feedback_only_from_registered_delegates(client, city, event, admin, people, setup):
    from ..models import SessionFeedback

    url = reverse("conference_feedback", args=[city.slug, event.slug, setup["opening"].pk])
    client.force_login(people["viewer"])
    refused = client.post(url, {"rating": "4"})
    assert refused.status_code == 200
    assert "Only registered delegates" in refused.content.decode()
    assert not SessionFeedback.objects.exists()
    reg.registration_create(actor=people["viewer"], event=event, full_name="Hà Văn Tú", country="VN")
    assert client.post(url, {"rating": "9"}).status_code == 200  # out of range: the form refuses it
    assert client.post(url, {"rating": "4", "comment": "Useful"}).status_code == 302
    assert client.post(url, {"rating": "5"}).status_code == 302  # given again: replaced
    assert list(SessionFeedback.objects.values_list("rating", flat=True)) == [5]


def test_booking_a_workshop_seat_from_the_schedule(client, city, event, admin, people, setup):
    workshop = s.session_save(
        actor=admin,
        event=event,
        title="Workshop",
        kind="workshop",
        room=setup["room_a"],
        starts_at=at(30, 9),
        ends_at=at(30, 10),
        capacity=1,
    )
    s.schedule_release(actor=admin, event=event)
    url = reverse("conference_book", args=[city.slug, event.slug, workshop.pk])
    client.force_login(people["viewer"])
    assert (
        "Book a seat"
        in client.get(reverse("conference_schedule", args=[city.slug, event.slug])).content.decode()
    )
    client.post(url)
    assert not SessionBooking.objects.exists()  # not registered: nothing booked
    reg.registration_create(actor=people["viewer"], event=event, full_name="Hà Văn Tú", country="VN")
    client.post(url)
    reg.registration_create(actor=people["judge"], event=event, full_name="Nguyễn Thị Lan", country="VN")
    client.force_login(people["judge"])
    client.post(url)
    assert list(SessionBooking.objects.order_by("queue").values_list("status", flat=True)) == [
        "confirmed",
        "waitlisted",
    ]


def test_checkin_api_refuses_a_session_of_another_event_as_bad_input(event, people, client, steward):
    """The URL's event exists: a session id in the body that is not one of its sessions is a 400 naming the
    field, and nothing is checked in."""
    r = reg.registration_create(actor=people["resident"], event=event, full_name="Lò Thị Cửa", country="VN")
    client.force_login(people["viewer"])
    url = f"/api/v1/events/{event.slug}/checkins"
    body = {"code": reg.badge_payload(r), "session_id": 999999}
    answer = client.post(url, body, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["field"] == "session_id"
    assert r.checkins.count() == 0
    answer = client.post(url, {"code": reg.badge_payload(r)}, content_type="application/json")
    assert answer.status_code == 201
    assert r.checkins.count() == 1


def test_the_session_edit_page_fills_the_day_and_times_in_vietnamese_too(client, city, event, admin, setup):
    """The browser's date and time inputs read ISO values only: in the Vietnamese format (dd/mm/yyyy) the day
    came back empty, and saving the page unchanged took the session off the schedule."""
    client.force_login(admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    url = reverse("conference_session_edit", args=[city.slug, event.slug, setup["opening"].pk])
    page = client.get(url).content.decode()
    assert 'value="2024-10-29"' in page
    assert 'value="09:00"' in page
    assert 'value="10:00"' in page


def test_the_schedule_and_the_agenda_show_the_times_of_the_event_s_zone(client, city, event, admin, setup):
    s.schedule_release(actor=admin, event=event)
    s.favourite_toggle(actor=admin, session=setup["opening"])
    client.force_login(admin)
    for name in ("conference_schedule", "conference_agenda"):
        page = client.get(reverse(name, args=[city.slug, event.slug])).content.decode()
        assert ">09:00</time>–<time" in page  # 9:00 in Bangkok, not 02:00 UTC
    room = reverse("conference_room", args=[city.slug, event.slug, setup["hall"].pk])
    assert ">09:00</time>" in client.get(room).content.decode()
