"""API authentication: bearer tokens for integrations, the session for the site's own pages."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from .models import ApiToken


def user_for_token(raw: str):
    if not raw or not raw.startswith("lc_"):
        return None
    token = (
        ApiToken.objects.select_related("user", "city")
        .filter(key_hash=ApiToken.hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    user = token.user
    user.api_token_city_id = token.city_id  # type: ignore[attr-defined]  # a token acts only in its own city
    return user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


token_or_session = [TokenAuth(), SessionAuth()]


def api_user(request):
    """The caller of a public endpoint: token user, session user, or anonymous."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = user_for_token(header[7:].strip())
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
    from django.utils.translation import gettext as _

    from .errors import PermissionDeniedError
    from .tenancy import city_get

    city = city_get(slug)
    if not token_city_allows(request.user, city):
        raise PermissionDeniedError(_("This token belongs to another city."))
    return city
