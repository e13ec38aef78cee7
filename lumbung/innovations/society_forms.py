"""Forms of the citizens' track and of the showcase's photo and video link."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lumbung.core.forms import DateInput, KeepUploadsMixin, SafeFileField
from lumbung.core.videolinks import VIDEO_HOSTS_MESSAGE, video_link_allowed
from lumbung.organisation.models import Unit

from .models import GovernmentAffair, Innovation
from .society import CITIZEN_FIELDS

# A showcase photo: JPG or PNG, checked by content and pixels (core.files), at most 5 MB.
PHOTO_MAX_BYTES = 5 * 1024 * 1024


def clean_video_url(value: str) -> str:
    value = (value or "").strip()
    if value and not video_link_allowed(value):
        raise forms.ValidationError(VIDEO_HOSTS_MESSAGE)
    return value


class CitizenInnovationForm(KeepUploadsMixin, forms.ModelForm):
    photo_file = SafeFileField(label=_("Foto (opsional)"), kinds=("image",), max_bytes=PHOTO_MAX_BYTES, required=False)
    video_url = forms.URLField(label=_("Tautan video"), required=False, assume_scheme="https", max_length=200,
                               help_text=_("Tautan YouTube, Vimeo, atau Google Drive (opsional)."))  # fmt: skip

    class Meta:
        model = Innovation
        fields = list(CITIZEN_FIELDS)
        widgets = {
            "trial_date": DateInput(),
            "implementation_date": DateInput(),
            "stage": forms.RadioSelect,
            "form": forms.RadioSelect,
        }
        help_texts = {
            "name": _("Nama singkat inovasi Anda atau kelompok Anda."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["main_affair"].queryset = GovernmentAffair.objects.all()
        self.fields["form"].choices = Innovation.Form.choices
        self.fields["stage"].choices = Innovation.Stage.choices
        for name in Innovation.DESIGN_FIELDS:
            self.fields[name].widget.attrs.update({"data-word-group": "design", "data-word-count": f"words-{name}",
                                                   "rows": 4})  # fmt: skip
        for name in ("goals", "benefits", "results"):
            self.fields[name].required = False
            self.fields[name].widget.attrs["rows"] = 3
        if self.instance.pk:
            del self.fields["photo_file"]

    def clean_video_url(self):
        return clean_video_url(self.cleaned_data.get("video_url"))

    def _post_clean(self):
        # The record is a citizen's: no unit (the model's rule), before the model validates it.
        self.instance.track = Innovation.Track.SOCIETY
        super()._post_clean()

    def profile_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in CITIZEN_FIELDS if name in self.cleaned_data}


class ShowcaseMediaForm(KeepUploadsMixin, forms.Form):
    photo = SafeFileField(label=_("Foto etalase"), kinds=("image",), max_bytes=PHOTO_MAX_BYTES, required=False)
    remove_photo = forms.BooleanField(label=_("Hapus foto"), required=False)
    video_url = forms.URLField(label=_("Tautan video"), required=False, assume_scheme="https",
                               help_text=_("Tautan YouTube, Vimeo, atau Google Drive."))  # fmt: skip

    def clean_video_url(self):
        return clean_video_url(self.cleaned_data.get("video_url"))


class AdoptForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Perangkat daerah yang mengadopsi"), queryset=Unit.objects.none())
    note = forms.CharField(label=_("Catatan"), required=False, max_length=500)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: unit.display_name
