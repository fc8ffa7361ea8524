"""A service's refusal lands under the input it names, or on the form as a whole."""

from django import forms

from learningcity.core.errors import DomainError
from learningcity.core.forms import add_domain_error


class _Form(forms.Form):
    name = forms.CharField()
    expires_on = forms.DateField(required=False)


def _form() -> _Form:
    form = _Form({"name": "x"})
    assert form.is_valid()
    return form


def test_the_message_goes_under_its_field():
    form = _form()
    add_domain_error(form, DomainError("Taken.", field="name"))
    assert form.errors == {"name": ["Taken."]}


def test_a_field_the_form_lacks_or_none_goes_on_the_form():
    for field in ("nothing_like_it", None):
        form = _form()
        add_domain_error(form, DomainError("Refused.", field=field))
        assert form.non_field_errors() == ["Refused."]
        assert "name" not in form.errors


def test_aliases_name_the_form_field():
    form = _form()
    add_domain_error(form, DomainError("Too far.", field="expires_at"), aliases={"expires_at": "expires_on"})
    assert form.errors == {"expires_on": ["Too far."]}


def test_an_error_naming_several_fields_puts_each_under_its_own():
    class Several(DomainError):
        def __init__(self, errors: dict[str, str]):
            super().__init__(next(iter(errors.values())), field=next(iter(errors)))
            self.errors = errors

    form = _form()
    add_domain_error(form, Several({"name": "Too short.", "expires_on": "Past.", "other": "Odd."}))
    assert form.errors["name"] == ["Too short."]
    assert form.errors["expires_on"] == ["Past."]
    assert form.non_field_errors() == ["Odd."]
