from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ContributionKind, Event, MaterialKind, Room, Session, SessionKind, Sex, Speaker, Track


class RegistrationForm(forms.Form):
    delegation_name = forms.CharField(
        label=_("Delegation (city or organisation), if you register others"), max_length=200, required=False
    )
    full_name = forms.CharField(label=_("Name (Latin letters)"), max_length=200)
    name_native = forms.CharField(label=_("Name in own script"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.CharField(label=_("Role"), max_length=120, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    country = forms.CharField(label=_("Country (two letters, e.g. VN)"), max_length=2, min_length=2)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.OTHER)
    accessibility = forms.CharField(label=_("Accessibility needs"), max_length=300, required=False)
    diet = forms.CharField(label=_("Diet"), max_length=200, required=False)
    interpretation_language = forms.CharField(
        label=_("Interpretation language"), max_length=8, required=False
    )
    visa_letter = forms.BooleanField(label=_("Needs a visa invitation letter"), required=False)
    public_listing = forms.BooleanField(
        label=_("Show the name in the public list of attendees"), required=False
    )


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)
    track = forms.ModelChoiceField(label=_("Track"), queryset=Track.objects.none(), required=False)
    # A browser's date and time inputs read and send ISO values whatever the language (the Vietnamese format
    # dd/mm/yyyy left the day empty on the edit page, and saving took the session off the schedule).
    day = forms.DateField(
        label=_("Day"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    start = forms.TimeField(
        label=_("Starts"), required=False, widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"})
    )
    end = forms.TimeField(
        label=_("Ends"), required=False, widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"})
    )
    speakers = forms.ModelMultipleChoiceField(
        label=_("Speakers"), queryset=Speaker.objects.none(), required=False
    )
    languages = forms.CharField(label=_("Languages spoken (codes, comma-separated)"), required=False)
    interpretation = forms.CharField(label=_("Interpretation into (codes)"), required=False)
    capacity = forms.IntegerField(label=_("Places to book (0: no booking)"), min_value=0, initial=0)
    expected = forms.IntegerField(label=_("Expected attendance"), min_value=0, initial=0)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["room"].queryset = Room.objects.filter(event=event)  # type: ignore[attr-defined]
        self.fields["track"].queryset = Track.objects.filter(event=event)  # type: ignore[attr-defined]
        self.fields["speakers"].queryset = Speaker.objects.filter(event=event)  # type: ignore[attr-defined]

    def times(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        data = self.cleaned_data
        if not (data.get("day") and data.get("start") and data.get("end")):
            return None, None
        zone = zoneinfo.ZoneInfo(self.event.time_zone)
        return (
            dt.datetime.combine(data["day"], data["start"], tzinfo=zone),
            dt.datetime.combine(data["day"], data["end"], tzinfo=zone),
        )


def codes(text: str) -> list[str]:
    return [c.strip() for c in (text or "").replace(";", ",").split(",") if c.strip()]


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of contribution"), choices=ContributionKind.choices)
    title = forms.CharField(label=_("Title"), max_length=250)
    abstract = forms.CharField(label=_("Abstract"), widget=forms.Textarea)
    authors = forms.CharField(label=_("Co-authors (one per line)"), widget=forms.Textarea, required=False)
    files = forms.FileField(  # type: ignore[assignment]
        label=_("File (PDF, text or image)"), required=False
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        for i, question in enumerate(event.call_questions):
            self.fields[f"q{i}"] = forms.CharField(label=question, widget=forms.Textarea)

    def answers(self) -> dict[str, str]:
        return {q: self.cleaned_data.get(f"q{i}", "") for i, q in enumerate(self.event.call_questions)}


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Badge code"), max_length=300)
    session = forms.IntegerField(required=False, widget=forms.HiddenInput)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was it (1 to 5)"), choices=[(i, str(i)) for i in range(1, 6)], coerce=int
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea, required=False, max_length=1000)


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    session = forms.ModelChoiceField(
        label=_("Session (empty: the whole event)"), queryset=Session.objects.none(), required=False
    )
    file = forms.FileField(
        label=_("File (PDF, Word, PowerPoint, Excel, image or recording; 20 MB at most)"), required=False
    )
    link = forms.CharField(label=_("Or a link (e.g. the recording)"), max_length=500, required=False)
    is_public = forms.BooleanField(
        label=_("Public (otherwise only for the event's confirmed delegates)"), required=False
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(event=event).order_by(  # type: ignore[attr-defined]
            "starts_at", "id"
        )


class StewardForm(forms.Form):
    username = forms.CharField(label=_("User name of the steward"), max_length=150)
