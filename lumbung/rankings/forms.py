from django import forms
from django.utils.translation import gettext_lazy as _

from lumbung.clinic.models import Case


class HelpCaseForm(forms.Form):
    title = forms.CharField(
        label=_("Bantuan yang ditawarkan"),
        max_length=200,
        help_text=_("Satu kalimat, misalnya: Pendampingan melengkapi eviden sebelum validasi."),
    )
    category = forms.ChoiceField(label=_("Jenis bantuan"), choices=Case.Category.choices)
    description = forms.CharField(
        label=_("Uraian"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Apa yang terlihat dari angka pemda ini dan apa yang akan dibantu."),
    )

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Isi judul bantuan."))
        return title
