"""core.ratelimit: a fixed window per (scope, client), counted in one database row that every process shares."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import translation

from learningcity.core import ratelimit
from learningcity.core.models import RateLimitCounter

pytestmark = pytest.mark.django_db


def test_the_request_over_the_limit_is_refused_with_the_time_to_wait(settings):
    settings.RATELIMITS = {"vote": (3, 60)}
    t0 = 1_800_000_000  # a window boundary: 1_800_000_000 % 60 == 0
    assert [ratelimit.hit("vote", "user:1", now=t0 + i) for i in range(3)] == [1, 2, 3]
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.hit("vote", "user:1", now=t0 + 15)
    assert refused.value.retry_after == 45
    assert refused.value.code == "rate_limited"
    # Other clients and other scopes count apart.
    assert ratelimit.hit("vote", "user:2", now=t0 + 15) == 1
    assert ratelimit.hit("entry_submit", "user:1", now=t0 + 15) == 1
    # The next window starts afresh.
    assert ratelimit.hit("vote", "user:1", now=t0 + 60) == 1


def test_the_count_lives_in_the_database_not_in_a_process_cache(settings):
    """Each gunicorn worker has its own local-memory cache; the counter is a row all of them update."""
    settings.RATELIMITS = {"vote": (2, 60)}
    t0 = 1_800_000_000
    ratelimit.hit("vote", "user:7", now=t0)
    ratelimit.hit("vote", "user:7", now=t0 + 1)
    cache.clear()  # what another process would see of the cache: nothing
    row = RateLimitCounter.objects.get(bucket="vote:user:7")
    assert (row.count, row.window_start) == (2, t0)
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.hit("vote", "user:7", now=t0 + 2)


def test_the_message_is_translated():
    for lang, words in (("en", "Too many requests"), ("vi", "Quá nhiều yêu cầu")):
        with translation.override(lang):
            assert words in ratelimit.RateLimited(retry_after=30).message
    with translation.override("en"):
        assert "30 seconds" in ratelimit.RateLimited(retry_after=30).message
        assert "20 minutes" in ratelimit.RateLimited(retry_after=1200).message


def test_the_client_is_the_account_else_the_address_nginx_saw(settings):
    rf = RequestFactory()
    request = rf.post("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.0.0.1")
    request.user = type("Anon", (), {"is_authenticated": False})()
    assert ratelimit.client_of(request) == "ip:203.0.113.9"  # a client's own header is not trusted
    behind_nginx = rf.post("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.4")
    assert ratelimit.client_ip(behind_nginx) == "198.51.100.4"  # the address nginx appended
    request.user = type("User", (), {"is_authenticated": True, "pk": 42})()
    assert ratelimit.client_of(request) == "user:42"


def test_the_decorator_answers_429_before_the_view_runs(settings, rf):
    settings.RATELIMITS = {"entry_submit": (1, 3600)}
    calls = []

    @ratelimit.rate_limit("entry_submit")
    def view(request):
        calls.append(request.method)
        from django.http import HttpResponse

        return HttpResponse("ok")

    def request(method):
        r = getattr(rf, method)("/", REMOTE_ADDR="192.0.2.1")
        r.user = type("Anon", (), {"is_authenticated": False})()
        return r

    assert view(request("post")).status_code == 200
    refused = view(request("post"))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert view(request("get")).status_code == 200  # reading is never limited
    assert calls == ["POST", "GET"]


def test_the_api_answers_429():
    from config.api import domain_error

    response = domain_error(RequestFactory().get("/api/v1/"), ratelimit.RateLimited(retry_after=10))
    assert response.status_code == 429


def test_old_counters_are_pruned(settings, monkeypatch):
    t0 = 1_800_000_000
    ratelimit.hit("vote", "user:1", now=t0)
    monkeypatch.setattr(ratelimit.random, "random", lambda: 0.0)
    ratelimit.hit("vote", "user:2", now=t0 + ratelimit.PRUNE_AFTER + 120)
    assert list(RateLimitCounter.objects.values_list("bucket", flat=True)) == ["vote:user:2"]
