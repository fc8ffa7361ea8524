from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from .. import audit
from ..errors import DomainError
from ..models import City
from ..permissions import is_city_admin, is_network_admin
from ..text import normalize

# First path segments of the site that are not cities (config/urls.py): a city with such a slug could never be
# reached, and "networks" would hide the network pages (learningcity/network).
RESERVED_SLUGS = frozenset({"networks", "admin", "api", "accounts", "healthz", "i18n", "static", "media"})


def city_create(*, actor, slug: str, name_vi: str, name_en: str = "", **fields) -> City:
    if actor is not None and not is_network_admin(actor):
        raise DomainError(_("Only a network administrator may add cities."), code="forbidden")
    if slug in RESERVED_SLUGS:
        raise DomainError(_("This slug is reserved by the site; choose another."), field="slug")
    if City.objects.filter(slug=slug).exists():
        raise DomainError(_("A city with this slug already exists."), field="slug")
    with transaction.atomic():
        city = City.objects.create(
            slug=slug, name_vi=normalize(name_vi), name_en=normalize(name_en), **fields
        )
        audit.record_create(actor=actor, obj=city)
    return city


def city_update(*, actor, city: City, **changes) -> City:
    if not is_city_admin(actor, city):
        raise DomainError(_("Only a city administrator may change the city."), code="forbidden")
    allowed = {"name_vi", "name_en", "description_vi", "description_en", "time_zone", "is_public"}
    if set(changes) - allowed:
        raise DomainError(_("These fields cannot be changed here."))
    before = audit.snapshot(city)
    with transaction.atomic():
        for key, value in changes.items():
            setattr(city, key, normalize(value) if isinstance(value, str) else value)
        city.save()
        audit.record_update(actor=actor, obj=city, before=before)
    return city
