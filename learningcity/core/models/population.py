from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from .areas import Area
from .base import CityScopedQuerySet, TimeStamped
from .cities import City


class PopulationCount(TimeStamped):
    """How many people live in an area, by year, sex, age band and ethnicity: the denominators.

    A row with blank sex / age band / ethnicity is a total over that dimension. Entered or imported by the city,
    always with its source.
    """

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="population_counts")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="population_counts")
    year = models.PositiveSmallIntegerField(_("year"))
    sex = models.CharField(_("sex"), max_length=8, blank=True)
    age_band = models.CharField(_("age band"), max_length=8, blank=True)
    ethnicity = models.CharField(_("ethnicity code"), max_length=4, blank=True)
    count = models.PositiveIntegerField(_("people"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("population count")
        verbose_name_plural = _("population counts")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["city", "area", "year", "sex", "age_band", "ethnicity"], name="population_unique_cell"
            )
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["city", "year"])]
