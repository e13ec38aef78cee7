"""Formatting in the Indonesian way (Rupiah, numbers, dates) and small permission helpers."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.utils.formats import number_format
from django.utils.html import format_html

from ..text import word_count as count_words
from ..whatsapp import whatsapp_url as _whatsapp_url

register = template.Library()


def _decimal(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def rupiah(value):
    """1234567 -> "Rp1.234.567" (Indonesian grouping; whole rupiah)."""
    number = _decimal(value)
    if number is None:
        return ""
    rounded = number.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return "Rp" + number_format(rounded, decimal_pos=0, use_l10n=True, force_grouping=True)


@register.filter
def num(value, decimals=0):
    """A number with the active language's separators: 1.234,56 in Indonesian."""
    number = _decimal(value)
    if number is None:
        return ""
    places = int(decimals)
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def percent(value, decimals=0):
    formatted = num(value, decimals)
    return f"{formatted}%" if formatted else ""


@register.filter
def words(text):
    return count_words(text or "")


@register.simple_tag(takes_context=True)
def has_role(context, *roles):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    return request.user.has_any_role(set(roles), getattr(request, "region", None))


@register.simple_tag(takes_context=True)
def can(context, perm, obj=None):
    request = context.get("request")
    return bool(request and request.user.has_perm(perm, obj))


@register.simple_tag
def progress_bar(value, total, label=""):
    percent_value = 0 if not total else max(0, min(100, round(value * 100 / total)))
    return format_html(
        '<div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="{}"'
        ' aria-label="{}"><span data-bar-width="{}"></span></div>',
        percent_value,
        label,
        percent_value,
    )


@register.filter
def state_class(state):
    return f"state state-{str(state).replace('_', '-')}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def whatsapp_url(phone):
    """A wa.me link for a mobile number, "" for a landline."""
    return _whatsapp_url(phone)


@register.simple_tag
def whatsapp_share(text, path=""):
    """A wa.me link that shares `text` and the public address of `path` (on LUMBUNG_SITE_URL, as
    e-mails do) with a contact of the sender's choosing."""
    return _whatsapp_url(text=f"{text}\n{settings.SITE_URL.rstrip('/')}{path}" if path else text)
