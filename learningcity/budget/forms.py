from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cofog import COFOG_CHOICES
from .models import Phase, Source

YEAR_MIN, YEAR_MAX = 2000, 2100


def _this_year() -> int:
    return timezone.now().year


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Year"))
        super().__init__(min_value=YEAR_MIN, max_value=YEAR_MAX, **kwargs)
        self.widget = forms.NumberInput(attrs={"step": 1})


class BudgetImportForm(forms.Form):
    year = YearField(help_text=_("Every line of the sheet must be of this year."))
    file = forms.FileField(label=_("CSV or Excel file"))


class LineFilterForm(forms.Form):
    year = YearField(required=False)
    phase = forms.ChoiceField(label=_("Phase"), required=False, choices=[("", _("All")), *Phase.choices])
    cofog = forms.ChoiceField(
        label=_("Function (COFOG)"), required=False, choices=[("", _("All")), *COFOG_CHOICES]
    )
    source = forms.ChoiceField(
        label=_("Funding source"), required=False, choices=[("", _("All")), *Source.choices]
    )


class CodeMappingForm(forms.Form):
    year = YearField()
    code = forms.CharField(label=_("Budget code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=300)
    cofog = forms.ChoiceField(label=_("Function (COFOG)"), choices=COFOG_CHOICES)
    counts_as_education = forms.BooleanField(
        label=_("Counts as education"),
        required=False,
        help_text=_(
            "Every COFOG 09 code counts; tick a cultural-services code (libraries, clubs) to count it too."
        ),
    )
    counts_as_heritage = forms.BooleanField(
        label=_("Counts as cultural and natural heritage (SDG 11.4.1)"), required=False
    )


class CopyYearForm(forms.Form):
    from_year = YearField(label=_("Copy the codes of"))
    to_year = YearField(label=_("into"))


class LineForm(forms.Form):
    year = YearField()
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)
    code = forms.CharField(label=_("Budget code"), max_length=40)
    amount = forms.DecimalField(label=_("Amount (VND)"), min_value=0, max_digits=18, decimal_places=0)
    source = forms.ChoiceField(label=_("Funding source"), choices=Source.choices)
    spending_unit = forms.CharField(label=_("Spending unit"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    programme_id = forms.TypedChoiceField(label=_("Programme"), required=False, coerce=int, empty_value=None)
    space_id = forms.TypedChoiceField(label=_("Learning space"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, programmes=(), spaces=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name, rows in (("programme_id", programmes), ("space_id", spaces)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", "\u2013")] + [(str(pk), label) for pk, label in rows]
