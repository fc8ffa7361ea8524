"""Dialogue: threads and replies of member cities, mentions and e-mails, moderation, refusals of bad content and
floods, members-only networks, the weekly digest."""

import datetime as dt

import pytest
from django.core import mail

from learningcity.core.errors import DomainError
from learningcity.core.models import AuditEntry, Role
from learningcity.core.ratelimit import RateLimited
from learningcity.core.tests.factories import UserFactory, user_with_role
from learningcity.network import services
from learningcity.network.models import Post, Thread
from learningcity.network.services.dialogue import weekly_digest


@pytest.fixture
def network(city, other_city):
    network = services.network_create(actor=None, slug="gnlc", name_vi="GNLC")
    services.cluster_create(actor=None, network=network, code="equity", name_vi="Công bằng", name_en="Equity")
    services.membership_add(actor=None, network=network, city=city, joined_on=dt.date(2024, 2, 14))
    services.membership_add(actor=None, network=network, city=other_city, joined_on=dt.date(2023, 1, 1))
    return network


@pytest.fixture
def hue_admin(other_city):
    return user_with_role(other_city, Role.CITY_ADMIN, username="hue.admin", email="hue@example.org")


def test_a_question_a_mention_and_an_answer(city, network, people, hue_admin):
    practice = services.practice_create(
        actor=None,
        city=city,
        slug="thai",
        language="vi",
        texts={"title": "Chữ Thái", "summary": "s"},
        published=True,
    )
    people["city_admin"].email = "sonla@example.org"
    people["city_admin"].save()
    thread = services.thread_create(
        actor=hue_admin, network=network, practice=practice, title="Teachers?", body="Who teaches? @son-la"
    )
    assert [c.slug for c in thread.posts.get().mentions.all()] == ["son-la"]
    assert any("sonla@example.org" in m.to for m in mail.outbox)
    mail.outbox.clear()
    services.post_create(actor=people["city_admin"], thread=thread, body="Elders of the hamlet.")
    assert [m.to for m in mail.outbox] == [["hue@example.org"]]  # the follower, not the author
    assert AuditEntry.objects.filter(object_type="network.post").count() == 2


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        "click <a href=x>here</a>",
        "x" * 5001,
        "   ",
        "<img src=x onerror=alert(1)>",
    ],
)
def test_script_or_oversize_content_is_refused(city, network, people, body):
    cluster = network.clusters.get()
    with pytest.raises(DomainError):
        services.thread_create(
            actor=people["viewer"], network=network, cluster=cluster, title="Hello", body=body
        )
    assert not Thread.objects.exists()
    assert not Post.objects.exists()


def test_people_of_other_cities_and_residents_cannot_post(city, network, people):
    cluster = network.clusters.get()
    with pytest.raises(DomainError, match="member cities"):
        services.thread_create(
            actor=people["resident"], network=network, cluster=cluster, title="Hi", body="Hello"
        )


def test_posting_is_rate_limited(city, network, people):
    cluster = network.clusters.get()
    thread = services.thread_create(
        actor=people["viewer"], network=network, cluster=cluster, title="T", body="1"
    )
    for i in range(9):
        services.post_create(actor=people["viewer"], thread=thread, body=f"reply {i}")
    with pytest.raises(RateLimited):
        services.post_create(actor=people["viewer"], thread=thread, body="one too many")
    assert thread.posts.count() == 10


def test_report_and_hide_with_a_reason(client, city, network, people):
    cluster = network.clusters.get()
    thread = services.thread_create(
        actor=people["viewer"], network=network, cluster=cluster, title="T", body="rude"
    )
    post = thread.posts.get()
    services.post_report(actor=people["judge"], post=post, reason="Rude")
    with pytest.raises(DomainError, match="coordinators"):
        services.post_hide(actor=people["city_admin"], post=post, reason="x")
    coordinator = UserFactory(username="coord.net")
    network.coordinators.add(coordinator)
    services.post_hide(actor=coordinator, post=post, reason="Not respectful")
    html = client.get(f"/networks/gnlc/discussions/{thread.pk}/").content.decode()
    assert "Not respectful" in html
    assert "rude" not in html
    assert AuditEntry.objects.filter(
        object_type="network.post", action="update", note="Not respectful"
    ).exists()


def test_members_only_dialogue(client, city, network, people):
    network.dialogue_public = False
    network.save()
    cluster = network.clusters.get()
    thread = services.thread_create(
        actor=people["viewer"], network=network, cluster=cluster, title="T", body="b"
    )
    assert client.get(f"/networks/gnlc/discussions/{thread.pk}/").status_code == 302  # to the login page
    client.force_login(people["resident"])
    assert client.get(f"/networks/gnlc/discussions/{thread.pk}/").status_code == 403
    client.force_login(people["judge"])
    assert client.get(f"/networks/gnlc/discussions/{thread.pk}/").status_code == 200


def test_weekly_digest_to_followers(city, network, people, hue_admin):
    cluster = network.clusters.get()
    thread = services.thread_create(
        actor=hue_admin, network=network, cluster=cluster, title="Budgets", body="b"
    )
    services.post_create(actor=people["viewer"], thread=thread, body="reply")
    mail.outbox.clear()
    assert weekly_digest(network=network) == 2  # the asker and the replier follow the thread
    assert "Budgets" in mail.outbox[0].body


def test_schedule_command_queues_the_digest(city, network):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    call_command("network_schedule", verbosity=0)
    assert DBTaskResult.objects.filter(task_path__endswith="weekly_digest").count() == 1
