"""Forms of the network pages: they parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from learningcity.core.models import Role

from .models import LANGUAGE_NAMES, PracticeFile, TranslationStatus


def _choices(form: forms.Form, name: str, choices) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").replace(";", ",").split(",") if part.strip()]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    cluster = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    city = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    kf = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    sdg = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    award = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    lang = forms.CharField(required=False, max_length=8, widget=forms.HiddenInput)


class PracticeTextForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    context = forms.CharField(label=_("Context"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    actions = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    participants = forms.CharField(
        label=_("Who took part"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    results = forms.CharField(label=_("Results"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lessons = forms.CharField(label=_("Lessons"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TranslationForm(PracticeTextForm):
    status = forms.ChoiceField(
        label=_("Translation status"),
        choices=[
            (TranslationStatus.DRAFT, TranslationStatus.DRAFT.label),
            (TranslationStatus.REVIEWED, TranslationStatus.REVIEWED.label),
        ],
    )


class PracticeForm(PracticeTextForm):
    slug = forms.SlugField(
        label=_("Short name"), max_length=80, help_text=_("Used in its address, e.g. thai-script-clubs")
    )
    language = forms.ChoiceField(label=_("Written in"), choices=[(k, v) for k, v in LANGUAGE_NAMES.items()])
    key_features = forms.CharField(
        label=_("Key Features"), required=False, help_text=_("Separated by commas, e.g. BB2, FC1")
    )
    sdg_targets = forms.CharField(label=_("SDG targets"), required=False, help_text=_("e.g. 4.6, 4.7"))
    award_criteria = forms.CharField(label=_("Award criteria"), required=False)
    indicator_codes = forms.CharField(
        label=_("Indicators of its results"),
        required=False,
        help_text=_("Codes of the city's indicators, e.g. LC.PARTICIPATION"),
    )
    clusters = forms.MultipleChoiceField(
        label=_("Clusters"), required=False, widget=forms.CheckboxSelectMultiple
    )
    contacts = forms.CharField(label=_("Contacts"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    published = forms.BooleanField(label=_("Published: shared with the city's networks"), required=False)

    def __init__(self, *args, clusters=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "clusters", [(str(c.pk), f"{c.network.name}: {c.name}") for c in clusters])
        self.order_fields(["slug", "language", "title", "summary"])

    def tags(self) -> dict:
        data = self.cleaned_data
        return {
            name: _split(data[name])
            for name in ("key_features", "sdg_targets", "award_criteria", "indicator_codes")
        }


class PracticeFileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PracticeFile.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"), help_text=_("A JPEG, PNG or WebP photo, or a PDF or Word document")
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), help_text=_("A PDF or Word document"))


class AdoptForm(forms.Form):
    source = forms.ChoiceField(label=_("Adopted from"))
    note = forms.CharField(
        label=_("How it was adopted"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(
            self,
            "source",
            [(str(p.pk), f"{p.city.name}: {p.text.title if p.text else p.slug}") for p in sources],
        )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    area = forms.TypedChoiceField(
        label=_("Area (for an area coordinator)"), required=False, coerce=int, empty_value=None
    )
    space = forms.TypedChoiceField(
        label=_("Space (for a space coordinator)"), required=False, coerce=int, empty_value=None
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=30, initial=7)

    def __init__(self, *args, areas=(), spaces=(), roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "area", [("", "—")] + [(a.pk, a.name) for a in areas])
        _choices(self, "space", [("", "—")] + [(s.pk, s.name) for s in spaces])
        if roles is not None:
            _choices(self, "role", [(r, label) for r, label in Role.choices if r in roles])


class AcceptForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150, required=False)
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    password = forms.CharField(label=_("Password"), required=False, widget=forms.PasswordInput)


class ShareForm(forms.Form):
    code = forms.CharField(max_length=40, widget=forms.HiddenInput)
    share = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text. Mention a city with @ and its short name, e.g. @son-la."),
    )


class PostForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ModerationForm(forms.Form):
    post = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Decision"), choices=[])
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        from .models import PostReport

        super().__init__(*args, **kwargs)
        _choices(self, "decision", PostReport.Decision.choices)

    def clean(self):
        data = super().clean() or {}
        if data.get("decision") == "hidden" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for hiding the message."))
        return data


class PartnershipForm(forms.Form):
    title_vi = forms.CharField(label=_("Title (Vietnamese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[])
    status = forms.ChoiceField(label=_("Status"), choices=[])
    objectives_vi = forms.CharField(
        label=_("Objectives (Vietnamese)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    objectives_en = forms.CharField(
        label=_("Objectives (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False)
    ends_on = forms.DateField(label=_("Ends on"), required=False)
    partner_city = forms.TypedChoiceField(
        label=_("Partner city"), required=False, coerce=int, empty_value=None
    )
    organisation = forms.CharField(label=_("Partner organisation"), max_length=200, required=False)
    country_code = forms.CharField(label=_("Its country (two letters)"), max_length=2, required=False)
    indicator_codes = forms.CharField(label=_("Indicators it covers"), required=False)
    programme_ids = forms.TypedMultipleChoiceField(
        label=_("Programmes it covers"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    programme_names = forms.CharField(
        label=_("Other programmes (not on this installation)"),
        required=False,
        help_text=_("Names separated by commas"),
    )

    def __init__(self, *args, cities=(), programmes=(), **kwargs):
        from .models import Partnership

        super().__init__(*args, **kwargs)
        _choices(self, "kind", Partnership.Kind.choices)
        _choices(self, "status", Partnership.Status.choices)
        _choices(self, "partner_city", [("", "—")] + [(c.pk, c.name) for c in cities])
        _choices(self, "programme_ids", list(programmes))


class RemoteCityForm(forms.Form):
    base_url = forms.URLField(
        label=_("Address of its installation"),
        max_length=200,
        assume_scheme="https",
        help_text=_("For example https://learning.example.org"),
    )
    slug = forms.SlugField(label=_("Its city's slug there"), max_length=60)
    joined_on = forms.DateField(label=_("Joined the network on"), required=False)


class MemberForm(forms.Form):
    city = forms.TypedChoiceField(label=_("City"), coerce=int)
    joined_on = forms.DateField(label=_("Joined the network on"))

    def __init__(self, *args, cities=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "city", [(c.pk, c.name) for c in cities])


class CoordinatorForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)


class CityCreateForm(forms.Form):
    slug = forms.SlugField(label=_("Short name (address)"), max_length=60)
    name_vi = forms.CharField(label=_("Name (Vietnamese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    province_code = forms.CharField(
        label=_("Province code"), max_length=3, help_text=_("From the national data, e.g. 14 for Son La")
    )
    legacy_district_codes = forms.CharField(
        label=_("Former district codes (before 2025)"),
        required=False,
        help_text=_("Separated by commas, e.g. 116"),
    )
    admin_email = forms.EmailField(label=_("E-mail of its administrator"), required=False)
    joined_on = forms.DateField(label=_("Joined the network on"), required=False)
