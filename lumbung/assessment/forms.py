from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from lumbung.core.files import FILE_KINDS, kinds_label
from lumbung.core.forms import DateInput, KeepUploadsMixin, SafeFileField
from lumbung.frameworks.models import BenefitBasis, Framework

from .concurrency import row_version
from .evidence import EVIDENCE_KINDS
from .models import Answer, Assessment, OfficialResult, PresentationSheet, RejectReason

STAGE_FIELDS = [f"{code}_{end}" for code, _label in Assessment.STAGES for end in ("starts", "ends")]


class StagesForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = STAGE_FIELDS
        widgets = {name: DateInput() for name in STAGE_FIELDS}

    def clean(self):
        data = super().clean()
        previous_end = None
        for code, label in Assessment.STAGES:
            starts, ends = data.get(f"{code}_starts"), data.get(f"{code}_ends")
            if starts and ends and ends < starts:
                self.add_error(
                    f"{code}_ends", _("Tanggal selesai %(stage)s sebelum tanggal mulainya.") % {"stage": label}
                )
            if starts and previous_end and starts < previous_end:
                self.add_error(
                    f"{code}_starts",
                    _("%(stage)s tidak boleh mulai sebelum tahap sebelumnya selesai.") % {"stage": label},
                )
            # A stage without an end date still bounds the next one by its start.
            previous_end = ends or starts or previous_end
        return data


class AssessmentCreateForm(StagesForm):
    year = forms.IntegerField(label=_("Tahun penilaian"), min_value=2018, max_value=2100)

    class Meta(StagesForm.Meta):
        fields = ["year", *STAGE_FIELDS]

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["year"].initial = timezone.localdate().year

    def clean_year(self):
        year = self.cleaned_data["year"]
        self.framework = Framework.objects.filter(year=year).first()
        if self.framework is None:
            raise ValidationError(
                _("Belum ada metodologi indeks tahun %(year)s; minta admin menyiapkannya di menu Metodologi.")
                % {"year": year}
            )
        if Assessment.objects.filter(region=self.region, year=year).exists():
            raise ValidationError(_("Penilaian IGA tahun %(year)s sudah ada.") % {"year": year})
        return year


class EntryAddForm(forms.Form):
    innovations = forms.ModelMultipleChoiceField(
        label=_("Inovasi yang diikutkan"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["innovations"].queryset = candidates
        self.fields["innovations"].label_from_instance = lambda innovation: (
            f"{innovation.name} — {innovation.unit_label}"
        )


def level_choices(source) -> list[tuple[int, str]]:
    return [(0, _("0 — belum diisi"))] + [
        (number, f"{number} — {text}") for number, text in enumerate(source.levels, 1)
    ]


def _shortest(value: Decimal | None) -> Decimal | None:
    """12.4100 as 12.41 and 3.0000 as 3: the column keeps four places, people type fewer."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


class AnswerForm(forms.Form):
    """A row's level, or the measured number it follows from; the basis for indicator 33."""

    level = forms.TypedChoiceField(label=_("Parameter"), coerce=int, widget=forms.RadioSelect, required=False)
    measured_value = forms.DecimalField(
        label=_("Nilai terukur"), required=False, max_digits=16, decimal_places=4, localize=True
    )
    basis = forms.ModelChoiceField(label=_("Dasar pengukuran"), queryset=BenefitBasis.objects.none(), required=False)
    note = forms.CharField(label=_("Catatan perubahan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # The row's version when the form was opened (see assessment.concurrency).
    seen = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args, row, **kwargs):
        initial = {
            "level": row.level,
            "measured_value": _shortest(row.measured_value),
            "basis": getattr(row, "basis", None),
            "seen": row_version(row),
        }
        super().__init__(*args, initial=initial, **kwargs)
        indicator = row.indicator
        self.fields["level"].choices = level_choices(indicator)
        bases = list(indicator.bases.all()) if isinstance(row, Answer) else []
        if bases:
            self.fields["basis"].queryset = indicator.bases.all()
            self.fields["level"].help_text = _("Untuk kemanfaatan, pilih dasar pengukuran lalu isi angkanya.")
            self.fields["measured_value"].help_text = _("Angka sesuai satuan dasar pengukuran yang dipilih.")
        else:
            del self.fields["basis"]
        if not indicator.thresholds and not bases:
            del self.fields["measured_value"]
        elif indicator.thresholds:
            self.fields["measured_value"].help_text = _(
                "Wajib diisi: parameter dihitung otomatis dari ambang indikator ini. Parameter boleh dipilih "
                "sendiri; angkanya tetap disimpan."
            )
        if "measured_value" in self.fields and row.measured_value is not None:
            self.fields["measured_value"].help_text = f"{self.fields['measured_value'].help_text} {measured_help(row)}"


def measured_help(row) -> str:
    """What the stored number gives, and whether the level was chosen by hand instead."""
    measure = getattr(row, "basis", None) or row.indicator
    follows = measure.level_for(row.measured_value)
    values = {"value": number_format(_shortest(row.measured_value)), "follows": follows, "level": row.level}
    if follows == row.level:
        return _("Nilai %(value)s memberi parameter %(follows)s.") % values
    return _("Nilai %(value)s memberi parameter %(follows)s; parameter %(level)s dipilih sendiri.") % values


class RegionUnitsForm(forms.Form):
    """The unit responsible for each SPD row: one select per row, all saved at once."""

    def __init__(self, *args, rows, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {unit.pk: unit for unit in units}
        # One list of choices for every select: the page stays one query however many rows.
        choices = [("", _("— admin (belum ditugaskan) —")), *((unit.pk, unit.display_name) for unit in units)]
        for row in rows:
            self.fields[f"unit_{row.pk}"] = forms.TypedChoiceField(
                label=_("Penanggung jawab indikator %(code)s") % {"code": row.indicator.code},
                choices=choices, coerce=int, empty_value=None, required=False, initial=row.unit_id,
            )  # fmt: skip
            row.unit_field = self[f"unit_{row.pk}"]

    def assignments(self) -> dict:
        """{row id: unit or None} from the cleaned data."""
        return {
            int(name.removeprefix("unit_")): self.units.get(value) if value else None
            for name, value in self.cleaned_data.items()
        }


class VerdictForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        label=_("Alasan tidak sesuai"), choices=[("", "—"), *RejectReason.choices], required=False
    )
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        # Its own ids: the row page also carries the answer form, whose note would otherwise share id_note.
        kwargs.setdefault("auto_id", "id_verdict_%s")
        super().__init__(*args, **kwargs)


class DocumentForm(KeepUploadsMixin, forms.Form):
    """A document for the library: a checked file or a link, with its metadata."""

    title = forms.CharField(label=_("Judul dokumen"), max_length=255)
    number = forms.CharField(label=_("Nomor"), max_length=120, required=False)
    issued_on = forms.DateField(label=_("Tanggal dokumen"), required=False, widget=DateInput())
    subject = forms.CharField(label=_("Tentang/perihal"), max_length=255, required=False)
    year = forms.IntegerField(label=_("Tahun"), min_value=2000)
    file = SafeFileField(label=_("Berkas"), kinds=EVIDENCE_KINDS, required=False)
    link = forms.URLField(
        label=_("atau tautan"),
        required=False,
        assume_scheme="https",
        help_text=_("Untuk video atau kanal daring, misalnya YouTube atau Google Drive."),
    )

    def __init__(self, *args, kinds=EVIDENCE_KINDS, allows_link=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["year"].widget.attrs["max"] = timezone.localdate().year + 1
        if tuple(kinds) != EVIDENCE_KINDS:
            self.fields["file"] = SafeFileField(label=_("Berkas"), kinds=tuple(kinds), required=False)
        if not allows_link:
            del self.fields["link"]

    def clean_year(self):
        # Checked by the form too (not only by the service), so that a valid file is kept when
        # only the year is wrong.
        year = self.cleaned_data["year"]
        latest = timezone.localdate().year + 1
        if year > latest:
            raise ValidationError(_("Tahun dokumen harus antara 2000 dan %(max)s.") % {"max": latest})
        return year

    def clean(self):
        data = super().clean()
        has_file, has_link = bool(data.get("file")), bool(data.get("link"))
        if has_file == has_link and "file" not in self.errors:
            message = (
                _("Unggah satu berkas atau isi satu tautan, tidak keduanya.")
                if has_file
                else _("Pilih berkas yang akan diunggah.")
                if "link" not in self.fields
                else _("Unggah berkas atau isi tautan.")
            )
            raise ValidationError(message)
        return data


def row_document_form(row, *args, **kwargs) -> DocumentForm:
    """The upload form narrowed to what the row's evidence rule accepts."""
    indicator = row.indicator
    kinds = tuple(kind for kind in (indicator.evidence_kinds or EVIDENCE_KINDS) if kind in FILE_KINDS)
    form = DocumentForm(*args, kinds=kinds, allows_link=indicator.evidence_allows_link, **kwargs)
    form.fields["file"].help_text = _("Indikator ini menerima: %(kinds)s.") % {"kinds": kinds_label(kinds)}
    form.fields["year"].initial = row.assessment.year
    return form


class ReplaceForm(KeepUploadsMixin, forms.Form):
    file = SafeFileField(label=_("Berkas versi baru"), kinds=EVIDENCE_KINDS, required=False)
    link = forms.URLField(label=_("atau tautan baru"), required=False, assume_scheme="https")
    note = forms.CharField(label=_("Apa yang berubah"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("link")) and "file" not in self.errors:
            raise ValidationError(_("Unggah satu berkas baru atau isi satu tautan baru."))
        return data


class PlannedActionForm(forms.Form):
    description = forms.CharField(label=_("Tindakan"), widget=forms.Textarea(attrs={"rows": 2}))
    unit = forms.ModelChoiceField(label=_("Perangkat daerah penanggung jawab"), queryset=None)
    due_date = forms.DateField(label=_("Tenggat"), widget=DateInput())
    gain = forms.DecimalField(widget=forms.HiddenInput, max_digits=6, decimal_places=2)
    kind = forms.CharField(widget=forms.HiddenInput, required=False)
    indicator_code = forms.CharField(widget=forms.HiddenInput, required=False)
    entry = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: unit.display_name

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise ValidationError(_("Tenggat tidak boleh sebelum hari ini."))
        return due


class OfficialResultForm(forms.ModelForm):
    class Meta:
        model = OfficialResult
        fields = ["year", "iid", "rank", "rank_scope", "predicate", "decree", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        localized_fields = ["iid"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["predicate"].widget = forms.Select(choices=[("", "—")] + [(name, name) for name in PREDICATES])


PREDICATES = ("Sangat Inovatif", "Inovatif", "Kurang Inovatif", "Tidak Dapat Dinilai")


class ModulesForm(forms.Form):
    presentation = forms.BooleanField(label=_("Lembar nilai presentasi kepala daerah"), required=False)
    field_check = forms.BooleanField(label=_("Daftar periksa validasi lapangan"), required=False)


class PresentationSheetForm(forms.Form):
    """A score sheet: who scored when, and a score 0..100 for each aspect of the year."""

    kind = forms.ChoiceField(label=_("Jenis lembar"), choices=PresentationSheet.Kind.choices, widget=forms.RadioSelect)
    held_on = forms.DateField(label=_("Tanggal presentasi"), widget=DateInput())
    scorer = forms.CharField(
        label=_("Penilai"), max_length=200, help_text=_("Misalnya: Tim Penilai IGA, atau nama penilai internal.")
    )
    notes = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, aspects, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is None:
            del self.fields["kind"]
        else:
            self.fields["kind"].choices = [(kind, PresentationSheet.Kind(kind).label) for kind in kinds]
            self.fields["kind"].initial = kinds[0]
        self.aspect_names = []
        for aspect in aspects:
            name = f"score_{aspect.code}"
            self.fields[name] = forms.DecimalField(
                label=_("%(aspect)s (bobot %(weight)s%%)") % {"aspect": aspect.name, "weight": f"{aspect.weight:g}"},
                min_value=0, max_value=100, max_digits=5, decimal_places=2, localize=True,
                help_text=getattr(aspect, "hint", ""),
            )  # fmt: skip
            self.aspect_names.append(name)

    def scores(self) -> dict:
        return {name.removeprefix("score_"): self.cleaned_data[name] for name in self.aspect_names}


class FieldCheckAddForm(forms.Form):
    entries = forms.ModelMultipleChoiceField(
        label=_("Inovasi yang dipresentasikan"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = candidates
        self.fields["entries"].label_from_instance = lambda entry: (
            f"{entry.innovation.name} — {entry.innovation.unit_label}"
        )


class FieldCheckResultForm(forms.Form):
    found = forms.TypedChoiceField(
        label=_("Apakah inovasi ada di lapangan seperti yang dipresentasikan?"),
        choices=[("yes", _("Ya, ada dan berjalan")), ("no", _("Tidak ditemukan"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    checked_on = forms.DateField(label=_("Tanggal pemeriksaan"), widget=DateInput())
    notes = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila tidak ditemukan: apa yang dijumpai di lokasi."),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("found") is False and not (data.get("notes") or "").strip():
            self.add_error("notes", _("Jelaskan apa yang dijumpai di lokasi."))
        return data


class FieldCheckPhotoForm(KeepUploadsMixin, forms.Form):
    title = forms.CharField(label=_("Keterangan foto"), max_length=255)
    file = SafeFileField(label=_("Foto"), kinds=("image",))
