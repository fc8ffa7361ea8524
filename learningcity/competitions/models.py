"""Competitions with fair juried review: competitions, categories, entries and their files, juries, conflicts of
interest, assignments, scores against a weighted rubric, published results and people's-choice votes."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learningcity.core.models import Area, City
from learningcity.core.models.base import CityScopedQuerySet, TimeStamped, TranslatedText


class Phase(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    OPEN = "open", _("Open for entries")
    JUDGING = "judging", _("Judging")
    RESULTS = "results", _("Results published")
    CLOSED = "closed", _("Closed")


class FileKind(models.TextChoices):
    IMAGE = "image", _("Image (JPEG, PNG, WebP)")
    AUDIO = "audio", _("Audio (MP3, OGG, M4A, WAV)")
    PDF = "pdf", _("PDF document")
    TEXT = "text", _("Plain text")


class TiePolicy(models.TextChoices):
    SHARED = "shared", _("Tied entries share the rank")
    RAW_THEN_SHARED = "raw_then_shared", _("Break ties by the raw average, then share the rank")


class Competition(TimeStamped):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="competitions")
    slug = models.SlugField(_("short name in the address"), max_length=80)
    code = models.CharField(_("code for receipts"), max_length=8, help_text=_("e.g. SL24"))
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    theme_vi = models.TextField(_("themes (Vietnamese)"), blank=True)
    theme_en = models.TextField(_("themes (English)"), blank=True)
    rules_vi = models.TextField(_("rules (Vietnamese)"), blank=True)
    rules_en = models.TextField(_("rules (English)"), blank=True)
    prizes_vi = models.TextField(_("prizes (Vietnamese)"), blank=True)
    prizes_en = models.TextField(_("prizes (English)"), blank=True)
    # Eligibility
    residents_only = models.BooleanField(_("residents of the city only"), default=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    allow_teams = models.BooleanField(_("team entries allowed"), default=True)
    max_team_size = models.PositiveSmallIntegerField(_("largest team"), default=5)
    max_entries_per_person = models.PositiveSmallIntegerField(_("entries per person and category"), default=3)
    # Phases on dates
    announced_at = models.DateTimeField(_("announced on"))
    opens_at = models.DateTimeField(_("open for entries from"))
    closes_at = models.DateTimeField(_("deadline for entries"))
    judging_ends_at = models.DateTimeField(_("judging ends"))
    ends_at = models.DateTimeField(_("closed after"), null=True, blank=True)
    # Judging
    reviews_per_entry = models.PositiveSmallIntegerField(_("judges per entry"), default=3)
    normalise_scores = models.BooleanField(
        _("normalise judges' scores (z-scores)"),
        default=True,
        help_text=_("So that a harsh or a generous judge does not sink or lift the entries she reviews."),
    )
    tie_policy = models.CharField(
        _("ties"), max_length=20, choices=TiePolicy.choices, default=TiePolicy.RAW_THEN_SHARED
    )
    winners_per_category = models.PositiveSmallIntegerField(_("winners per category"), default=3)
    # Results
    results_computed_at = models.DateTimeField(null=True, blank=True, editable=False)
    results_approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    results_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    results_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Recognition
    gallery_enabled = models.BooleanField(_("public gallery"), default=True)
    peoples_choice = models.BooleanField(_("people's choice voting"), default=False)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        ordering: ClassVar[list[str]] = ["-opens_at", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["city", "slug"], name="competition_unique_slug"),
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at"))
                & Q(closes_at__lte=models.F("judging_ends_at"))
                & Q(announced_at__lte=models.F("opens_at")),
                name="competition_phases_ordered",
            ),
            models.CheckConstraint(
                condition=Q(reviews_per_entry__gte=1), name="competition_at_least_one_review"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    title = TranslatedText()

    description = TranslatedText()

    theme = TranslatedText()

    rules = TranslatedText()

    prizes = TranslatedText()

    def phase_at(self, moment) -> str:
        if self.results_published_at:
            if self.ends_at and moment >= self.ends_at:
                return Phase.CLOSED
            return Phase.RESULTS
        if moment < self.opens_at:
            return Phase.ANNOUNCED
        if moment < self.closes_at:
            return Phase.OPEN
        return Phase.JUDGING

    @property
    def phase(self) -> str:
        return self.phase_at(timezone.now())

    def get_phase_display(self) -> str:
        return str(Phase(self.phase).label)

    @property
    def is_open(self) -> bool:
        return self.phase == Phase.OPEN


class Category(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(_("code"), max_length=8, help_text=_("Short code used in receipts, e.g. THO"))
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    allowed_kinds = models.JSONField(_("allowed file types"), default=list)
    max_file_bytes = models.PositiveIntegerField(_("largest file (bytes)"), default=10 * 1024 * 1024)
    max_files = models.PositiveSmallIntegerField(_("files per entry"), default=3)
    files_required = models.BooleanField(_("at least one file required"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering: ClassVar[list[str]] = ["competition", "position", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["competition", "code"], name="category_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name

    name = TranslatedText()

    description = TranslatedText()

    def allowed_kinds_display(self) -> str:
        labels = dict(FileKind.choices)
        return ", ".join(str(labels.get(k, k)) for k in self.allowed_kinds)


class Criterion(models.Model):
    """One line of the competition's rubric: a weight and the range of scores a judge may give."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="criteria")
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    guidance_vi = models.TextField(_("guidance (Vietnamese)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    min_score = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=10)
    position = models.PositiveSmallIntegerField(default=0)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering: ClassVar[list[str]] = ["competition", "position", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(max_score__gt=models.F("min_score")), name="criterion_range"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    name = TranslatedText()

    guidance = TranslatedText()


class JuryMember(models.Model):
    """A judge (a person with the city's judge role) on the jury of one category."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="jury")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="juries")
    is_chair = models.BooleanField(_("chair of the jury"), default=False)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["category", "judge"], name="jury_unique_member")
        ]

    def __str__(self) -> str:
        return f"{self.judge} · {self.category}"


class EntryStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DISQUALIFIED = "disqualified", _("Disqualified")


class EntryQuerySet(CityScopedQuerySet):
    def active(self):
        return self.filter(status=EntryStatus.SUBMITTED)


class Entry(TimeStamped):
    """A submission: by a resident with an account, or entered by staff for a paper entry."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="entries")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="entries")
    entrant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="competition_entries",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entrant_name = models.CharField(_("entrant's name"), max_length=200)
    entrant_contact = models.CharField(_("phone or email"), max_length=200, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    residence = models.ForeignKey(
        Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("lives in")
    )
    team_members = models.TextField(_("team members"), blank=True, help_text=_("One name per line."))
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    receipt = models.CharField(_("receipt number"), max_length=32, unique=True)
    # What judges see instead of a name: "THO-017", numbered within the category.
    blind_code = models.CharField(max_length=24)
    status = models.CharField(max_length=16, choices=EntryStatus.choices, default=EntryStatus.SUBMITTED)
    version = models.PositiveSmallIntegerField(default=1)
    gallery_consent = models.BooleanField(_("show my entry in the public gallery"), default=False)
    submitted_at = models.DateTimeField(default=timezone.now)
    search_text = models.CharField(max_length=600, blank=True, editable=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering: ClassVar[list[str]] = ["category", "blind_code"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["competition", "blind_code"], name="entry_unique_blind_code"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["competition", "category", "status"]),
            models.Index(fields=["city", "search_text"]),
        ]

    def __str__(self) -> str:
        return f"{self.blind_code} {self.title}"

    def team_list(self) -> list[str]:
        return [line.strip() for line in self.team_members.splitlines() if line.strip()]


class EntryVersion(models.Model):
    """What an entry looked like before each edit: kept so that nothing submitted is ever lost."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=250)
    description = models.TextField(blank=True)
    team_members = models.TextField(blank=True)
    category_id_then = models.BigIntegerField()
    file_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["entry", "number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["entry", "number"], name="entry_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} v{self.number}"


def _entry_file_path(instance, filename: str) -> str:
    # Random, meaningless names: nothing of the original file name reaches the disk or a judge.
    return f"competitions/{instance.city_id}/{instance.token}{filename[filename.rfind('.') :]}"


class EntryFile(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="files")
    token = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=8, choices=FileKind.choices)
    file_format = models.CharField(max_length=8)  # jpg, png, webp, mp3, ogg, m4a, wav, pdf, txt
    content_type = models.CharField(max_length=80)
    file = models.FileField(upload_to=_entry_file_path, max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=200, blank=True)  # for the entrant and staff, never judges
    added_in_version = models.PositiveSmallIntegerField(default=1)
    removed_in_version = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["entry", "id"]

    def __str__(self) -> str:
        return f"{self.entry_id}:{self.kind}"

    @property
    def is_current(self) -> bool:
        return self.removed_in_version is None


class ConflictSource(models.TextChoices):
    DECLARED = "declared", _("Declared by the judge")
    STAFF = "staff", _("Set by staff")


class Conflict(models.Model):
    """A judge must not review this entry: it blocks assignment and blocks opening the entry."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="conflicts")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="conflicts")
    source = models.CharField(max_length=10, choices=ConflictSource.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["judge", "entry"], name="conflict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.judge_id} ≠ {self.entry_id}"


class Assignment(models.Model):
    """One judge reviews one entry. `total` is her weighted score on 0-100 once she has submitted it."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="assignments")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    manual = models.BooleanField(default=False)
    comment = models.TextField(_("overall comment"), blank=True)
    total = models.FloatField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering: ClassVar[list[str]] = ["id"]  # no join by default: ranking reads tens of thousands of rows
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["entry", "judge"], name="assignment_unique")
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["competition", "judge"])]

    def __str__(self) -> str:
        return f"{self.judge_id} → {self.entry_id}"

    @property
    def is_done(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(max_digits=5, decimal_places=2)
    comment = models.TextField(blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}:{self.criterion_id}={self.value}"


class Result(models.Model):
    """A category's ranking, computed from the scores, reviewed in the jury meeting, approved, then published."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="results")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="results")
    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="result")
    rank = models.PositiveIntegerField()
    tied = models.BooleanField(default=False)
    raw_mean = models.FloatField()
    normalised = models.FloatField(null=True, blank=True)
    reviews = models.PositiveSmallIntegerField()
    prize = models.CharField(_("prize"), max_length=120, blank=True)
    note = models.CharField(_("jury note"), max_length=300, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["rank", "id"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["competition", "category", "rank"])]

    def __str__(self) -> str:
        return f"{self.entry_id} #{self.rank}"


class Vote(models.Model):
    """People's choice: one vote per account and category, separate from the jury."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="votes")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["category", "voter"], name="vote_one_per_account")
        ]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.entry_id}"
