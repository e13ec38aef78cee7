import re

from django import template
from django.utils.safestring import mark_safe

from ..rendering import render_markdown

register = template.Library()

# Characters that would start Markdown formatting or split a table cell.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


@register.filter
def markdown(text):
    """Markdown rendered and sanitised (rendering.render_markdown), safe to print."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3 with an allowlist


@register.filter
def markdown_escape(text):
    """Plain text placed into Markdown source (a table cell, a line) stays plain text."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return escaped.replace("<", "&lt;")  # a name that looks like a tag stays text
