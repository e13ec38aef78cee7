"""The filters of the task list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Action

PENDING, OVERDUE, ALL = "", "lewat", "semua"
STATUS_CHOICES = [
    (PENDING, _("Belum selesai")),
    (OVERDUE, _("Lewat tenggat")),
    (Action.Status.DONE, _("Selesai")),
    (Action.Status.CANCELLED, _("Dibatalkan")),
    (ALL, _("Semua")),
]


class TaskFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    asal = forms.ChoiceField(label=_("Asal"), choices=[("", _("Semua asal")), *Action.Origin.choices], required=False)
    unit = forms.ModelChoiceField(
        label=_("Perangkat daerah"), queryset=None, required=False, empty_label=_("Semua perangkat daerah")
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units
            self.fields["unit"].label_from_instance = lambda unit: unit.display_name

    def filter(self, queryset, today):
        """`queryset` narrowed by the valid choices (an invalid one is ignored, not an error page)."""
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status", PENDING)
        if status == PENDING:
            queryset = queryset.pending()
        elif status == OVERDUE:
            queryset = queryset.overdue(today)
        elif status != ALL:
            queryset = queryset.filter(status=status)
        if data.get("asal"):
            queryset = queryset.filter(origin=data["asal"])
        if data.get("unit"):
            queryset = queryset.filter(unit__path__startswith=data["unit"].path)
        return queryset
