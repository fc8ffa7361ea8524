"""Writes to the area tree: create and edit units, keep their paths, import hamlets, load official units."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from importlib import metadata, resources

from django.db import transaction
from django.utils.translation import gettext as _

from .. import audit
from ..errors import DomainError, ImportRejected, RowError
from ..models import Area, AreaLevel, City
from ..permissions import can_manage_area
from ..tabular import as_dicts, read_table, require_columns
from ..text import fold, normalize

REFORM_DAY = dt.date(2025, 7, 1)
PACKAGE = "vietnamadminunits"


def _set_path(area: Area) -> None:
    parent_path = area.parent.path if area.parent_id and area.parent else "/"
    area.path = f"{parent_path}{area.pk}/"
    area.depth = parent_path.count("/") - 1
    Area.objects.filter(pk=area.pk).update(path=area.path, depth=area.depth)


def _check_point(city: City, lat, lon) -> None:
    if (lat is None) != (lon is None):
        raise DomainError(_("Give both latitude and longitude, or neither."), field="lat")
    if lat is not None and not city.contains_point(lat, lon):
        raise DomainError(_("The point lies outside the city's province."), field="lat")


def area_create(
    *,
    actor,
    city: City,
    code: str,
    level: str,
    name_vi: str,
    name_en: str = "",
    parent: Area | None = None,
    lat: float | None = None,
    lon: float | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    area_km2: float | None = None,
    source: str = "",
    source_version: str = "",
    check_permission: bool = True,
) -> Area:
    if parent is not None and parent.city_id != city.pk:
        raise DomainError(_("The parent area belongs to another city."), field="parent")
    if check_permission and not can_manage_area(actor, parent, city):
        raise DomainError(_("You may not add areas here."), code="forbidden")
    if level not in AreaLevel.values:
        raise DomainError(_("Unknown area level."), field="level")
    name_vi = normalize(name_vi)
    if not name_vi:
        raise DomainError(_("The area needs a Vietnamese name."), field="name_vi")
    code = normalize(code)
    if not code:
        raise DomainError(_("The area needs a code."), field="code")
    _check_point(city, lat, lon)
    if Area.objects.filter(city=city, code=code, valid_from=valid_from).exists():
        raise DomainError(_("An area with code %(code)s already exists.") % {"code": code}, field="code")
    with transaction.atomic():
        area = Area.objects.create(
            city=city,
            parent=parent,
            code=code,
            level=level,
            name_vi=name_vi,
            name_en=normalize(name_en),
            search_text=fold(f"{name_vi} {name_en} {code}"),
            lat=lat,
            lon=lon,
            valid_from=valid_from,
            valid_to=valid_to,
            area_km2=area_km2,
            source=source,
            source_version=source_version,
        )
        _set_path(area)
        audit.record_create(actor=actor, obj=area)
    return area


def area_update(*, actor, area: Area, **changes) -> Area:
    if not can_manage_area(actor, area):
        raise DomainError(_("You may not change this area."), code="forbidden")
    allowed = {"name_vi", "name_en", "lat", "lon", "valid_to", "is_remote", "area_km2"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))})
    lat = changes.get("lat", area.lat)
    lon = changes.get("lon", area.lon)
    _check_point(area.city, lat, lon)
    before = audit.snapshot(area)
    with transaction.atomic():
        for key, value in changes.items():
            setattr(area, key, normalize(value) if isinstance(value, str) else value)
        area.search_text = fold(f"{area.name_vi} {area.name_en} {area.code}")
        area.save()
        audit.record_update(actor=actor, obj=area, before=before)
    return area


HAMLET_COLUMNS = ["code", "name", "level", "parent_code"]


def _row_point(row: dict, city: City) -> tuple[float | None, float | None]:
    """The optional lat and lon of an import row, which must lie in the city's province when both are given."""
    try:
        lat = float(row["lat"].replace(",", ".")) if row.get("lat") else None
        lon = float(row["lon"].replace(",", ".")) if row.get("lon") else None
    except ValueError:
        raise DomainError(_("Latitude and longitude must be numbers."), field="lat") from None
    if lat is not None and lon is not None and not city.contains_point(lat, lon):
        raise DomainError(_("The point lies outside the city's province."), field="lat")
    return lat, lon


def _name_and_level_errors(row_no: int, name: str, level: str) -> list[RowError]:
    errors = []
    if not name:
        errors.append(RowError(row_no, "name", _("The name is empty.")))
    if level not in (AreaLevel.HAMLET, AreaLevel.RESIDENTIAL_GROUP):
        errors.append(RowError(row_no, "level", _("The level must be “hamlet” or “residential_group”.")))
    return errors


def hamlets_import(*, actor, city: City, stream, apply: bool) -> dict:
    """Import hamlets / residential groups from CSV or XLSX: all rows or none.

    Columns: code, name, level (hamlet | residential_group), parent_code, and optional lat, lon, name_en.
    Re-importing the same file changes nothing (rows whose code already exists with the same values are kept).
    """
    table = read_table(stream)
    require_columns(table, HAMLET_COLUMNS)
    parents = {a.code: a for a in Area.objects.filter(city=city).current()}
    existing = {
        a.code: a
        for a in Area.objects.filter(city=city, level__in=[AreaLevel.HAMLET, AreaLevel.RESIDENTIAL_GROUP])
    }
    errors: list[RowError] = []
    to_create: list[dict] = []
    seen: set[str] = set()
    unchanged = 0
    for row_no, row in as_dicts(table):
        code, name, level, parent_code = row["code"], row["name"], row["level"].lower(), row["parent_code"]
        if not code:
            errors.append(RowError(row_no, "code", _("The code is empty.")))
            continue
        if code in seen:
            errors.append(
                RowError(row_no, "code", _("The code %(code)s appears twice in the file.") % {"code": code})
            )
            continue
        seen.add(code)
        errors += _name_and_level_errors(row_no, name, level)
        parent = parents.get(parent_code)
        if parent is None:
            errors.append(
                RowError(
                    row_no, "parent_code", _("No current area has the code %(code)s.") % {"code": parent_code}
                )
            )
            continue
        try:
            lat, lon = _row_point(row, city)
        except DomainError as exc:
            errors.append(RowError(row_no, "lat", exc.message))
            continue
        if not can_manage_area(actor, parent):
            errors.append(
                RowError(
                    row_no, "parent_code", _("You may not add areas under %(name)s.") % {"name": parent.name}
                )
            )
            continue
        if code in existing:
            unchanged += 1
            continue
        to_create.append(
            {
                "code": code,
                "name_vi": name,
                "name_en": row.get("name_en", ""),
                "level": level,
                "parent": parent,
                "lat": lat,
                "lon": lon,
            }
        )
    if errors:
        raise ImportRejected(errors)
    if apply:
        with transaction.atomic():
            for data in to_create:
                area_create(actor=actor, city=city, check_permission=False, **data)
    return {"create": len(to_create), "unchanged": unchanged}


def _package_version() -> str:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "unknown"


def _dataset_path():
    return resources.files(PACKAGE).joinpath("data/dataset.db")


def _level_for(unit_type: str) -> str:
    t = fold(unit_type)
    if t.startswith("phuong"):
        return AreaLevel.WARD
    if t.startswith("dac khu"):
        return AreaLevel.SPECIAL_ZONE
    return AreaLevel.COMMUNE


def _successor_keys(converter: dict, *, province_key: str) -> dict[str, list[str]]:
    """Pre-reform ward key -> the keys of the wards it became (whole, or divided among several)."""
    old_to_new: dict[str, list[str]] = {}
    for new_key, old_keys in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].get(province_key, {}).items():
        for old_key in old_keys:
            old_to_new.setdefault(old_key, []).append(new_key)
    for old_key, targets in converter["DICT_PROVINCE_WARD_DIVIDED"].get(province_key, {}).items():
        for target in targets:
            old_to_new.setdefault(old_key, []).append(target["newWardKey"])
    return old_to_new


def official_units_load(*, actor, city: City, province_code: str, legacy_district_codes: list[str]) -> dict:
    """Load a province's current units (since the 2025 reform) and chosen pre-reform districts' units, with
    their successors, from the `vietnamadminunits` data package. Idempotent: existing codes are kept."""
    version = _package_version()
    source = f"{PACKAGE} (PyPI)"
    con = sqlite3.connect(f"file:{_dataset_path()}?mode=ro", uri=True)
    try:
        units = con.execute(
            "select province, provinceCode, provinceLat, provinceLon, ward, wardType, wardCode, wardLat, wardLon, "
            "wardAreaKm2, provinceKey, wardKey from admin_units where provinceCode = ? order by wardCode",
            [province_code],
        ).fetchall()
        if not units:
            raise DomainError(
                _("The data package has no province with code %(code)s.") % {"code": province_code}
            )
        legacy = []
        for district_code in legacy_district_codes:
            legacy += con.execute(
                "select district, districtCode, districtLat, districtLon, ward, wardType, wardCode, wardLat, wardLon, "
                "provinceKey, districtKey, wardKey from admin_units_legacy where districtCode = ? order by wardCode",
                [district_code],
            ).fetchall()
    finally:
        con.close()
    converter = json.loads(resources.files(PACKAGE).joinpath("data/converter_2025.json").read_text("utf-8"))

    created = 0
    with transaction.atomic():
        province_name, _code, plat, plon = units[0][0], units[0][1], units[0][2], units[0][3]
        province = Area.objects.filter(city=city, code=province_code, level=AreaLevel.PROVINCE).first()
        if province is None:
            province = area_create(
                actor=actor,
                city=city,
                code=province_code,
                level=AreaLevel.PROVINCE,
                name_vi=province_name,
                lat=plat,
                lon=plon,
                source=source,
                source_version=version,
                check_permission=False,
            )
            created += 1
        by_key: dict[str, Area] = {}
        for _p, _pc, _plat, _plon, ward, wtype, wcode, wlat, wlon, km2, _pkey, wkey in units:
            area = Area.objects.filter(city=city, code=wcode, valid_from=REFORM_DAY).first()
            if area is None:
                area = area_create(
                    actor=actor,
                    city=city,
                    code=wcode,
                    level=_level_for(wtype),
                    name_vi=ward,
                    parent=province,
                    lat=wlat,
                    lon=wlon,
                    area_km2=km2,
                    valid_from=REFORM_DAY,
                    source=source,
                    source_version=version,
                    check_permission=False,
                )
                created += 1
            by_key[wkey] = area
        old_to_new = _successor_keys(converter, province_key=units[0][10])
        districts: dict[str, Area] = {}
        for dname, dcode, dlat, dlon, ward, wtype, wcode, wlat, wlon, pkey, dkey, wkey in legacy:
            district = (
                districts.get(dcode)
                or Area.objects.filter(city=city, code=dcode, level=AreaLevel.DISTRICT).first()
            )
            if district is None:
                district = area_create(
                    actor=actor,
                    city=city,
                    code=dcode,
                    level=AreaLevel.DISTRICT,
                    name_vi=dname,
                    parent=province,
                    lat=dlat,
                    lon=dlon,
                    valid_to=REFORM_DAY - dt.timedelta(days=1),
                    source=source,
                    source_version=version,
                    check_permission=False,
                )
                created += 1
            districts[dcode] = district
            old = Area.objects.filter(
                city=city, code=wcode, valid_to=REFORM_DAY - dt.timedelta(days=1)
            ).first()
            if old is None:
                old = area_create(
                    actor=actor,
                    city=city,
                    code=wcode,
                    level=_level_for(wtype),
                    name_vi=ward,
                    parent=district,
                    lat=wlat,
                    lon=wlon,
                    valid_to=REFORM_DAY - dt.timedelta(days=1),
                    source=source,
                    source_version=version,
                    check_permission=False,
                )
                created += 1
            successors = [by_key[k] for k in old_to_new.get(f"{pkey}_{dkey}_{wkey}", []) if k in by_key]
            old.successors.add(*successors)
    return {"created": created, "source": source, "version": version}
