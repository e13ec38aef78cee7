from django import forms
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumbung.core.forms import DateInput, KeepUploadsMixin, SafeFileField
from lumbung.core.phone import PhoneField
from lumbung.innovations.models import Innovation
from lumbung.organisation.forms import OfficialMultipleChoiceField, UnitMultipleChoiceField
from lumbung.organisation.models import Assignment, Official, Unit

from .models import CODE_LENGTH, Event, EvidenceProposal, normalise_code
from .services import operated_staff, operated_units

FIRST_ASSESSMENT_YEAR = 2018


class DateTimeInput(forms.DateTimeInput):
    """A native date-and-time picker; it submits YYYY-MM-DDTHH:MM whatever the display language."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    online_link = forms.URLField(label=_("Tautan rapat daring"), required=False, assume_scheme="https")

    class Meta:
        model = Event
        fields = [
            "kind", "title", "organiser", "description", "speakers", "mode", "venue", "online_link", "starts_at",
            "ends_at", "check_in_opens_at", "check_in_closes_at", "audience", "capacity", "letter_number",
            "letter_date", "signatory_name", "signatory_position", "signatory_nip",
        ]  # fmt: skip
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "check_in_opens_at": DateTimeInput(),
            "check_in_closes_at": DateTimeInput(),
            "letter_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "speakers": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "check_in_opens_at": _("Kosongkan: satu jam sebelum mulai."),
            "check_in_closes_at": _("Kosongkan: saat kegiatan selesai."),
        }

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Unit.objects.filter(region=region, is_active=True, depth=0)
        self.fields["check_in_opens_at"].required = False
        self.fields["check_in_closes_at"].required = False


class SelfRegistrationForm(forms.Form):
    affiliation = forms.CharField(
        label=_("Instansi, unit kerja atau komunitas"), max_length=255, required=False,
        help_text=_("Dicetak pada sertifikat di bawah nama Anda."),
    )  # fmt: skip
    phone = PhoneField()


class OfficialsForm(forms.Form):
    # Participants by unit or by search: grouped checkboxes with a search box and a "select all"
    # per unit (organisation.forms), not a multi-select of every name.
    officials = OfficialMultipleChoiceField(
        label=_("ASN dari daftar pegawai"), queryset=Official.objects.none(), required=False,
        help_text=_("Ketik nama, NIP, jabatan atau perangkat daerah untuk mencari; centang satu per satu atau semua pegawai satu perangkat daerah."),
    )  # fmt: skip
    units = UnitMultipleChoiceField(
        label=_("Semua pejabat yang sedang menjabat di perangkat daerah"), queryset=Unit.objects.none(),
        required=False,
    )  # fmt: skip

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officials"].queryset = Official.objects.filter(region=region).order_by("name")
        self.fields["units"].queryset = Unit.objects.filter(region=region, is_active=True)

    def clean(self):
        data = super().clean()
        if not data.get("officials") and not data.get("units"):
            raise forms.ValidationError(_("Pilih ASN atau perangkat daerahnya."))
        return data

    def selected_officials(self) -> list[Official]:
        chosen = {official.pk: official for official in self.cleaned_data["officials"]}
        # Whoever holds a post there now (a past post elsewhere does not matter).
        posts = Assignment.objects.current().filter(unit__in=self.cleaned_data["units"])
        for official in Official.objects.filter(pk__in=posts.values("official_id")):
            chosen.setdefault(official.pk, official)
        return sorted(chosen.values(), key=lambda official: official.name)


class UnitStaffForm(OfficialsForm):
    """A unit operator's choice: the current staff of the units they operate and those below."""

    def __init__(self, *args, region, user, **kwargs):
        super().__init__(*args, region=region, **kwargs)
        current = Assignment.objects.current().select_related("unit").order_by("-start_date")
        staff = operated_staff(user=user, region=region).prefetch_related(
            Prefetch("assignments", queryset=current, to_attr="current_posts")
        )
        # The widget first: setting the queryset hands its choices to the widget in place.
        officials = self.fields["officials"]
        officials.widget = forms.CheckboxSelectMultiple(attrs={"class": "picker-list"})
        officials.label, officials.help_text = _("Pegawai perangkat daerah Anda"), ""
        officials.label_from_instance = _with_post
        officials.queryset = staff.order_by("name")
        units = self.fields["units"]
        units.widget = forms.CheckboxSelectMultiple(attrs={"class": "picker-list"})
        units.label = _("Atau semua pegawai yang sedang menjabat di unit")
        units.queryset = operated_units(user=user, region=region).filter(is_active=True).order_by("path")


def _with_post(official: Official) -> str:
    post = official.current_posts[0] if official.current_posts else None
    return f"{official.name} — {post.position}, {post.unit.short_name or post.unit.name}" if post else official.name


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Nama lengkap"), max_length=200)
    affiliation = forms.CharField(label=_("Instansi atau asal"), max_length=255, required=False)
    phone = PhoneField()


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Kode presensi"), max_length=CODE_LENGTH + 4,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "inputmode": "text",
                   "class": "check-in-code", "placeholder": "ABC-123"}
        ),
        help_text=_("Enam huruf/angka pada undangan atau tiket Anda."),
    )  # fmt: skip

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH:
            raise forms.ValidationError(_("Kode presensi terdiri dari %(n)s huruf atau angka.") % {"n": CODE_LENGTH})
        return code


class PhotoForm(KeepUploadsMixin, forms.Form):
    file = SafeFileField(kinds=("image",), label=_("Foto (JPG/PNG)"))
    caption = forms.CharField(label=_("Keterangan foto"), max_length=255)
    is_evidence = forms.BooleanField(
        label=_("Pakai sebagai eviden sosialisasi"), required=False, initial=True,
        help_text=_("Misalnya foto peserta dengan banner inovasi."),
    )  # fmt: skip
    innovation = forms.ModelChoiceField(
        label=_("Foto ini menampilkan inovasi"), queryset=Innovation.objects.none(), required=False,
        help_text=_("Kosongkan bila foto berlaku untuk semua inovasi peserta."),
    )  # fmt: skip

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["innovation"].queryset = Innovation.objects.filter(region=region).order_by("name")


class MaterialForm(KeepUploadsMixin, forms.Form):
    file = SafeFileField(kinds=("pdf", "slides", "word"), label=_("Berkas materi"))
    title = forms.CharField(label=_("Judul materi"), max_length=200)


def assessment_year_choices() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    # String labels: an int label would be shown with a thousands separator ("2.026").
    return [(year, str(year)) for year in range(this_year + 1, FIRST_ASSESSMENT_YEAR - 1, -1)]


class ProposalDecisionForm(forms.Form):
    ACTIONS = [
        ("confirm", _("Konfirmasi dan lampirkan sebagai eviden")),
        ("dismiss", _("Jangan pakai")),
        ("reconsider", _("Pertimbangkan lagi")),
        ("withdraw", _("Batalkan konfirmasi yang belum terlampir")),
    ]

    proposals = forms.ModelMultipleChoiceField(
        label=_("Usulan"), queryset=EvidenceProposal.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    action = forms.ChoiceField(label=_("Tindakan"), choices=ACTIONS)
    year = forms.TypedChoiceField(label=_("Tahun penilaian"), coerce=int, choices=(), required=False)
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = event.proposals.select_related("innovation")
        self.fields["year"].choices = assessment_year_choices()
        self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        data = super().clean()
        if data.get("action") == "confirm" and not data.get("year"):
            self.add_error("year", _("Pilih tahun penilaian tujuan eviden."))
        return data
