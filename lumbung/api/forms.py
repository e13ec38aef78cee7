import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ApiToken

LIFETIMES = ((30, _("30 hari")), (90, _("90 hari")), (180, _("180 hari")), (365, _("1 tahun")))


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Nama token"), max_length=100, help_text=_("Untuk apa token ini dipakai."))
    scope = forms.ChoiceField(label=_("Cakupan"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ)
    lifetime = forms.TypedChoiceField(label=_("Berlaku selama"), choices=LIFETIMES, coerce=int, initial=90)

    def expires_at(self):
        return timezone.now() + dt.timedelta(days=self.cleaned_data["lifetime"])
