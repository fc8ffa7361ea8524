"""Conferences of a city or a network: days, venues and rooms, tracks, sessions with speakers, a call for
contributions reviewed by the competitions engine, schedule releases, registrations (delegations), check-in.

The design follows the common shape of pretalx and Indico (a schedule is a list of slots: a session in a room
from a start to an end; a release freezes the schedule and lists what changed since the previous one) but is
written for this platform: every row carries its city (the organising city), rooms may be learning spaces of
the atlas, and registrations know a city's delegation.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from learningcity.core.models import City
from learningcity.core.models.base import CityScopedQuerySet, TimeStamped, TranslatedText


class Event(TimeStamped):
    """A conference, forum or meeting; organised by a city, optionally for one of its networks."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="events")
    # The network the event belongs to (its slug, read through network's selectors; no cross-app foreign key).
    network_slug = models.SlugField(_("network"), max_length=60, blank=True)
    # Unique on the installation: the API names an event by its slug alone (/api/v1/events/{slug}).
    slug = models.SlugField(_("short name in the address"), max_length=80, unique=True)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Ho_Chi_Minh")
    capacity = models.PositiveIntegerField(_("places"), default=0, help_text=_("0: no limit"))
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    attendees_public = models.BooleanField(_("list of attendees shown (those who agree)"), default=True)
    call_questions = models.JSONField(_("questions of the call"), default=list, blank=True)
    # The call for contributions is a competition of the organising city (the review engine lives there).
    competition = models.OneToOneField(
        "competitions.Competition", on_delete=models.SET_NULL, null=True, blank=True, related_name="event"
    )

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering: ClassVar[list[str]] = ["-starts_on", "slug"]

    def __str__(self) -> str:
        return self.title_en or self.title_vi

    title = TranslatedText()
    description = TranslatedText()


class EventPart(models.Model):
    """What belongs to one event: it carries the organising city (as every row does) and its event; the event
    names its parts by the model's plural (event.rooms, event.registrations, ...)."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="%(class)ss")

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class Venue(EventPart):
    """A place of the event: a learning space of the atlas (space_id) or an outside venue (name, address)."""

    space = models.ForeignKey(
        "places.LearningSpace", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["event", "name"]

    def __str__(self) -> str:
        return self.name


class Room(EventPart):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("seats"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["position", "id"]
        constraints: ClassVar[list] = [
            models.UniqueConstraint(fields=["event", "name"], name="conference_room_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Track(EventPart):
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    colour = models.CharField(_("colour"), max_length=7, default="#1d4ed8")

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]

    def __str__(self) -> str:
        return self.name_en or self.name_vi

    name = TranslatedText()


class SessionKind(models.TextChoices):
    PLENARY = "plenary", _("Plenary")
    PARALLEL = "parallel", _("Parallel session")
    WORKSHOP = "workshop", _("Workshop")
    CEREMONY = "ceremony", _("Ceremony")
    SITE_VISIT = "site_visit", _("Site visit")


class Session(EventPart, TimeStamped):
    """A slot of the programme: what happens in which room from when to when, in which languages."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="sessions", null=True, blank=True)
    track = models.ForeignKey(
        Track, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=SessionKind.choices, default=SessionKind.PARALLEL
    )
    title = models.CharField(_("title"), max_length=250)
    abstract = models.TextField(_("abstract"), blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    interpretation = models.JSONField(_("interpretation into"), default=list, blank=True)
    # Seats one must book (workshops, site visits); 0: open to every registered delegate within the room.
    capacity = models.PositiveIntegerField(_("places to book"), default=0)
    expected = models.PositiveIntegerField(_("expected attendance"), default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["starts_at", "room__position", "id"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["event", "starts_at"])]

    def __str__(self) -> str:
        return self.title


class Speaker(EventPart):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    name_native = models.CharField(_("name in own script"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class SessionSpeaker(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speaker_links")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="session_links")

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        constraints: ClassVar[list] = [
            models.UniqueConstraint(fields=["session", "speaker"], name="conference_session_speaker_once")
        ]

    def __str__(self) -> str:
        return f"{self.speaker_id}@{self.session_id}"


class ContributionKind(models.TextChoices):
    PRACTICE = "practice", _("Good practice")
    PAPER = "paper", _("Paper")
    POSTER = "poster", _("Poster")


class Decision(models.TextChoices):
    PENDING = "pending", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


class Contribution(EventPart, TimeStamped):
    """An entry of the call (a competitions Entry) with the organiser's decision, its talk and its practice."""

    entry = models.OneToOneField("competitions.Entry", on_delete=models.CASCADE, related_name="contribution")
    kind = models.CharField(_("kind"), max_length=10, choices=ContributionKind.choices)
    # The city the contribution speaks for: a practice is published in that city's name.
    from_city = models.ForeignKey(City, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    answers = models.JSONField(_("answers to the organiser's questions"), default=dict, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The practice published to the network's library (network.Practice id; read through network's selectors).
    practice_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]

    def __str__(self) -> str:
        return f"{self.kind}:{self.entry_id}"


class ScheduleRelease(models.Model):
    """A published version of the schedule, with what changed since the previous one."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="releases")
    number = models.PositiveIntegerField()
    released_at = models.DateTimeField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    snapshot = models.JSONField(default=dict)
    changes = models.JSONField(default=list)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-number"]
        constraints: ClassVar[list] = [
            models.UniqueConstraint(fields=["event", "number"], name="conference_release_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} v{self.number}"


class Delegation(EventPart, TimeStamped):
    name = models.CharField(_("city or organisation represented"), max_length=200)
    country = models.CharField(_("country"), max_length=2)
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return self.name


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Sex(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")
    OTHER = "x", _("Other or not said")


class Registration(EventPart, TimeStamped):
    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, null=True, blank=True, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    full_name = models.CharField(_("name (Latin letters)"), max_length=200)
    name_native = models.CharField(_("name in own script"), max_length=200, blank=True)
    name_key = models.CharField(max_length=200, editable=False)  # folded, for duplicates
    email = models.EmailField(_("e-mail"), blank=True)
    role = models.CharField(_("role"), max_length=120, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.OTHER)
    accessibility = models.CharField(_("accessibility needs"), max_length=300, blank=True)
    diet = models.CharField(_("diet"), max_length=200, blank=True)
    interpretation_language = models.CharField(_("interpretation language"), max_length=8, blank=True)
    visa_letter = models.BooleanField(_("needs a visa invitation letter"), default=False)
    public_listing = models.BooleanField(_("show my name in the public list of attendees"), default=False)
    status = models.CharField(max_length=12, choices=RegistrationStatus.choices)
    # The waiting list moves up in this order (a sequence, not a clock: two rows of the same instant keep order).
    queue = models.BigIntegerField(default=0)
    badge_code = models.CharField(max_length=40, unique=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # When her certificate of attendance was handed to the mailer (a second press of the button skips her).
    certificate_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["queue", "id"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["event", "status", "queue"])]

    def __str__(self) -> str:
        return self.full_name


class SessionBooking(TimeStamped):
    """A seat in a session that must be booked (workshop, site visit), or a place on its waiting list."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="bookings")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="bookings")
    status = models.CharField(max_length=12, choices=RegistrationStatus.choices)
    queue = models.BigIntegerField(default=0)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["queue", "id"]
        constraints: ClassVar[list] = [
            models.UniqueConstraint(fields=["session", "registration"], name="conference_booking_once")
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}@{self.session_id}"


class Favourite(models.Model):
    """A session in a person's agenda: she is told when it changes."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="favourites")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        constraints: ClassVar[list] = [
            models.UniqueConstraint(fields=["session", "user"], name="conference_favourite_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.session_id}"


class AgendaFeed(models.Model):
    """The secret address of a person's agenda as an iCal feed (a calendar app cannot log in)."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=43, unique=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        constraints: ClassVar[list] = [
            models.UniqueConstraint(fields=["event", "user"], name="conference_feed_once")
        ]

    def __str__(self) -> str:
        return f"feed {self.user_id}@{self.event_id}"


class CheckIn(EventPart):
    """A badge scanned at the door (session empty) or at a session."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="checkins")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints: ClassVar[list] = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="conference_checkin_session_once"
            ),
            models.UniqueConstraint(
                fields=["registration"],
                condition=models.Q(session__isnull=True),
                name="conference_checkin_door_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}@{self.session_id or 'door'}"


class SessionFeedback(TimeStamped):
    """A short feedback on a session by a registered delegate: a mark from 1 to 5 and a comment."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(_("how useful was it (1 to 5)"))
    comment = models.TextField(_("comment"), blank=True, max_length=1000)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        constraints: ClassVar[list] = [
            models.UniqueConstraint(fields=["session", "user"], name="conference_feedback_once")
        ]

    def __str__(self) -> str:
        return f"{self.rating}@{self.session_id}"


class MaterialKind(models.TextChoices):
    SLIDES = "slides", _("Slides")
    RECORDING = "recording", _("Recording")
    OUTCOME = "outcome", _("Outcome document")


def _material_path(instance, filename: str) -> str:
    # A random, meaningless name: the original name stays in the row, never on the disk.
    return f"conferences/{instance.city_id}/{instance.token}{filename[filename.rfind('.') :]}"


class Material(EventPart, TimeStamped):
    """Slides, a recording or an outcome document of a session (or of the whole event, session empty): an
    uploaded file checked by content, or a link (recordings live on video sites). Public, or only for the
    event's confirmed delegates and its organisers."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="materials"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MaterialKind.choices)
    title = models.CharField(_("title"), max_length=200)
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(upload_to=_material_path, max_length=200, blank=True)
    file_format = models.CharField(max_length=8, blank=True)  # pdf, docx, pptx, jpg, png, webp, mp3, ...
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveIntegerField(default=0)
    link = models.URLField(_("link"), max_length=500, blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["session__starts_at", "session_id", "kind", "id"]
        constraints: ClassVar[list] = [
            models.CheckConstraint(
                condition=(models.Q(link="") & ~models.Q(file="")) | (~models.Q(link="") & models.Q(file="")),
                name="conference_material_file_or_link",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Steward(EventPart):
    """A person an organiser named to check people in at an event (at the door, at sessions, on the phone)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    named_at = models.DateTimeField()

    class Meta:
        ordering: ClassVar[list[str]] = ["named_at", "id"]
        constraints: ClassVar[list] = [
            models.UniqueConstraint(fields=["event", "user"], name="conference_steward_once")
        ]

    def __str__(self) -> str:
        return f"steward {self.user_id}@{self.event_id}"
