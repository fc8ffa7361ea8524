"""Phones that keep data for the field app, and the actions they sent that were applied (each exactly once)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from learningcity.core.models import City
from learningcity.core.models.base import CityScopedQuerySet


class Device(models.Model):
    """One installed field app (a browser on a phone) of one person in one city.

    `key` is the device's identity, chosen by the server at registration and kept in the phone's IndexedDB; the
    phone sends it with every call. A device signed out by the city administrator answers 410 with
    Clear-Site-Data at its next contact, and the app wipes what it kept.
    """

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="field_devices")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    label = models.CharField(_("device"), max_length=120, blank=True)
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    bundle_at = models.DateTimeField(_("data kept since"), null=True, blank=True)
    signed_out_at = models.DateTimeField(_("signed out"), null=True, blank=True)
    signed_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    wiped_at = models.DateTimeField(_("wiped"), null=True, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("field device")
        verbose_name_plural = _("field devices")
        ordering = ("-registered_at",)
        indexes = (models.Index(fields=["city", "user"]),)

    def __str__(self) -> str:
        return f"{self.user} · {self.label or self.key}"

    @property
    def active(self) -> bool:
        return self.signed_out_at is None


class AppliedAction(models.Model):
    """An action from a phone that the server applied: its idempotency key, unique in the city, is what makes
    a resent action a no-op. Refused actions are not stored: they stay on the phone as conflicts."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="applied")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    key = models.CharField(max_length=64)
    kind = models.CharField(max_length=60)
    digest = models.CharField(max_length=64)
    made_at = models.DateTimeField(null=True)
    applied_at = models.DateTimeField(auto_now_add=True)
    result = models.JSONField(default=dict, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("applied field action")
        verbose_name_plural = _("applied field actions")
        constraints = (models.UniqueConstraint(fields=["city", "key"], name="field_action_unique_key"),)
        indexes = (models.Index(fields=["device", "applied_at"]),)

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"
