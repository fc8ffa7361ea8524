from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from learningcity.core.errors import DomainError

from . import hours as hours_mod
from .models import Accessibility, Facility, LearningSpace, SpaceLanguage, SpaceStatus, text_to_codes

if TYPE_CHECKING:
    from learningcity.core.models import User


def _choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """A declared choice field as what it is (``form.fields`` is typed as holding plain Fields)."""
    return cast(forms.ChoiceField, form.fields[name])


def _model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


class SpaceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    type = forms.ChoiceField(label=_("Type"), required=False)
    area = forms.TypedChoiceField(label=_("Area"), required=False, coerce=int, empty_value=None)
    facility = forms.ChoiceField(
        label=_("Facility"), required=False, choices=[("", _("Any")), *Facility.choices]
    )
    accessibility = forms.ChoiceField(
        label=_("Accessibility"), required=False, choices=[("", _("Any")), *Accessibility.choices]
    )
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    near = forms.TypedChoiceField(
        label=_("Nearest to"), required=False, coerce=int, empty_value=None, help_text=_("Order by distance")
    )
    near_lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    near_lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)

    def __init__(self, *args, types=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choice_field(self, "type").choices = [("", _("Any"))] + [(t.code, t.name) for t in types]
        area_choices = [(a.pk, ("\u00a0\u00a0" * max(0, a.depth - 1)) + a.name) for a in areas]
        _choice_field(self, "area").choices = [("", _("Anywhere")), *area_choices]
        _choice_field(self, "near").choices = [("", _("No order by distance")), *area_choices]


DAY_FIELDS = [f"hours_{d}" for d in hours_mod.DAYS]


class SpaceForm(forms.ModelForm):
    """A space's details; the weekly hours as one field per day ("08:00-20:00", empty = closed)."""

    facilities_list = forms.MultipleChoiceField(
        label=_("Facilities"), required=False, choices=Facility.choices, widget=forms.CheckboxSelectMultiple
    )
    accessibility_list = forms.MultipleChoiceField(
        label=_("Accessibility"),
        required=False,
        choices=Accessibility.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    # A coordinator types "thuvien.sonla.vn": it is kept as https://thuvien.sonla.vn (Django 6's default too).
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    languages_list = forms.MultipleChoiceField(
        label=_("Languages used"),
        required=False,
        choices=SpaceLanguage.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = LearningSpace
        fields = (
            "name_vi",
            "name_en",
            "code",
            "space_type",
            "area",
            "status",
            "is_public",
            "address",
            "lat",
            "lon",
            "capacity",
            "founded_on",
            "contact_name",
            "contact_phone",
            "contact_email",
            "website",
            "description_vi",
            "description_en",
            "directions_vi",
            "directions_en",
        )
        widgets: ClassVar[dict[str, forms.Widget]] = {
            "founded_on": forms.DateInput(attrs={"type": "date"}),
            "description_vi": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "directions_vi": forms.Textarea(attrs={"rows": 2}),
            "directions_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, city, areas, types, manager: bool, **kwargs):
        super().__init__(*args, **kwargs)
        _model_choice_field(self, "area").queryset = areas
        _model_choice_field(self, "space_type").queryset = types
        _choice_field(self, "status").choices = SpaceStatus.choices
        week = hours_mod.parse(self.instance.hours) if self.instance.pk else [[] for _ in hours_mod.DAYS]
        for index, name in enumerate(DAY_FIELDS):
            self.fields[name] = forms.CharField(
                label=hours_mod.DAY_NAMES[index],
                required=False,
                help_text=_("e.g. 08:00-20:00, or 07:30-11:00, 14:00-17:00; empty = closed"),
                initial=", ".join(f"{o:%H:%M}-{c:%H:%M}" for o, c in week[index]),
            )
        if self.instance.pk:
            self.fields["facilities_list"].initial = text_to_codes(self.instance.facilities)
            self.fields["accessibility_list"].initial = text_to_codes(self.instance.accessibility)
            self.fields["languages_list"].initial = text_to_codes(self.instance.languages)
        self.manager = manager
        if not manager:
            # Space coordinators see, but may not change, what only managers decide.
            for name in ("code", "space_type", "area", "status", "is_public"):
                self.fields[name].disabled = True

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean returns
        week = []
        for name in DAY_FIELDS:
            try:
                week.append(hours_mod.parse_ranges(cleaned.get(name, "")))
            except DomainError as exc:
                self.add_error(name, exc.message)
                week.append([])
        cleaned["hours"] = hours_mod.format_week(week)
        return cleaned

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["hours"] = self.cleaned_data["hours"]
        data["facilities"] = self.cleaned_data["facilities_list"]
        data["accessibility"] = self.cleaned_data["accessibility_list"]
        data["languages"] = self.cleaned_data["languages_list"]
        for key in (
            "name_en",
            "code",
            "address",
            "contact_name",
            "contact_phone",
            "contact_email",
            "website",
        ):
            data[key] = data[key] or ""
        if not self.manager:
            for name in ("code", "space_type", "area", "status", "is_public"):
                data.pop(name, None)
        return data

    def _post_clean(self):
        # Validation of the model happens in the service (with the city's rules), not here.
        pass


class ExceptionForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closed = forms.BooleanField(label=_("Closed all day"), required=False, initial=True)
    opens = forms.TimeField(label=_("Opens"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    closes = forms.TimeField(
        label=_("Closes"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo (JPEG, PNG or WebP)"))
    caption = forms.CharField(label=_("Caption (describe the photo)"), max_length=200)


class CoordinatorsForm(forms.Form):
    coordinators: forms.ModelMultipleChoiceField[User] = forms.ModelMultipleChoiceField(
        label=_("Coordinators"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinators"].queryset = users  # type: ignore[attr-defined]


class CoverageForm(forms.Form):
    distance_km = forms.FloatField(
        label=_("Distance from the area's centre (km)"),
        min_value=0.1,
        max_value=100,
        initial=2,
        required=False,
    )
    year = forms.TypedChoiceField(label=_("Population year"), coerce=int, required=False, empty_value=None)
    level = forms.ChoiceField(
        label=_("Areas"),
        required=False,
        choices=[("units", _("Wards and communes")), ("hamlets", _("Hamlets and residential groups"))],
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choice_field(self, "year").choices = [(y, y) for y in years] or [("", _("no population data"))]
