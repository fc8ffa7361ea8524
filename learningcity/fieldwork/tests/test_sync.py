"""The sync API: each action applied once however often it is sent, and every conflict kind with its reason."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from learningcity.core.models import RoleAssignment
from learningcity.fieldwork.models import AppliedAction, Device
from learningcity.programmes.models import Attendance, Headcount, Learner, SessionStatus
from learningcity.programmes.services import learner_erase, learner_merge

from .conftest import API

pytestmark = pytest.mark.django_db


def act(kind, payload, key=None, made_at=None):
    return {
        "key": key or uuid.uuid4().hex,
        "kind": f"programmes.{kind}",
        "payload": payload,
        "made_at": (made_at or timezone.now()).isoformat(),
    }


def send(phone, actions, sent_at=None):
    client, headers = phone
    body = {"sent_at": (sent_at or timezone.now()).isoformat(), "actions": actions}
    response = client.post(f"{API}/sync", body, content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def tick(session, learner, present=True, **extra):
    return act(
        "attendance",
        {"session_id": session.pk, "learner_id": learner.pk, "learner_code": learner.code, "present": present}
        | extra,
    )


def test_actions_sent_twice_are_applied_once_in_order(phone, sessions, members):
    s1, s2 = sessions
    actions = [
        tick(s1, members[0]),
        tick(s1, members[1]),
        tick(s1, members[1], present=False),  # a tap undone: order matters
        tick(s2, members[2]),
        act("newcomer", {"session_id": s2.pk, "full_name": "Lường Văn Tâm", "sex": "M", "birth_year": 2001}),
    ]
    first = send(phone, actions)
    assert [r["status"] for r in first] == ["applied"] * 5
    again = send(phone, actions)  # the answer was lost: the phone sends everything again
    assert [r["status"] for r in again] == ["duplicate"] * 5
    assert again[4]["result"] == first[4]["result"]
    assert set(Attendance.objects.filter(session=s1).values_list("learner_id", flat=True)) == {members[0].pk}
    assert Attendance.objects.filter(session=s2).count() == 2
    assert Learner.objects.filter(full_name="Lường Văn Tâm").count() == 1
    assert AppliedAction.objects.count() == 5


def test_a_newcomer_can_be_unticked_before_her_id_is_known(phone, sessions):
    s1 = sessions[1]
    add = act("newcomer", {"session_id": s1.pk, "full_name": "Vì Thị Lan"})
    untick = act(
        "attendance",
        {"session_id": s1.pk, "learner_id": 0, "present": False, "refs": {"learner_id": add["key"]}},
    )
    assert [r["status"] for r in send(phone, [add, untick])] == ["applied", "applied"]
    lan = Learner.objects.get(full_name="Vì Thị Lan")
    assert not Attendance.objects.filter(learner=lan).exists()


def test_altered_and_replayed_keys_are_refused(phone, client, sessions, members, people):
    action = tick(sessions[0], members[0])
    send(phone, [action])
    altered = dict(action, payload=dict(action["payload"], learner_id=members[1].pk))
    assert send(phone, [altered])[0]["code"] == "altered"
    other = client.post(f"{API}/devices", {}, content_type="application/json").json()["device"]
    assert send((client, {"HTTP_X_FIELD_DEVICE": other}), [action])[0]["code"] == "replayed"
    assert Attendance.objects.count() == 1


@pytest.mark.parametrize("kind", ["cancelled", "erased", "forbidden", "gone"])
def test_conflicts_have_a_reason_and_the_rest_is_still_applied(phone, sessions, members, people, space, kind):
    from learningcity.programmes.tests.factories import ProgrammeFactory, SessionFactory

    s1 = sessions[0]
    other = ProgrammeFactory(city=space.city)
    other.spaces.add(space)
    s2 = SessionFactory(programme=other, space=space)
    first = tick(s1, members[0])  # made offline, before what happened on the server
    if kind == "cancelled":
        s1.status = SessionStatus.CANCELLED
        s1.save()
    if kind == "erased":
        learner_erase(actor=people["city_admin"], learner=members[0])
    if kind == "forbidden":
        s1.programme.spaces.clear()
        s1.programme.area = None
        s1.programme.save()
    if kind == "gone":
        s1.delete()
    results = send(phone, [first, tick(s2, members[1])])
    assert (results[0]["status"], results[0]["code"]) == ("conflict", kind)
    assert results[0]["reason"]
    assert results[1]["status"] == "applied"
    assert Attendance.objects.filter(learner=members[1]).count() == 1


def test_role_taken_away_is_a_conflict_not_a_loss(phone, sessions, members, people):
    RoleAssignment.objects.filter(user=people["space_coordinator"]).delete()
    result = send(phone, [tick(sessions[0], members[0])])[0]
    assert result["code"] == "forbidden"
    assert not Attendance.objects.exists()
    client, headers = phone
    assert client.get(f"{API}/bundle", **headers).json()["sections"] == {}


def test_a_merged_person_offers_the_record_kept(phone, sessions, members, people):
    made_offline = tick(sessions[0], members[0])
    learner_merge(actor=people["city_admin"], keep=members[1], duplicate=members[0])
    result = send(phone, [made_offline])[0]
    assert result["code"] == "merged"
    assert result["resolution"]["learner_id"] == members[1].pk
    payload = {
        "session_id": sessions[0].pk,
        "learner_id": result["resolution"]["learner_id"],
        "present": True,
    }
    assert send(phone, [act("attendance", payload)])[0]["status"] == "applied"
    assert Attendance.objects.filter(session=sessions[0], learner=members[1]).count() == 1


def test_two_phones_same_headcount_and_same_newcomer(client, city, people, sessions, members):
    s = sessions[1]
    client.force_login(people["space_coordinator"])
    a = {
        "HTTP_X_FIELD_DEVICE": client.post(f"{API}/devices", {}, content_type="application/json").json()[
            "device"
        ]
    }
    counts = [{"sex": "F", "age_band": "25-64", "count": 12}]
    first = send((client, a), [act("headcount", {"session_id": s.pk, "counts": counts, "base_total": None})])
    assert first[0]["status"] == "applied"
    client.force_login(people["city_admin"])
    b = {
        "HTTP_X_FIELD_DEVICE": client.post(f"{API}/devices", {}, content_type="application/json").json()[
            "device"
        ]
    }
    mine = act(
        "headcount",
        {"session_id": s.pk, "counts": [{"sex": "M", "age_band": "25-64", "count": 9}], "base_total": None},
    )
    result = send((client, b), [mine])[0]
    assert result["code"] == "changed"
    assert "12" in result["reason"]
    forced = act("headcount", dict(mine["payload"], force=True))
    assert send((client, b), [forced])[0]["result"] == {"total": 9}
    assert sum(Headcount.objects.filter(session=s).values_list("count", flat=True)) == 9
    same = act("newcomer", {"session_id": s.pk, "full_name": "Cầm Văn Minh"})
    dup = send((client, b), [same])[0]
    assert (dup["code"], dup["resolution"]["learner_id"]) == ("duplicate", members[1].pk)
    assert Learner.objects.filter(full_name="Cầm Văn Minh").count() == 1


def test_a_wrong_clock_refuses_only_that_action(phone, sessions, members):
    now = timezone.now()
    late = tick(sessions[0], members[0])
    late["made_at"] = (now + dt.timedelta(days=3)).isoformat()  # recorded "in three days", sent now
    skewed = act(  # a phone 5 days behind, consistently: corrected, applied
        "attendance",
        {"session_id": sessions[0].pk, "learner_id": members[1].pk, "present": True},
        made_at=now - dt.timedelta(days=5, minutes=2),
    )
    results = send(phone, [late, skewed], sent_at=now - dt.timedelta(days=5))
    assert results[0]["code"] == "clock"
    assert results[1]["status"] == "applied"
    confirmed = act(
        "attendance", dict(late["payload"], confirm_clock=True), made_at=now + dt.timedelta(days=3)
    )
    assert send(phone, [confirmed])[0]["status"] == "applied"


def test_malformed_and_other_city_actions(phone, sessions, members, other_city):
    from learningcity.programmes.tests.factories import SessionFactory

    foreign = SessionFactory(programme__city=other_city)
    results = send(
        phone,
        [
            act("attendance", {"session_id": "x"}),
            act("unknown", {}),
            {"key": "short", "kind": "programmes.attendance", "payload": {}},
            tick(foreign, members[0]),
            tick(sessions[0], members[0]),
        ],
    )
    assert [r.get("code") for r in results] == ["invalid", "unknown", "invalid", "gone", None]
    client, headers = phone
    assert (
        client.post(
            "/api/v1/cities/hue/field/sync", {"actions": []}, content_type="application/json", **headers
        ).status_code
        == 400
    )
    too_many = {"actions": [tick(sessions[0], members[0]) for _ in range(201)]}
    assert client.post(f"{API}/sync", too_many, content_type="application/json", **headers).status_code == 422


def test_bundle_keeps_only_what_the_role_needs(phone, sessions, members, django_assert_max_num_queries):
    client, headers = phone
    with django_assert_max_num_queries(20):
        body = client.get(f"{API}/bundle", **headers).json()
    data = body["sections"]["programmes"]
    assert [s["id"] for s in data["sessions"]] == [s.pk for s in sessions]
    assert {p["name"] for p in data["learners"]} == {m.full_name for m in members}
    text = str(body)
    for secret in ("ethnicity", "disability", "birth_year", "'sex'", "1960"):
        assert secret not in text
    assert body["keep_days"] == 14
    assert Device.objects.get().bundle_at is not None


def test_people_without_an_organiser_role_keep_nothing(client, people, city):
    assert client.post(f"{API}/devices", {}, content_type="application/json").status_code in (401, 403)
    client.force_login(people["viewer"])
    key = client.post(f"{API}/devices", {}, content_type="application/json").json()["device"]
    assert client.get(f"{API}/bundle", HTTP_X_FIELD_DEVICE=key).json()["sections"] == {}
    client.force_login(people["resident"])
    assert client.post(f"{API}/devices", {}, content_type="application/json").status_code == 403


def test_a_signed_out_device_is_told_to_wipe(phone, client, people, city):
    client, headers = phone
    device = Device.objects.get()
    admin_client = type(client)()
    admin_client.force_login(people["city_admin"])
    page = admin_client.get("/son-la/manage/field/devices/")
    assert page.status_code == 200
    assert "Android" in page.content.decode()
    admin_client.post(f"/son-la/manage/field/devices/{device.pk}/sign-out/")
    response = client.get(f"{API}/bundle", **headers)
    assert response.status_code == 410
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    device.refresh_from_db()
    assert device.signed_out_at
    assert device.wiped_at
    assert client.get(f"{API}/device", **headers).status_code in (401, 410)  # the session ended with it


def test_only_a_city_admin_signs_devices_out(phone, client, people):
    client, _ = phone
    device = Device.objects.get()
    assert client.get("/son-la/manage/field/devices/").status_code == 403
    assert client.post(f"/son-la/manage/field/devices/{device.pk}/sign-out/").status_code == 403
    device.refresh_from_db()
    assert device.active


def test_a_resend_racing_the_first_send_is_a_duplicate_not_a_conflict(phone, sessions, monkeypatch):
    """The phone's first request was cut off (the page closed) while the server applied it; the resend's first
    look at the key came just before that commit, so the handler sees the newcomer already a member."""
    from learningcity.fieldwork import services

    add = act("newcomer", {"session_id": sessions[1].pk, "full_name": "Lò Văn Pọm"})
    first = send(phone, [add])[0]
    real = services._applied
    looks = []

    def first_look_too_early(city_id, key):
        looks.append(key)
        return None if len(looks) == 1 else real(city_id, key)

    monkeypatch.setattr(services, "_applied", first_look_too_early)
    again = send(phone, [add])[0]
    assert again == {
        "key": add["key"],
        "status": "duplicate",
        "result": first["result"],
        "code": None,
        "reason": None,
        "resolution": None,
    }
    assert Learner.objects.filter(full_name="Lò Văn Pọm").count() == 1


def test_old_keys_are_pruned_and_an_action_that_old_is_never_applied_again(
    phone, sessions, members, settings
):
    from django.core.management import call_command

    from learningcity.fieldwork.services import key_keep_days

    settings.FIELDWORK_KEY_KEEP_DAYS = 30
    assert key_keep_days() == 30
    now = timezone.now()
    old = tick(sessions[0], members[0])
    old["made_at"] = (now - dt.timedelta(days=31)).isoformat()
    old["payload"]["confirm_clock"] = True  # "send anyway" reaches back to the keep period, not beyond
    recent = tick(sessions[0], members[1])
    assert [r["status"] for r in send(phone, [old, recent])] == ["conflict", "applied"]
    assert send(phone, [old])[0]["code"] == "expired"
    applied = act("attendance", {**recent["payload"], "learner_id": members[2].pk, "learner_code": ""})
    send(phone, [applied])
    AppliedAction.objects.filter(key=recent["key"]).update(applied_at=now - dt.timedelta(days=31))
    call_command("fieldwork_prune", "--dry-run")
    assert AppliedAction.objects.count() == 2
    call_command("fieldwork_prune")
    assert list(AppliedAction.objects.values_list("key", flat=True)) == [applied["key"]]
    # The pruned action comes again (a phone offline since, its answer lost): made 31 days ago, so refused.
    recent["made_at"] = (now - dt.timedelta(days=31)).isoformat()
    [result] = send(phone, [recent])
    assert result["code"] == "expired"
    assert Attendance.objects.filter(session=sessions[0]).count() == 2
    untimed = tick(sessions[0], members[0])
    untimed["made_at"] = None
    assert send(phone, [untimed])[0]["code"] == "invalid"
