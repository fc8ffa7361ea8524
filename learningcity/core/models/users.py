import hashlib
import secrets
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .areas import Area
from .base import CityScopedQuerySet, TimeStamped
from .cities import City


class User(AbstractUser):
    """A person with an account. Roles come from RoleAssignment, per city."""

    email = models.EmailField(_("email address"), blank=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )
    is_network_admin = models.BooleanField(
        _("network administrator"), default=False, help_text=_("Administers every city of the installation.")
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("City administrator")
    AREA_COORDINATOR = "area_coordinator", _("Area coordinator")
    SPACE_COORDINATOR = "space_coordinator", _("Space coordinator")
    JUDGE = "judge", _("Judge")
    VIEWER = "viewer", _("Viewer")
    # The city library's staff: they catalogue for every bookcase of the city (learningcity/library).
    LIBRARIAN = "librarian", _("Librarian")


class RoleAssignment(TimeStamped):
    """A role a person holds in one city; an area coordinator's role is limited to an area and below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    area = models.ForeignKey(
        Area,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("area"),
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "city", "role", "area"], name="role_unique_assignment"),
            models.CheckConstraint(
                condition=~Q(role="area_coordinator") | Q(area__isnull=False),
                name="area_coordinator_has_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.city}"


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(TimeStamped):
    """A token for integrations: the raw value is shown once; only its hash is stored.

    A read-only token is refused on every write (core.api_auth.TokenAuth); a token stops working at `expires_at`,
    when revoked, or when its owner's account is deactivated, and it never acts outside its city."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    scope = models.CharField(_("scope"), max_length=8, choices=TokenScope.choices, default=TokenScope.WRITE)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_raw_key() -> str:
        return "lc_" + secrets.token_urlsafe(32)

    @staticmethod
    def hash(raw: str) -> str:
        return _hash_token(raw)
