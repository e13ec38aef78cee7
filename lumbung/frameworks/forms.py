from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lumbung.core.files import FILE_KINDS
from lumbung.core.forms import DateInput
from lumbung.innovations.models import GovernmentAffair

from .datafile import CONSTANTS, EVIDENCE_YEARS, ROW_PARTS
from .models import UNCONFIRMED_PARTS, BenefitBasis, Framework, Indicator
from .thresholds import threshold_problems

LOWER_OPS = [("", "—"), ("min", "≥"), ("gt", ">")]
UPPER_OPS = [("", "—"), ("max", "≤"), ("lt", "<")]
# side -> (signs, label of the sign, label of the value)
SIDES = {
    "lower": (LOWER_OPS, _("Batas bawah tingkat %(level)s"), _("Nilai batas bawah tingkat %(level)s")),
    "upper": (UPPER_OPS, _("Batas atas tingkat %(level)s"), _("Nilai batas atas tingkat %(level)s")),
}
PART_LABELS = UNCONFIRMED_PARTS


class ChangeReasonMixin(forms.Form):
    """Every edit of the methodology says why; the reason goes into the history."""

    reason = forms.CharField(
        label=_("Alasan perubahan"),
        max_length=100,
        help_text=_("Dicatat dalam riwayat, mis. “Lampiran II 2027 hlm. 14”."),
    )


class UnconfirmedMixin(forms.Form):
    """Which values are not confirmed by an official source, and why. A part that stays ticked
    keeps its earlier reason; newly ticked parts get the note written here."""

    unconfirmed_parts = forms.MultipleChoiceField(
        label=_("Nilai yang belum terkonfirmasi"), required=False, widget=forms.CheckboxSelectMultiple
    )
    unconfirmed_note = forms.CharField(
        label=_("Alasan belum terkonfirmasi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Untuk bagian yang baru ditandai; mis. “hanya satu sumber daerah, lampiran resmi belum terbaca”."),
    )

    def setup_unconfirmed(self, parts, current: dict) -> None:
        self.fields["unconfirmed_parts"].choices = [(part, label) for part, label in parts]
        self.fields["unconfirmed_parts"].initial = list(current)
        self.current_unconfirmed = current

    def clean(self):
        cleaned = super().clean()
        parts = cleaned.get("unconfirmed_parts") or []
        note = (cleaned.get("unconfirmed_note") or "").strip()
        new = [part for part in parts if part not in self.current_unconfirmed]
        if new and not note:
            self.add_error("unconfirmed_note", _("Tuliskan mengapa nilai yang baru ditandai belum terkonfirmasi."))
        cleaned["unconfirmed"] = {part: self.current_unconfirmed.get(part) or note for part in parts}
        return cleaned


class ThresholdsMixin(forms.Form):
    """Three ranges (one per level), each with an optional lower and upper bound."""

    LEVELS = (1, 2, 3)

    def setup_thresholds(self, thresholds: list) -> None:
        by_level = {band.get("level"): band for band in thresholds if isinstance(band, dict)}
        for level in self.LEVELS:
            band = by_level.get(level, {})
            for side, (ops, op_label, value_label) in SIDES.items():
                key = next((op for op, _sign in ops if op and op in band), "")
                self.fields[f"t{level}_{side}_op"] = forms.ChoiceField(
                    label=op_label % {"level": level}, choices=ops, required=False, initial=key
                )
                self.fields[f"t{level}_{side}"] = forms.DecimalField(
                    label=value_label % {"level": level}, required=False, initial=band.get(key) if key else None
                )

    TAIL = ("unconfirmed_parts", "unconfirmed_note", "reason")

    def main_fields(self):
        skip = {name for level in self.LEVELS for name in self._threshold_names(level)} | set(self.TAIL)
        return [self[name] for name in self.fields if name not in skip]

    def tail_fields(self):
        return [self[name] for name in self.TAIL if name in self.fields]

    @staticmethod
    def _threshold_names(level):
        return [f"t{level}_{name}" for name in ("lower_op", "lower", "upper_op", "upper")]

    def threshold_rows(self):
        return [(level, *(self[name] for name in self._threshold_names(level))) for level in self.LEVELS]

    def cleaned_thresholds(self) -> list:
        thresholds = []
        for level in self.LEVELS:
            band = {"level": level}
            for side in ("lower", "upper"):
                op, value = self.cleaned_data.get(f"t{level}_{side}_op"), self.cleaned_data.get(f"t{level}_{side}")
                if op and value is None:
                    self.add_error(f"t{level}_{side}", _("Isi nilai batasnya, atau kosongkan tandanya."))
                elif op:
                    band[op] = str(value)
            if len(band) > 1:
                thresholds.append(band)
        return thresholds

    def check_thresholds(self, *, measured: bool, higher_is_better: bool) -> list:
        thresholds = self.cleaned_thresholds()
        if not measured:
            if thresholds:
                self.add_error(
                    None, _("Baris pilihan atau berdasar pengukuran tidak memakai ambang; kosongkan ambangnya.")
                )
            return []
        for problem in threshold_problems(thresholds, higher_is_better=higher_is_better):
            self.add_error(None, _("Ambang: %(problem)s") % {"problem": problem})
        return thresholds


LEVEL_WIDGET = forms.Textarea(attrs={"rows": 2})


class FrameworkForm(ChangeReasonMixin, UnconfirmedMixin, forms.ModelForm):
    basic_service_affairs = forms.MultipleChoiceField(
        label=_("Urusan wajib pelayanan dasar"), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Framework
        fields = ["title", "legal_basis", "notes", *CONSTANTS]
        widgets = {
            "implementation_from": DateInput(),
            "implementation_to": DateInput(),
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        affairs = list(GovernmentAffair.objects.order_by("order").values_list("code", "name"))
        known = {code for code, _name in affairs}
        extra = [(code, code) for code in self.instance.basic_service_affairs if code not in known]
        self.fields["basic_service_affairs"].choices = affairs + extra
        self.fields["basic_service_affairs"].initial = self.instance.basic_service_affairs
        labels = {name: Framework._meta.get_field(name).verbose_name for name in CONSTANTS}
        self.setup_unconfirmed([*labels.items(), ("bands", PART_LABELS["bands"])], self.instance.unconfirmed)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("implementation_from"), cleaned.get("implementation_to")
        if start and end and start > end:
            self.add_error("implementation_to", _("Tanggal akhir penerapan harus sesudah tanggal awal."))
        required, affairs = cleaned.get("basic_services_required"), cleaned.get("basic_service_affairs") or []
        if required is not None and required > len(affairs):
            self.add_error(
                "basic_services_required",
                _("Tidak boleh lebih dari jumlah urusan yang dipilih (%(count)s).") % {"count": len(affairs)},
            )
        return cleaned

    def values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return values | {"unconfirmed": self.cleaned_data["unconfirmed"]}


class IndicatorForm(ChangeReasonMixin, UnconfirmedMixin, ThresholdsMixin, forms.ModelForm):
    evidence_kinds = forms.MultipleChoiceField(
        label=_("Jenis berkas eviden"),
        choices=[(code, kind.label) for code, kind in FILE_KINDS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    evidence_years = forms.MultipleChoiceField(
        label=_("Tahun eviden"), choices=[(year, year) for year in EVIDENCE_YEARS], widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Indicator
        fields = [
            "variable",
            "name",
            "description",
            "weight",
            "is_mandatory",
            "level_1",
            "level_2",
            "level_3",
            "measure",
            "higher_is_better",
            "evidence_rule",
            "evidence_kinds",
            "evidence_allows_link",
            "evidence_years",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "level_1": LEVEL_WIDGET,
            "level_2": LEVEL_WIDGET,
            "level_3": LEVEL_WIDGET,
            "evidence_rule": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weight"].min_value = 0
        self.setup_unconfirmed([(part, PART_LABELS[part]) for part in ROW_PARTS], self.instance.unconfirmed)
        self.setup_thresholds(self.instance.thresholds)
        if self.instance.bases.exists():
            # The bases carry the levels of this row; it stays measured by basis.
            self.fields["measure"].choices = [(Indicator.Measure.BASIS, Indicator.Measure.BASIS.label)]

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight is not None and weight <= 0:
            raise ValidationError(_("Bobot harus lebih dari 0."))
        return weight

    def clean(self):
        cleaned = super().clean()
        measure = cleaned.get("measure")
        cleaned["thresholds"] = self.check_thresholds(
            measured=measure not in (None, Indicator.Measure.CHOICE, Indicator.Measure.BASIS),
            higher_is_better=bool(cleaned.get("higher_is_better")),
        )
        return cleaned

    def values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return values | {"thresholds": self.cleaned_data["thresholds"], "unconfirmed": self.cleaned_data["unconfirmed"]}


class BasisForm(ChangeReasonMixin, UnconfirmedMixin, ThresholdsMixin, forms.ModelForm):
    class Meta:
        model = BenefitBasis
        fields = ["name", "unit", "measure", "level_1", "level_2", "level_3", "evidence_rule"]
        widgets = {"evidence_rule": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        measured = [(code, label) for code, label in Indicator.Measure.choices if code not in ("choice", "basis")]
        self.fields["measure"].choices = measured
        self.setup_unconfirmed([(part, PART_LABELS[part]) for part in ("levels", "thresholds", "evidence")],
                               self.instance.unconfirmed)  # fmt: skip
        self.setup_thresholds(self.instance.thresholds)

    def clean(self):
        cleaned = super().clean()
        cleaned["thresholds"] = self.check_thresholds(measured=True, higher_is_better=True)
        return cleaned

    def values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return values | {"thresholds": self.cleaned_data["thresholds"], "unconfirmed": self.cleaned_data["unconfirmed"]}


class BandForm(forms.Form):
    name = forms.CharField(label=_("Predikat"), max_length=40)
    min_iid = forms.DecimalField(
        label=_("IID minimum"), max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=100
    )


class BaseBandFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        bands = [form.cleaned_data for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]
        if not bands:
            raise ValidationError(_("Paling sedikit satu predikat."))
        names = [band["name"].strip() for band in bands]
        minima = [band["min_iid"] for band in bands]
        if len(set(names)) != len(names) or len(set(minima)) != len(minima):
            raise ValidationError(_("Nama dan IID minimum setiap predikat harus berbeda."))

    def bands(self) -> list[tuple[str, object]]:
        return [
            (form.cleaned_data["name"].strip(), form.cleaned_data["min_iid"])
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]


BandFormSet = forms.formset_factory(BandForm, formset=BaseBandFormSet, extra=1, can_delete=True, max_num=8)


class BandsReasonForm(ChangeReasonMixin, UnconfirmedMixin):
    def __init__(self, *args, framework: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        current = {key: note for key, note in framework.unconfirmed.items() if key == "bands"}
        self.setup_unconfirmed([("bands", PART_LABELS["bands"])], current)


class CopyForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun penilaian baru"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Judul"), max_length=200)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if Framework.objects.filter(year=year).exists():
            raise ValidationError(_("Metodologi tahun %(year)s sudah ada.") % {"year": year})
        return year


def indicator_choices() -> list[tuple[str, str]]:
    """Indicators of the newest framework in force (or the newest at all), for pickers."""
    framework = (
        Framework.objects.filter(status=Framework.Status.ACTIVE).order_by("-year").first()
        or Framework.objects.order_by("-year").first()
    )
    rows = Indicator.objects.filter(framework=framework).values_list("code", "name") if framework else []
    return [("", _("— tidak terkait indikator tertentu —"))] + [(code, f"{code}. {name}") for code, name in rows]
