from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EvidenceKind, GnlcProfile, ReportKind
from .profile import CHALLENGES


class ReportCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=ReportKind.choices)
    year_from = forms.IntegerField(label=_("From year"), min_value=2000, max_value=2100)
    year_to = forms.IntegerField(label=_("To year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Report title"), max_length=300, required=False)


class SectionForm(forms.Form):
    narrative_vi = forms.CharField(
        label=_("Narrative (Vietnamese)"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    narrative_en = forms.CharField(
        label=_("Narrative (English)"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of evidence"), choices=EvidenceKind.choices)
    title = forms.CharField(label=_("Evidence title"), max_length=300)
    claim = forms.CharField(label=_("The claim it supports"), max_length=500)
    file = forms.FileField(label=_("File (photo: JPEG, PNG, WebP; document: PDF, DOCX, ODT)"))


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
    section = forms.CharField(required=False, widget=forms.HiddenInput)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = GnlcProfile
        fields = (
            "population", "population_year", "area_km2", "area_year", "gdp_city_usd", "gdp_city_year",
            "gdp_country_usd", "gdp_country_year", "schooling_men", "schooling_women", "schooling_year", "mayor",
            "contact_name", "contact_email", "motivation_vi", "motivation_en", "implementation_vi",
            "implementation_en",
        )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("motivation_vi", "motivation_en", "implementation_vi", "implementation_en"):
            self.fields[name].widget = forms.Textarea(attrs={"rows": 5})
        for name in self.fields:
            if name.endswith("_year"):
                self.fields[name].widget = forms.NumberInput(attrs={"step": 1, "min": 1900, "max": 2100})
        for key, label in CHALLENGES:
            self.fields[f"challenge_{key}"] = forms.TypedChoiceField(
                label=label,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "\u2013")] + [(str(n), str(n)) for n in range(1, 6)],
                initial=(self.instance.challenges or {}).get(key),
            )

    def challenges(self) -> dict[str, int | None]:
        return {key: self.cleaned_data.get(f"challenge_{key}") for key, _label in CHALLENGES}


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    value = forms.DecimalField(
        label=_("City target"),
        max_digits=14,
        decimal_places=3,
        required=False,
        help_text=_("Leave empty to remove the target."),
    )

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["indicator"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(i.code, f"{i.code} · {i.name}") for i in indicators]
        self.fields["year"].widget = forms.NumberInput(attrs={"step": 1})
