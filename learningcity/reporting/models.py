"""The GNLC city profile, and reports (the biennial progress report to UNESCO, the yearly national report on
Decision 1373/QĐ-TTg) with their sections, evidence, review comments, frozen snapshots and generated documents."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from learningcity.core.models import City
from learningcity.core.models.base import CityScopedQuerySet, TimeStamped, TranslatedText

PROFILE_WORD_LIMIT = 200


class GnlcProfile(TimeStamped):
    """The fields of the GNLC membership form; empty numbers are filled from the platform's data when shown."""

    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="+")
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population: data year"), null=True, blank=True)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    area_year = models.PositiveSmallIntegerField(_("area: data year"), null=True, blank=True)
    gdp_city_usd = models.DecimalField(
        _("GDP per capita of the city (USD)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    gdp_city_year = models.PositiveSmallIntegerField(_("GDP of the city: data year"), null=True, blank=True)
    gdp_country_usd = models.DecimalField(
        _("GDP per capita of the country (USD)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    gdp_country_year = models.PositiveSmallIntegerField(
        _("GDP of the country: data year"), null=True, blank=True
    )
    schooling_men = models.DecimalField(
        _("average years of schooling, men"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    schooling_women = models.DecimalField(
        _("average years of schooling, women"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    schooling_year = models.PositiveSmallIntegerField(_("schooling: data year"), null=True, blank=True)
    mayor = models.CharField(_("mayor"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    motivation_vi = models.TextField(_("motivation (Vietnamese)"), blank=True)
    motivation_en = models.TextField(_("motivation (English)"), blank=True)
    implementation_vi = models.TextField(_("implementation (Vietnamese)"), blank=True)
    implementation_en = models.TextField(_("implementation (English)"), blank=True)
    challenges = models.JSONField(_("challenges rated 1 to 5"), default=dict, blank=True)

    motivation = TranslatedText()
    implementation = TranslatedText()

    class Meta:
        verbose_name = _("GNLC city profile")
        verbose_name_plural = _("GNLC city profiles")

    def __str__(self) -> str:
        return f"GNLC profile {self.city_id}"


class ReportKind(models.TextChoices):
    BIENNIAL = "biennial", _("GNLC biennial progress report")
    NATIONAL = "national", _("national report on Decision 1373/QĐ-TTg")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEW = "review", _("in review")
    APPROVED = "approved", _("approved")


class Report(TimeStamped):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    title = models.CharField(_("title"), max_length=300)
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(_("to year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_version"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    snapshot = models.JSONField(_("frozen figures"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ("-year_to", "kind", "-version")
        constraints = (
            models.UniqueConstraint(
                fields=["city", "kind", "year_from", "year_to", "version"], name="report_version"
            ),
            models.CheckConstraint(
                condition=models.Q(year_from__lte=models.F("year_to")), name="report_years"
            ),
        )

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_editable(self) -> bool:
        return self.status != ReportStatus.APPROVED


class Section(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    narrative_vi = models.TextField(_("narrative (Vietnamese)"), blank=True)
    narrative_en = models.TextField(_("narrative (English)"), blank=True)
    word_limit = models.PositiveSmallIntegerField(_("word limit"), default=500)

    narrative = TranslatedText()

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        ordering = ("report", "position")
        constraints = (models.UniqueConstraint(fields=["report", "key"], name="report_section_key"),)

    def __str__(self) -> str:
        return f"{self.report_id}:{self.key}"


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("photo")
    DOCUMENT = "document", _("document")
    CASE_STUDY = "case_study", _("case study")


def _evidence_path(instance, filename: str) -> str:
    # A random name: nothing of the uploaded name reaches the disk.
    return f"reporting/{instance.city_id}/{secrets.token_hex(12)}{filename[filename.rfind('.') :]}"


class Evidence(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=12, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=300)
    claim = models.CharField(_("the claim it supports"), max_length=500)
    file = models.FileField(_("file"), upload_to=_evidence_path, max_length=200)
    content_type = models.CharField(max_length=80)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ("section", "created_at")

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        ordering = ("created_at",)

    def __str__(self) -> str:
        return self.body[:60]


class DocumentFormat(models.TextChoices):
    DOCX = "docx", "DOCX"
    PDF = "pdf", "PDF"
    JSON = "json", "JSON"


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("being written")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


def _document_path(instance, filename: str) -> str:
    return f"reporting/{instance.city_id}/documents/{secrets.token_hex(12)}{filename[filename.rfind('.') :]}"


class Document(models.Model):
    """A report or profile written as a file by a background task, with its progress."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    fmt = models.CharField(max_length=4, choices=DocumentFormat.choices)
    language = models.CharField(max_length=2, default="vi")
    status = models.CharField(max_length=8, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=_document_path, max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.fmt} {self.status}"
