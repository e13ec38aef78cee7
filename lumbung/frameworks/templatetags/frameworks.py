from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from lumbung.core.files import FILE_KINDS, kinds_label
from lumbung.core.templatetags.lumbung import num

register = template.Library()

SYMBOLS = {"min": "≥", "gt": ">", "max": "≤", "lt": "<"}


def _bound(value, measure: str) -> str:
    number = Decimal(str(value))
    text = num(number, max(0, -number.as_tuple().exponent))
    suffix = {"percent": "%", "days": " " + _("hari"), "months": " " + _("bulan")}.get(measure, "")
    return f"{text}{suffix}"


@register.filter
def threshold_text(band: dict, measure: str = "") -> str:
    """{"min": "2.34", "max": "5.92"} -> "2,34 s.d. 5,92"; {"gt": "30"} -> "> 30"."""
    lower = next(((key, band[key]) for key in ("min", "gt") if key in band), None)
    upper = next(((key, band[key]) for key in ("max", "lt") if key in band), None)
    if lower and upper and lower[0] == "min" and upper[0] == "max":
        if Decimal(str(lower[1])) == Decimal(str(upper[1])):
            return _bound(lower[1], measure)
        return _("%(low)s s.d. %(high)s") % {"low": _bound(lower[1], measure), "high": _bound(upper[1], measure)}
    parts = [f"{SYMBOLS[key]} {_bound(value, measure)}" for key, value in (bound for bound in (lower, upper) if bound)]
    return _(" dan ").join(parts)


@register.filter
def file_kinds(codes: list) -> str:
    return kinds_label([code for code in codes if code in FILE_KINDS])
