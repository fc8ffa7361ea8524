"""Frameworks, indicators as data, targets and manually reported values.

The catalogue (frameworks, their structure and the indicators with their formulas) is shared by every city of
the installation and loaded from a versioned data file (data/catalogue.json) by `manage.py analytics_catalogue`.
Manual values and city targets belong to a city.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learningcity.core.models import Area, City
from learningcity.core.models.base import CityScopedQuerySet, TimeStamped, TranslatedText


class CatalogueVersion(models.Model):
    """One load of the catalogue file: which version, when, with which checksum."""

    version = models.CharField(_("version"), max_length=40, unique=True)
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")
        ordering: ClassVar[list[str]] = ["-loaded_at"]

    def __str__(self) -> str:
        return self.version


class Framework(models.Model):
    """A framework a city reports against: UNESCO KFLC, SDG 4 / 11, Decision 1373/QĐ-TTg..."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    version = models.CharField(_("catalogue version"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering: ClassVar[list[str]] = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    name = TranslatedText()


class FrameworkNode(models.Model):
    """A part of a framework's structure: an area, an area of focus, a feature, a goal, a target."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=24)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=400)
    name_en = models.CharField(_("name (English)"), max_length=400, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("framework element")
        verbose_name_plural = _("framework elements")
        ordering: ClassVar[list[str]] = ["framework", "position", "code"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["framework", "code"], name="framework_node_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    name = TranslatedText()


class Indicator(models.Model):
    """An indicator: what it measures (a formula over the measures, or a manual value), and what it serves."""

    class Unit(models.TextChoices):
        PERCENT = "percent", _("per cent")
        COUNT = "count", _("count")
        HOURS = "hours", _("hours")
        INDEX = "index", _("index")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices)
    # {"type": "ratio"|"count"|"parity"|"manual", "numerator": {...}, "denominator": {...}, "scale": 100, ...}
    formula = models.JSONField(_("formula"), default=dict)
    default_by = models.CharField(_("default breakdown"), max_length=100, blank=True)
    nodes = models.ManyToManyField(FrameworkNode, blank=True, related_name="indicators")
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    version = models.CharField(_("catalogue version"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering: ClassVar[list[str]] = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    name = TranslatedText()

    description = TranslatedText()

    @property
    def is_manual(self) -> bool:
        return self.formula.get("type") == "manual"


class IndicatorTarget(models.Model):
    """A target value for a year: national (no city, from the catalogue) or set by a city."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    city = models.ForeignKey(City, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=3)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering: ClassVar[list[str]] = ["indicator", "year"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["indicator", "city", "year"],
                condition=Q(city__isnull=False),
                name="indicator_target_city",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"], condition=Q(city__isnull=True), name="indicator_target_national"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}: {self.value}"


class ManualValueStatus(models.TextChoices):
    ENTERED = "entered", _("entered")
    APPROVED = "approved", _("approved")


def evidence_path(instance, filename: str) -> str:
    return f"analytics/evidence/{instance.city_id}/{filename}"


class ManualValue(TimeStamped):
    """A value the city reports by hand, with its evidence, e.g. "share of the budget spent on education: 34%".

    Entered by staff, then approved by a city administrator; only approved values are public.
    """

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="manual_values")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    note = models.CharField(_("note"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=300)
    evidence = models.FileField(_("evidence file"), upload_to=evidence_path, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ManualValueStatus.choices, default=ManualValueStatus.ENTERED
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        ordering: ClassVar[list[str]] = ["indicator", "-year"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["city", "indicator", "area", "year"],
                condition=Q(area__isnull=False),
                name="manual_value_unique_area",
            ),
            models.UniqueConstraint(
                fields=["city", "indicator", "year"],
                condition=Q(area__isnull=True),
                name="manual_value_unique_city",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_by__isnull=False) | Q(approved_at__isnull=False),
                name="manual_value_approved_has_approver",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"


MONTHS = range(1, 13)


class MonthColumns(models.Model):
    """Attendances (a01..a12) and minutes (n01..n12) per month of a year: the month columns of the participation
    summary and of the rollups that sum it. Any month-aligned period is a sum of them; the triggers keep them."""

    a01 = models.IntegerField(default=0)
    a02 = models.IntegerField(default=0)
    a03 = models.IntegerField(default=0)
    a04 = models.IntegerField(default=0)
    a05 = models.IntegerField(default=0)
    a06 = models.IntegerField(default=0)
    a07 = models.IntegerField(default=0)
    a08 = models.IntegerField(default=0)
    a09 = models.IntegerField(default=0)
    a10 = models.IntegerField(default=0)
    a11 = models.IntegerField(default=0)
    a12 = models.IntegerField(default=0)
    n01 = models.IntegerField(default=0)
    n02 = models.IntegerField(default=0)
    n03 = models.IntegerField(default=0)
    n04 = models.IntegerField(default=0)
    n05 = models.IntegerField(default=0)
    n06 = models.IntegerField(default=0)
    n07 = models.IntegerField(default=0)
    n08 = models.IntegerField(default=0)
    n09 = models.IntegerField(default=0)
    n10 = models.IntegerField(default=0)
    n11 = models.IntegerField(default=0)
    n12 = models.IntegerField(default=0)

    class Meta:
        abstract = True


# An inherited field keeps the place it was created in, which is before the inheriting model's own fields; the
# month columns are the last columns of every table (and of its backups, which compare the order, ops.archive),
# so they are placed after the model's own fields, in their own order.
for _position, _field in enumerate(MonthColumns._meta.local_fields):
    _field.creation_counter = 1_000_000 + _position


class LearnerColumns(models.Model):
    """Distinct learners of a year (learners), of each quarter (q1..q4) and of each month (l01..l12): the columns of
    the rollups that count people distinctly (PeopleYear, GroupYear). Kept by the triggers, never summed across
    periods (a learner of two months counts once in their quarter and year)."""

    learners = models.IntegerField(default=0)
    q1 = models.IntegerField(default=0)
    q2 = models.IntegerField(default=0)
    q3 = models.IntegerField(default=0)
    q4 = models.IntegerField(default=0)
    l01 = models.IntegerField(default=0)
    l02 = models.IntegerField(default=0)
    l03 = models.IntegerField(default=0)
    l04 = models.IntegerField(default=0)
    l05 = models.IntegerField(default=0)
    l06 = models.IntegerField(default=0)
    l07 = models.IntegerField(default=0)
    l08 = models.IntegerField(default=0)
    l09 = models.IntegerField(default=0)
    l10 = models.IntegerField(default=0)
    l11 = models.IntegerField(default=0)
    l12 = models.IntegerField(default=0)

    class Meta:
        abstract = True


# Placed, like the month columns, after the model's own fields (and before any month columns), in their own order.
for _position, _field in enumerate(LearnerColumns._meta.local_fields):
    _field.creation_counter = 900_000 + _position


class Participation(MonthColumns):
    """Attendance summed per learner, programme and year, one counter and one minutes column per month.

    Maintained by database triggers on programmes' attendance table (see triggers.py, installed by migration
    0002): every insert, update or delete of an attendance row adjusts its row here in the same transaction,
    so figures are fresh at once and no batch rebuild ever runs. The dashboards read this instead of scanning
    every attendance row. Learner and programme are plain ids: the rows follow attendance, not the reverse.
    """

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    learner_id = models.BigIntegerField()
    programme_id = models.BigIntegerField()
    year = models.SmallIntegerField()

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("participation summary")
        verbose_name_plural = _("participation summaries")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["learner_id", "programme_id", "year"], name="participation_unique"
            )
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["city", "year"], name="participation_city_year")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id}/{self.programme_id}/{self.year}"


class LearnerYear(MonthColumns):
    """Attendance summed per learner and year (the participation summary over programmes), with the learner's
    people dimensions copied in. Kept by triggers on the participation summary and on learners (rollup.py)."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    learner_id = models.BigIntegerField()
    year = models.SmallIntegerField()
    area_id = models.BigIntegerField(null=True)
    sex = models.CharField(max_length=1, blank=True)
    birth_year = models.SmallIntegerField(null=True)
    ethnicity = models.CharField(max_length=2, blank=True)
    has_disability = models.BooleanField(null=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["learner_id", "year"], name="learner_year_unique")
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["city", "year"], name="learner_year_city_year")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id}/{self.year}"


class PeopleYear(LearnerColumns, MonthColumns):
    """The people cube: per city, year and cell of people dimensions (home area, sex, age band in that year,
    ethnicity, disability), the distinct learners of the year, of each quarter (q1..q4) and month (l01..l12),
    and attendances (a01..a12) and minutes (n01..n12) per month. Kept by triggers on LearnerYear (rollup.py);
    the dashboards read a few thousand rows of it instead of grouping every learner."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    year = models.SmallIntegerField()
    area_id = models.BigIntegerField(default=0)  # 0: no home area recorded
    sex = models.CharField(max_length=1, blank=True)
    age_band = models.CharField(max_length=5, blank=True)
    ethnicity = models.CharField(max_length=2, blank=True)
    disability = models.CharField(max_length=3, blank=True)  # "yes", "no", "" (not asked)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["city", "year", "area_id", "sex", "age_band", "ethnicity", "disability"],
                name="people_year_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.city_id}/{self.year}"


class ProgrammeLearner(models.Model):
    """One row per participation summary row: the months of the year (bit m-1 for month m) in which the learner
    came to the programme. Narrow, so counting distinct learners per programme kind or topic reads little.
    Kept by triggers on the participation summary (rollup.py)."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    year = models.SmallIntegerField()
    programme_id = models.BigIntegerField()
    learner_id = models.BigIntegerField()
    months = models.IntegerField(default=0)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["learner_id", "programme_id", "year"], name="programme_learner_unique"
            )
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["city", "year", "programme_id", "learner_id", "months"],
                name="programme_learner_cover",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}/{self.learner_id}/{self.year}"


class ProgrammeYear(MonthColumns):
    """Attendances (a01..a12) and minutes (n01..n12) per programme, year and month: sums, so kinds and topics
    add them up. Kept by triggers on the participation summary (rollup.py)."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    programme_id = models.BigIntegerField()
    year = models.SmallIntegerField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["programme_id", "year"], name="programme_year_unique")
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["city", "year"], name="programme_year_city_year")
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}/{self.year}"


class LearnerTally(models.Model):
    """The number of learners of a city, one row per city: the city home's figure without counting the learner
    table. Kept by triggers on programmes' learners (tally.py)."""

    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="+", primary_key=True)
    learners = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.city_id}: {self.learners}"


class MemberJoin(models.Model):
    """Memberships of a programme that began (joined) and ended (leaving) in a year: the members active in any
    year are the sums of the years before it (members.py). Kept by triggers on programmes' memberships."""

    # No constraint in the database: the rows follow memberships and attendance, and a bucket a trigger
    # moves while a city's rows are being deleted (or a test's flush runs) must not fail the commit.
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    programme_id = models.BigIntegerField()
    year = models.SmallIntegerField()
    joined = models.IntegerField(default=0)
    leaving = models.IntegerField(default=0)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["programme_id", "year"], name="member_join_unique")
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["city", "year"], name="member_join_city")
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}/{self.year}"


class MemberCame(models.Model):
    """Members of a programme active in a year, by the number of times they came that year (1 or more; those who
    never came are the members less these): retention for any threshold and attendance capped at the sessions
    held, without reading a membership. Kept by triggers on memberships and on the summary (members.py)."""

    # No constraint in the database: the rows follow memberships and attendance, and a bucket a trigger
    # moves while a city's rows are being deleted (or a test's flush runs) must not fail the commit.
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    programme_id = models.BigIntegerField()
    year = models.SmallIntegerField()
    came = models.IntegerField()
    members = models.IntegerField(default=0)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["programme_id", "year", "came"], name="member_came_unique")
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["city", "year"], name="member_came_city")
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}/{self.year}/{self.came}"


# The dashboard's last rollups (dashboard_rollups.py): no constraint in the database on the city, as for the member
# rollups: the rows follow the summary and the sessions, and a row a trigger moves while a city's rows are being
# deleted (or a test's flush runs) must not fail the commit.
class LearnerGroup(models.Model):
    """Per learner, year and programme group (dim "k": a kind, "t": a topic; value: its code), how many of the
    learner's programmes of the group they came to in each month (c01..c12). Kept by triggers on the programme
    learners and on programmes (dashboard_rollups.py); GroupYear counts its rows distinctly."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    learner_id = models.BigIntegerField()
    year = models.SmallIntegerField()
    dim = models.CharField(max_length=1)
    value = models.CharField(max_length=100)
    c01 = models.IntegerField(default=0)
    c02 = models.IntegerField(default=0)
    c03 = models.IntegerField(default=0)
    c04 = models.IntegerField(default=0)
    c05 = models.IntegerField(default=0)
    c06 = models.IntegerField(default=0)
    c07 = models.IntegerField(default=0)
    c08 = models.IntegerField(default=0)
    c09 = models.IntegerField(default=0)
    c10 = models.IntegerField(default=0)
    c11 = models.IntegerField(default=0)
    c12 = models.IntegerField(default=0)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["learner_id", "year", "dim", "value"], name="learner_group_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_id}/{self.year}/{self.dim}:{self.value}"


class GroupYear(LearnerColumns):
    """Per city, year and programme group (kind or topic), its distinct learners of the year, of each quarter
    (q1..q4) and of each month (l01..l12). Kept by triggers on LearnerGroup (dashboard_rollups.py): the dashboard's
    kind and topic tables read a dozen rows of it."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    year = models.SmallIntegerField()
    dim = models.CharField(max_length=1)
    value = models.CharField(max_length=100)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["city", "year", "dim", "value"], name="group_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.city_id}/{self.year}/{self.dim}:{self.value}"


class SessionDay(models.Model):
    """Per unit (unit "p": a programme, "s": a learning space; unit_id: its id) and date, the sessions held that
    day. Kept by triggers on sessions (dashboard_rollups.py), so SessionYear can count dates distinctly."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    unit = models.CharField(max_length=1)
    unit_id = models.BigIntegerField()
    date = models.DateField()
    sessions = models.IntegerField(default=0)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["unit", "unit_id", "date"], name="session_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit}{self.unit_id}/{self.date}"


class SessionYear(models.Model):
    """Per unit (programme or learning space) and year, its sessions held in each month (s01..s12) and its distinct
    dates with a held session in each month (d01..d12). Kept by triggers on sessions (dashboard_rollups.py): the
    dashboard's sessions held, active spaces and active clubs read one row per unit."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    unit = models.CharField(max_length=1)
    unit_id = models.BigIntegerField()
    year = models.SmallIntegerField()
    s01 = models.IntegerField(default=0)
    s02 = models.IntegerField(default=0)
    s03 = models.IntegerField(default=0)
    s04 = models.IntegerField(default=0)
    s05 = models.IntegerField(default=0)
    s06 = models.IntegerField(default=0)
    s07 = models.IntegerField(default=0)
    s08 = models.IntegerField(default=0)
    s09 = models.IntegerField(default=0)
    s10 = models.IntegerField(default=0)
    s11 = models.IntegerField(default=0)
    s12 = models.IntegerField(default=0)
    d01 = models.IntegerField(default=0)
    d02 = models.IntegerField(default=0)
    d03 = models.IntegerField(default=0)
    d04 = models.IntegerField(default=0)
    d05 = models.IntegerField(default=0)
    d06 = models.IntegerField(default=0)
    d07 = models.IntegerField(default=0)
    d08 = models.IntegerField(default=0)
    d09 = models.IntegerField(default=0)
    d10 = models.IntegerField(default=0)
    d11 = models.IntegerField(default=0)
    d12 = models.IntegerField(default=0)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["unit", "unit_id", "year"], name="session_year_unique")
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["city", "year"], name="session_year_city")
        ]

    def __str__(self) -> str:
        return f"{self.unit}{self.unit_id}/{self.year}"
