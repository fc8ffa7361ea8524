"""A network of learning cities as data: members, clusters, good practice, dialogue, partnerships, shared figures.

A network spans cities, so `Network` and `Cluster` carry no city; every other row carries the city it belongs to
(the member, the city whose practice or partnership it is, the city of the person who wrote a post).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learningcity.core.models import Area, City
from learningcity.core.models.base import CityScopedQuerySet, TimeStamped, TranslatedText
from learningcity.places.models import FoldedContains

LANGUAGE_NAMES = {"vi": _("Vietnamese"), "en": _("English"), "th": _("Thai"), "fr": _("French")}


class Network(TimeStamped):
    """A network of cities: GNLC, a national network, ASEAN+3. Its languages are those its practices are read in."""

    slug = models.SlugField(_("slug"), unique=True, max_length=60)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    languages = models.JSONField(_("languages"), default=list, help_text=_("Language codes, e.g. vi, en, th"))
    dialogue_public = models.BooleanField(
        _("discussions readable by the public"), default=True, help_text=_("Otherwise by members only.")
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_networks",
        verbose_name=_("coordinators"),
    )

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ("slug",)

    def __str__(self) -> str:
        return self.name

    name = TranslatedText()
    description = TranslatedText()


class Cluster(models.Model):
    """A theme of a network (GNLC: citizenship education, health and well-being, ...)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="clusters")
    code = models.SlugField(_("code"), max_length=60)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ("network", "position", "code")
        constraints = (models.UniqueConstraint(fields=["network", "code"], name="cluster_unique_code"),)

    def __str__(self) -> str:
        return self.name

    name = TranslatedText()


class Membership(TimeStamped):
    """A city in a network, since the day it joined (and until it left)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="network_memberships")
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ("network", "joined_on")
        constraints = (models.UniqueConstraint(fields=["network", "city"], name="membership_unique"),)

    def __str__(self) -> str:
        return f"{self.city} · {self.network}"


class SharedIndicator(TimeStamped):
    """A city's choice to share one indicator with the networks it belongs to (opt-in, per indicator)."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    indicator_code = models.CharField(_("indicator"), max_length=40)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("shared indicator")
        verbose_name_plural = _("shared indicators")
        constraints = (
            models.UniqueConstraint(fields=["city", "indicator_code"], name="shared_indicator_unique"),
        )

    def __str__(self) -> str:
        return self.indicator_code


class SharedValue(models.Model):
    """A shared indicator's yearly value for the whole city, published from analytics (already suppressed).

    `definition` fingerprints the indicator's formula and catalogue version: the comparison only sets side by
    side values with the same definition and year. `source` says where the figure came from (this installation,
    or the URL of a harvested one) and `computed_at` when."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    indicator_code = models.CharField(max_length=40)
    year = models.SmallIntegerField()
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True)
    numerator = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    denominator = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    population = models.IntegerField(null=True)
    suppressed = models.BooleanField(default=False)
    unit = models.CharField(max_length=12, blank=True)
    definition = models.CharField(max_length=64)
    source = models.CharField(max_length=300, blank=True)
    computed_at = models.DateTimeField()

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("shared value")
        verbose_name_plural = _("shared values")
        constraints = (
            models.UniqueConstraint(fields=["city", "indicator_code", "year"], name="shared_value_unique"),
        )
        indexes = (models.Index(fields=["indicator_code", "year", "city"]),)

    def __str__(self) -> str:
        return f"{self.indicator_code} {self.year}: {self.value}"


class PracticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Practice(TimeStamped):
    """A good practice of a city, shared with its networks; its texts are kept per language (PracticeText)."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="practices")
    slug = models.SlugField(_("short name"), max_length=80)
    original_language = models.CharField(_("written in"), max_length=8, default="vi")
    status = models.CharField(_("status"), max_length=12, choices=PracticeStatus.choices, default="draft")
    started_on = models.DateField(_("started on"), null=True, blank=True)
    key_features = models.JSONField(_("Key Features"), default=list, blank=True)
    sdg_targets = models.JSONField(_("SDG targets"), default=list, blank=True)
    award_criteria = models.JSONField(_("Award criteria"), default=list, blank=True)
    clusters = models.ManyToManyField(
        Cluster, blank=True, related_name="practices", verbose_name=_("clusters")
    )
    indicator_codes = models.JSONField(_("indicators of its results"), default=list, blank=True)
    contacts = models.TextField(_("contacts"), blank=True)
    adopted_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
        verbose_name=_("adopted from"),
    )
    adoption_note = models.TextField(_("how it was adopted"), blank=True)
    # Folded texts of every language, tags and the city's name: accent-insensitive search (core.text.fold).
    # Its facets are rows of PracticeTag.
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ("city", "slug")
        constraints = (models.UniqueConstraint(fields=["city", "slug"], name="practice_unique_slug"),)
        # The library's newest first, walked in order and cut at a page (selectors.practice_search).
        indexes = (
            models.Index(fields=["status", "city"]),
            models.Index(fields=["status", "updated_at", "city"]),
        )

    def __str__(self) -> str:
        return self.slug


class PracticeTag(models.Model):
    """One facet of a published practice as "kind:value" (kf, sdg, award, cluster, lang, city), with the practice's
    city: the narrow table the library counts its facets from, through an index, instead of reading the practices.
    A draft has no rows. Written only by the practices' services (services.practices._retag)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="tags", db_index=False)
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+", db_index=False)
    tag = models.CharField(max_length=80)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["practice", "tag"], name="practice_tag_unique"),)
        # Covers the counts (GROUP BY tag over the member cities' rows, read in tag order) and a facet filter.
        indexes = (models.Index(fields=["tag", "city", "practice"], name="practice_tag_facets"),)

    def __str__(self) -> str:
        return self.tag


class TranslationStatus(models.TextChoices):
    ORIGINAL = "original", _("Original")
    DRAFT = "draft", _("Draft translation")
    REVIEWED = "reviewed", _("Reviewed translation")
    OUTDATED = "outdated", _("Outdated: the original changed")


PRACTICE_TEXT_FIELDS = ("title", "summary", "context", "actions", "participants", "results", "lessons")


class PracticeText(TimeStamped):
    """A practice's texts in one language, with the status of the translation."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="texts")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(_("translation status"), max_length=12, choices=TranslationStatus.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    context = models.TextField(_("context"), blank=True)
    actions = models.TextField(_("what was done"), blank=True)
    participants = models.TextField(_("who took part"), blank=True)
    results = models.TextField(_("results"), blank=True)
    lessons = models.TextField(_("lessons"), blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("practice text")
        verbose_name_plural = _("practice texts")
        ordering = ("practice", "language")
        constraints = (models.UniqueConstraint(fields=["practice", "language"], name="practice_text_unique"),)

    def __str__(self) -> str:
        return f"{self.title} [{self.language}]"


class PracticeFile(TimeStamped):
    """A photo or document of a practice, checked by content on upload."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        DOCUMENT = "document", _("Document")

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="files")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="network/practices/%Y/")
    content_type = models.CharField(max_length=80)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("practice file")
        verbose_name_plural = _("practice files")

    def __str__(self) -> str:
        return self.title


class Thread(TimeStamped):
    """A discussion in a network: about a practice, or in a cluster. `city` is the city of whoever opened it."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="threads")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, null=True, blank=True, related_name="threads"
    )
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, null=True, blank=True, related_name="threads"
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    last_post_at = models.DateTimeField(null=True)
    followers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="followed_threads")

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        ordering = ("-last_post_at", "-id")
        constraints = (
            models.CheckConstraint(
                condition=Q(practice__isnull=False) | Q(cluster__isnull=False), name="thread_has_subject"
            ),
        )

    def __str__(self) -> str:
        return self.title


class Post(TimeStamped):
    """A question or a reply. Hidden posts keep their text for moderators, with the reason."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("message"))
    mentions = models.ManyToManyField(
        City, blank=True, related_name="mentioned_in", verbose_name=_("mentions")
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"#{self.pk}"


class PostReport(TimeStamped):
    """Someone's report of a message; open until a coordinator decides (hide the message or keep it)."""

    class Decision(models.TextChoices):
        HIDDEN = "hidden", _("Hidden")
        KEPT = "kept", _("Kept")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = (models.UniqueConstraint(fields=["post", "reporter"], name="post_report_once"),)

    def __str__(self) -> str:
        return self.reason


class Partnership(TimeStamped):
    """An agreement between cities and organisations, recorded by the city that keeps it."""

    class Kind(models.TextChoices):
        MEMORANDUM = "memorandum", _("Memorandum of understanding")
        TWINNING = "twinning", _("Twinning")
        PILOT = "pilot", _("Pilot")
        OTHER = "other", _("Other agreement")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="partnerships")
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="active")
    objectives_vi = models.TextField(_("objectives (Vietnamese)"), blank=True)
    objectives_en = models.TextField(_("objectives (English)"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    practices = models.ManyToManyField(Practice, blank=True, related_name="partnerships")
    indicator_codes = models.JSONField(_("indicators"), default=list, blank=True)
    # The city's programmes it covers (chosen through programmes' selectors), and names of programmes that are not
    # (or not yet) on the installation: the names recorded before programmes were linked stay here.
    programmes = models.ManyToManyField(
        "programmes.Programme", blank=True, related_name="network_partnerships", verbose_name=_("programmes")
    )
    programme_names = models.JSONField(_("other programmes (names)"), default=list, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ("city", "-starts_on", "id")
        constraints = (
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="partnership_dates_ordered",
            ),
        )

    def __str__(self) -> str:
        return self.title

    title = TranslatedText()
    objectives = TranslatedText()


class PartnershipParty(models.Model):
    """A party to a partnership: a city of the installation, or an organisation named with its country."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="parties")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")  # the keeper's city
    partner_city = models.ForeignKey(City, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    country_code = models.CharField(_("country"), max_length=2, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = (
            models.CheckConstraint(
                condition=Q(partner_city__isnull=False) | ~Q(organisation=""), name="party_is_named"
            ),
        )

    def __str__(self) -> str:
        return self.organisation or str(self.partner_city)


class PartnershipDocument(TimeStamped):
    """The signed agreement, a report: PDF or DOCX, checked by content, served through the partnership's page."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="documents")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="network/partnerships/%Y/")
    content_type = models.CharField(max_length=80)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership document")
        verbose_name_plural = _("partnership documents")

    def __str__(self) -> str:
        return self.title


class Invitation(TimeStamped):
    """A role offered by e-mail; the link works once, before it expires. Only the token's hash is stored."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=24)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    space_id = models.BigIntegerField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.email} · {self.role}"


class RemoteCity(TimeStamped):
    """A member city that runs its own installation: the hub harvests its public API and keeps the last good copy."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="remote_cities")
    base_url = models.URLField(_("address of its installation"))
    slug = models.SlugField(_("its city's slug there"), max_length=60)
    name = models.CharField(_("name"), max_length=200, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    payload = models.JSONField(default=dict, blank=True)  # the last good harvest: profile, practices, values
    harvested_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("city on another installation")
        verbose_name_plural = _("cities on other installations")
        constraints = (
            models.UniqueConstraint(fields=["network", "base_url", "slug"], name="remote_city_unique"),
        )

    def __str__(self) -> str:
        return self.name or self.slug


# Accent-free substring search on the folded column (GLOB on SQLite, LIKE elsewhere), as places' spaces.
Practice._meta.get_field("search_text").register_lookup(FoldedContains)
