from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStamped, TranslatedText


class City(TimeStamped):
    """A learning city: the tenant every other row belongs to."""

    slug = models.SlugField(_("slug"), unique=True, max_length=60)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    country_code = models.CharField(_("country"), max_length=2, default="VN")
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Ho_Chi_Minh")
    gnlc_member_since = models.DateField(_("GNLC member since"), null=True, blank=True)
    center_lat = models.FloatField(_("centre latitude"), null=True, blank=True)
    center_lon = models.FloatField(_("centre longitude"), null=True, blank=True)
    # The province (or other area) inside which the city's places must lie.
    bounds = models.JSONField(
        _("bounds"), null=True, blank=True, help_text=_("[south, west, north, east] in degrees")
    )
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering: ClassVar[list[str]] = ["slug"]

    def __str__(self) -> str:
        return self.name

    name = TranslatedText()

    description = TranslatedText()

    def contains_point(self, lat: float, lon: float) -> bool:
        if not self.bounds:
            return True
        south, west, north, east = self.bounds
        return south <= lat <= north and west <= lon <= east
