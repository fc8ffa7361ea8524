from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from learningcity.core.demography import ETHNICITY_CHOICES, WG_DOMAINS, Sex, WGAnswer

from .models import (
    KFLC_BLOCKS,
    SDG_TARGETS,
    ConsentPurpose,
    ProgrammeKind,
    ProgrammeStatus,
    SessionStatus,
    TargetGroup,
    Topic,
)

if TYPE_CHECKING:
    from learningcity.core.models import Area
    from learningcity.places.models import LearningSpace

    from .models import Programme

# <input type="date"> only takes ISO dates; the Vietnamese input format (dd/mm/yyyy) would leave it empty.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class ProgrammeForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60, help_text=_("Short code used in imported sheets."))
    kind = forms.ChoiceField(label=_("Kind"), choices=ProgrammeKind.choices)
    title_vi = forms.CharField(label=_("Title (Vietnamese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    title_blt = forms.CharField(label=_("Title (Thai, Tai Viet script)"), max_length=200, required=False)
    description_vi = forms.CharField(
        label=_("Description (Vietnamese)"), widget=forms.Textarea, required=False
    )
    description_en = forms.CharField(label=_("Description (English)"), widget=forms.Textarea, required=False)
    description_blt = forms.CharField(
        label=_("Description (Thai, Tai Viet script)"), widget=forms.Textarea, required=False
    )
    organiser = forms.CharField(label=_("Organiser"), max_length=200, required=False)
    partners = forms.CharField(label=_("Partners"), max_length=300, required=False)
    spaces: forms.ModelMultipleChoiceField[LearningSpace] = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Spaces"), required=False
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kflc_blocks = forms.MultipleChoiceField(
        label=_("KFLC building blocks"),
        choices=KFLC_BLOCKS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sdg_targets = forms.MultipleChoiceField(
        label=_("SDG targets"), choices=SDG_TARGETS, required=False, widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE_INPUT)
    status = forms.ChoiceField(
        label=_("Status"), choices=ProgrammeStatus.choices, initial=ProgrammeStatus.ACTIVE
    )

    def __init__(self, *args, spaces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spaces"].queryset = spaces  # type: ignore[attr-defined]
        self.fields["title_blt"].widget.attrs["lang"] = "blt-Tavt"
        self.fields["description_blt"].widget.attrs["lang"] = "blt-Tavt"


class ScheduleForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    start_time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    starts_on = forms.DateField(label=_("From"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Until"), widget=DATE_INPUT)
    space: forms.ModelChoiceField[LearningSpace] = forms.ModelChoiceField(
        queryset=None, label=_("Space"), required=False
    )
    facilitator = forms.CharField(label=_("Facilitator"), max_length=200, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, required=False)

    def __init__(self, *args, spaces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = spaces  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    space: forms.ModelChoiceField[LearningSpace] = forms.ModelChoiceField(
        queryset=None, label=_("Space"), required=False
    )
    facilitator = forms.CharField(label=_("Facilitator"), max_length=200, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=SessionStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, spaces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = spaces  # type: ignore[attr-defined]


WG_CHOICES = [("", _("Not asked"))] + [(str(v), label) for v, label in WGAnswer.choices]


class LearnerForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, required=False)
    # No bounds here: the service names an impossible year in its own words (as the import does).
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False)
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        queryset=None, label=_("Home area"), required=False
    )
    languages = forms.CharField(
        label=_("Languages"), max_length=100, required=False, help_text=_("e.g. vi, blt")
    )

    def __init__(self, *args, areas=None, sensitive=False, consent=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        if sensitive:
            self.fields["ethnicity"] = forms.ChoiceField(
                label=_("Ethnicity"), choices=ETHNICITY_CHOICES, initial="99"
            )
            for key, label in WG_DOMAINS:
                self.fields[f"wg_{key}"] = forms.ChoiceField(label=label, choices=WG_CHOICES, required=False)
        if consent:
            self.fields["consent"] = forms.MultipleChoiceField(
                label=_("Consent given for"),
                choices=ConsentPurpose.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=[ConsentPurpose.PARTICIPATION, ConsentPurpose.STATISTICS],
            )
            self.fields["consent_method"] = forms.CharField(
                label=_("How consent was given"),
                max_length=100,
                required=False,
                help_text=_("e.g. paper form, spoken, guardian"),
            )

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        out = {k: data[k] for k in ("full_name", "sex", "birth_year", "area", "languages")}
        if "ethnicity" in data:
            out["ethnicity"] = data["ethnicity"]
            out["disability_answers"] = {
                key: int(data[f"wg_{key}"]) for key, _label in WG_DOMAINS if data.get(f"wg_{key}")
            }
        return out

    @staticmethod
    def initial_for(learner, consents) -> dict:
        initial = {
            "full_name": learner.full_name,
            "sex": learner.sex,
            "birth_year": learner.birth_year,
            "area": learner.area_id,
            "languages": learner.languages,
            "ethnicity": learner.ethnicity,
            "consent": sorted(consents),
        }
        for key, _label in WG_DOMAINS:
            value = (learner.disability_answers or {}).get(key)
            initial[f"wg_{key}"] = str(value) if value else ""
        return initial


class QuickLearnerForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, required=False)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2100)
    consent = forms.BooleanField(label=_("Agrees to have participation recorded"), required=True)
    # One token per filled-in form: the same form sent twice (a double tap, a resend after a lost answer) adds
    # the person once.
    once = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("once", uuid.uuid4().hex)

    def clean_once(self) -> str:
        # A hidden field's error would show nowhere: an altered token is cut to size, never refused.
        return self.cleaned_data["once"][:40]


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    given = forms.TypedChoiceField(
        label=_("Decision"), choices=[("1", _("Given")), ("0", _("Withdrawn"))], coerce=lambda v: v == "1"
    )
    method = forms.CharField(label=_("How"), max_length=100, required=False)


class MergeForm(forms.Form):
    duplicate_code = forms.CharField(label=_("Code of the duplicate record"), max_length=20)


class MembershipEndForm(forms.Form):
    left_on = forms.DateField(label=_("Leaving date"), widget=DATE_INPUT)

    def __init__(self, *args, membership=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        attrs = self.fields["left_on"].widget.attrs
        if membership is not None:
            attrs["min"] = membership.joined_on.isoformat()
        if today is not None:
            attrs["max"] = today.isoformat()


class MemberAddForm(forms.Form):
    learner_code = forms.CharField(label=_("Learner code"), max_length=20)
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE_INPUT)


class SheetForm(forms.Form):
    file = forms.FileField(label=_("Sheet (CSV or Excel)"))
    programme: forms.ModelChoiceField[Programme] = forms.ModelChoiceField(
        queryset=None,
        label=_("Programme"),
        required=False,
        help_text=_("For a sign-in sheet of one programme."),
    )

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
