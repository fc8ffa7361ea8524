"""The disaggregations "no one left behind" needs: sex, age band, ethnicity, disability.

Ethnic groups follow Viet Nam's official statistical list (GSO Decision 121-TCTK/PPCĐ, 1979): store the
two-digit code, accept the spellings people actually write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import fold

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other")
    NOT_STATED = "", _("Not stated")


# SDG 4 reporting bands.
AGE_BANDS: list[tuple[str, int, int | None]] = [
    ("0-5", 0, 5),
    ("6-14", 6, 14),
    ("15-24", 15, 24),
    ("25-64", 25, 64),
    ("65+", 65, None),
]
AGE_BAND_CODES = [code for code, _, _ in AGE_BANDS]


def age_band(birth_year: int | None, on_year: int) -> str:
    if birth_year is None:
        return ""
    age = on_year - birth_year
    for code, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return code
    return ""


OTHER_ETHNICITY = "98"  # foreign or other
ETHNICITY_NOT_STATED = "99"

ETHNIC_GROUPS: list[tuple[str, str]] = [
    ("01", "Kinh"),
    ("02", "Tày"),
    ("03", "Thái"),
    ("04", "Hoa"),
    ("05", "Khmer"),
    ("06", "Mường"),
    ("07", "Nùng"),
    ("08", "H'Mông"),
    ("09", "Dao"),
    ("10", "Gia Rai"),
    ("11", "Ngái"),
    ("12", "Ê Đê"),
    ("13", "Ba Na"),
    ("14", "Xơ Đăng"),
    ("15", "Sán Chay"),
    ("16", "Cơ Ho"),
    ("17", "Chăm"),
    ("18", "Sán Dìu"),
    ("19", "Hrê"),
    ("20", "Mnông"),
    ("21", "Ra Glai"),
    ("22", "Xtiêng"),
    ("23", "Bru-Vân Kiều"),
    ("24", "Thổ"),
    ("25", "Giáy"),
    ("26", "Cơ Tu"),
    ("27", "Giẻ Triêng"),
    ("28", "Mạ"),
    ("29", "Khơ Mú"),
    ("30", "Co"),
    ("31", "Tà Ôi"),
    ("32", "Chơ Ro"),
    ("33", "Kháng"),
    ("34", "Xinh Mun"),
    ("35", "Hà Nhì"),
    ("36", "Chu Ru"),
    ("37", "Lào"),
    ("38", "La Chí"),
    ("39", "La Ha"),
    ("40", "Phù Lá"),
    ("41", "La Hủ"),
    ("42", "Lự"),
    ("43", "Lô Lô"),
    ("44", "Chứt"),
    ("45", "Mảng"),
    ("46", "Pà Thẻn"),
    ("47", "Cơ Lao"),
    ("48", "Cống"),
    ("49", "Bố Y"),
    ("50", "Si La"),
    ("51", "Pu Péo"),
    ("52", "Brâu"),
    ("53", "Ơ Đu"),
    ("54", "Rơ Măm"),
]
ETHNICITY_NAMES: dict[str, str] = dict(ETHNIC_GROUPS)
ETHNICITY_NAMES[OTHER_ETHNICITY] = "Khác / nước ngoài"
ETHNICITY_NAMES[ETHNICITY_NOT_STATED] = "Không rõ"

_ALIASES: dict[str, str] = {
    "hmong": "08",
    "h'mong": "08",
    "mong": "08",
    "h mong": "08",
    "meo": "08",
    "thai": "03",
    "tai": "03",
    "tai dam": "03",
    "tai don": "03",
    "viet": "01",
    "kinh": "01",
    "muong": "06",
    "kho mu": "29",
    "khmu": "29",
    "xinh mun": "34",
    "bru van kieu": "23",
    "van kieu": "23",
    "e de": "12",
    "ede": "12",
    "gia rai": "10",
    "jarai": "10",
    "bahnar": "13",
    "ba na": "13",
    "other": OTHER_ETHNICITY,
    "khac": OTHER_ETHNICITY,
    "nuoc ngoai": OTHER_ETHNICITY,
    "not stated": ETHNICITY_NOT_STATED,
    "khong ro": ETHNICITY_NOT_STATED,
    "": ETHNICITY_NOT_STATED,
}


def _alias_key(value: str) -> str:
    return fold(value).replace("-", " ").replace("\u2019", "'").replace("'", "").strip()


_LOOKUP: dict[str, str] = {}
for _code, _name in ETHNIC_GROUPS:
    _LOOKUP[_alias_key(_name)] = _code
for _alias, _code in _ALIASES.items():
    _LOOKUP[_alias_key(_alias)] = _code


def ethnicity_code(value: str | None) -> str | None:
    """The official code for a code or a name as people write it ("HMông", "Mông", "H'Mông" -> "08").

    Returns None when the value is not recognised, so callers can report it.
    """
    raw = (value or "").strip()
    if raw.isdigit() and len(raw) <= 2:
        code = raw.zfill(2)
        return code if code in ETHNICITY_NAMES else None
    return _LOOKUP.get(_alias_key(raw))


def ethnicity_name(code: str) -> str:
    return ETHNICITY_NAMES.get(code, code)


ETHNICITY_CHOICES = [(code, ETHNICITY_NAMES[code]) for code in [c for c, _ in ETHNIC_GROUPS]] + [
    (OTHER_ETHNICITY, ETHNICITY_NAMES[OTHER_ETHNICITY]),
    (ETHNICITY_NOT_STATED, ETHNICITY_NAMES[ETHNICITY_NOT_STATED]),
]


class WGAnswer(models.IntegerChoices):
    """Washington Group short set answer scale."""

    NO_DIFFICULTY = 1, _("No difficulty")
    SOME_DIFFICULTY = 2, _("Some difficulty")
    A_LOT = 3, _("A lot of difficulty")
    CANNOT = 4, _("Cannot do at all")


WG_DOMAINS: list[tuple[str, StrOrPromise]] = [
    ("seeing", _("Seeing, even if wearing glasses")),
    ("hearing", _("Hearing, even if using a hearing aid")),
    ("walking", _("Walking or climbing steps")),
    ("cognition", _("Remembering or concentrating")),
    ("selfcare", _("Self-care, such as washing all over or dressing")),
    ("communication", _("Communicating in the usual language")),
]


def has_disability(answers: dict[str, int] | None) -> bool | None:
    """The Washington Group cut-off: 'a lot of difficulty' or 'cannot do at all' in any domain."""
    if not answers:
        return None
    values = [int(v) for v in answers.values() if v]
    if not values:
        return None
    return any(v >= WGAnswer.A_LOT for v in values)
