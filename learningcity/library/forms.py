from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Audience, BookDrive, CopyStatus, Format, Language


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Title, author or subject"), required=False, max_length=200)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), *Language.choices]
    )
    audience = forms.ChoiceField(
        label=_("For"), required=False, choices=[("", _("Anyone")), *Audience.choices]
    )
    format = forms.ChoiceField(label=_("Format"), required=False, choices=[("", _("Any")), *Format.choices])
    subject = forms.CharField(label=_("Subject"), required=False, max_length=100)
    bookcase = forms.IntegerField(label=_("Bookcase"), required=False, min_value=1, widget=forms.HiddenInput)
    available = forms.BooleanField(label=_("On a shelf now"), required=False)
    near_lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    near_lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    page = forms.IntegerField(required=False, min_value=1, max_value=10000, widget=forms.HiddenInput)


class RecordForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    subtitle = forms.CharField(label=_("Subtitle"), max_length=300, required=False)
    title_romanised = forms.CharField(
        label=_("Title in romanisation"),
        max_length=300,
        required=False,
        help_text=_("For titles in Tai Viet script: the title in Latin letters."),
    )
    authors = forms.CharField(
        label=_("Authors"), max_length=500, required=False, help_text=_("Separated by ;")
    )
    isbn = forms.CharField(label=_("ISBN"), max_length=20, required=False, help_text=_("ISBN-10 or ISBN-13."))
    publisher = forms.CharField(label=_("Publisher"), max_length=200, required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1400, max_value=2100)
    edition = forms.CharField(label=_("Edition"), max_length=100, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, widget=forms.CheckboxSelectMultiple, initial=["vie"]
    )
    subjects = forms.CharField(
        label=_("Subjects"), max_length=500, required=False, help_text=_("Separated by ;")
    )
    classification = forms.CharField(label=_("Classification (DDC)"), max_length=40, required=False)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices, initial=Audience.ADULTS)
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices, initial=Format.BOOK)


class CopyForm(forms.Form):
    barcode = forms.CharField(label=_("Barcode"), max_length=32)
    home: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=_("Home bookcase"))

    def __init__(self, *args, spaces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home"].queryset = spaces  # type: ignore[attr-defined]


class CopyStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (CopyStatus.AVAILABLE, CopyStatus.AVAILABLE.label),
            (CopyStatus.LOST, CopyStatus.LOST.label),
            (CopyStatus.WITHDRAWN, CopyStatus.WITHDRAWN.label),
            (CopyStatus.CATALOGUING, CopyStatus.CATALOGUING.label),
        ],
    )


class DeskForm(forms.Form):
    ACTIONS = (("lend", _("Lend")), ("return", _("Take back")), ("renew", _("Renew")))
    action = forms.ChoiceField(label=_("What"), choices=ACTIONS, widget=forms.RadioSelect, initial="lend")
    barcode = forms.CharField(
        label=_("Barcode of the copy"),
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "class": "scan-target"}
        ),
    )
    borrower = forms.CharField(
        label=_("Borrower: card code or name"),
        max_length=200,
        required=False,
        help_text=_("Needed to lend."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    borrower_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    send_home = forms.BooleanField(label=_("Send it back to its home bookcase"), required=False)
    key = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)


class RulesForm(forms.Form):
    loan_days = forms.IntegerField(label=_("Loan period (days)"), min_value=1, max_value=365)
    renewals = forms.IntegerField(label=_("Renewals allowed"), min_value=0, max_value=20)
    max_loans = forms.IntegerField(label=_("Most copies per person"), min_value=1, max_value=100)


class BorrowerForm(forms.Form):
    learner_code = forms.CharField(
        label=_("Learner code of the person"),
        max_length=20,
        help_text=_("The person must be registered as a learner, with consent to take part."),
    )
    card_code = forms.CharField(
        label=_("Card code"), max_length=20, required=False, help_text=_("Empty: the learner code is used.")
    )
    username = forms.CharField(
        label=_("Their account (user name), if they have one"),
        max_length=150,
        required=False,
        help_text=_("Lets them reserve books and see their loans themselves."),
    )
    keep_history = forms.BooleanField(label=_("They want to keep their reading history"), required=False)


class ReserveForm(forms.Form):
    pickup: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=_("Collect at"))

    def __init__(self, *args, spaces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pickup"].queryset = spaces  # type: ignore[attr-defined]


class HistoryForm(forms.Form):
    keep_history = forms.BooleanField(label=_("Keep my reading history"), required=False)


class MarcImportForm(forms.Form):
    file = forms.FileField(label=_("MARC file (.mrc or MARCXML)"))


class BookDriveForm(forms.Form):
    name = forms.CharField(label=_("Name of the drive"), max_length=200)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("Until (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class DonationForm(forms.Form):
    drive = forms.ModelChoiceField(queryset=BookDrive.objects.none(), label=_("Book drive"), required=False)
    donor_name = forms.CharField(label=_("Donor (optional, private)"), max_length=200, required=False)
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    titles = forms.CharField(
        label=_("The books, one per line"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A title or an ISBN per line, as written on the book."),
    )

    def __init__(self, *args, drives=None, **kwargs):
        super().__init__(*args, **kwargs)
        if drives is not None:
            self.fields["drive"].queryset = drives  # type: ignore[attr-defined]
