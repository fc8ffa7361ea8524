"""What closed issue 18's gaps: the coordinators' page of reported messages, partnerships linked to the city's
programmes, the nightly recomputing of shared values in the task queue, the page that adds a city running its own
installation."""

import datetime as dt

import pytest
from django.utils import timezone

from learningcity.core.errors import DomainError
from learningcity.core.models import AuditEntry, Role
from learningcity.core.tests.factories import user_with_role
from learningcity.network import services
from learningcity.network.models import Partnership, Post, PostReport, RemoteCity, SharedValue


@pytest.fixture
def network(city, other_city):
    network = services.network_create(actor=None, slug="gnlc", name_vi="GNLC")
    services.cluster_create(actor=None, network=network, code="equity", name_vi="Công bằng", name_en="Equity")
    services.membership_add(actor=None, network=network, city=city, joined_on=dt.date(2024, 2, 14))
    services.membership_add(actor=None, network=network, city=other_city, joined_on=dt.date(2023, 1, 1))
    return network


@pytest.fixture
def reported(network, people, other_city):
    hue = user_with_role(other_city, Role.CITY_ADMIN, username="hue.admin")
    thread = services.thread_create(
        actor=hue, network=network, cluster=network.clusters.get(), title="Budgets", body="Rude words"
    )
    post = thread.posts.get()
    services.post_report(actor=people["viewer"], post=post, reason="Not respectful")
    services.post_report(actor=people["judge"], post=post, reason="Insulting")
    calm = services.post_create(actor=hue, thread=thread, body="A calm reply")
    return post, calm


# ------------------------------------------------------------------------------------------- moderation
def test_a_coordinator_sees_reported_messages_and_hides_one(client, network, people, reported):
    post, _calm = reported
    coordinator = user_with_role(post.city, Role.VIEWER, username="network.coord")
    network.coordinators.add(coordinator)
    client.force_login(coordinator)
    html = client.get("/networks/gnlc/moderation/").content.decode()
    assert "Rude words" in html
    assert "Not respectful" in html
    assert "Insulting" in html
    assert "A calm reply" not in html  # never reported

    response = client.post(
        "/networks/gnlc/moderation/", {"post": post.pk, "decision": "hidden", "reason": "Insults"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.hidden_reason == "Insults"
    assert post.hidden_at is not None
    assert set(PostReport.objects.values_list("decision", "decided_by")) == {("hidden", coordinator.pk)}
    assert AuditEntry.objects.filter(object_type="network.postreport", action="update").count() == 2
    assert AuditEntry.objects.filter(object_type="network.post", action="update", note="Insults").exists()
    html = client.get("/networks/gnlc/moderation/").content.decode()
    assert "No message is waiting for a decision." in html
    assert "Latest decisions" in html
    assert str(coordinator) in html


def test_keeping_a_message_closes_its_reports_and_leaves_it_shown(client, people, reported):
    post, _calm = reported
    client.force_login(people["network_admin"])
    assert client.post("/networks/gnlc/moderation/", {"post": post.pk, "decision": "kept"}).status_code == 302
    post.refresh_from_db()
    assert post.hidden_at is None
    assert set(PostReport.objects.values_list("decision", flat=True)) == {"kept"}
    # Deciding again on a message with no open report is refused, nothing changes.
    response = client.post(
        "/networks/gnlc/moderation/", {"post": post.pk, "decision": "hidden", "reason": "x"}
    )
    assert response.status_code == 400
    assert "already decided" in response.content.decode()
    post.refresh_from_db()
    assert post.hidden_at is None


def test_moderation_refusals(client, people, reported):
    post, _calm = reported
    client.force_login(people["city_admin"])  # a member city's administrator, not a coordinator
    assert client.get("/networks/gnlc/moderation/").status_code == 403
    assert client.post("/networks/gnlc/moderation/", {"post": post.pk, "decision": "kept"}).status_code == 403
    client.force_login(people["network_admin"])
    response = client.post("/networks/gnlc/moderation/", {"post": post.pk, "decision": "hidden"})
    assert response.status_code == 400  # hiding needs its reason
    assert "Give the reason" in response.content.decode()
    assert client.post("/networks/gnlc/moderation/", {"post": 999999, "decision": "kept"}).status_code == 404
    assert not PostReport.objects.exclude(decision="").exists()
    assert Post.objects.filter(hidden_at__isnull=False).count() == 0


def test_hiding_from_the_thread_closes_the_reports(people, reported):
    post, _calm = reported
    services.post_hide(actor=people["network_admin"], post=post, reason="Insults")
    assert set(PostReport.objects.values_list("decision", flat=True)) == {"hidden"}


# -------------------------------------------------------------------------------- partnership programmes
def test_a_partnership_covers_the_city_programmes(client, city, other_city, network, people):
    from learningcity.programmes.tests.factories import ProgrammeFactory

    mine = ProgrammeFactory(city=city, code="lau-lau", title_vi="Lau Lau", title_en="Lau Lau")
    theirs = ProgrammeFactory(city=other_city)
    client.force_login(people["city_admin"])
    data = {"title_vi": "Thí điểm", "kind": "pilot", "status": "active", "organisation": "Lau Lau Oy"}
    response = client.post("/son-la/manage/partnerships/", {**data, "programme_ids": [theirs.pk]})
    assert response.status_code == 400  # another city's programme is not even offered
    assert not Partnership.objects.exists()
    response = client.post(
        "/son-la/manage/partnerships/",
        {**data, "programme_ids": [mine.pk], "programme_names": "Finnish teacher exchange"},
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get()
    assert list(partnership.programmes.all()) == [mine]
    assert partnership.programme_names == ["Finnish teacher exchange"]
    html = client.get("/son-la/partnerships/").content.decode()
    assert f'href="/son-la/programmes/{mine.pk}/"' in html
    assert "Finnish teacher exchange" in html
    out = client.get("/api/v1/cities/son-la/partnerships").json()[0]
    assert out["programmes"] == [{"id": mine.pk, "code": "lau-lau", "title": "Lau Lau"}]
    assert out["programme_names"] == ["Finnish teacher exchange"]
    with pytest.raises(DomainError, match="programmes of its own city"):
        services.partnership_create(
            actor=None, city=city, title_vi="x", kind="pilot", programme_ids=[theirs.pk]
        )


# ------------------------------------------------------------------------------- shared values schedule
def test_shared_values_are_recomputed_on_a_schedule(client, demo):
    from django_tasks_db.models import DBTaskResult

    from learningcity.network.tasks import queue_once, shared_values_refresh_all

    city, _ctx = demo
    fresh = {(v.indicator_code, v.year): v.value for v in SharedValue.objects.filter(city=city)}
    assert fresh
    stale = timezone.now() - dt.timedelta(days=3)
    SharedValue.objects.filter(city=city).update(value=None, computed_at=stale)
    assert shared_values_refresh_all.call(True) >= len(fresh)
    again = {(v.indicator_code, v.year): v.value for v in SharedValue.objects.filter(city=city)}
    assert again == fresh
    assert not SharedValue.objects.filter(city=city, computed_at=stale).exists()
    waiting = DBTaskResult.objects.filter(task_path__endswith="shared_values_refresh_all", status="READY")
    assert waiting.count() == 1
    assert waiting.get().run_after > timezone.now() + dt.timedelta(hours=23)
    assert queue_once(shared_values_refresh_all, True) is False  # the schedule is not doubled
    code = next(iter(fresh))[0]
    slug = city.network_memberships.get().network.slug
    html = client.get(f"/networks/{slug}/compare/", {"indicator": code}).content.decode()
    assert "Figures computed between" in html


def test_the_schedule_command_queues_each_chain_once(network):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    call_command("network_schedule", verbosity=0)
    call_command("network_schedule", verbosity=0)
    paths = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert sum(p.endswith("shared_values_refresh_all") for p in paths) == 1
    assert sum(p.endswith("weekly_digest") for p in paths) == 1


# ------------------------------------------------------------------------------------------ remote city
def test_the_network_admin_adds_a_city_on_its_own_installation(client, network, people):
    from django_tasks_db.models import DBTaskResult

    client.force_login(people["city_admin"])
    assert client.get("/networks/gnlc/remote-cities/new/").status_code == 403
    client.force_login(people["network_admin"])
    assert client.get("/networks/gnlc/remote-cities/new/").status_code == 200
    data = {"base_url": "https://learning.example.org/", "slug": "luang-prabang", "joined_on": "2024-05-01"}
    response = client.post("/networks/gnlc/remote-cities/new/", data)
    assert response.status_code == 302
    remote = RemoteCity.objects.get()
    assert (remote.base_url, remote.slug, remote.joined_on) == (
        "https://learning.example.org",
        "luang-prabang",
        dt.date(2024, 5, 1),
    )
    assert AuditEntry.objects.filter(object_type="network.remotecity", action="create").exists()
    # The same city again, a bad address, a bad slug: refused with a reason, nothing added.
    for bad, reason in [
        (data, "already in the network"),
        ({**data, "base_url": "ftp://x.org"}, "must start with http"),
        ({**data, "base_url": "not an address"}, "Enter a valid URL"),
        ({**data, "slug": "Luang Prabang"}, "slug"),
    ]:
        response = client.post("/networks/gnlc/remote-cities/new/", bad)
        assert response.status_code == 400
        assert reason in response.content.decode()
    assert RemoteCity.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="harvest_remote_city").count() <= 1
