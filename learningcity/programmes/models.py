"""Programmes (clubs, classes, courses, events, festivals, pilots), their sessions, the learners who come,
their memberships, attendance and headcounts.

Attendance is the big table (millions of rows): it is lean, carries its city and the few denormalised columns
aggregations need (date, programme, space, the learner's home area, minutes), so the analytics app can group
without joining sessions. Demography (sex, birth year, ethnicity, disability) lives on Learner (one row per
person, small); erased people survive only as anonymous Headcount rows.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learningcity.core.demography import ETHNICITY_CHOICES, Sex
from learningcity.core.models import Area, City
from learningcity.core.models.base import CityScopedQuerySet, TimeStamped, TranslatedText


class ProgrammeKind(models.TextChoices):
    CLUB = "club", _("Club")
    CLASS = "class", _("Class")
    COURSE = "course", _("Course")
    EVENT = "event", _("Event")
    FESTIVAL = "festival", _("Festival")
    PILOT = "pilot", _("Pilot")
    INITIATIVE = "initiative", _("Initiative")


class Topic(models.TextChoices):
    LITERACY = "literacy", _("Literacy")
    LANGUAGE = "language", _("Language and script")
    CULTURE = "culture", _("Culture and heritage")
    ARTS = "arts", _("Arts and music")
    SPORTS = "sports", _("Sports")
    READING = "reading", _("Reading")
    DIGITAL = "digital", _("Digital skills")
    ENVIRONMENT = "environment", _("Environment and climate")
    HEALTH = "health", _("Health")
    LIVELIHOODS = "livelihoods", _("Livelihoods")
    CITIZENSHIP = "citizenship", _("Citizenship")


class TargetGroup(models.TextChoices):
    CHILDREN = "children", _("Children")
    YOUTH = "youth", _("Young people")
    ADULTS = "adults", _("Adults")
    OLDER = "older", _("Older people")
    WOMEN = "women", _("Women")
    ETHNIC_MINORITIES = "ethnic_minorities", _("Ethnic minorities")
    DISABILITY = "disability", _("People with disabilities")
    FAMILIES = "families", _("Families")
    EVERYONE = "everyone", _("Everyone")


# UNESCO Key Features of Learning Cities (UIL), major building blocks; the catalogue's KFLC framework:
# analytics/data/catalogue.json (docs/analytics.md, "Indicators as data").
KFLC_BLOCKS = [
    ("B1", _("Inclusive learning in the education system")),
    ("B2", _("Re-vitalised learning in families and communities")),
    ("B3", _("Effective learning for and in the workplace")),
    ("B4", _("Extended use of modern learning technologies")),
    ("B5", _("Enhanced quality in learning")),
    ("B6", _("A vibrant culture of learning throughout life")),
]
SDG_TARGETS = [
    ("4.3", _("SDG 4.3 Equal access to technical, vocational and tertiary education")),
    ("4.4", _("SDG 4.4 Skills for work")),
    ("4.5", _("SDG 4.5 Equity: no one left behind")),
    ("4.6", _("SDG 4.6 Literacy and numeracy")),
    ("4.7", _("SDG 4.7 Sustainable development and cultural diversity")),
    ("11.4", _("SDG 11.4 Protect cultural and natural heritage")),
]


class ProgrammeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
    CANCELLED = "cancelled", _("Cancelled")


def _codes_field(verbose_name):
    # Codes kept as "|a|b|" so a filter is a portable `contains "|a|"` on SQLite and PostgreSQL.
    return models.CharField(verbose_name, max_length=300, blank=True, default="")


class Programme(TimeStamped):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="programmes")
    code = models.SlugField(_("code"), max_length=60, help_text=_("Short code used in imported sheets."))
    kind = models.CharField(_("kind"), max_length=16, choices=ProgrammeKind.choices)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_blt = models.CharField(_("title (Thai, Tai Viet script)"), max_length=200, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_blt = models.TextField(_("description (Thai, Tai Viet script)"), blank=True)
    search_text = models.CharField(max_length=600, blank=True, editable=False)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    partners = models.CharField(_("partners"), max_length=300, blank=True)
    partner_country = models.CharField(_("partner country"), max_length=2, blank=True)
    spaces = models.ManyToManyField(
        "places.LearningSpace", blank=True, related_name="programmes", verbose_name=_("spaces")
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("area"),
    )
    topics = _codes_field(_("topics"))
    target_groups = _codes_field(_("target groups"))
    kflc_blocks = _codes_field(_("KFLC building blocks"))
    sdg_targets = _codes_field(_("SDG targets"))
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProgrammeStatus.choices, default=ProgrammeStatus.ACTIVE
    )
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="led_programmes", verbose_name=_("leaders")
    )

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering: ClassVar[list[str]] = ["title_vi"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["city", "code"], name="programme_unique_code"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="programme_dates_ordered",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["city", "kind"]),
            models.Index(fields=["city", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    title = TranslatedText()

    description = TranslatedText()

    @staticmethod
    def codes(value: str) -> list[str]:
        return [c for c in value.split("|") if c]

    @staticmethod
    def join_codes(values) -> str:
        values = [v for v in values if v]
        return f"|{'|'.join(values)}|" if values else ""

    @property
    def topic_list(self) -> list[str]:
        return self.codes(self.topics)


class Schedule(TimeStamped):
    """A recurring pattern ("every Saturday and Sunday 8:00-10:00"); sessions are generated from it."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="schedules")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="schedules")
    space = models.ForeignKey(
        "places.LearningSpace", on_delete=models.SET_NULL, null=True, blank=True, related_name="schedules"
    )
    weekdays = models.CharField(
        _("weekdays"), max_length=20, help_text=_("0 = Monday … 6 = Sunday, e.g. 5,6")
    )
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    facilitator = models.CharField(_("facilitator"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="schedule_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="schedule_times_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.weekdays} {self.start_time:%H:%M}"

    def weekday_list(self) -> list[int]:
        return sorted({int(d) for d in self.weekdays.split(",") if d.strip().isdigit() and int(d) < 7})


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CHANGED = "changed", _("Changed")
    CANCELLED = "cancelled", _("Cancelled")


class SessionQuerySet(CityScopedQuerySet):
    def held(self):
        return self.exclude(status=SessionStatus.CANCELLED)

    def between(self, start, end):
        return self.filter(date__gte=start, date__lte=end)


class Session(TimeStamped):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="programme_sessions")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    schedule = models.ForeignKey(
        Schedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    space = models.ForeignKey(
        "places.LearningSpace", on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    facilitator = models.CharField(_("facilitator"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    headcount_mode = models.BooleanField(_("headcount only"), default=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering: ClassVar[list[str]] = ["date", "start_time"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="session_times_ordered"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["city", "date"]),
            models.Index(fields=["programme", "date"]),
            models.Index(fields=["space", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.date:%Y-%m-%d} {self.start_time:%H:%M}"

    @property
    def minutes(self) -> int:
        return (self.end_time.hour * 60 + self.end_time.minute) - (
            self.start_time.hour * 60 + self.start_time.minute
        )


class Learner(TimeStamped):
    """A person who takes part, with the minimum personal data. `code` is pseudonymous (no personal meaning)."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="learners")
    code = models.CharField(_("learner code"), max_length=20)
    full_name = models.CharField(_("full name"), max_length=200)
    search_text = models.CharField(max_length=200, blank=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=ETHNICITY_CHOICES, default="99")
    # Washington Group short set: {"seeing": 1..4, ...}; has_disability derived by the WG cut-off.
    disability_answers = models.JSONField(_("Washington Group answers"), default=dict, blank=True)
    has_disability = models.BooleanField(_("disability"), null=True, blank=True)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="learners",
        verbose_name=_("home area"),
    )
    languages = models.CharField(_("languages"), max_length=100, blank=True, help_text=_("e.g. vi, blt"))

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("learner")
        verbose_name_plural = _("learners")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["city", "code"], name="learner_unique_code"),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="learner_birth_year_range",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["city", "search_text"]),
            models.Index(fields=["city", "area"]),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.code})"


class ConsentPurpose(models.TextChoices):
    PARTICIPATION = "participation", _("Record participation in learning activities")
    STATISTICS = "statistics", _("Anonymous statistics for the learning city")
    SENSITIVE = "sensitive", _("Record ethnicity and disability")
    PHOTOS = "photos", _("Photos and publicity")


class Consent(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="learner_consents")
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    given = models.BooleanField(_("given"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    method = models.CharField(
        _("how"), max_length=100, blank=True, help_text=_("e.g. paper form, spoken, guardian")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering: ClassVar[list[str]] = ["-recorded_at"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["learner", "purpose"])]

    def __str__(self) -> str:
        return f"{self.learner_id} {self.purpose}"


class Membership(TimeStamped):
    """A learner's membership of a club or enrolment in a course or class."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="memberships")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="memberships")
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["programme", "learner", "joined_on"], name="membership_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_dates_ordered",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["city", "programme"])]

    def __str__(self) -> str:
        return f"{self.learner_id} in {self.programme_id}"


class Attendance(models.Model):
    """One learner at one session. Lean on purpose; city/programme/space/area/date/minutes are copies for speed.

    The copies are taken from the session (and the learner's home area) by the services that write attendance,
    so the database checks only the two real references, session and learner. The copies' foreign keys carry no
    database constraint (`db_constraint=False`): PostgreSQL would otherwise check four more keys per row at
    COMMIT. Deleting a city, programme, space or area still cascades or clears them through Django.

    Every index costs each of a million imported rows, so there are only those a query needs: the unique
    (session, learner) also serves "this session's roster"; learner for a person's history, export and
    erasure; space for clearing a deleted space; and city+date, city+programme+date and city+space+date for the
    live figures over a period. A plain index on city, session, programme or area would repeat one of those.
    """

    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances", db_index=False)
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="attendances")
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    space = models.ForeignKey(
        "places.LearningSpace", on_delete=models.SET_NULL, null=True, related_name="+", db_constraint=False
    )
    area = models.ForeignKey(
        Area, on_delete=models.SET_NULL, null=True, related_name="+", db_constraint=False, db_index=False
    )
    date = models.DateField()
    minutes = models.PositiveSmallIntegerField(default=0)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["session", "learner"], name="attendance_unique")
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["city", "date"], name="att_city_date"),
            models.Index(fields=["city", "programme", "date"], name="att_city_prog_date"),
            models.Index(fields=["city", "space", "date"], name="att_city_space_date"),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id}@{self.session_id}"


class HeadcountSource(models.TextChoices):
    COUNTED = "counted", _("Counted at the door")
    ERASED = "erased", _("Kept from an erased person")


class Headcount(models.Model):
    """People counted without names at a session, by sex and age band (and ethnicity where known).

    Also where an erased person's attendance survives: one row per session with count 1 and no identity.
    """

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="headcounts")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey("places.LearningSpace", on_delete=models.SET_NULL, null=True, related_name="+")
    date = models.DateField()
    minutes = models.PositiveSmallIntegerField(default=0)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=8, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, blank=True)
    count = models.PositiveIntegerField(_("people"))
    source = models.CharField(max_length=10, choices=HeadcountSource.choices, default=HeadcountSource.COUNTED)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("headcount")
        verbose_name_plural = _("headcounts")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["city", "date"], name="hc_city_date"),
            models.Index(fields=["session"], name="hc_session"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.count}"


class ImportBatch(TimeStamped):
    """One uploaded sheet being checked or applied (in a background task for large files)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        REJECTED = "rejected", _("Rejected")
        FAILED = "failed", _("Failed")

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file_name = models.CharField(max_length=200, blank=True)
    file_path = models.CharField(max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    programme = models.ForeignKey(
        Programme, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decisions = models.JSONField(default=dict, blank=True)  # {row: learner id or "new"}
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, int(self.rows_done * 100 / self.rows_total))
