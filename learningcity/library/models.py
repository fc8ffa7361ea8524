"""The city's library: one catalogue (records), copies in bookcases (learning spaces), loans, holds, donations.

A bookcase is a `places.LearningSpace`; a borrower is a `programmes.Learner` (the city's one record of a
person) with a library card (`Borrower`). What a person has read is private: a loan loses its borrower at
return unless the person chose to keep her history; the figures keep only counts (`LoanTally`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learningcity.core.models import Area, City
from learningcity.core.models.base import CityScopedQuerySet, TimeStamped


class Audience(models.TextChoices):
    CHILDREN = "children", _("Children")
    YOUTH = "youth", _("Youth")
    ADULTS = "adults", _("Adults")


class Format(models.TextChoices):
    BOOK = "book", _("Book")
    AUDIO = "audio", _("Audio book")
    PERIODICAL = "periodical", _("Periodical")


# MARC 21 language codes (008/35-37, 041): what other library systems read back.
class Language(models.TextChoices):
    VIE = "vie", _("Vietnamese")
    TAI = "tai", _("Thái (Tai Viet script)")
    HMN = "hmn", _("Mông")
    ENG = "eng", _("English")
    FRE = "fre", _("French")
    CHI = "chi", _("Chinese")
    MUL = "mul", _("Several languages")


MINORITY_LANGUAGES = {Language.TAI, Language.HMN}


class CopyStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    ON_LOAN = "on_loan", _("On loan")
    IN_TRANSIT = "in_transit", _("In transit")
    LOST = "lost", _("Lost")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CATALOGUING = "cataloguing", _("Being catalogued")


class Record(TimeStamped):
    """A bibliographic record: one title, shared by every bookcase of the city that holds a copy."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="library_records")
    title = models.CharField(_("title"), max_length=300)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    title_romanised = models.CharField(
        _("title in romanisation"),
        max_length=300,
        blank=True,
        help_text=_("For titles in Tai Viet script: the title in Latin letters, so it is found both ways."),
    )
    authors = models.CharField(_("authors"), max_length=500, blank=True, help_text=_("Separated by ;"))
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    edition = models.CharField(_("edition"), max_length=100, blank=True)
    languages = models.CharField(_("languages"), max_length=60, blank=True)  # ",vie,tai,"
    subjects = models.CharField(_("subjects"), max_length=500, blank=True, help_text=_("Separated by ;"))
    classification = models.CharField(_("classification (DDC)"), max_length=40, blank=True)
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.ADULTS
    )
    format = models.CharField(_("format"), max_length=12, choices=Format.choices, default=Format.BOOK)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True)  # ISBN-13, compact
    search_text = models.CharField(max_length=1000, blank=True, editable=False)
    match_key = models.CharField(max_length=300, blank=True, editable=False)  # folded title | first author
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("record")
        verbose_name_plural = _("records")
        indexes = (
            models.Index(fields=["city", "isbn"]),
            models.Index(fields=["city", "match_key"]),
            models.Index(fields=["city", "audience"]),
        )

    def __str__(self) -> str:
        return self.title

    @property
    def language_codes(self) -> list[str]:
        return [c for c in self.languages.split(",") if c]

    @property
    def author_list(self) -> list[str]:
        return [a.strip() for a in self.authors.split(";") if a.strip()]

    @property
    def subject_list(self) -> list[str]:
        return [s.strip() for s in self.subjects.split(";") if s.strip()]


def record_words_in_table() -> bool:
    """Whether the search words are kept in RecordWord (PostgreSQL); SQLite keeps them only in its FTS5 index
    (migration 0002, filled by triggers on library_record), so its writes do not pay for both."""
    from django.db import connection

    return connection.vendor != "sqlite"


class RecordWord(models.Model):
    """The folded words of a record (title, romanisation, authors, subjects): a prefix search on an index."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+", db_index=False)
    word = models.CharField(max_length=40)
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="words", db_index=False)

    class Meta:
        indexes = (
            models.Index(fields=["city", "word", "record"]),
            models.Index(fields=["record"]),
        )

    def __str__(self) -> str:
        return self.word


class BookcaseRules(TimeStamped):
    """The lending rules of one bookcase; a bookcase without a row lends by the defaults."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    space = models.OneToOneField(
        "places.LearningSpace",
        on_delete=models.CASCADE,
        related_name="library_rules",
        verbose_name=_("bookcase"),
    )
    loan_days = models.PositiveSmallIntegerField(_("loan period (days)"), default=21)
    renewals = models.PositiveSmallIntegerField(_("renewals allowed"), default=2)
    max_loans = models.PositiveSmallIntegerField(_("most copies per person"), default=5)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("lending rules")
        verbose_name_plural = _("lending rules")
        constraints = (
            models.CheckConstraint(condition=Q(loan_days__gte=1, loan_days__lte=365), name="rules_loan_days"),
            models.CheckConstraint(condition=Q(max_loans__gte=1, max_loans__lte=100), name="rules_max_loans"),
        )


class Copy(TimeStamped):
    """One item on a shelf: its barcode, its home bookcase, where it is now and its status."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="copies")
    barcode = models.CharField(_("barcode"), max_length=32)
    home = models.ForeignKey(
        "places.LearningSpace", on_delete=models.PROTECT, related_name="+", verbose_name=_("home bookcase")
    )
    current = models.ForeignKey(
        "places.LearningSpace", on_delete=models.PROTECT, related_name="+", verbose_name=_("now at")
    )
    transit_to = models.ForeignKey(
        "places.LearningSpace", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CopyStatus.choices, default=CopyStatus.AVAILABLE
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("copy")
        verbose_name_plural = _("copies")
        constraints = (models.UniqueConstraint(fields=["city", "barcode"], name="copy_unique_barcode"),)
        indexes = (
            models.Index(fields=["record", "status", "current"]),  # covers the search's facets
            models.Index(fields=["city", "current", "status"]),
        )

    def __str__(self) -> str:
        return self.barcode


class CopyEvent(models.Model):
    """The history of a copy (never who borrowed it): catalogued, lent, returned, sent, arrived, lost..."""

    class Kind(models.TextChoices):
        CATALOGUED = "catalogued", _("Catalogued")
        LENT = "lent", _("Lent")
        RENEWED = "renewed", _("Renewed")
        RETURNED = "returned", _("Returned")
        SENT = "sent", _("Sent to another bookcase")
        ARRIVED = "arrived", _("Arrived")
        STATUS = "status", _("Status changed")

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+", db_index=False)
    copy = models.ForeignKey(Copy, on_delete=models.CASCADE, related_name="events", db_index=False)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    space = models.ForeignKey("places.LearningSpace", on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=12, choices=CopyStatus.choices, blank=True)
    at = models.DateTimeField()
    actor_name = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = (models.Index(fields=["copy", "at"]),)

    def __str__(self) -> str:
        return f"{self.copy_id} {self.kind}"


class Borrower(TimeStamped):
    """A person's library card: the person is programmes' learner (with consent to take part)."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    learner = models.OneToOneField(
        "programmes.Learner", on_delete=models.CASCADE, related_name="library_card", verbose_name=_("person")
    )
    card_code = models.CharField(_("card code"), max_length=20)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_card",
        verbose_name=_("account"),
    )
    keep_history = models.BooleanField(
        _("keep my reading history"),
        default=False,
        help_text=_("Otherwise the link between the person and a loan is removed when the book comes back."),
    )
    home_space = models.ForeignKey(
        "places.LearningSpace", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_loan_on = models.DateField(null=True, blank=True, editable=False)  # "active borrowers", no titles

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("borrower")
        verbose_name_plural = _("borrowers")
        constraints = (models.UniqueConstraint(fields=["city", "card_code"], name="borrower_unique_card"),)

    def __str__(self) -> str:
        return self.card_code


class Loan(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+", db_index=False)
    copy = models.ForeignKey(Copy, on_delete=models.CASCADE, related_name="loans")
    borrower = models.ForeignKey(Borrower, on_delete=models.SET_NULL, null=True, related_name="loans")
    space = models.ForeignKey("places.LearningSpace", on_delete=models.PROTECT, related_name="+")
    lent_at = models.DateTimeField()
    due_on = models.DateField()
    renewals = models.PositiveSmallIntegerField(default=0)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_space = models.ForeignKey(
        "places.LearningSpace", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["copy"], condition=Q(returned_at__isnull=True), name="loan_one_open_per_copy"
            ),
        )
        indexes = (
            models.Index(fields=["city", "space", "returned_at", "due_on"]),
            models.Index(fields=["borrower", "returned_at"]),
        )

    def __str__(self) -> str:
        return f"loan {self.pk}"


class LoanTally(models.Model):
    """Loans counted by month, bookcase and who borrowed (sex, age band, ethnicity, disability, home area)."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    space = models.ForeignKey("places.LearningSpace", on_delete=models.CASCADE, related_name="+")
    sex = models.CharField(max_length=1, blank=True)
    age_band = models.CharField(max_length=8, blank=True)
    ethnicity = models.CharField(max_length=2, blank=True)
    disability = models.CharField(max_length=1, blank=True)  # "y", "n" or "" (not asked)
    area = models.ForeignKey(Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    loans = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = (models.Index(fields=["city", "month"]),)

    def __str__(self) -> str:
        return f"{self.month} {self.loans}"


class HoldStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a copy")
    IN_TRANSIT = "in_transit", _("On its way")
    READY = "ready", _("Ready to collect")
    COLLECTED = "collected", _("Collected")
    CANCELLED = "cancelled", _("Cancelled")


class Hold(TimeStamped):
    """A reservation: a copy is sent to the borrower's bookcase and kept there for her."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="holds")
    borrower = models.ForeignKey(Borrower, on_delete=models.CASCADE, related_name="holds")
    pickup = models.ForeignKey(
        "places.LearningSpace", on_delete=models.PROTECT, related_name="+", verbose_name=_("collect at")
    )
    copy = models.ForeignKey(Copy, on_delete=models.SET_NULL, null=True, blank=True, related_name="holds")
    status = models.CharField(max_length=12, choices=HoldStatus.choices, default=HoldStatus.WAITING)
    ready_at = models.DateTimeField(null=True, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        indexes = (
            models.Index(fields=["city", "record", "status"]),
            models.Index(fields=["copy", "status"]),
        )


class CirculationKey(models.Model):
    """An idempotency key of a loan, return, renewal or hold: sent twice (an offline queue), done once."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    action = models.CharField(max_length=12)
    result = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["city", "key"], name="circulation_unique_key"),)

    def __str__(self) -> str:
        return self.key


class BookDrive(TimeStamped):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    objects = CityScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name


class Donation(TimeStamped):
    """Books given to a bookcase; the donor is optional and seen only by staff."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey("places.LearningSpace", on_delete=models.PROTECT, related_name="+")
    drive = models.ForeignKey(
        BookDrive, on_delete=models.SET_NULL, null=True, blank=True, related_name="donations"
    )
    donor_name = models.CharField(_("donor (optional, private)"), max_length=200, blank=True)
    received_on = models.DateField(_("received on"))
    books = models.PositiveIntegerField(_("books"))

    objects = CityScopedQuerySet.as_manager()


class IntakeItem(TimeStamped):
    """A donated book waiting at a bookcase to be catalogued."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    donation = models.ForeignKey(Donation, on_delete=models.CASCADE, related_name="items")
    space = models.ForeignKey("places.LearningSpace", on_delete=models.PROTECT, related_name="+")
    title_hint = models.CharField(_("title as written"), max_length=300, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True)
    copy = models.ForeignKey(Copy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        indexes = (models.Index(fields=["city", "space", "copy"]),)
