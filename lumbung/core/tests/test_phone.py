"""Phone numbers: Indonesian formats accepted, anything else (a formula, letters) refused wherever typed."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from lumbung.core.phone import PhoneField, phone_normalise, validate_phone

GOOD = ["0812-3456-7890", "+62 812 3456 7890", "62812345678", "081234567890", "(0721) 123456", "0721-123456",
        "+6281234567890", "  0812 3456 7890  ", ""]  # fmt: skip
BAD = ["=cmd|' /C calc'!A0", "+1 202 555 0100", "0812", "08123456789012345", "12345678", "0812abc4567",
       "@SUM(1+1)*cmd", "-0812345678", "0812\x003456789", "0812‮3456789", "+62 0812 3456 789", "'0812345678"]  # fmt: skip


@pytest.mark.parametrize("value", GOOD)
def test_indonesian_numbers_are_accepted(value):
    validate_phone(value)


@pytest.mark.parametrize("value", BAD)
def test_anything_else_is_refused_in_indonesian(value):
    with pytest.raises(ValidationError) as error:
        validate_phone(value)
    assert any(word in " ".join(error.value.messages) for word in ("Nomor", "nomor", "angka"))


@given(st.text(max_size=25))
def test_an_accepted_value_never_starts_a_formula_and_holds_only_phone_characters(value):
    try:
        validate_phone(value)
    except ValidationError:
        return
    cleaned = phone_normalise(value)
    assert not cleaned or cleaned[0] in "+0123456789("
    assert set(cleaned) <= set("+0123456789 ()-.")


def test_the_form_field_keeps_a_tidy_value():
    field = PhoneField()
    assert field.clean("  0812   3456 7890 ") == "0812 3456 7890"
    with pytest.raises(ValidationError):
        field.clean("=cmd|' /C calc'!A0")


def _forms_with_a_phone():
    import importlib
    import inspect

    from django import forms
    from django.conf import settings

    for app in settings.INSTALLED_APPS:
        if not app.startswith("lumbung."):
            continue
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for name, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == module.__name__:
                for field_name in form.base_fields:
                    if "phone" in field_name:
                        yield f"{app}.forms.{name}.{field_name}", form.base_fields[field_name]


def test_every_phone_field_typed_in_a_form_is_validated():
    found = dict(_forms_with_a_phone())
    assert len(found) >= 7, found  # accounts ×2, organisation, competitions, events ×2, clinic
    unchecked = [name for name, field in found.items() if validate_phone not in field.validators]
    assert unchecked == []
