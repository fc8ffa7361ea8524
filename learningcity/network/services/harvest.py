"""Harvesting cities that run their own installation: the hub reads each one's public API
(`/api/v1/cities/{slug}/network-profile`), checks it, and keeps it as the last good copy. A feed that cannot be
reached, is slow, too large, malformed or names another city's slug is refused with a reason: the copy stays."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError

from ..models import RemoteCity

SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")
TIMEOUT_S = 5
MAX_BYTES = 2_000_000


class FeedRefused(Exception):
    pass


def _fetch(url: str) -> bytes:
    if not url.startswith(("http://", "https://")):
        raise FeedRefused(_("The address must start with http:// or https://."))
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - scheme checked
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 - scheme checked
            data = response.read(MAX_BYTES + 1)
    except TimeoutError:
        raise FeedRefused(_("The installation did not answer in time.")) from None
    except urllib.error.HTTPError as exc:
        raise FeedRefused(
            _("The installation answered with an error (%(code)s).") % {"code": exc.code}
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise FeedRefused(_("The installation did not answer in time.")) from None
        raise FeedRefused(_("The installation could not be reached.")) from None
    if len(data) > MAX_BYTES:
        raise FeedRefused(_("The feed is too large."))
    return data


def _text(value: Any, limit: int) -> str:
    if not isinstance(value, str):
        raise FeedRefused(_("The feed is malformed."))
    return value[:limit]


def _number(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return str(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        raise FeedRefused(_("The feed is malformed.")) from None


def validate_feed(raw: bytes, slug: str) -> dict[str, Any]:
    """The parts of a feed the hub keeps, checked; FeedRefused with a reason otherwise."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise FeedRefused(_("The feed is not valid JSON.")) from None
    if not isinstance(data, dict) or not isinstance(data.get("practices"), list):
        raise FeedRefused(_("The feed is malformed."))
    if data.get("slug") != slug:
        raise FeedRefused(
            _("The feed claims to be another city (%(slug)s).") % {"slug": str(data.get("slug"))[:60]}
        )
    practices = []
    for item in data["practices"][:500]:
        if not isinstance(item, dict):
            raise FeedRefused(_("The feed is malformed."))
        practices.append(
            {
                "slug": _text(item.get("slug"), 80),
                "title": _text(item.get("title"), 200),
                "summary": _text(item.get("summary"), 2000),
                "original_language": _text(item.get("original_language", ""), 8),
            }
        )
    values = []
    for item in data.get("shared_values", [])[:2000]:
        if not isinstance(item, dict) or not isinstance(item.get("year"), int):
            raise FeedRefused(_("The feed is malformed."))
        if parse_datetime(str(item.get("computed_at", ""))) is None:
            raise FeedRefused(_("The feed is malformed."))
        values.append(
            {
                "indicator": _text(item.get("indicator"), 40),
                "year": item["year"],
                "value": _number(item.get("value")),
                "population": item.get("population") if isinstance(item.get("population"), int) else None,
                "suppressed": bool(item.get("suppressed")),
                "unit": _text(item.get("unit", ""), 12),
                "definition": _text(item.get("definition", ""), 64),
                "computed_at": item["computed_at"],
            }
        )
    facts = [[_text(a, 200), _text(b, 500)] for a, b in data.get("facts", [])[:50]]
    return {
        "name": _text(data.get("name", ""), 200),
        "lat": data.get("lat") if isinstance(data.get("lat"), int | float) else None,
        "lon": data.get("lon") if isinstance(data.get("lon"), int | float) else None,
        "facts": facts,
        "practices": practices,
        "shared_values": values,
    }


def remote_city_harvest(*, remote: RemoteCity) -> bool:
    """Harvest one city; True when a new copy was kept. A refusal is recorded; the last good copy stays."""
    url = f"{remote.base_url.rstrip('/')}/api/v1/cities/{remote.slug}/network-profile"
    now = timezone.now()
    try:
        payload = validate_feed(_fetch(url), remote.slug)
    except FeedRefused as exc:
        RemoteCity.objects.filter(pk=remote.pk).update(last_attempt_at=now, last_error=str(exc)[:300])
        remote.last_error = str(exc)[:300]
        return False
    before = audit.snapshot(remote)
    with transaction.atomic():
        remote.payload = payload
        remote.name = payload["name"] or remote.name
        remote.harvested_at = remote.last_attempt_at = now
        remote.last_error = ""
        remote.save()
        audit.record_update(actor=None, obj=remote, before=before, note=url[:300])
    return True


def remote_city_add(*, actor, network, base_url: str, slug: str, joined_on=None) -> RemoteCity:
    """A member city that runs its own installation: the hub will harvest its public feed (first in the task
    worker right after this, then on the network's schedule)."""
    from learningcity.core.permissions import is_network_admin

    if actor is not None and not is_network_admin(actor):
        raise DomainError(_("Only a network administrator may do this."), code="forbidden")
    base_url = (base_url or "").strip().rstrip("/")
    slug = (slug or "").strip().lower()
    if not base_url.startswith(("http://", "https://")):
        raise DomainError(_("The address must start with http:// or https://."), field="base_url")
    if len(base_url) > 200:
        raise DomainError(_("The address is too long (200 characters at most)."), field="base_url")
    if not SLUG_RE.fullmatch(slug):
        raise DomainError(
            _("A city's slug is lower-case letters, digits and hyphens, such as son-la."), field="slug"
        )
    if RemoteCity.objects.filter(network=network, base_url=base_url, slug=slug).exists():
        raise DomainError(_("This city of that installation is already in the network."), field="slug")
    with transaction.atomic():
        remote = RemoteCity.objects.create(network=network, base_url=base_url, slug=slug, joined_on=joined_on)
        audit.record_create(actor=actor, obj=remote, note=network.slug)
    return remote
