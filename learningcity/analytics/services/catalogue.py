"""Loading the versioned catalogue of frameworks and indicators from its data file."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from learningcity.core.errors import DomainError

from ..formulas import formula_problems
from ..models import CatalogueVersion, Framework, FrameworkNode, Indicator, IndicatorTarget

CATALOGUE_FILE = Path(__file__).resolve().parent.parent / "data" / "catalogue.json"


def _nodes(framework: Framework, items: list[dict], parent: FrameworkNode | None, seen: set[str]) -> None:
    for position, item in enumerate(items):
        node, _created = FrameworkNode.objects.update_or_create(
            framework=framework,
            code=item["code"],
            defaults={
                "parent": parent,
                "kind": item.get("kind", "focus"),
                "name_vi": item["name_vi"],
                "name_en": item.get("name_en", ""),
                "position": position,
            },
        )
        seen.add(item["code"])
        _nodes(framework, item.get("children", []), node, seen)


def catalogue_problems(data: Any) -> list[str]:
    problems: list[str] = []
    if not isinstance(data, dict) or not data.get("version"):
        return [_("The catalogue needs a version.")]
    node_refs: set[str] = set()

    def walk(fw: str, items: list[dict]) -> None:
        for item in items:
            if not item.get("code") or not item.get("name_vi"):
                problems.append(_("Framework %(fw)s: every element needs a code and a name.") % {"fw": fw})
                continue
            node_refs.add(f"{fw}:{item['code']}")
            walk(fw, item.get("children", []))

    for fw in data.get("frameworks", []):
        if not fw.get("code") or not fw.get("name_vi"):
            problems.append(_("Every framework needs a code and a name."))
            continue
        walk(fw["code"], fw.get("nodes", []))
    codes: set[str] = set()
    for ind in data.get("indicators", []):
        code = ind.get("code", "")
        if not code or code in codes:
            problems.append(_("Indicator code “%(code)s” is empty or repeated.") % {"code": code})
        codes.add(code)
        if ind.get("unit") not in Indicator.Unit.values:
            problems.append(_("Indicator %(code)s: unknown unit.") % {"code": code})
        problems += [f"{code}: {p}" for p in formula_problems(ind.get("formula"))]
        for ref in ind.get("nodes", []):
            if ref not in node_refs:
                problems.append(
                    _("Indicator %(code)s: unknown framework element %(ref)s.") % {"code": code, "ref": ref}
                )
    return problems


@transaction.atomic
def catalogue_load(*, path: Path | None = None, data: dict | None = None) -> dict:
    """Load (or update) frameworks and indicators from the catalogue file. Checks everything before writing.

    Indicators that left the file are kept (values may point to them) but marked inactive.
    """
    if data is None:
        raw = (path or CATALOGUE_FILE).read_bytes()
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise DomainError(_("The catalogue file is not valid JSON: %(e)s") % {"e": exc}) from None
    else:
        raw = json.dumps(data, sort_keys=True).encode()
    problems = catalogue_problems(data)
    if problems:
        raise DomainError("; ".join(problems))
    version = str(data["version"])
    checksum = hashlib.sha256(raw).hexdigest()
    for position, fw in enumerate(data.get("frameworks", [])):
        framework, _created = Framework.objects.update_or_create(
            code=fw["code"],
            defaults={
                "name_vi": fw["name_vi"],
                "name_en": fw.get("name_en", ""),
                "source": fw.get("source", ""),
                "position": position,
                "version": version,
            },
        )
        seen: set[str] = set()
        _nodes(framework, fw.get("nodes", []), None, seen)
        framework.nodes.exclude(code__in=seen).delete()
    nodes = {f"{n.framework.code}:{n.code}": n for n in FrameworkNode.objects.select_related("framework")}
    codes = []
    for position, ind in enumerate(data.get("indicators", [])):
        indicator, _created = Indicator.objects.update_or_create(
            code=ind["code"],
            defaults={
                "name_vi": ind["name_vi"],
                "name_en": ind.get("name_en", ""),
                "description_vi": ind.get("description_vi", ""),
                "description_en": ind.get("description_en", ""),
                "unit": ind["unit"],
                "formula": ind["formula"],
                "default_by": ind.get("default_by", ""),
                "position": position,
                "is_active": True,
                "version": version,
            },
        )
        indicator.nodes.set([nodes[ref] for ref in ind.get("nodes", [])])
        for year, value in (ind.get("targets") or {}).items():
            IndicatorTarget.objects.update_or_create(
                indicator=indicator,
                city=None,
                year=int(year),
                defaults={"value": Decimal(str(value)), "note": ind.get("target_note", "")},
            )
        codes.append(ind["code"])
    Indicator.objects.exclude(code__in=codes).update(is_active=False)
    CatalogueVersion.objects.update_or_create(version=version, defaults={"checksum": checksum})
    return {
        "version": version,
        "frameworks": len(data.get("frameworks", [])),
        "nodes": len(nodes),
        "indicators": len(codes),
    }
