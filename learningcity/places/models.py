"""Learning spaces: where people learn. (Foundation stub, extended by the atlas.)"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from learningcity.core.models import Area, City
from learningcity.core.models.base import CityScopedQuerySet, TimeStamped, translated


class SpaceType(TimeStamped):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="space_types")
    code = models.SlugField(_("code"), max_length=60)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("space type")
        verbose_name_plural = _("space types")
        constraints = [models.UniqueConstraint(fields=["city", "code"], name="spacetype_unique_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")


class LearningSpace(TimeStamped):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="spaces")
    space_type = models.ForeignKey(
        SpaceType, on_delete=models.PROTECT, related_name="spaces", verbose_name=_("type")
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="spaces", verbose_name=_("area"))
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    search_text = models.CharField(max_length=600, blank=True, editable=False)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_spaces",
        verbose_name=_("coordinators"),
    )

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("learning space")
        verbose_name_plural = _("learning spaces")
        indexes = [models.Index(fields=["city", "area"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")
