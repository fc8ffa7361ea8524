from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from learningcity.core.models import Area

from .models import FileKind, TiePolicy

if TYPE_CHECKING:
    from learningcity.core.models import User

    from .models import Category


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class EntryForm(forms.Form):
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(queryset=None, label=_("Category"))
    title = forms.CharField(label=_("Title"), max_length=250)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    team_members = forms.CharField(
        label=_("Team members"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("For a team entry: one name per line, yourself excluded."),
    )
    # The form metaclass moves declared fields into base_fields, so this never shadows BaseForm.files.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Files"),
        required=False,
        help_text=_(
            "Images (JPEG, PNG, WebP), recordings (MP3, OGG, M4A, WAV), PDF or plain text, as the category allows."
        ),
    )
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2100)
    residence: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        queryset=None, label=_("Where you live"), required=False
    )
    gallery_consent = forms.BooleanField(
        label=_("Show my entry (title, files and name) in the public gallery"), required=False
    )

    def __init__(self, *args, competition=None, edit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = competition.categories.order_by("position")  # type: ignore[attr-defined]
        self.fields["residence"].queryset = (  # type: ignore[attr-defined]
            Area.objects.filter(city_id=competition.city_id, valid_to__isnull=True, depth__gte=1).order_by(
                "path"
            )
        )
        if edit:
            for name in ("category", "birth_year", "residence"):
                del self.fields[name]
            self.fields["files"].help_text = _(
                "New files replace the current ones; the earlier version is kept."
            )


class PaperEntryForm(EntryForm):
    entrant_name = forms.CharField(label=_("Entrant's name"), max_length=200)
    entrant_contact = forms.CharField(label=_("Phone or email"), max_length=200, required=False)
    received_at = forms.DateTimeField(label=_("Received on"), help_text=_("e.g. 2024-11-10 09:00"))

    field_order = ("entrant_name", "entrant_contact", "received_at", "category", "title")


class CompetitionForm(forms.Form):
    slug = forms.SlugField(label=_("Short name in the address"), max_length=80)
    code = forms.CharField(label=_("Code for receipts"), max_length=8)
    title_vi = forms.CharField(label=_("Title (Vietnamese)"), max_length=250)
    title_en = forms.CharField(label=_("Title (English)"), max_length=250, required=False)
    description_vi = forms.CharField(
        label=_("Description (Vietnamese)"), widget=forms.Textarea, required=False
    )
    description_en = forms.CharField(label=_("Description (English)"), widget=forms.Textarea, required=False)
    theme_vi = forms.CharField(label=_("Themes (Vietnamese)"), widget=forms.Textarea, required=False)
    rules_vi = forms.CharField(label=_("Rules (Vietnamese)"), widget=forms.Textarea, required=False)
    prizes_vi = forms.CharField(label=_("Prizes (Vietnamese)"), widget=forms.Textarea, required=False)
    announced_at = forms.DateTimeField(label=_("Announced on"))
    opens_at = forms.DateTimeField(label=_("Open for entries from"))
    closes_at = forms.DateTimeField(label=_("Deadline for entries"))
    judging_ends_at = forms.DateTimeField(label=_("Judging ends"))
    residents_only = forms.BooleanField(label=_("Residents of the city only"), required=False, initial=True)
    min_age = forms.IntegerField(label=_("Minimum age"), required=False, min_value=0, max_value=120)
    max_age = forms.IntegerField(label=_("Maximum age"), required=False, min_value=0, max_value=120)
    allow_teams = forms.BooleanField(label=_("Team entries allowed"), required=False, initial=True)
    reviews_per_entry = forms.IntegerField(label=_("Judges per entry"), min_value=1, max_value=20, initial=3)
    normalise_scores = forms.BooleanField(
        label=_("Normalise judges' scores (z-scores)"), required=False, initial=True
    )
    tie_policy = forms.ChoiceField(label=_("Ties"), choices=TiePolicy.choices)
    winners_per_category = forms.IntegerField(
        label=_("Winners per category"), min_value=0, max_value=50, initial=3
    )
    peoples_choice = forms.BooleanField(label=_("People's choice voting"), required=False)


class CategoryForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=8)
    name_vi = forms.CharField(label=_("Name (Vietnamese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    allowed_kinds = forms.MultipleChoiceField(
        label=_("Allowed file types"), choices=FileKind.choices, widget=forms.CheckboxSelectMultiple
    )
    max_file_bytes = forms.IntegerField(label=_("Largest file (MB)"), min_value=1, max_value=25, initial=10)
    max_files = forms.IntegerField(label=_("Files per entry"), min_value=1, max_value=10, initial=3)


class CriterionForm(forms.Form):
    name_vi = forms.CharField(label=_("Name (Vietnamese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    weight = forms.DecimalField(label=_("Weight"), min_value=0.01, max_digits=5, decimal_places=2, initial=1)
    min_score = forms.IntegerField(label=_("Lowest score"), min_value=0, initial=0)
    max_score = forms.IntegerField(label=_("Highest score"), min_value=1, initial=10)


class JuryForm(forms.Form):
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(queryset=None, label=_("Category"))
    judge: forms.ModelChoiceField[User] = forms.ModelChoiceField(queryset=None, label=_("Judge"))

    def __init__(self, *args, competition=None, judges=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = competition.categories.all()  # type: ignore[attr-defined]
        self.fields["judge"].queryset = judges  # type: ignore[attr-defined]


class AssignmentForm(forms.Form):
    code = forms.CharField(label=_("Entry code"), max_length=24, help_text=_("e.g. THO-017"))
    judge: forms.ModelChoiceField[User] = forms.ModelChoiceField(queryset=None, label=_("Judge"))

    def __init__(self, *args, judges=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].queryset = judges  # type: ignore[attr-defined]


class ConflictForm(forms.Form):
    judge: forms.ModelChoiceField[User] = forms.ModelChoiceField(queryset=None, label=_("Judge"))
    code = forms.CharField(label=_("Entry code or receipt"), max_length=32, required=False)
    entrant = forms.CharField(
        label=_("Or the entrant's username"),
        max_length=150,
        required=False,
        help_text=_("Covers all her entries."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, judges=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].queryset = judges  # type: ignore[attr-defined]


class DeclareConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (e.g. I recognise the work of a relative or a pupil)"), max_length=300, required=False
    )


class AdjustForm(forms.Form):
    rank = forms.IntegerField(label=_("Rank"), min_value=1)
    note = forms.CharField(label=_("Reason"), max_length=300)


class ApproveForm(forms.Form):
    accept_ties = forms.BooleanField(label=_("Tied entries share the prize"), required=False)
