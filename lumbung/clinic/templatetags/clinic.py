import re

from django import template

register = template.Library()


@register.filter
def whatsapp_url(phone: str) -> str:
    """A wa.me link for an Indonesian mobile number written any usual way (0812-…, +62 812 …)."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    # Mobile numbers only: 08… (628… abroad); a landline has no WhatsApp.
    return f"https://wa.me/{digits}" if digits.startswith("628") and len(digits) >= 10 else ""
