"""Rate limits on public writes (votes, competition entries, password resets), shared by every process.

A fixed window per (scope, client): the first request of a window starts it, each request adds one, and a
request over the limit is refused before anything is written. The counter is one row of `core_ratelimitcounter`
updated by a single `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` (SQLite 3.35+ and PostgreSQL), so gunicorn
workers, the nodes behind a load balancer and a restart all see the same count (the per-process cache used
before let each worker count alone). The client is the account when logged in, else the IP address (behind the
local nginx: the last address nginx appended to X-Forwarded-For).

Limits are per scope in LIMITS; a deployment may change them with the setting RATELIMITS = {scope: (n, seconds)}.
Pages use the `rate_limit` decorator (HTTP 429 with a translated page); services call `hit` and get
`RateLimited`, a DomainError that the API answers with 429.
"""

from __future__ import annotations

import random
import time
from functools import wraps

from django.conf import settings
from django.db import connection
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import DomainError
from .models import RateLimitCounter

# scope: (requests, window in seconds)
LIMITS: dict[str, tuple[int, int]] = {
    "vote": (5, 60),  # vote attempts per person and minute
    "entry_submit": (20, 3600),  # competition entry forms sent per person and hour
    "entry_change": (30, 3600),  # edits and withdrawals of one's entries per person and hour
    "password_reset": (5, 3600),  # reset e-mails asked for per address (IP) and hour
    "password_set": (10, 3600),  # new passwords set through a reset link per IP and hour
}
PRUNE_AFTER = 86400  # counters idle for a day are deleted now and then


class RateLimited(DomainError):
    """Too many requests of one kind from one client: nothing was done; try again after `retry_after` s."""

    def __init__(self, retry_after: int):
        minutes = max(1, round(retry_after / 60))
        if retry_after < 90:
            wait = ngettext("%(n)d second", "%(n)d seconds", retry_after) % {"n": retry_after}
        else:
            wait = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
        super().__init__(
            _("Too many requests in a short time: nothing was saved. Please wait %(wait)s and try again.")
            % {"wait": wait},
            code="rate_limited",
        )
        self.retry_after = retry_after


def limit_for(scope: str) -> tuple[int, int]:
    configured = getattr(settings, "RATELIMITS", {}) or {}
    return tuple(configured.get(scope, LIMITS[scope]))  # type: ignore[return-value]


def hit(scope: str, client: str, *, now: float | None = None) -> int:
    """Count one request of `client` in `scope`; raise RateLimited when it goes over the limit."""
    limit, window = limit_for(scope)
    now_s = int(now if now is not None else time.time())
    start = now_s - now_s % window
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    sql = (
        f"INSERT INTO {table} (bucket, window_start, count) VALUES (%s, %s, 1) "  # noqa: S608 - a model's table
        f"ON CONFLICT (bucket) DO UPDATE SET "
        f"count = CASE WHEN {table}.window_start = excluded.window_start THEN {table}.count + 1 ELSE 1 END, "
        f"window_start = excluded.window_start RETURNING count"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"{scope}:{client}"[:200], start])
        count = cursor.fetchone()[0]
    if random.random() < 0.01:  # housekeeping, not security
        RateLimitCounter.objects.filter(window_start__lt=now_s - PRUNE_AFTER).delete()
    if count > limit:
        raise RateLimited(retry_after=max(1, start + window - now_s))
    return count


def client_of(request) -> str:
    """The account when logged in, else the client's IP address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = getattr(settings, "RATELIMIT_TRUSTED_PROXIES", ("127.0.0.1", "::1"))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if remote in trusted and forwarded:
        # nginx appends the address it saw ($proxy_add_x_forwarded_for): the last one is the only trusted one.
        return forwarded.split(",")[-1].strip() or remote
    return remote


def too_many(request, exc: RateLimited):
    response = render(request, "core/too_many_requests.html", {"message": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def rate_limit(scope: str, *, methods: tuple[str, ...] = ("POST",)):
    """Refuse a page's writes over the scope's limit with HTTP 429 before the view runs (nothing is written)."""
    limit_for(scope)  # an unknown scope fails at import time, not on the first request

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods:
                try:
                    hit(scope, client_of(request))
                except RateLimited as exc:
                    return too_many(request, exc)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
