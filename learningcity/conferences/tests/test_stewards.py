"""Stewards per event: an organiser names them (audit-logged); only they and the organisers check people in,
on the page, through the API and on the offline phone (the fieldwork bundle and its action)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from learningcity.core.errors import DomainError
from learningcity.core.models import AuditEntry

from ..field_actions import FIELD_ACTIONS, field_bundle
from ..models import CheckIn, Steward
from ..services import registration as reg
from ..services import stewards


def test_an_organiser_names_a_steward_who_alone_among_the_staff_checks_people_in(
    client, city, event, admin, people
):
    r = reg.registration_create(actor=people["resident"], event=event, full_name="Lò Văn Cửa", country="VN")
    code = reg.badge_payload(r)
    page = reverse("conference_checkin", args=[city.slug, event.slug])
    api = f"/api/v1/events/{event.slug}/checkins"
    client.force_login(people["viewer"])
    assert client.get(page).status_code == 403  # city staff, not named
    assert client.post(api, {"code": code}, content_type="application/json").status_code == 403
    client.force_login(people["space_coordinator"])
    assert (
        client.post(
            reverse("conference_stewards", args=[city.slug, event.slug]), {"username": "x"}
        ).status_code
        == 403
    )
    client.force_login(admin)
    answer = client.post(
        reverse("conference_stewards", args=[city.slug, event.slug]), {"username": people["viewer"].username}
    )
    assert answer.status_code == 302
    steward = Steward.objects.get(event=event)
    assert steward.user == people["viewer"]
    assert steward.named_by == admin
    named = AuditEntry.objects.filter(object_type="conferences.steward", action="create").get()
    assert named.actor_id == admin.pk
    client.force_login(people["viewer"])
    assert client.get(page).status_code == 200
    assert client.post(api, {"code": code}, content_type="application/json").status_code == 201
    other = people["space_coordinator"]
    client.force_login(other)
    assert client.get(page).status_code == 403
    with pytest.raises(DomainError) as refused:
        reg.checkin_scan(actor=other, event=event, code=code)
    assert refused.value.code == "forbidden"
    # Removed, she checks no one in any more.
    client.force_login(admin)
    remove = reverse("conference_steward_remove", args=[city.slug, event.slug, steward.pk])
    assert client.post(remove).status_code == 302
    assert not Steward.objects.exists()
    assert AuditEntry.objects.filter(object_type="conferences.steward", action="delete").count() == 1
    client.force_login(people["viewer"])
    assert client.get(page).status_code == 403
    assert CheckIn.objects.count() == 1


def test_naming_refuses_a_person_without_a_role_an_unknown_name_and_a_second_naming(event, admin, people):
    audits = AuditEntry.objects.count()
    with pytest.raises(DomainError, match="has no role in the organising city"):
        stewards.steward_name(actor=admin, event=event, username=people["resident"].username)
    with pytest.raises(DomainError, match="There is no account called “nobody-here”"):
        stewards.steward_name(actor=admin, event=event, username="nobody-here")
    with pytest.raises(DomainError) as not_organiser:
        stewards.steward_name(actor=people["viewer"], event=event, username=people["viewer"].username)
    assert not_organiser.value.code == "forbidden"
    assert AuditEntry.objects.count() == audits
    stewards.steward_name(actor=admin, event=event, username=people["viewer"].username)
    with pytest.raises(DomainError, match="already a steward"):
        stewards.steward_name(actor=admin, event=event, username=people["viewer"].username)
    assert Steward.objects.count() == 1


def test_the_offline_bundle_and_its_checkin_only_for_the_events_one_stewards(event, admin, people):
    today = dt.date.today()
    type(event).objects.filter(pk=event.pk).update(starts_on=today, ends_on=today)
    r = reg.registration_create(
        actor=people["resident"], event=event, full_name="Quàng Thị Mai", country="VN"
    )
    payload = {"event": event.slug, "code": reg.badge_payload(r)}
    handler = FIELD_ACTIONS["conferences.checkin"]
    staff = people["area_coordinator"]
    assert field_bundle(city=event.city, user=staff) is None
    with pytest.raises(DomainError) as refused:
        handler(city=event.city, user=staff, payload=payload, memo={})
    assert refused.value.code == "forbidden"
    stewards.steward_name(actor=admin, event=event, username=staff.username)
    (kept,) = field_bundle(city=event.city, user=staff)["events"]
    assert kept["slug"] == event.slug
    assert handler(city=event.city, user=staff, payload=payload, memo={})["registration"] == r.pk
    assert [e["slug"] for e in field_bundle(city=event.city, user=admin)["events"]] == [event.slug]


def test_the_staff_check_in_page_scans_with_the_shared_camera_scanner_and_only_it_may_use_the_camera(
    client, city, event, admin
):
    client.force_login(admin)
    page = client.get(reverse("conference_checkin", args=[city.slug, event.slug]))
    assert "camera=(self)" in page["Permissions-Policy"]
    html = page.content.decode()
    assert 'src="/static/core/scan.js"' in html  # the field app's page loads the same file
    assert 'data-jsqr="/static/core/vendor/jsqr/jsQR.min.js"' in html
    assert 'data-form="checkin-form" data-input="id_code" data-texts="scan-text"' in html
    assert 'id="scan-text" type="application/json"' in html
    assert "<script>" not in html  # no inline script
