"""Budget lines of a city per year and phase, and the city's own budget codes mapped to COFOG per year."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from learningcity.core.models import City
from learningcity.core.models.base import CityScopedQuerySet, TimeStamped

from .cofog import COFOG_CHOICES


class Phase(models.TextChoices):
    """The phases of the Fiscal Data Package."""

    PROPOSED = "proposed", pgettext_lazy("budget phase", "proposed")
    APPROVED = "approved", pgettext_lazy("budget phase", "approved")
    ADJUSTED = "adjusted", pgettext_lazy("budget phase", "adjusted")
    EXECUTED = "executed", pgettext_lazy("budget phase", "executed")


class Source(models.TextChoices):
    STATE = "state", _("state budget")
    PROVINCE = "province", _("provincial budget")
    COMMUNITY = "community", _("community contributions")
    PRIVATE = "private", _("private")
    INTERNATIONAL = "international", _("international partner")


class FundedKind(models.TextChoices):
    """What a line funds that lives in another app and is linked by (kind, id)."""

    PARTNERSHIP = "partnership", _("partnership")
    PRACTICE = "practice", _("practice")


class CodeMapping(TimeStamped):
    """One of the city's budget codes in one year's version of its classification, mapped to COFOG.

    The city decides what counts: education (COFOG 09 by default; a library's 08.2 line may be counted too) and
    heritage (SDG 11.4.1: cultural and natural heritage, 08.2 by default)."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("budget code"), max_length=40)
    name = models.CharField(_("name"), max_length=300)
    cofog = models.CharField(_("COFOG function"), max_length=5, choices=COFOG_CHOICES)
    counts_as_education = models.BooleanField(_("counts as education"), default=False)
    counts_as_heritage = models.BooleanField(_("counts as cultural and natural heritage"), default=False)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget code")
        verbose_name_plural = _("budget codes")
        ordering = ("year", "code")
        constraints = (models.UniqueConstraint(fields=["city", "year", "code"], name="budget_code_per_year"),)

    def __str__(self) -> str:
        return f"{self.year} {self.code} → COFOG {self.cofog}"


class BudgetLine(TimeStamped):
    """An amount in VND of one year and phase, under one of the city's codes, from one source, spent by one unit.

    A line may fund a programme or a learning space (foreign keys), or a partnership or practice of the network
    app (by kind and id: budget imports nothing from it)."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices)
    code = models.ForeignKey(
        CodeMapping, on_delete=models.PROTECT, related_name="lines", verbose_name=_("code")
    )
    amount = models.DecimalField(
        _("amount (VND)"), max_digits=18, decimal_places=0, validators=[MinValueValidator(0)]
    )
    source = models.CharField(_("funding source"), max_length=14, choices=Source.choices)
    spending_unit = models.CharField(_("spending unit"), max_length=200)
    description = models.CharField(_("description"), max_length=500, blank=True)
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    space = models.ForeignKey(
        "places.LearningSpace", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    funded_kind = models.CharField(_("funds a"), max_length=12, choices=FundedKind.choices, blank=True)
    funded_id = models.PositiveBigIntegerField(_("funded object id"), null=True, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ("year", "phase", "code__code", "pk")
        indexes = (models.Index(fields=["city", "year", "phase"]),)
        constraints = (
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_not_negative"),
            models.CheckConstraint(
                condition=(Q(funded_kind="") & Q(funded_id__isnull=True))
                | (~Q(funded_kind="") & Q(funded_id__isnull=False)),
                name="budget_line_funded_pair",
            ),
        )

    def __str__(self) -> str:
        return f"{self.year} {self.phase} {self.amount} VND"
