"""Checking people in at an event offline: the conferences app's `field_actions` through the sync API."""

import uuid

import pytest
from django.utils import timezone

from learningcity.conferences.models import CheckIn, Registration, RegistrationStatus
from learningcity.conferences.services import registration as reg

from .conftest import API

pytestmark = pytest.mark.django_db


def act(payload, key=None):
    return {"key": key or uuid.uuid4().hex, "kind": "conferences.checkin", "payload": payload,
            "made_at": timezone.now().isoformat()}  # fmt: skip


def send(client, headers, actions):
    body = {"sent_at": timezone.now().isoformat(), "actions": actions}
    response = client.post(f"{API}/sync", body, content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_bundle_keeps_badges_names_and_flags_only(phone, conference):
    event, delegates = conference
    client, headers = phone
    kept = client.get(f"{API}/bundle", **headers).json()["sections"]["conferences"]
    (one,) = kept["events"]
    assert one["slug"] == event.slug
    assert set(one["badges"]) == {d.badge_code for d in delegates}
    badge = one["badges"][delegates[0].badge_code]
    assert badge["code"] == reg.badge_payload(delegates[0])
    assert badge["in"] is False
    assert set(badge) == {"name", "name_native", "code", "in"}  # no country, sex, needs or contact


def test_checkins_applied_once_a_second_scan_is_no_conflict_and_refusals_carry_their_reason(
    client, phone, people, conference
):
    event, (hoa, duc, xuan) = conference
    client, headers = phone
    first = [act({"event": event.slug, "code": reg.badge_payload(d), "session": None}) for d in (hoa, duc)]
    results = send(client, headers, first)
    assert [r["status"] for r in results] == ["applied", "applied"], results
    assert send(client, headers, first)[0]["status"] == "duplicate"  # sent again: applied once
    assert CheckIn.objects.filter(event=event).count() == 2
    again = send(client, headers, [act({"event": event.slug, "code": reg.badge_payload(hoa)})])  # other door
    assert again[0]["status"] == "applied"
    assert again[0]["result"] == {"changed": False}
    Registration.objects.filter(pk=xuan.pk).update(status=RegistrationStatus.CANCELLED)
    refused = send(
        client,
        headers,
        [
            act({"event": event.slug, "code": reg.badge_payload(xuan)}),
            act({"event": event.slug, "code": reg.badge_payload(duc)[:-3] + "abc"}),
            act({"event": "no-such-event", "code": reg.badge_payload(duc)}),
        ],
    )
    assert [(r["status"], r["code"]) for r in refused] == [
        ("conflict", "not_confirmed"),
        ("conflict", "forged"),
        ("conflict", "gone"),
    ]
    assert all(r["reason"] for r in refused)
    assert CheckIn.objects.filter(event=event).count() == 2


def test_a_resident_phone_keeps_no_event(client, people, conference):
    client.force_login(people["resident"])
    assert client.post(f"{API}/devices", {}, content_type="application/json").status_code in (401, 403)
