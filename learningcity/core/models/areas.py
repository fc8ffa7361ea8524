from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import CityScopedQuerySet, TimeStamped, TranslatedText
from .cities import City


class AreaLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District (before 2025)")
    WARD = "ward", _("Ward")
    COMMUNE = "commune", _("Commune")
    SPECIAL_ZONE = "special_zone", _("Special zone")
    HAMLET = "hamlet", _("Hamlet")
    RESIDENTIAL_GROUP = "residential_group", _("Residential group")


class AreaQuerySet(CityScopedQuerySet):
    def valid_on(self, day):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def current(self):
        return self.filter(valid_to__isnull=True)

    def descendants_of(self, area, include_self: bool = True):
        qs = self.filter(city_id=area.city_id, path__startswith=area.path)
        return qs if include_self else qs.exclude(pk=area.pk)


class Area(TimeStamped):
    """An administrative unit at any depth: province, ward or commune, hamlet, residential group.

    Units are versioned in time: the 2025 reform closed the old units (valid_to) and each old unit
    points to the unit(s) that replaced it (successors), so series can run across the reform.
    """

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="areas")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    code = models.CharField(_("official code"), max_length=32)
    level = models.CharField(_("level"), max_length=24, choices=AreaLevel.choices)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    search_text = models.CharField(max_length=400, blank=True, editable=False)
    lat = models.FloatField(_("centre latitude"), null=True, blank=True)
    lon = models.FloatField(_("centre longitude"), null=True, blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="predecessors", verbose_name=_("successors")
    )
    is_remote = models.BooleanField(_("remote"), default=False)
    source = models.CharField(_("data source"), max_length=120, blank=True)
    source_version = models.CharField(_("data source version"), max_length=40, blank=True)
    # Materialised path of primary keys ("/1/5/17/"), maintained by the area services.
    path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering: ClassVar[list[str]] = ["city", "path"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["city", "code", "valid_from"], name="area_unique_code_per_period"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="area_valid_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=True) | Q(lat__gte=-90, lat__lte=90), name="area_lat_range"
            ),
            models.CheckConstraint(
                condition=Q(lon__isnull=True) | Q(lon__gte=-180, lon__lte=180), name="area_lon_range"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["city", "level"]),
            models.Index(fields=["city", "search_text"]),
        ]

    def __str__(self) -> str:
        return self.name

    name = TranslatedText()

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]
