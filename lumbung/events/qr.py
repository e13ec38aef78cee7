"""QR codes drawn offline as SVG (segno): on screen inline, in PDFs as a data URI."""

import segno
from django.utils.safestring import mark_safe


def qr_svg(url: str, *, scale: int = 6, title: str = "") -> str:
    """Inline SVG markup; `title` is the accessible name read by screen readers."""
    # omitsize: a viewBox instead of a fixed size, so the code shrinks whole on a narrow phone
    # instead of being cut off (a cut code does not scan).
    svg = segno.make(url, error="m").svg_inline(
        scale=scale, border=2, title=title or None, svgclass="qr", omitsize=True
    )
    # segno escapes the title; the role lets screen readers announce the image by it.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308


def qr_data_uri(url: str, *, scale: int = 4) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=scale, border=1)
