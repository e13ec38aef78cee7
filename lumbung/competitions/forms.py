from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumbung.core.forms import DateTimeInput, KeepUploadsMixin, SafeFileField
from lumbung.core.phone import PhoneField
from lumbung.innovations.models import GovernmentAffair, Innovation
from lumbung.organisation.models import Unit

from .models import Competition, Criterion, Entry, Round, Rubric, Section, Track
from .phases import SCORING_KINDS, PhaseKind

COMPETITION_FIELDS = [
    "title", "year", "description", "eligibility", "tracks", "organiser", "blind", "aggregation",
    "judges_per_entry", "winners_per_track", "honourable_per_track", "entries_per_entrant",
    "signatory_name", "signatory_position", "signatory_nip",
]  # fmt: skip


class CompetitionForm(forms.ModelForm):
    tracks = forms.MultipleChoiceField(
        label=_("Kategori peserta"), choices=Track.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("Peringkat dan juara disusun terpisah untuk setiap kategori."),
    )  # fmt: skip

    class Meta:
        model = Competition
        fields = COMPETITION_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "eligibility": forms.Textarea(attrs={"rows": 4}),
            "aggregation": forms.RadioSelect,
        }

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Unit.objects.filter(region=region, is_active=True)
        self.fields["organiser"].help_text = _("Biasanya BRIDA/Balitbang; tampil di sertifikat dan berita acara.")
        if self.instance.pk and not self.instance.is_editable:
            for name in ("tracks", "aggregation", "judges_per_entry", "winners_per_track", "honourable_per_track",
                         "blind"):  # fmt: skip
                self.fields[name].disabled = True


class CompetitionCreateForm(CompetitionForm):
    submission_opens = forms.DateTimeField(label=_("Pendaftaran dibuka"), widget=DateTimeInput)
    submission_closes = forms.DateTimeField(label=_("Batas pengiriman proposal"), widget=DateTimeInput)
    screening_closes = forms.DateTimeField(label=_("Seleksi administrasi selesai"), widget=DateTimeInput)

    def clean(self):
        cleaned = super().clean()
        opens, closes, screened = (
            cleaned.get(n) for n in ("submission_opens", "submission_closes", "screening_closes")
        )
        if opens and closes and closes <= opens:
            self.add_error("submission_closes", _("Batas pengiriman harus setelah pendaftaran dibuka."))
        if closes and screened and screened <= closes:
            self.add_error("screening_closes", _("Seleksi administrasi selesai setelah batas pengiriman."))
        if closes and closes <= timezone.now():
            self.add_error("submission_closes", _("Batas pengiriman harus di masa mendatang."))
        return cleaned


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["kind", "name", "opens_at", "closes_at", "rubric", "weight", "advance_count"]
        widgets = {"opens_at": DateTimeInput, "closes_at": DateTimeInput}

    def __init__(self, *args, competition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rubric"].queryset = Rubric.objects.filter(region_id=competition.region_id)
        scoring = [(kind, label) for kind, label in PhaseKind.choices if kind in SCORING_KINDS]
        if self.instance.pk:
            self.fields["kind"].disabled = True
        else:
            self.fields["kind"].choices = scoring
        if self.instance.pk and not self.instance.is_scoring:
            for name in ("rubric", "weight", "advance_count"):
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Waktu tutup harus setelah waktu buka."))
        return cleaned


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title", "guidance", "word_limit", "required", "order", "maps_to"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2})}


class RubricForm(forms.ModelForm):
    class Meta:
        model = Rubric
        fields = ["name", "description", "scale_min", "scale_max"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        if low is not None and high is not None and high <= low:
            self.add_error("scale_max", _("Nilai tertinggi harus lebih besar dari nilai terendah."))
        return cleaned


class CriterionForm(forms.ModelForm):
    levels_text = forms.CharField(
        label=_("Uraian tiap nilai"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Satu baris untuk setiap nilai, dari nilai terendah ke tertinggi."),
    )  # fmt: skip

    class Meta:
        model = Criterion
        fields = ["name", "description", "weight", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["levels_text"].initial = "\n".join(self.instance.levels)

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight <= 0:
            raise ValidationError(_("Bobot harus lebih dari nol."))
        return weight

    def clean_levels_text(self):
        return [line.strip() for line in self.cleaned_data["levels_text"].splitlines() if line.strip()]


class EntryStartForm(forms.Form):
    track = forms.ChoiceField(label=_("Kategori"))
    title = forms.CharField(label=_("Judul inovasi"), max_length=200, required=False)
    unit = forms.ModelChoiceField(label=_("Perangkat daerah pengusul"), queryset=Unit.objects.none(), required=False)
    innovation = forms.ModelChoiceField(
        label=_("Mulai dari data inovasi yang sudah ada (opsional)"), queryset=Innovation.objects.none(),
        required=False, help_text=_("Judul, urusan, dan isi proposal diisi dari data inovasi tersebut."),
    )  # fmt: skip

    def __init__(self, *args, tracks, units, innovations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].choices = [(t, Track(t).label) for t in tracks]
        if len(tracks) == 1:
            self.fields["track"].initial = tracks[0]
            self.fields["track"].widget = forms.HiddenInput()
        self.fields["unit"].queryset = units
        if not units.exists():
            del self.fields["unit"]
        self.fields["innovation"].queryset = innovations
        if not innovations.exists():
            del self.fields["innovation"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title", "").strip() and not cleaned.get("innovation"):
            self.add_error("title", _("Isi judul inovasi, atau pilih data inovasi yang sudah ada."))
        if cleaned.get("track") == Track.UNITS and "unit" in self.fields and not cleaned.get("unit"):
            self.add_error("unit", _("Pilih perangkat daerah pengusul."))
        return cleaned


class EntryForm(forms.ModelForm):
    """The proposal: identity, the sections with their word limits, consent."""

    phone = PhoneField()
    video_url = forms.URLField(
        label=_("Tautan video"), required=False, assume_scheme="https",
        help_text=_("Tautan YouTube atau Google Drive (opsional)."),
    )  # fmt: skip

    class Meta:
        model = Entry
        fields = ["title", "institution", "phone", "team", "affair", "video_url", "publish_consent"]
        widgets = {"team": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "publish_consent": _(
                "Saya menyatakan proposal ini karya sendiri dan bersedia nama serta judul inovasi diumumkan bila "
                "menjadi pemenang."
            )
        }

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        entry = self.instance
        self.sections = list(sections)
        self.fields["affair"].queryset = GovernmentAffair.objects.all()
        if entry.track not in (Track.CITIZENS, Track.STUDENTS):
            del self.fields["institution"]
        for section in self.sections:
            field = forms.CharField(
                label=section.title, required=False, help_text=section.guidance,
                widget=forms.Textarea(attrs={"rows": 6, "data-word-count": f"words-{section.pk}"}),
                initial=entry.answer(section),
            )  # fmt: skip
            field.section = section
            self.fields[self.section_field(section)] = field

    @staticmethod
    def section_field(section: Section) -> str:
        return f"section_{section.pk}"

    @property
    def section_fields(self):
        return [self[self.section_field(section)] for section in self.sections]

    @property
    def profile_fields(self):
        return [self[name] for name in self.Meta.fields if name in self.fields]

    def answers(self) -> dict[str, str]:
        return {section.key: self.cleaned_data.get(self.section_field(section), "") for section in self.sections}

    def profile_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}


class AttachmentForm(KeepUploadsMixin, forms.Form):
    title = forms.CharField(label=_("Keterangan lampiran"), max_length=200, required=False)
    file = SafeFileField(label=_("Berkas"), kinds=("pdf", "image", "word", "slides"))

    def __init__(self, *args, **kwargs):
        # Shown under the entry form, which has a "title" too: ids must not collide.
        kwargs.setdefault("auto_id", "id_attachment_%s")
        super().__init__(*args, **kwargs)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ScreenForm(NoteForm):
    action = forms.ChoiceField(choices=[("pass", "pass"), ("fail", "fail"), ("reconsider", "reconsider")])


class PanelForm(forms.Form):
    name = forms.CharField(label=_("Nama panel"), max_length=120)
    members = forms.ModelMultipleChoiceField(label=_("Juri"), queryset=None, widget=forms.CheckboxSelectMultiple)
    lead = forms.ModelChoiceField(label=_("Ketua panel"), queryset=None, required=False)

    def __init__(self, *args, judges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = judges
        self.fields["lead"].queryset = judges


class ManualAssignForm(forms.Form):
    entry = forms.ModelChoiceField(label=_("Proposal"), queryset=None)
    judge = forms.ModelChoiceField(label=_("Juri"), queryset=None)

    def __init__(self, *args, entries, judges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries
        self.fields["entry"].label_from_instance = lambda e: f"#{e.number:03d} {e.title}"
        self.fields["judge"].queryset = judges


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}))


class ConflictForm(ReasonForm):
    unit = forms.ModelChoiceField(
        label=_("Perangkat daerah"), queryset=None, required=False,
        help_text=_("Misalnya tempat Anda atau keluarga dekat Anda bekerja."),
    )  # fmt: skip

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].required = True
        self.order_fields(["unit", "reason"])


class ScoreCardForm(forms.Form):
    """One radio group per criterion (each score with its description) and a remark."""

    comment = forms.CharField(label=_("Catatan umum untuk proposal ini"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args, criteria, card, disabled=False, **kwargs):
        super().__init__(*args, **kwargs)
        current = {score.criterion_id: score for score in card.scores.all()}
        self.criteria = list(criteria)
        for criterion in self.criteria:
            score = current.get(criterion.pk)
            choices = [
                (value, f"{value} — {text}" if text else str(value)) for value, text in criterion.level_choices()
            ]
            self.fields[f"c_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.name} ({_('bobot')} {criterion.weight.normalize():f})", choices=choices,
                coerce=int, required=False, widget=forms.RadioSelect, help_text=criterion.description,
                initial=score.value if score else None, empty_value=None,
            )  # fmt: skip
            self.fields[f"r_{criterion.pk}"] = forms.CharField(
                label=_("Catatan untuk %(criterion)s") % {"criterion": criterion.name}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}), initial=score.comment if score else "",
            )  # fmt: skip
        self.fields["comment"].initial = card.comment
        self.order_fields([*(n for c in self.criteria for n in (f"c_{c.pk}", f"r_{c.pk}")), "comment"])
        if disabled:
            for field in self.fields.values():
                field.disabled = True

    def values(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"c_{c.pk}") for c in self.criteria}

    def remarks(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"r_{c.pk}", "") for c in self.criteria}


class AdvanceForm(forms.Form):
    entries = forms.TypedMultipleChoiceField(
        label=_("Proposal yang lanjut"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = [(row.entry.pk, f"#{row.entry.number:03d} {row.entry.title}") for row in rows]


class CertificatesForm(forms.Form):
    include_participants = forms.BooleanField(
        label=_("Terbitkan juga sertifikat peserta untuk semua proposal yang lolos administrasi"), required=False
    )


class ConvertForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Perangkat daerah pembina"), queryset=None, required=False,
        help_text=_("Dipakai untuk inovasi dari masyarakat yang belum memiliki perangkat daerah."),
    )  # fmt: skip
    form = forms.ChoiceField(label=_("Bentuk inovasi"), choices=Innovation.Form.choices)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(region=region, is_active=True)
        self.fields["form"].initial = Innovation.Form.PUBLIC_SERVICE


class IndexEvidenceForm(forms.Form):
    """Which IGA year's indicator 12 the award certificates go to; `confirm` comes only from the
    button of the page that lists them."""

    year = forms.TypedChoiceField(
        label=_("Penilaian IGA tahun"), coerce=int, widget=forms.Select(attrs={"data-autosubmit": ""})
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]


class VerifyFileForm(forms.Form):
    file = SafeFileField(label=_("Berkas sertifikat (PDF)"), kinds=("pdf",), max_bytes=10 * 1024 * 1024)
