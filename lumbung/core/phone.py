"""Indonesian phone numbers as people type them (0812-3456-7890, +62 812 3456 7890, 62812…, (0721) 123456).

A phone field is free text that ends up in spreadsheets and WhatsApp links, so anything else
(letters, `=`, `|`, quotes: a formula such as `=cmd|' /C calc'!A0`) is refused when typed.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Digits with the separators people write; an optional leading "+" only.
_SHAPE = re.compile(r"\+?[0-9(][0-9 ()\-.]*")
# Shortest landline with area code (e.g. 0761 12345) to the longest E.164 number.
MIN_DIGITS, MAX_DIGITS = 8, 15


def phone_normalise(value: str) -> str:
    """The number as typed, without surrounding spaces and with runs of spaces collapsed."""
    return re.sub(r"\s+", " ", (value or "").strip())


def validate_phone(value: str) -> None:
    value = phone_normalise(value)
    if not value:
        return
    if not _SHAPE.fullmatch(value):
        raise ValidationError(
            _(
                "Nomor telepon hanya boleh berisi angka, spasi, tanda hubung dan tanda + di depan, misalnya 0812-3456-7890."
            ),
            code="phone_characters",
        )
    digits = re.sub(r"\D", "", value)
    if value.startswith("+") and not digits.startswith("62"):
        raise ValidationError(_("Nomor dengan + harus diawali kode negara Indonesia, +62."), code="phone_country")
    if not (digits.startswith("0") or digits.startswith("62")):
        raise ValidationError(
            _("Nomor telepon Indonesia diawali 0, 62 atau +62, misalnya 0812-3456-7890 atau +62 812 3456 7890."),
            code="phone_prefix",
        )
    national = digits[1:] if digits.startswith("0") else digits[2:]
    if national.startswith("0"):
        raise ValidationError(_("Setelah 0 atau 62, nomor tidak diawali 0 lagi."), code="phone_prefix")
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        raise ValidationError(
            _("Nomor telepon terdiri dari %(min)s sampai %(max)s angka.") % {"min": MIN_DIGITS, "max": MAX_DIGITS},
            code="phone_length",
        )


class PhoneField(forms.CharField):
    """A form field for an Indonesian phone number (optional unless required=True)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Nomor HP/WhatsApp"))
        super().__init__(**kwargs)
        self.validators.append(validate_phone)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.setdefault("inputmode", "tel")
        attrs.setdefault("autocomplete", "tel")
        return attrs

    def to_python(self, value):
        return phone_normalise(super().to_python(value))
