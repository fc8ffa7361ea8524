"""API authentication: bearer tokens for integrations, the session for the site's own pages."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from .auth_backends import user_by_id
from .errors import PermissionDeniedError
from .fixed_query import FixedQuery
from .models import ApiToken, TokenScope

_LIVE_TOKEN = FixedQuery(
    lambda key_hash: ApiToken.objects.filter(key_hash=key_hash, revoked_at__isnull=True), str, kept=True
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def user_for_token(raw: str, *, method: str = "GET"):
    """The owner of a live token (not revoked, not expired, active account), or None.

    A read-only token used for a write raises PermissionDeniedError (403): every API write comes through here."""
    if not raw or not raw.startswith("lc_"):
        return None
    now = timezone.now()
    # Two queries compiled once per process (core.fixed_query; on every API call: issue 17): the live token by its
    # hash, then its owner. The expiry and the owner's `is_active` are checked here.
    token = _LIVE_TOKEN.first(ApiToken.hash(raw))
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    user = user_by_id(token.user_id)
    if user is None or not user.is_active:
        return None
    if token.scope != TokenScope.WRITE and method.upper() not in SAFE_METHODS:
        raise PermissionDeniedError(_("This token is read-only: it may not change anything."))
    # "Last used" to the minute: a write on every request would queue every API read behind the database's
    # writer (SQLite has one) under load (issue 17); the conditional UPDATE writes at most once a minute.
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
    user.api_token_city_id = token.city_id  # type: ignore[attr-defined]  # a token acts only in its own city
    user.api_token_scope = token.scope  # type: ignore[attr-defined]
    return user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token, method=request.method or "GET")
        if user is not None:
            request.user = user
        return user


token_or_session = [TokenAuth(), SessionAuth()]


def api_user(request):
    """The caller of a public endpoint: token user, session user, or anonymous."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = user_for_token(header[7:].strip(), method=request.method or "GET")
        if user is not None:
            return user
        return AnonymousUser()
    return getattr(request, "user", AnonymousUser())


def token_city_allows(user, city) -> bool:
    """A token issued for one city never acts in another."""
    token_city = getattr(user, "api_token_city_id", None)
    return token_city is None or token_city == city.pk


def api_city_get(request, slug: str):
    """The city an authenticated API call acts in: 404 for an unknown city, 403 for a token of another city."""
    from .tenancy import city_get

    city = city_get(slug)
    if not token_city_allows(request.user, city):
        raise PermissionDeniedError(_("This token belongs to another city."))
    return city
