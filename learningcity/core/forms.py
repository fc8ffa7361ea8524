from collections.abc import Mapping

from django import forms
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .models import AreaLevel, AuditEntry, TokenScope


def add_domain_error(
    form: forms.BaseForm, exc: DomainError, *, aliases: Mapping[str, str] | None = None
) -> None:
    """Put a service's refusal on the form: each message under its field when the form has that field, else on
    the form as a whole. An error that names several fields at once (an `errors` mapping of field to message,
    as programmes' LearnerInvalid carries) puts each under its own input; `aliases` maps a service's field name
    to the form's where the two differ."""
    errors: Mapping[str, str] = getattr(exc, "errors", None) or {exc.field or "": exc.message}
    for name, message in errors.items():
        field = (aliases or {}).get(name, name)
        form.add_error(field if field in form.fields else None, message)


class AreaForm(forms.Form):
    parent: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=_("Part of"))
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[
            (AreaLevel.HAMLET, AreaLevel.HAMLET.label),
            (AreaLevel.RESIDENTIAL_GROUP, AreaLevel.RESIDENTIAL_GROUP.label),
        ],
    )
    code = forms.CharField(label=_("Code"), max_length=32)
    name_vi = forms.CharField(label=_("Name (Vietnamese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]


class AreaEditForm(forms.Form):
    """What staff may change on an existing unit (its code, level and place in the tree stay)."""

    name_vi = forms.CharField(label=_("Name (Vietnamese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    is_remote = forms.BooleanField(label=_("Remote (hard to reach)"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"))


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All")), *AuditEntry.Action.choices]
    )
    object_type = forms.CharField(label=_("Object type"), required=False)
    since = forms.DateField(label=_("Since"), required=False)
    q = forms.CharField(label=_("Search"), required=False)


class ApiTokenForm(forms.Form):
    """A new API token: its name, whose it is (the city's staff or the administrator herself), scope, expiry."""

    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("Where it is used, e.g. “attendance sync, Mé Ban”.")
    )
    user: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=_("Whose token"))
    scope = forms.ChoiceField(label=_("Scope"), choices=TokenScope.choices, initial=TokenScope.READ)
    expires_on = forms.DateField(
        label=_("Expires after"),
        required=False,
        help_text=_("Optional: the last day it works. Leave empty for no expiry."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = owners  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = lambda u: (  # type: ignore[attr-defined]
            f"{u.full_name} ({u.username})" if u.full_name else u.username
        )
