"""The evidence pre-check's findings in the reader's language."""

from django import template

from lumbung.assessment import precheck

register = template.Library()


@register.filter
def finding_text(finding: dict) -> str:
    return precheck.describe(finding)
