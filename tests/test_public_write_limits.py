"""Every public write (anyone, or any resident with an account) is rate limited: over the limit the answer is
HTTP 429 with a translated message, and nothing is written. Limits are lowered here through RATELIMITS.

The public writes, found by reading the URL configuration for POST handlers that need no role: a competition
entry (new, edit, withdraw), a people's-choice vote, the password-reset request and the new password set through
a reset link. Logging in is limited by django-axes (tests/test_security.py)."""

import pytest
from django.core import mail

from learningcity.competitions.models import Entry, EntryStatus, Vote
from learningcity.competitions.services.submissions import entry_submit
from learningcity.competitions.tests.factories import setup_competition, text_file
from learningcity.core.models import RateLimitCounter

pytestmark = pytest.mark.django_db


@pytest.fixture
def comp(city, people):
    competition, poems, _arts, _panel = setup_competition(city, judges=1, peoples_choice=True)
    return competition, poems


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _refused(response, lang="en"):
    assert response.status_code == 429, response.status_code
    assert int(response["Retry-After"]) > 0
    text = response.content.decode()
    assert ("Too many requests" if lang == "en" else "Quá nhiều yêu cầu") in text
    return text


def test_competition_entries_over_the_limit_get_429_and_nothing_is_saved(client, settings, comp, people):
    settings.RATELIMITS = {"entry_submit": (2, 3600)}
    competition, poems = comp
    client.force_login(people["resident"])
    url = f"/son-la/competitions/{competition.slug}/enter/"
    for i in range(2):
        ok = client.post(url, {"category": poems.pk, "title": f"Bài {i}", "files": [text_file()]})
        assert ok.status_code == 302
    assert client.get(url).status_code == 200  # reading the form is never limited
    _refused(client.post(url, {"category": poems.pk, "title": "Bài 3", "files": [text_file()]}))
    assert not Entry.objects.filter(title="Bài 3").exists()
    assert Entry.objects.filter(entrant=people["resident"]).count() == 2
    # Another person is not held back by her.
    client.force_login(people["viewer"])
    assert (
        client.post(url, {"category": poems.pk, "title": "Khác", "files": [text_file()]}).status_code == 302
    )


def test_editing_and_withdrawing_an_entry_over_the_limit_get_429(client, settings, comp, people):
    settings.RATELIMITS = {"entry_change": (1, 3600)}
    competition, poems = comp
    entry = entry_submit(
        actor=people["resident"], competition=competition, category=poems, title="Gốc", files=[text_file()]
    )
    client.force_login(people["resident"])
    base = f"/son-la/competitions/{competition.slug}/entries/{entry.receipt}"
    assert client.post(f"{base}/edit/", {"title": "Sửa 1"}).status_code == 302
    _refused(client.post(f"{base}/edit/", {"title": "Sửa 2"}))
    _refused(client.post(f"{base}/withdraw/"))
    entry.refresh_from_db()
    assert entry.title == "Sửa 1"
    assert entry.status == EntryStatus.SUBMITTED


def test_votes_over_the_limit_get_429_in_vietnamese_and_count_nothing(client, settings, comp, people):
    settings.RATELIMITS = {"vote": (1, 60)}
    competition, poems = comp
    entry = entry_submit(
        actor=people["resident"],
        competition=competition,
        category=poems,
        title="Thơ",
        files=[text_file()],
        gallery_consent=True,
    )
    client.force_login(people["viewer"])
    url = f"/son-la/competitions/{competition.slug}/gallery/{entry.pk}/vote/"
    assert client.post(url).status_code == 302
    assert Vote.objects.filter(voter=people["viewer"]).count() == 1
    Vote.objects.all().delete()  # even a vote that would be valid is refused over the limit
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    _refused(client.post(url), lang="vi")
    assert not Vote.objects.exists()


def test_votes_are_counted_in_the_shared_table(client, settings, comp, people):
    competition, poems = comp
    entry = entry_submit(
        actor=people["resident"],
        competition=competition,
        category=poems,
        title="Thơ",
        files=[text_file()],
        gallery_consent=True,
    )
    client.force_login(people["viewer"])
    client.post(f"/son-la/competitions/{competition.slug}/gallery/{entry.pk}/vote/")
    assert RateLimitCounter.objects.get(bucket=f"vote:user:{people['viewer'].pk}").count == 1


def test_password_reset_requests_over_the_limit_get_429_and_send_no_mail(client, settings, people):
    settings.RATELIMITS = {"password_reset": (2, 3600)}
    user = people["resident"]
    user.email = "resident@example.invalid"
    user.save()
    for _ in range(2):
        assert client.post("/accounts/password-reset/", {"email": user.email}).status_code == 302
    assert len(mail.outbox) == 2
    _refused(client.post("/accounts/password-reset/", {"email": user.email}))
    assert len(mail.outbox) == 2
    # Behind nginx each visitor is counted by the address nginx saw, not as one 127.0.0.1.
    other = client.post(
        "/accounts/password-reset/",
        {"email": user.email},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert other.status_code == 302
    assert len(mail.outbox) == 3


def test_setting_a_new_password_over_the_limit_gets_429(client, settings, people):
    settings.RATELIMITS = {"password_set": (1, 3600)}
    url = "/accounts/reset/MQ/set-password/"
    client.post(url, {"new_password1": "x", "new_password2": "x"})
    _refused(client.post(url, {"new_password1": "x", "new_password2": "x"}))
    assert client.get(url).status_code != 429  # opening the link is not limited
