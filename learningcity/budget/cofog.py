"""The UN Classification of the Functions of Government (COFOG, 1999): the divisions and the groups a learning
city's budget meets. A city maps its own budget codes to these, one version of the mapping per year."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EDUCATION = "09"
CULTURAL_SERVICES = "08.2"

# code -> label; a group's parent is the code before its dot.
COFOG = {
    "01": _("General public services"),
    "02": _("Defence"),
    "03": _("Public order and safety"),
    "04": _("Economic affairs"),
    "05": _("Environmental protection"),
    "06": _("Housing and community amenities"),
    "07": _("Health"),
    "08": _("Recreation, culture and religion"),
    "08.1": _("Recreational and sporting services"),
    "08.2": _("Cultural services"),
    "08.3": _("Broadcasting and publishing services"),
    "08.4": _("Religious and other community services"),
    "08.6": _("Recreation, culture and religion n.e.c."),
    "09": _("Education"),
    "09.1": _("Pre-primary and primary education"),
    "09.2": _("Secondary education"),
    "09.3": _("Post-secondary non-tertiary education"),
    "09.4": _("Tertiary education"),
    "09.5": _("Education not definable by level"),
    "09.6": _("Subsidiary services to education"),
    "09.7": _("R&D Education"),
    "09.8": _("Education n.e.c."),
    "10": _("Social protection"),
}
COFOG_CHOICES = list(COFOG.items())


def parent(code: str) -> str:
    return code.split(".")[0] if "." in code else ""


def is_education(code: str) -> bool:
    return code == EDUCATION or code.startswith(EDUCATION + ".")
