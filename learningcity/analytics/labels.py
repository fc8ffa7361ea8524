"""People-facing names of breakdown values (codes stay in the data and the API)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from learningcity.core.demography import Sex, ethnicity_name

from .formulas import DIMENSIONS
from .measures import SELF, AreaIndex


def dimension_label(dim: str) -> str:
    return str(DIMENSIONS.get(dim, dim))


class Labeller:
    """Names for the values of each dimension, loading space names once."""

    def __init__(self, city, index: AreaIndex | None = None, root=None):
        self.city = city
        self.index = index
        self.root = root
        self._spaces: dict[int, str] | None = None

    def spaces(self) -> dict[int, str]:
        if self._spaces is None:
            from learningcity.places.models import LearningSpace

            self._spaces = {
                pk: (en if en and (get_language() or "vi")[:2] == "en" else vi)
                for pk, vi, en in LearningSpace.objects.for_city(self.city).values_list(
                    "id", "name_vi", "name_en"
                )
            }
        return self._spaces

    def __call__(self, dim: str, value: Any) -> str:  # noqa: C901 - one flat dispatch over the dimensions
        if value is None:
            return _("All")
        if dim == "area":
            if value == SELF:
                return _("%(area)s (not in a smaller unit)") % {"area": self.root.name if self.root else ""}
            if value == "":
                return _("Area not recorded")
            area = self.index.areas.get(value) if self.index else None
            return area.name if area else str(value)
        if dim == "sex":
            return str(dict(Sex.choices).get(value, value)) if value else _("Not stated")
        if dim == "ethnicity":
            return ethnicity_name(value) if value else _("Not stated")
        if dim == "age_band":
            return value or _("Not stated")
        if dim == "disability":
            return {"yes": _("With disability"), "no": _("Without disability")}.get(value, _("Not asked"))
        if dim == "remote":
            return {"remote": _("Remote areas"), "central": _("Central areas")}.get(
                value, _("Area not recorded")
            )
        if dim == "kind":
            from learningcity.programmes.models import ProgrammeKind

            return str(dict(ProgrammeKind.choices).get(value, value))
        if dim == "topic":
            from learningcity.programmes.models import Topic

            return str(dict(Topic.choices).get(value, value))
        if dim == "space":
            return self.spaces().get(value, _("No space recorded")) if value else _("No space recorded")
        return str(value)
