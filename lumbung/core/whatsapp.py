"""Links that open WhatsApp with a message ready to send: the way the region's staff actually
reach participants, entrants and citizens (no WhatsApp API is involved; the person presses send)."""

import re
from urllib.parse import quote


def whatsapp_number(phone: str) -> str:
    """The international digits of an Indonesian mobile number written any usual way (0812-…,
    +62 812 …, 812…), or "" for a landline or something that is not a number."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    # Mobile numbers only: 08… (628… abroad); a landline has no WhatsApp.
    return digits if digits.startswith("628") and len(digits) >= 10 else ""


def whatsapp_url(phone: str = "", text: str = "") -> str:
    """wa.me link to `phone` (or to a contact the sender picks, without one) carrying `text`.
    "" when a phone is given but is not a mobile number."""
    number = whatsapp_number(phone) if phone else ""
    if phone and not number:
        return ""
    query = f"?text={quote(text)}" if text else ""
    return f"https://wa.me/{number}{query}"
