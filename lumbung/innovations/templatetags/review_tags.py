"""The return form's rows: each note box beside what the part of the profile holds now, so the
verifier writes the note while reading what it is about."""

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

register = template.Library()


def _date(value) -> str:
    return date_format(value, "DATE_FORMAT") if value else "—"


def current_content(innovation) -> dict[str, str]:
    """What each reviewable part of the profile (forms.REVIEWABLE) holds now, as text."""
    values = {
        "name": innovation.name,
        "classification": " · ".join(
            str(part)
            for part in (
                innovation.get_stage_display(),
                f"{innovation.get_initiator_kind_display()} {innovation.initiator_name}".strip(),
                _("digital") if innovation.is_digital else _("non-digital"),
                innovation.get_form_display(),
                innovation.theme or "",
                innovation.main_affair or "",
            )
            if part
        ),
        "dates": _("uji coba %(trial)s · penerapan %(implementation)s · pengembangan %(development)s")
        % {
            "trial": _date(innovation.trial_date),
            "implementation": _date(innovation.implementation_date),
            "development": _date(innovation.development_date),
        },
        "location": (
            f"{innovation.latitude}, {innovation.longitude}" if innovation.latitude is not None else _("belum diisi")
        ),
        "team": ", ".join(
            f"{member.display_name} ({member.get_role_display()})"
            for member in innovation.team.select_related("official", "user")
        ),
        "attachments": ", ".join(
            f"{attachment.title or attachment.original_name} ({attachment.get_kind_display()})"
            for attachment in innovation.attachments.all()
        ),
    }
    for name in (*innovation.DESIGN_FIELDS, "goals", "benefits", "results"):
        values[name] = getattr(innovation, name) or ""
    return values


@register.simple_tag
def review_rows(form, innovation) -> list[tuple]:
    """(note field, what the profile holds now) for each note box of a ReturnForm."""
    content = current_content(innovation)
    return [
        (form[name], content.get(name.removeprefix("note_"), "")) for name in form.fields if name.startswith("note_")
    ]
