from django.db import models
from django.utils.translation import get_language


class CityScopedQuerySet(models.QuerySet):
    """Every query a user triggers starts from one city."""

    def for_city(self, city):
        return self.filter(city=city)


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def translated(obj, field: str) -> str:
    """The value of `field_<lang>` for the active language, falling back to Vietnamese, then English."""
    lang = (get_language() or "vi")[:2]
    for code in (lang, "vi", "en"):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return ""


def translated_value(row: dict, field: str, lang: str) -> str:
    """As `translated`, for a values() row: `row[f"{field}_{lang}"]`, else Vietnamese, else English."""
    for code in (lang[:2], "vi", "en"):
        value = row.get(f"{field}_{code}")
        if value:
            return value
    return ""


class TranslatedText:
    """A read-only attribute giving `<name>_<lang>` for the active language (see `translated`).

    `title = TranslatedText()` on a model with `title_vi` and `title_en` replaces a property per field.
    """

    def __set_name__(self, owner, name: str) -> None:
        self.field = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return translated(obj, self.field)
