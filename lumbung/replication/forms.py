from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumbung.actions.models import Action
from lumbung.core.forms import DateInput, KeepUploadsMixin, SafeFileField
from lumbung.events.forms import assessment_year_choices
from lumbung.innovations.models import GovernmentAffair, Innovation
from lumbung.organisation.models import Official, Region, Unit

from .models import CatalogueItem, Replication, StudyVisit


def other_regions(region):
    return Region.objects.exclude(pk=region.pk).order_by("name")


class CatalogueItemForm(forms.ModelForm):
    link = forms.URLField(label=_("Tautan"), required=False, assume_scheme="https", max_length=500)

    class Meta:
        model = CatalogueItem
        fields = [
            "name", "source_region", "summary", "affair", "form", "is_digital", "year", "source", "award",
            "prerequisites", "link", "contact", "continuity",
        ]  # fmt: skip
        widgets = {"summary": forms.Textarea(attrs={"rows": 4}), "prerequisites": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_region"].queryset = other_regions(region)


class AdoptForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Perangkat daerah pelaksana"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Nama inovasi di daerah kita"), max_length=255)
    main_affair = forms.ModelChoiceField(label=_("Urusan utama"), queryset=GovernmentAffair.objects.all())

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class StudyVisitForm(forms.ModelForm):
    class Meta:
        model = StudyVisit
        fields = ["title", "destination", "start_date", "end_date", "leader", "delegation", "hosts", "findings"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "delegation": forms.SelectMultiple(attrs={"size": 8}),
            "hosts": forms.Textarea(attrs={"rows": 2}),
            "findings": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {"delegation": _("Tahan Ctrl (atau ⌘) untuk memilih beberapa nama.")}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        officials = Official.objects.filter(region=region).order_by("name")
        self.fields["destination"].queryset = other_regions(region)
        self.fields["leader"].queryset = officials
        self.fields["delegation"].queryset = officials


class ObservationForm(forms.Form):
    item = forms.ModelChoiceField(
        label=_("Dari katalog"), queryset=CatalogueItem.objects.none(), required=False,
        help_text=_("Atau kosongkan dan isi inovasi baru di bawah."),
    )  # fmt: skip
    new_name = forms.CharField(label=_("Nama inovasi baru"), max_length=255, required=False)
    new_affair = forms.ModelChoiceField(label=_("Urusan"), queryset=GovernmentAffair.objects.all(), required=False)
    new_form = forms.ChoiceField(label=_("Bentuk"), choices=[("", "—"), *Innovation.Form.choices], required=False)
    new_is_digital = forms.BooleanField(label=_("Inovasi digital"), required=False)
    new_summary = forms.CharField(label=_("Ringkasan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(label=_("Catatan rombongan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    worth_replicating = forms.BooleanField(label=_("Layak direplikasi di daerah kita"), required=False)

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = CatalogueItem.objects.filter(region=visit.region).select_related("source_region")

    def clean(self):
        data = super().clean()
        if bool(data.get("item")) == bool(data.get("new_name")):
            raise forms.ValidationError(_("Pilih inovasi dari katalog, atau isi nama inovasi baru (salah satu)."))
        return data

    def new_item(self) -> CatalogueItem | None:
        data = self.cleaned_data
        if not data.get("new_name"):
            return None
        return CatalogueItem(
            name=data["new_name"], affair=data["new_affair"], form=data["new_form"], is_digital=data["new_is_digital"],
            summary=data["new_summary"],
        )  # fmt: skip


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["description", "unit", "owner_official", "due_date", "catalogue_item"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "due_date": DateInput()}
        labels = {"description": _("Tindak lanjut")}

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(region=visit.region, is_active=True)
        self.fields["unit"].required = True
        self.fields["due_date"].required = True
        self.fields["owner_official"].queryset = Official.objects.filter(region=visit.region).order_by("name")
        self.fields["catalogue_item"].queryset = CatalogueItem.objects.filter(region=visit.region).select_related(
            "source_region"
        )

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if self.instance.pk is None and due < timezone.localdate():
            raise forms.ValidationError(_("Tenggat tidak boleh di masa lalu."))
        return due


class ReplicationForm(KeepUploadsMixin, forms.ModelForm):
    agreement = SafeFileField(
        kinds=("pdf",), label=_("Berkas PKS/MoU/surat replikasi (PDF)"), required=False,
        help_text=_("Pindai suratnya sebagai PDF: indikator 31 (replikasi) hanya menerima PDF."),
    )  # fmt: skip

    class Meta:
        model = Replication
        fields = [
            "direction", "innovation", "partner_region", "item", "started_on", "agreement_kind", "agreement_number",
            "agreement_date", "notes",
        ]  # fmt: skip
        widgets = {"started_on": DateInput(), "agreement_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, region, innovations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["innovation"].queryset = innovations
        self.fields["partner_region"].queryset = other_regions(region)
        self.fields["item"].queryset = CatalogueItem.objects.filter(region=region).select_related("source_region")
        self.fields["item"].help_text = _("Hanya untuk replikasi yang kita ambil dari pemda lain.")

    def clean(self):
        data = super().clean()
        if data.get("direction") == Replication.Direction.OUTBOUND and data.get("item"):
            self.add_error("item", _("Inovasi asal hanya diisi bila kita yang mereplikasi."))
        if data.get("agreement") and not data.get("agreement_kind"):
            self.add_error("agreement_kind", _("Pilih jenis dokumen yang diunggah."))
        return data


class EvidenceYearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tahun penilaian"), coerce=int, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = assessment_year_choices()
        self.fields["year"].initial = timezone.localdate().year


class SharedAdoptForm(AdoptForm):
    """Adopting another hosted region's innovation: the reason reaches the origin region too."""

    reason = forms.CharField(
        label=_("Alasan mengadopsi"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dibaca juga oleh pemda asal inovasi."),
    )  # fmt: skip


class AgreementForm(KeepUploadsMixin, forms.ModelForm):
    """The agreement of a linked replication, kept by either side; it replaces the previous file."""

    agreement = SafeFileField(
        kinds=("pdf",), label=_("Berkas PKS/MoU/surat replikasi (PDF)"),
        help_text=_("Pindai suratnya sebagai PDF: indikator 31 (replikasi) hanya menerima PDF."),
    )  # fmt: skip
    reason = forms.CharField(label=_("Catatan perubahan"), max_length=500, required=False)

    class Meta:
        model = Replication
        fields = ["started_on", "agreement_kind", "agreement_number", "agreement_date"]
        widgets = {"started_on": DateInput(), "agreement_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement_kind"].required = True
        if self.instance.agreement_file:
            self.fields["agreement"].required = False
            self.fields["agreement"].help_text = _("Kosongkan bila berkas yang ada tidak diganti.")
