"""Partnerships, discussions, and the people a city may invite."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Min, Prefetch, Q

from learningcity.core.models import City

from ..access import can_read_dialogue, is_coordinator
from ..models import (
    Cluster,
    Membership,
    Network,
    Partnership,
    PartnershipParty,
    Post,
    PostReport,
    Practice,
    Thread,
)
from .base import funding_of


# ----------------------------------------------------------------------------------------- partnerships
def partnership_list(*, city: City) -> list[Partnership]:
    """The city's partnerships, each with its costs where the budget links lines to it (`funding` or None)."""
    rows = list(
        Partnership.objects.for_city(city)
        .select_related("city")
        .prefetch_related(
            Prefetch("parties", queryset=PartnershipParty.objects.select_related("partner_city")),
            "practices",
            "documents",
            "programmes",
        )
        .order_by("-starts_on", "pk")
    )
    funding = funding_of(city, "partnership", [p.pk for p in rows]) if rows else {}
    for p in rows:
        p.funding = funding.get(p.pk)  # type: ignore[attr-defined]
    return rows


def partnership_get(*, city: City, pk: int) -> Partnership | None:
    """One of the city's partnerships, or None (another city's is None too)."""
    return Partnership.objects.for_city(city).filter(pk=pk).first()


def programme_choices(*, city: City) -> list[tuple[int, str]]:
    """The city's programmes a partnership may cover (read through programmes' selectors)."""
    from learningcity.programmes.selectors import programme_list

    return [(p.pk, f"{p.title} ({p.code})") for p in programme_list(city=city)]


def partnership_graph(*, network: Network) -> tuple[list[Partnership], list[tuple[str, str, str]]]:
    """The network's partnerships (kept by member cities) and the edges of who works with whom."""
    members = Membership.objects.filter(network=network, left_on__isnull=True, city__is_public=True).values(
        "city_id"
    )
    partnerships = list(
        Partnership.objects.filter(city_id__in=members)
        .select_related("city")
        .prefetch_related(
            Prefetch("parties", queryset=PartnershipParty.objects.select_related("partner_city")),
            "programmes",
        )
        .order_by("city__slug", "-starts_on", "pk")
    )
    by_city: dict[int, list[Partnership]] = defaultdict(list)
    for p in partnerships:
        by_city[p.city_id].append(p)
    for items in by_city.values():
        funding = funding_of(items[0].city, "partnership", [p.pk for p in items])
        for p in items:
            p.funding = funding.get(p.pk)  # type: ignore[attr-defined]
    edges = []
    for p in partnerships:
        for party in p.parties.all():
            other = party.partner_city.name if party.partner_city else party.organisation
            edges.append((p.city.name, other, p.title))
    return partnerships, edges


# -------------------------------------------------------------------------------------------- dialogue
def thread_list(
    *, network: Network, practice: Practice | None = None, cluster: Cluster | None = None
) -> list[Thread]:
    qs = Thread.objects.filter(network=network).select_related("city", "practice__city", "cluster")
    if practice is not None:
        qs = qs.filter(practice=practice)
    if cluster is not None:
        qs = qs.filter(cluster=cluster)
    return list(qs.annotate(post_count=Count("posts")).order_by("-last_post_at", "-pk")[:100])


def thread_get(*, network: Network, pk: int) -> Thread:
    return Thread.objects.select_related("city", "practice__city", "cluster", "network").get(
        network=network, pk=pk
    )


def post_list(*, thread: Thread) -> list[Post]:
    return list(
        thread.posts.select_related("city", "author")
        .prefetch_related("mentions")
        .order_by("created_at", "pk")
    )


def reported_posts(*, network: Network) -> list[Post]:
    """The network's messages with an open report, oldest report first, each with its open reports."""
    open_reports = PostReport.objects.filter(decision="").select_related("reporter", "city").order_by("pk")
    return list(
        Post.objects.filter(thread__network=network, reports__decision="")
        .distinct()
        .select_related("city", "author", "thread")
        .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_reports"))
        .annotate(first_report=Min("reports__pk", filter=Q(reports__decision="")))
        .order_by("first_report")
    )


def report_decisions(*, network: Network, limit: int = 30) -> list[PostReport]:
    """The latest decisions on reports in the network (who decided what, when), for the moderation page."""
    return list(
        PostReport.objects.filter(post__thread__network=network)
        .exclude(decision="")
        .select_related("post__thread", "post__city", "decided_by", "reporter")
        .order_by("-decided_at", "-pk")[:limit]
    )


def may_read_dialogue(user, network: Network) -> bool:
    return can_read_dialogue(user, network)


def may_moderate(user, network: Network) -> bool:
    return is_coordinator(user, network)


def invitable_areas(*, user, city: City) -> list:
    from learningcity.core.selectors import areas_managed_by

    return list(areas_managed_by(user=user, city=city).filter(valid_to__isnull=True).order_by("path"))


def invitable_spaces(*, user, city: City) -> list:
    from learningcity.places.selectors import spaces_editable_by

    return list(spaces_editable_by(user=user, city=city).select_related("area").order_by("name_vi")[:500])


def role_assignments(*, city: City) -> list:
    from learningcity.core.models import RoleAssignment

    return list(
        RoleAssignment.objects.filter(city=city)
        .select_related("user", "area")
        .order_by("role", "user__username")
    )


def invitation_list(*, city: City, user) -> list:
    from learningcity.core.permissions import is_city_admin

    from ..models import Invitation

    qs = Invitation.objects.for_city(city).select_related("area", "invited_by")
    if not is_city_admin(user, city):
        qs = qs.filter(invited_by=user)
    return list(qs.order_by("-created_at")[:100])
