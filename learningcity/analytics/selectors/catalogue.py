"""Reads of the indicator catalogue: frameworks and their structure, indicators, reported (manual) values."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from learningcity.core.models import City

from ..models import CatalogueVersion, Framework, FrameworkNode, Indicator, IndicatorTarget, ManualValue


def ensure_catalogue() -> None:
    """The shipped catalogue is loaded on first use (and by `manage.py analytics_catalogue` after changes)."""
    if not CatalogueVersion.objects.exists():
        from ..services.catalogue import catalogue_load

        catalogue_load()


def framework_list() -> list[Framework]:
    ensure_catalogue()
    return list(
        Framework.objects.prefetch_related(
            Prefetch(
                "nodes", queryset=FrameworkNode.objects.prefetch_related("indicators").order_by("position")
            )
        )
    )


def framework_tree(framework: Framework) -> list[dict[str, Any]]:
    """The framework's elements as nested dicts (uses the prefetched nodes: no query per node)."""
    nodes = list(framework.nodes.all())
    children: dict[int | None, list[FrameworkNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def build(parent_id):
        return [
            {
                "code": n.code,
                "kind": n.kind,
                "name": n.name,
                "indicators": [i.code for i in n.indicators.all() if i.is_active],
                "children": build(n.pk),
            }
            for n in children.get(parent_id, [])
        ]

    return build(None)


def indicator_list(*, city: City) -> QuerySet[Indicator]:
    ensure_catalogue()
    return (
        Indicator.objects.filter(is_active=True)
        .prefetch_related(
            Prefetch("nodes", queryset=FrameworkNode.objects.select_related("framework")),
            Prefetch(
                "targets",
                queryset=IndicatorTarget.objects.filter(city__isnull=True)
                | IndicatorTarget.objects.filter(city=city),
            ),
        )
        .order_by("position", "code")
    )


def indicator_get(*, code: str) -> Indicator:
    ensure_catalogue()
    return Indicator.objects.get(code=code, is_active=True)


def manual_value_list(*, city: City, exact: bool) -> QuerySet[ManualValue]:
    qs = ManualValue.objects.for_city(city).select_related("indicator", "area", "entered_by", "approved_by")
    if not exact:
        qs = qs.filter(status="approved")
    return qs.order_by("indicator__position", "-year")
