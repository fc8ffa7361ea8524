from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AreaLevel, AuditEntry


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
        label=_("Action"), required=False, choices=[("", _("All"))] + list(AuditEntry.Action.choices)
    )
    object_type = forms.CharField(label=_("Object type"), required=False)
    since = forms.DateField(label=_("Since"), required=False)
    q = forms.CharField(label=_("Search"), required=False)
