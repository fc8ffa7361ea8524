"""Correcting a learner's record: the service's rules, who may do it, and the page."""

import datetime as dt

import pytest

from learningcity.core.errors import DomainError
from learningcity.core.models import AuditEntry
from learningcity.programmes import services
from learningcity.programmes.models import Consent, Learner
from learningcity.programmes.services.learners import LearnerInvalid

from .factories import LearnerFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db
BASE = "/son-la"


def _audit(learner):
    return AuditEntry.objects.filter(object_type="programmes.learner", object_id=str(learner.pk))


def test_update_changes_only_what_is_given_and_audits_the_changed_fields(people, members):
    learner = members[0]
    services.learner_update(
        actor=people["area_coordinator"], learner=learner, birth_year=1961, languages="vi, blt"
    )
    learner.refresh_from_db()
    assert learner.birth_year == 1961
    assert learner.languages == "vi, blt"
    assert learner.full_name == "Lò Thị Hoa"
    entry = _audit(learner).get(action=AuditEntry.Action.UPDATE)
    assert entry.changes == {"birth_year": [1960, 1961], "languages": ["", "vi, blt"]}
    assert entry.actor == people["area_coordinator"]
    # Saving the same values again writes no audit entry.
    services.learner_update(actor=people["area_coordinator"], learner=learner, birth_year=1961)
    assert _audit(learner).filter(action=AuditEntry.Action.UPDATE).count() == 1


def test_every_bad_field_is_named_and_nothing_changes(city, other_city, people, members):
    from learningcity.core.tests.factories import AreaFactory

    learner = members[0]
    foreign = AreaFactory(city=other_city, code="46001", name_vi="Phường Phú Xuân")
    with pytest.raises(LearnerInvalid) as exc:
        services.learner_update(
            actor=people["city_admin"],
            learner=learner,
            full_name="Lò Thị Hoà",
            birth_year=dt.date.today().year + 3,
            ethnicity="Klingon",
            area=foreign,
        )
    errors = exc.value.errors
    assert set(errors) == {"birth_year", "ethnicity", "area"}
    assert str(dt.date.today().year + 3) in errors["birth_year"]
    assert "Klingon" in errors["ethnicity"]
    assert "46001" in errors["area"]
    learner.refresh_from_db()
    assert learner.full_name == "Lò Thị Hoa"
    assert learner.birth_year == 1960
    assert learner.ethnicity == "03"
    assert not _audit(learner).filter(action=AuditEntry.Action.UPDATE).exists()
    for bad in [{"birth_year": 1850}, {"birth_year": -1}, {"sex": "Q"}, {"full_name": "  "}]:
        with pytest.raises(DomainError):
            services.learner_update(actor=people["city_admin"], learner=learner, **bad)
    with pytest.raises(DomainError):
        services.learner_update(actor=people["city_admin"], learner=learner, code="X1")


def test_messages_are_translated(people, members):
    from django.utils import translation

    with translation.override("vi"), pytest.raises(LearnerInvalid) as exc:
        services.learner_update(actor=people["city_admin"], learner=members[0], birth_year=1850)
    assert exc.value.errors["birth_year"] != "The year of birth 1850 is impossible."
    assert "1850" in exc.value.errors["birth_year"]


def test_ethnicity_aliases_and_disability_answers(people, members):
    learner = services.learner_update(
        actor=people["city_admin"],
        learner=members[1],
        ethnicity="H'Mông",
        disability_answers={"seeing": 1, "walking": "3"},
    )
    assert learner.ethnicity == "08"
    assert learner.has_disability is True
    assert learner.disability_answers == {"seeing": 1, "walking": 3}
    learner = services.learner_update(actor=people["city_admin"], learner=learner, disability_answers={})
    assert learner.has_disability is None
    with pytest.raises(LearnerInvalid) as exc:
        services.learner_update(actor=people["city_admin"], learner=learner, disability_answers={"seeing": 7})
    assert set(exc.value.errors) == {"disability_answers"}


@pytest.mark.parametrize(
    ("role", "may_edit", "may_edit_sensitive"),
    [
        ("city_admin", True, True),
        ("network_admin", True, True),
        ("area_coordinator", True, True),  # the learner lives in her ward (Mé Ban under Chiềng Cơi)
        ("space_coordinator", True, False),
        ("judge", False, False),
        ("viewer", False, False),
        ("resident", False, False),
    ],
)
def test_who_may_edit(people, members, role, may_edit, may_edit_sensitive):
    actor = people[role]
    learner = members[0]
    if may_edit:
        services.learner_update(actor=actor, learner=learner, birth_year=1962)
    else:
        with pytest.raises(DomainError) as exc:
            services.learner_update(actor=actor, learner=learner, birth_year=1962)
        assert exc.value.code == "forbidden"
    if may_edit_sensitive:
        services.learner_update(actor=actor, learner=learner, ethnicity="01")
        assert Learner.objects.get(pk=learner.pk).ethnicity == "01"
    else:
        with pytest.raises(DomainError) as exc:
            services.learner_update(actor=actor, learner=learner, ethnicity="01")
        assert exc.value.code == "forbidden"
        assert Learner.objects.get(pk=learner.pk).ethnicity == "03"


def test_area_coordinator_edits_only_in_her_subtree(city, people, areas):
    # Outside her subtree she corrects nothing (test_learner_privacy.py has the rest of the rule).
    elsewhere = LearnerFactory(city=city, area=areas["to_1"], ethnicity="01")
    for change in ({"full_name": "Nguyễn Văn An"}, {"ethnicity": "03"}):
        with pytest.raises(DomainError) as exc:
            services.learner_update(actor=people["area_coordinator"], learner=elsewhere, **change)
        assert exc.value.code == "forbidden"


def test_leading_a_programme_gives_no_learner_rights_beyond_the_role(city, people, members):
    """Leadership is no role (issue 16): a viewer who leads a programme corrects nobody; a space coordinator
    who leads one corrects people as her role lets her."""
    from learningcity.core.tests.factories import UserFactory, user_with_role

    leader = user_with_role(city, "viewer", username="leader")
    ProgrammeFactory(city=city).leaders.add(leader)
    with pytest.raises(DomainError):
        services.learner_update(actor=leader, learner=members[0], languages="blt")
    with pytest.raises(DomainError):
        services.learner_update(actor=UserFactory(username="nobody"), learner=members[0], languages="vi")
    coordinator = user_with_role(city, "space_coordinator", username="leader.coord")
    ProgrammeFactory(city=city).leaders.add(coordinator)
    services.learner_update(actor=coordinator, learner=members[0], languages="blt")
    members[0].refresh_from_db()
    assert members[0].languages == "blt"


def test_consent_given_and_withdrawn_by_the_update(people, members):
    learner = members[0]
    services.learner_update(
        actor=people["city_admin"],
        learner=learner,
        consents={"participation", "photos"},
        consent_method="spoken",
    )
    services.learner_update(actor=people["city_admin"], learner=learner, consents={"participation"})
    active = Consent.objects.filter(learner=learner, given=True, withdrawn_at__isnull=True)
    assert set(active.values_list("purpose", flat=True)) == {"participation"}
    assert Consent.objects.filter(learner=learner, purpose="photos", given=False).count() == 1
    assert Consent.objects.filter(learner=learner, purpose="photos", withdrawn_at__isnull=False).count() == 1
    with pytest.raises(LearnerInvalid):
        services.learner_update(actor=people["city_admin"], learner=learner, consents={"marketing"})


# --- the page ---


def test_learner_page_links_to_the_edit_page(client, people, members):
    client.force_login(people["space_coordinator"])
    html = client.get(f"{BASE}/manage/learners/{members[0].pk}/").content.decode()
    assert f"/son-la/manage/learners/{members[0].pk}/edit/" in html


def test_edit_page_corrects_the_birth_year(client, people, members, areas):
    learner = members[0]
    client.force_login(people["area_coordinator"])
    url = f"{BASE}/manage/learners/{learner.pk}/edit/"
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="1960"' in html
    assert 'name="ethnicity"' in html
    assert 'name="wg_seeing"' in html
    form = {
        "full_name": "Lò Thị Hoa",
        "sex": "F",
        "birth_year": "1966",
        "area": areas["me_ban"].pk,
        "languages": "",
        "ethnicity": "03",
        "consent": [],
    }
    response = client.post(url, form)
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}/manage/learners/{learner.pk}/"
    learner.refresh_from_db()
    assert learner.birth_year == 1966
    entry = _audit(learner).get(action=AuditEntry.Action.UPDATE)
    assert entry.changes == {"birth_year": [1960, 1966]}


def test_edit_page_shows_each_error_under_its_field_and_changes_nothing(client, people, members, areas):
    learner = members[0]
    client.force_login(people["city_admin"])
    response = client.post(
        f"{BASE}/manage/learners/{learner.pk}/edit/",
        {
            "full_name": "Lò Thị Hoa",
            "sex": "F",
            "birth_year": "1850",
            "area": areas["me_ban"].pk,
            "ethnicity": "03",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The year of birth 1850 is impossible." in html
    learner.refresh_from_db()
    assert learner.birth_year == 1960
    unknown_area = client.post(
        f"{BASE}/manage/learners/{learner.pk}/edit/",
        {"full_name": "Lò Thị Hoa", "birth_year": "1960", "area": 999999, "ethnicity": "03"},
    )
    assert unknown_area.status_code == 200
    assert 'class="error"' in unknown_area.content.decode()
    assert Learner.objects.get(pk=learner.pk).area == areas["me_ban"]


def test_edit_page_hides_sensitive_fields_from_a_space_coordinator(client, people, members, areas):
    learner = members[0]
    learner.disability_answers = {"walking": 3}
    learner.has_disability = True
    learner.save()
    client.force_login(people["space_coordinator"])
    url = f"{BASE}/manage/learners/{learner.pk}/edit/"
    html = client.get(url).content.decode()
    assert 'name="ethnicity"' not in html
    assert 'name="wg_walking"' not in html
    assert "Thái" not in html
    # Saving her form does not wipe what she cannot see.
    client.post(
        url, {"full_name": "Lò Thị Hoa", "sex": "F", "birth_year": "1960", "area": areas["me_ban"].pk}
    )
    learner.refresh_from_db()
    assert learner.ethnicity == "03"
    assert learner.disability_answers == {"walking": 3}


@pytest.mark.parametrize(("role", "status"), [("judge", 403), ("viewer", 403), ("resident", 403)])
def test_edit_page_refused(client, people, members, role, status):
    client.force_login(people[role])
    url = f"{BASE}/manage/learners/{members[0].pk}/edit/"
    assert client.get(url).status_code == status
    assert client.post(url, {"full_name": "X", "birth_year": "2000"}).status_code == status
    assert Learner.objects.get(pk=members[0].pk).full_name == "Lò Thị Hoa"


def test_edit_page_of_another_citys_learner_is_404(client, people, other_city):
    stranger = LearnerFactory(city=other_city)
    client.force_login(people["city_admin"])
    assert client.get(f"{BASE}/manage/learners/{stranger.pk}/edit/").status_code == 404


def test_edit_page_keeps_an_old_home_area(client, people, members, areas):
    """A person whose ward was merged away keeps it when someone corrects another field."""
    old = areas["to_hieu"]
    old.valid_to = dt.date(2025, 6, 30)
    old.save()
    learner = members[0]
    learner.area = old
    learner.save()
    client.force_login(people["city_admin"])
    url = f"{BASE}/manage/learners/{learner.pk}/edit/"
    assert f'value="{old.pk}" selected' in client.get(url).content.decode()
    client.post(
        url, {"full_name": "Lò Thị Hoa", "sex": "F", "birth_year": "1970", "area": old.pk, "ethnicity": "03"}
    )
    learner.refresh_from_db()
    assert learner.area == old
    assert learner.birth_year == 1970
