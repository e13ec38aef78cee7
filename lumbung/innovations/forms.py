import datetime as dt
import json

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lumbung.core.forms import DateInput, KeepUploadsMixin, SafeFileField
from lumbung.organisation.models import Official, Unit
from lumbung.organisation.nip import validate_nip

from .models import DESIGN_MIN_WORDS, Attachment, GovernmentAffair, Innovation, Programme, TeamMember, Theme
from .services import PROFILE_FIELDS

ATTACHMENT_KINDS = ("pdf", "image", "slides", "word", "excel")

# What a verifier may comment on when returning a record; "team" and "attachments" are not fields.
REVIEWABLE = (
    ("name", _("Nama inovasi")),
    ("classification", _("Tahapan, inisiator, jenis, bentuk, tematik dan urusan")),
    ("dates", _("Waktu uji coba, penerapan dan pengembangan")),
    *[
        (name, capfirst(Innovation._meta.get_field(name).verbose_name))
        for name in (*Innovation.DESIGN_FIELDS, "goals", "benefits", "results")
    ],
    ("location", _("Lokasi")),
    ("team", _("Tim inovasi")),
    ("attachments", _("Lampiran")),
)
# Which form fields a note about one of the REVIEWABLE keys is shown beside.
NOTE_FOR_FIELD = {
    **{name: name for name in ("name", *Innovation.DESIGN_FIELDS, "goals", "benefits", "results")},
    **dict.fromkeys(
        ("stage", "initiator_kind", "initiator_name", "is_digital", "form", "theme", "main_affair"), "classification"
    ),
    **dict.fromkeys(("trial_date", "implementation_date", "development_date"), "dates"),
    **dict.fromkeys(("latitude", "longitude"), "location"),
}


class InnovationForm(KeepUploadsMixin, forms.ModelForm):
    attachment_kind = forms.ChoiceField(
        label=_("Jenis lampiran"), choices=Attachment.Kind.choices, required=False, initial=Attachment.Kind.BUDGET
    )
    attachment_title = forms.CharField(label=_("Judul lampiran"), max_length=200, required=False)
    attachment_file = SafeFileField(label=_("Berkas lampiran (opsional)"), kinds=ATTACHMENT_KINDS, required=False)
    # The version the form was opened at (optimistic locking; see services.innovation_update).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Innovation
        fields = [*PROFILE_FIELDS, "related_affairs"]
        widgets = {
            "trial_date": DateInput(),
            "implementation_date": DateInput(),
            "development_date": DateInput(),
            "related_affairs": forms.CheckboxSelectMultiple,
            "stage": forms.RadioSelect,
            "form": forms.RadioSelect,
            "latitude": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal", "data-map-lat": ""}),
            "longitude": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal", "data-map-lng": ""}),
        }
        help_texts = {
            "name": _("Satu judul untuk satu inovasi, sama dengan yang dilaporkan ke Kemendagri."),
            "replicates": _("Isi bila inovasi ini meniru inovasi lain di daerah ini."),
            "development_date": _("Bila inovasi sudah dikembangkan sesudah penerapan."),
        }

    def __init__(self, *args, region, units, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: unit.display_name
        self.fields["unit"].required = True  # only a citizens' innovation has none (society_forms)
        year = timezone.localdate().year
        self.fields["theme"].queryset = Theme.objects.filter(year__in=[year - 1, year, year + 1])
        self.fields["main_affair"].queryset = GovernmentAffair.objects.all()
        self.fields["related_affairs"].queryset = GovernmentAffair.objects.all()
        replicable = Innovation.objects.filter(region=region).select_related("unit").order_by("name")
        if self.instance.pk:
            replicable = replicable.exclude(pk=self.instance.pk)
        self.fields["replicates"].queryset = replicable
        # Radio buttons need no empty "---------" choice.
        self.fields["form"].choices = Innovation.Form.choices
        self.fields["stage"].choices = Innovation.Stage.choices
        self.fields["is_digital"] = forms.TypedChoiceField(
            label=_("Jenis inovasi"), choices=[(True, _("Digital")), (False, _("Non digital"))],
            coerce=lambda value: value in (True, "True"), widget=forms.RadioSelect,
        )  # fmt: skip
        for name in Innovation.DESIGN_FIELDS:
            self.fields[name].widget.attrs.update(
                {"data-word-group": "design", "data-word-count": f"words-{name}", "rows": 5}
            )
        for name in ("goals", "benefits", "results"):
            self.fields[name].required = False
            self.fields[name].widget.attrs["rows"] = 4
        self.fields["name"].widget.attrs.update(
            {
                "autocomplete": "off",
                "hx-get": reverse("innovations:similar"),
                "hx-trigger": "input changed delay:500ms, change",
                "hx-target": "#similar",
                "hx-vals": json.dumps({"exclude": self.instance.pk or ""}),
            }
        )

    SECTIONS = (
        (_("Identitas"), ("unit", "name", "stage", "initiator_kind", "initiator_name")),
        (_("Klasifikasi"), ("is_digital", "form", "theme", "main_affair", "related_affairs")),
        (_("Waktu"), ("trial_date", "implementation_date", "development_date")),
        (_("Rancang bangun"), Innovation.DESIGN_FIELDS),
        (_("Tujuan, manfaat dan hasil"), ("goals", "benefits", "results")),
        (_("Lokasi"), ("latitude", "longitude")),
        (_("Replikasi"), ("replicates",)),
        (_("Lampiran"), ("attachment_kind", "attachment_title", "attachment_file")),
    )

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("attachment_file") and not cleaned.get("attachment_kind"):
            self.add_error("attachment_kind", _("Pilih jenis lampiran."))
        return cleaned

    def profile_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS if name in self.cleaned_data}

    def attachment(self) -> tuple | None:
        uploaded = self.cleaned_data.get("attachment_file")
        if not uploaded:
            return None
        return self.cleaned_data["attachment_kind"], self.cleaned_data["attachment_title"], uploaded

    @property
    def design_min_words(self) -> int:
        return DESIGN_MIN_WORDS


class ReturnForm(forms.Form):
    """Notes per part of the profile; at least one note (or the general note) is needed."""

    note = forms.CharField(label=_("Catatan umum"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in REVIEWABLE:
            self.fields[f"note_{key}"] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("note", "").strip() and not any(self.field_notes().values()):
            raise forms.ValidationError(_("Tuliskan catatan perbaikan, setidaknya pada satu bagian."))
        return cleaned

    def field_notes(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"note_{key}", "").strip() for key, _label in REVIEWABLE}


class TeamMemberForm(forms.Form):
    official = forms.ModelChoiceField(
        label=_("ASN dari daftar pegawai"), queryset=Official.objects.none(), required=False
    )
    name = forms.CharField(
        label=_("atau nama anggota bukan ASN"), max_length=200, required=False,
        help_text=_("Misalnya warga, akademisi atau mitra swasta."),
    )  # fmt: skip
    role = forms.ChoiceField(label=_("Peran"), choices=TeamMember.Role.choices, initial=TeamMember.Role.MEMBER)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = Official.objects.filter(region=region).order_by("name")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("official") and not cleaned.get("name", "").strip():
            raise forms.ValidationError(_("Pilih ASN atau tulis nama anggota."))
        if cleaned.get("official") and cleaned.get("name", "").strip():
            raise forms.ValidationError(_("Pilih ASN atau tulis nama, jangan keduanya."))
        return cleaned


class AttachmentForm(KeepUploadsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Jenis lampiran"), choices=Attachment.Kind.choices)
    title = forms.CharField(label=_("Judul"), max_length=200, required=False)
    file = SafeFileField(label=_("Berkas"), kinds=ATTACHMENT_KINDS)


class RunningForm(forms.Form):
    action = forms.ChoiceField(choices=[("confirm_running", ""), ("report_stopped", ""), ("report_resumed", "")])
    note = forms.CharField(label=_("Alasan atau keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InnovationFilterForm(forms.Form):
    SORTS = (
        ("-updated_at", _("Terakhir diubah")),
        ("name", _("Nama (A–Z)")),
        ("-created_at", _("Terbaru didaftarkan")),
        ("stage", _("Tahapan")),
        ("unit", _("Perangkat daerah")),
    )
    q = forms.CharField(label=_("Cari"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    unit = forms.ModelChoiceField(
        label=_("Perangkat daerah"), queryset=Unit.objects.none(), required=False, empty_label=_("Semua")
    )
    stage = forms.ChoiceField(label=_("Tahapan"), choices=[("", _("Semua")), *Innovation.Stage.choices], required=False)
    affair = forms.ModelChoiceField(
        label=_("Urusan"), queryset=GovernmentAffair.objects.all(), required=False, empty_label=_("Semua")
    )
    digital = forms.ChoiceField(
        label=_("Jenis"), choices=[("", _("Semua")), ("1", _("Digital")), ("0", _("Non digital"))], required=False
    )
    form = forms.ChoiceField(label=_("Bentuk"), choices=[("", _("Semua")), *Innovation.Form.choices], required=False)
    year = forms.IntegerField(label=_("Tahun didaftarkan"), required=False, min_value=2000, max_value=2100)
    programme = forms.ModelChoiceField(
        label=_("Dihitung untuk program"), queryset=Programme.objects.none(), required=False, empty_label=_("Semua")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Semua")), *Innovation.Status.choices], required=False
    )
    running = forms.ChoiceField(
        label=_("Keberlanjutan"), choices=[("", _("Semua")), ("1", _("Masih berjalan")), ("0", _("Berhenti"))],
        required=False,
    )  # fmt: skip
    sort = forms.ChoiceField(label=_("Urutkan"), choices=SORTS, required=False)

    def __init__(self, *args, region, public: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(region=region, depth__lte=1).order_by("path")
        self.fields["unit"].label_from_instance = lambda unit: unit.display_name
        self.fields["programme"].queryset = Programme.objects.filter(region=region)
        if public:
            for name in ("programme", "status", "running"):
                del self.fields[name]


class ProgrammeForm(forms.ModelForm):
    unit_kinds = forms.MultipleChoiceField(
        label=_("Jenis perangkat daerah"), choices=Unit.Kind.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Untuk kuota per perangkat daerah."),
    )  # fmt: skip
    echelon_tiers = forms.TypedMultipleChoiceField(
        label=_("Eselon"), choices=[(2, "II"), (3, "III"), (4, "IV")], coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Untuk kuota per pejabat."),
    )  # fmt: skip

    reminder_dates = forms.CharField(
        label=_("Tanggal pengingat otomatis"), required=False, max_length=500,
        help_text=_("Pada tanggal ini semua yang belum memenuhi kuota diingatkan tanpa menekan tombol. "
                    "Pisahkan dengan koma, misalnya 01-03-2026, 01-06-2026."),
    )  # fmt: skip

    class Meta:
        model = Programme
        fields = [
            "name", "kind", "year", "reference_date", "counts_since", "min_count", "min_stage", "counts_from",
            "unit_kinds", "include_subunits", "echelon_tiers", "description", "reminder_quiet_days",
            "reminder_dates", "is_active",
        ]  # fmt: skip
        widgets = {"reference_date": DateInput(), "counts_since": DateInput(), "kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.reminder_dates:
            self.initial["reminder_dates"] = ", ".join(
                dt.date.fromisoformat(day).strftime("%d-%m-%Y") for day in self.instance.reminder_dates
            )

    def clean_reminder_dates(self) -> list[str]:
        days, wrong = set(), []
        for part in (self.cleaned_data["reminder_dates"] or "").replace(";", ",").split(","):
            text = part.strip()
            if not text:
                continue
            day = _parse_day(text)
            (days.add(day.isoformat()) if day else wrong.append(text))
        if wrong:
            raise forms.ValidationError(
                _("Tanggal tidak dikenali: %(dates)s. Tulis seperti 01-03-2026.") % {"dates": ", ".join(wrong[:5])}
            )
        if len(days) > 24:
            raise forms.ValidationError(_("Paling banyak 24 tanggal pengingat."))
        return sorted(days)


def _parse_day(text: str) -> dt.date | None:
    for pattern in ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


class ReminderForm(forms.Form):
    """The reminder buttons of the compliance page: everyone missing, or one `target` (a unit or
    an official id); `repeat` is the admin's confirmation to remind again within the quiet period."""

    target = forms.IntegerField(required=False, min_value=1)
    repeat = forms.BooleanField(required=False)


class LetterForm(forms.Form):
    """What the printed reminder letters need that the system does not know: the letter number
    from the agency's register, its date and who signs for the BRIDA."""

    number = forms.CharField(
        label=_("Nomor surat"),
        max_length=100,
        required=False,
        help_text=_("Kosongkan untuk diisi tangan setelah dicetak."),
    )
    date = forms.DateField(label=_("Tanggal surat"), widget=DateInput, initial=timezone.localdate)
    signatory_name = forms.CharField(label=_("Nama penanda tangan"), max_length=200)
    signatory_position = forms.CharField(
        label=_("Jabatan penanda tangan"), max_length=200, initial=_("Kepala Badan Riset dan Inovasi Daerah")
    )
    signatory_nip = forms.CharField(
        label=_("NIP penanda tangan"), max_length=18, required=False, validators=[validate_nip]
    )
    include_reachable = forms.BooleanField(
        label=_("Juga untuk sasaran yang punya akun"), required=False,
        help_text=_("Biasanya surat hanya untuk yang tidak dapat dijangkau lewat aplikasi."),
    )  # fmt: skip
