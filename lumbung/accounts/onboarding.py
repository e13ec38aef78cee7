"""Bulk onboarding of unit operators from the roster: the units of a region that have no
operator yet, a page at a time, each with its current officials to choose from."""

from __future__ import annotations

from collections import defaultdict

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumbung.core.roles import Role
from lumbung.organisation.models import Assignment, Unit

from .models import Invitation, RoleAssignment
from .services import OperatorChoice

# The units a region usually onboards first; the filter reaches every kind.
DEFAULT_KINDS = (Unit.Kind.SECRETARIAT, Unit.Kind.OFFICE, Unit.Kind.AGENCY, Unit.Kind.INSPECTORATE, Unit.Kind.DISTRICT)


def units_without_operator(region, kind: str = ""):
    """Active units of `region` with no active operator, in tree order (a queryset: paged by SQL)."""
    operated = RoleAssignment.objects.filter(region=region, role=Role.OPERATOR, is_active=True).values("unit_id")
    units = Unit.objects.filter(region=region, is_active=True).exclude(pk__in=operated)
    units = units.filter(kind=kind) if kind else units.filter(kind__in=DEFAULT_KINDS)
    return units.order_by("path")


def officials_by_unit(units) -> dict[int, list]:
    """Officials in office today in each of `units`, structural posts first (the head on top)."""
    people = defaultdict(list)
    for assignment in (
        Assignment.objects.on(timezone.localdate())
        .filter(unit__in=units)
        .select_related("official")
        .order_by("unit_id", "echelon", "official__name")
    ):
        if assignment.official not in people[assignment.unit_id]:
            people[assignment.unit_id].append(assignment.official)
    return people


def open_invitations(region, units) -> dict[int, Invitation]:
    """The open invitation of each unit (the latest), to show that one is on its way."""
    return {
        invitation.unit_id: invitation
        for invitation in Invitation.objects.filter(
            region=region, unit__in=units, accepted_at__isnull=True, revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).order_by("created_at")
    }  # fmt: skip


class OperatorsInviteForm(forms.Form):
    """One row per unit of the page: invite?, which official, and an e-mail (empty: a letter)."""

    def __init__(self, *args, units, officials: dict[int, list], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for unit in units:
            people = officials.get(unit.pk, [])
            prefix = f"u{unit.pk}"
            self.fields[f"{prefix}-invite"] = forms.BooleanField(label=_("Undang"), required=False)
            self.fields[f"{prefix}-official"] = forms.TypedChoiceField(
                label=_("Pejabat"), required=False, coerce=int, empty_value=None,
                choices=[("", "—")] + [(official.pk, official.name) for official in people],
                initial=people[0].pk if people else None,
            )  # fmt: skip
            self.fields[f"{prefix}-email"] = forms.EmailField(
                label=_("Surel"), required=False, initial=people[0].email if people else ""
            )
            self.rows.append((unit, {o.pk: o for o in people}, prefix))

    def clean(self):
        cleaned = super().clean()
        self.choices = []
        for unit, people, prefix in self.rows:
            if not cleaned.get(f"{prefix}-invite"):
                continue
            official = people.get(cleaned.get(f"{prefix}-official"))
            if official is None:
                self.add_error(f"{prefix}-official", _("Pilih pejabat yang akan menjadi operator %(unit)s.") % {
                    "unit": unit.name})  # fmt: skip
                continue
            self.choices.append(OperatorChoice(unit, official, (cleaned.get(f"{prefix}-email") or "").strip().lower()))
        if not self.errors and not self.choices:
            raise forms.ValidationError(_("Centang setidaknya satu perangkat daerah untuk diundang."))
        return cleaned

    def bound_rows(self):
        for unit, _people, prefix in self.rows:
            yield unit, self[f"{prefix}-invite"], self[f"{prefix}-official"], self[f"{prefix}-email"]
