"""Learning spaces: where people learn. Houses of Wisdom, Compassionate Libraries, cultural houses, schools...

Facilities, accessibility features and languages are short code lists stored as ",code,code," so that a filter
is one indexed-free LIKE on both SQLite and PostgreSQL; the weekly opening pattern is kept as text (what people
edit and what the audit trail shows) and as OpeningPeriod rows (what "open now" filters on in SQL).
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learningcity.core.models import Area, City
from learningcity.core.models.base import CityScopedQuerySet, TimeStamped, TranslatedText


class SpaceType(TimeStamped):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="space_types")
    code = models.SlugField(_("code"), max_length=60)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    colour = models.CharField(_("map colour"), max_length=7, default="#0b5d7a")
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("space type")
        verbose_name_plural = _("space types")
        ordering: ClassVar[list[str]] = ["sort_order", "code"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["city", "code"], name="spacetype_unique_code")
        ]

    def __str__(self) -> str:
        return self.name

    name = TranslatedText()


class Facility(models.TextChoices):
    BOOKS = "books", _("Books")
    INTERNET = "internet", _("Internet / Wi-Fi")
    COMPUTERS = "computers", _("Computers")
    MEETING_ROOM = "meeting_room", _("Meeting room")
    SPORTS = "sports", _("Sports ground")
    STAGE = "stage", _("Stage")
    CHILDREN = "children", _("Children's corner")
    PROJECTOR = "projector", _("Projector")
    GARDEN = "garden", _("Garden")
    KITCHEN = "kitchen", _("Kitchen")
    PARKING = "parking", _("Parking")


class Accessibility(models.TextChoices):
    STEP_FREE = "step_free", _("Step-free entrance")
    TOILET = "accessible_toilet", _("Accessible toilet")
    LARGE_PRINT = "large_print", _("Large-print books")
    SIGN_LANGUAGE = "sign_language", _("Sign language")
    HEARING_LOOP = "hearing_loop", _("Hearing loop")
    SEATING = "seating", _("Seating for older people")


class SpaceLanguage(models.TextChoices):
    VI = "vi", _("Vietnamese")
    TAI_DAM = "blt", _("Thái (Tai Dam)")
    TAI_DAM_SCRIPT = "blt-Tavt", _("Thái in Tai Viet script")
    HMONG = "hnj", _("Mông")
    MUONG = "mtq", _("Mường")
    KHMU = "kjg", _("Khơ Mú")
    EN = "en", _("English")
    SIGN = "vsl", _("Vietnamese Sign Language")


class SpaceStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


def codes_to_text(codes) -> str:
    """[a, b] -> ",a,b," (empty list -> "")."""
    codes = [c for c in dict.fromkeys(codes) if c]
    return f",{','.join(codes)}," if codes else ""


def text_to_codes(text: str) -> list[str]:
    return [c for c in (text or "").split(",") if c]


class FoldedContains(models.Lookup):
    """`search_text__fcontains="chieng"`: substring search in an already folded (lower-case, accent-free) column.
    SQLite's GLOB is case-sensitive and about 2.5x faster than its LIKE, which folds case on every row; other
    databases use LIKE (case-sensitive there too)."""

    lookup_name = "fcontains"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "sqlite":
            escaped = [
                "*" + "".join(f"[{c}]" if c in "*?[]" else c for c in str(p)) + "*" for p in rhs_params
            ]
            return f"{lhs} GLOB {rhs}", [*lhs_params, *escaped]
        escaped = [
            "%" + str(p).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            for p in rhs_params
        ]
        return f"{lhs} LIKE {rhs}", [*lhs_params, *escaped]


class LearningSpaceQuerySet(CityScopedQuerySet):
    def public(self):
        return self.filter(is_public=True).exclude(status=SpaceStatus.PLANNED)


class LearningSpace(TimeStamped):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="spaces")
    space_type = models.ForeignKey(
        SpaceType, on_delete=models.PROTECT, related_name="spaces", verbose_name=_("type")
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="spaces", verbose_name=_("area"))
    code = models.CharField(
        _("code"), max_length=60, blank=True, help_text=_("The city's own reference; imports match on it.")
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    search_text = models.CharField(max_length=600, blank=True, editable=False)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    directions_vi = models.TextField(_("how to get there (Vietnamese)"), blank=True)
    directions_en = models.TextField(_("how to get there (English)"), blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    hours = models.CharField(
        _("opening hours"), max_length=300, blank=True, help_text=_("e.g. Mo-Su 08:00-20:00")
    )
    facilities = models.CharField(_("facilities"), max_length=300, blank=True)
    accessibility = models.CharField(_("accessibility"), max_length=300, blank=True)
    languages = models.CharField(_("languages used"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (people)"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=SpaceStatus.choices, default=SpaceStatus.ACTIVE
    )
    is_public = models.BooleanField(_("shown to the public"), default=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_spaces",
        verbose_name=_("coordinators"),
    )

    objects = LearningSpaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("learning space")
        verbose_name_plural = _("learning spaces")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["city", "area"]),
            models.Index(fields=["city", "status"]),
            models.Index(fields=["city", "space_type"]),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["city", "code"], condition=~Q(code=""), name="learningspace_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=True) | Q(lat__gte=-90, lat__lte=90), name="learningspace_lat_range"
            ),
            models.CheckConstraint(
                condition=Q(lon__isnull=True) | Q(lon__gte=-180, lon__lte=180),
                name="learningspace_lon_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    name = TranslatedText()

    description = TranslatedText()

    directions = TranslatedText()

    @property
    def facility_codes(self) -> list[str]:
        return text_to_codes(self.facilities)

    @property
    def accessibility_codes(self) -> list[str]:
        return text_to_codes(self.accessibility)

    @property
    def language_codes(self) -> list[str]:
        return text_to_codes(self.languages)

    def facility_labels(self) -> list[str]:
        labels = dict(Facility.choices)
        return [str(labels.get(c, c)) for c in self.facility_codes]

    def accessibility_labels(self) -> list[str]:
        labels = dict(Accessibility.choices)
        return [str(labels.get(c, c)) for c in self.accessibility_codes]

    def language_labels(self) -> list[str]:
        labels = dict(SpaceLanguage.choices)
        return [str(labels.get(c, c)) for c in self.language_codes]


LearningSpace._meta.get_field("search_text").register_lookup(FoldedContains)


class OpeningPeriod(models.Model):
    """One opening interval of the weekly pattern (derived from LearningSpace.hours by the services)."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey(LearningSpace, on_delete=models.CASCADE, related_name="periods")
    weekday = models.PositiveSmallIntegerField(_("weekday"))  # 0 = Monday
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("opening period")
        verbose_name_plural = _("opening periods")
        ordering: ClassVar[list[str]] = ["weekday", "opens"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["weekday", "opens", "closes"])]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="period_weekday_range"),
            models.CheckConstraint(condition=Q(closes__gt=models.F("opens")), name="period_closes_after"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens:%H:%M}-{self.closes:%H:%M}"


class OpeningException(TimeStamped):
    """A day (or days) that differ from the weekly pattern: a closure, or special hours."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey(LearningSpace, on_delete=models.CASCADE, related_name="exceptions")
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("until"))
    closed = models.BooleanField(_("closed"), default=True)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("opening exception")
        verbose_name_plural = _("opening exceptions")
        ordering: ClassVar[list[str]] = ["date_from"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(date_to__gte=models.F("date_from")), name="exception_dates"),
            models.CheckConstraint(
                condition=Q(closed=True) | Q(opens__isnull=False, closes__isnull=False),
                name="exception_open_has_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date_from}–{self.date_to}"


def photo_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower()
    import uuid

    return f"spaces/{instance.city_id}/{instance.space_id}/{uuid.uuid4().hex}.{ext}"


class SpacePhoto(TimeStamped):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey(LearningSpace, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=photo_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    caption = models.CharField(_("caption (describe the photo)"), max_length=200)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering: ClassVar[list[str]] = ["created_at", "id"]

    def __str__(self) -> str:
        return self.caption


class SpaceStatusChange(models.Model):
    """The history of a space's status: planned, active, closed."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey(LearningSpace, on_delete=models.CASCADE, related_name="status_history")
    status_from = models.CharField(_("from"), max_length=12, choices=SpaceStatus.choices, blank=True)
    status_to = models.CharField(_("to"), max_length=12, choices=SpaceStatus.choices)
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering: ClassVar[list[str]] = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.status_from or '-'} -> {self.status_to}"
