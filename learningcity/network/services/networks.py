"""Networks as data: a network, its clusters, members and coordinators; a new city made by the network admin."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError
from learningcity.core.models import Area, City, User
from learningcity.core.permissions import is_network_admin
from learningcity.core.services.areas import official_units_load
from learningcity.core.services.cities import city_create
from learningcity.core.text import normalize

from ..models import Cluster, Membership, Network

LANGUAGE_CODES = {"vi", "en", "th", "fr", "zh", "ja", "ko", "lo", "km", "id", "ms"}


def _require_admin(actor) -> None:
    if actor is not None and not is_network_admin(actor):
        raise DomainError(_("Only a network administrator may do this."), code="forbidden")


def network_create(
    *,
    actor,
    slug: str,
    name_vi: str,
    name_en: str = "",
    languages=("vi", "en"),
    dialogue_public: bool = True,
    description_vi: str = "",
    description_en: str = "",
    is_demo: bool = False,
) -> Network:
    _require_admin(actor)
    unknown = [code for code in languages if code not in LANGUAGE_CODES]
    if unknown:
        raise DomainError(
            _("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)}, field="languages"
        )
    if Network.objects.filter(slug=slug).exists():
        raise DomainError(_("A network with this slug already exists."), field="slug")
    with transaction.atomic():
        network = Network.objects.create(
            slug=slug,
            name_vi=normalize(name_vi),
            name_en=normalize(name_en),
            languages=list(languages),
            dialogue_public=dialogue_public,
            description_vi=normalize(description_vi),
            description_en=normalize(description_en),
            is_demo=is_demo,
        )
        audit.record_create(actor=actor, obj=network)
    return network


def cluster_create(*, actor, network: Network, code: str, name_vi: str, name_en: str = "", position: int = 0):
    if (
        actor is not None
        and not is_network_admin(actor)
        and not network.coordinators.filter(pk=actor.pk).exists()
    ):
        raise DomainError(_("Only the network's coordinators may add clusters."), code="forbidden")
    with transaction.atomic():
        cluster = Cluster.objects.create(
            network=network,
            code=code,
            name_vi=normalize(name_vi),
            name_en=normalize(name_en),
            position=position,
        )
        audit.record_create(actor=actor, obj=cluster)
    return cluster


def membership_add(*, actor, network: Network, city: City, joined_on: dt.date) -> Membership:
    _require_admin(actor)
    if Membership.objects.filter(network=network, city=city).exists():
        raise DomainError(_("The city is already a member of this network."), field="city")
    with transaction.atomic():
        membership = Membership.objects.create(network=network, city=city, joined_on=joined_on)
        audit.record_create(actor=actor, obj=membership, note=network.slug)
    return membership


def coordinator_add(*, actor, network: Network, user: User) -> None:
    """Give the network role "coordinator": moderates its discussions, compares its cities, adds clusters."""
    _require_admin(actor)
    with transaction.atomic():
        network.coordinators.add(user)
        audit.record(
            actor=actor,
            action="update",
            obj=network,
            changes={"coordinators": [None, user.pk]},
            note=_("coordinator added"),
        )


def city_create_with_areas(
    *,
    actor,
    slug: str,
    name_vi: str,
    name_en: str,
    province_code: str,
    legacy_district_codes=(),
    network: Network | None = None,
    joined_on: dt.date | None = None,
) -> tuple[City, dict]:
    """A new city with its official areas loaded in one step from the national data package (the province's
    current units, and the chosen pre-2025 districts' units with their successors), optionally joined to a
    network. All or nothing: a wrong province code creates no city."""
    _require_admin(actor)
    province_code = (province_code or "").strip()
    if not province_code.isdigit() or len(province_code) > 3:
        raise DomainError(_("A province code is one to three digits, such as 14."), field="province_code")
    codes = [c.strip() for c in legacy_district_codes if c.strip()]
    if any(not c.isdigit() for c in codes):
        raise DomainError(_("District codes are digits, such as 116."), field="legacy_district_codes")
    with transaction.atomic():
        city = city_create(actor=actor, slug=slug, name_vi=name_vi, name_en=name_en)
        result = official_units_load(
            actor=actor, city=city, province_code=province_code, legacy_district_codes=codes
        )
        province = Area.objects.filter(city=city, code=province_code).first()
        if province is not None and province.lat is not None:
            city.center_lat, city.center_lon = province.lat, province.lon
            city.save(update_fields=["center_lat", "center_lon", "updated_at"])
        if network is not None:
            membership_add(actor=actor, network=network, city=city, joined_on=joined_on or dt.date.today())
    return city, result
