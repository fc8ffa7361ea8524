from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from learningcity.core.demography import AGE_BAND_CODES, ETHNICITY_CHOICES

from .models import Indicator

if TYPE_CHECKING:
    from learningcity.core.models import Area


class PeriodForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=20,
        help_text=_("2025, 2025-Q2, 2025-03, or R12-2025-06 for the 12 months to June 2025"),
    )


class PopulationForm(forms.Form):
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(queryset=None, label=_("Area"))
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100)
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", _("All")), ("F", _("Female")), ("M", _("Male")), ("X", _("Other"))],
    )
    age_band = forms.ChoiceField(
        label=_("Age band"), required=False, choices=[("", _("All"))] + [(b, b) for b in AGE_BAND_CODES]
    )
    ethnicity = forms.ChoiceField(
        label=_("Ethnic group"), required=False, choices=[("", _("All")), *ETHNICITY_CHOICES]
    )
    count = forms.IntegerField(label=_("People"), min_value=0)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]


class ManualValueForm(forms.Form):
    indicator = forms.ModelChoiceField(queryset=Indicator.objects.none(), label=_("Indicator"))
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=3)
    source = forms.CharField(label=_("Source"), max_length=300)
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.FileField(label=_("Evidence file (PDF, image, Excel or Word)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(is_active=True, formula__type="manual")  # type: ignore[attr-defined]
