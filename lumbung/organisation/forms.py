import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from lumbung.core.forms import DateInput
from lumbung.core.phone import PhoneField

from .models import KIND_ORDER, Assignment, Echelon, Region, Unit, sort_as_tree
from .nip import normalise_nip, parse_nip


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has
    that field, otherwise above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


# A list longer than this is grouped by kind of unit.
GROUP_UNITS_FROM = 12


class _TreeChoiceIterator(ModelChoiceIterator):
    """Units grouped by kind (secretariats, dinas, ..., kelurahan/desa), each group in tree order and
    each unit named with its parent, so that 136 pekon are found by name under their kecamatan.
    A short list stays one tree, indented by depth."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        units = sort_as_tree(list(self.queryset))
        if len(units) < GROUP_UNITS_FROM or len({unit.kind for unit in units}) < 2:
            for unit in units:
                yield self.choice(unit)
            return
        # Parents are usually in the list itself; only those left out (a narrowed list) are read.
        parents = {unit.pk: unit.name for unit in units}
        missing = {unit.parent_id for unit in units if unit.parent_id and unit.parent_id not in parents}
        if missing:
            parents.update(Unit.objects.filter(pk__in=missing).values_list("pk", "name"))
        groups: dict[str, list] = {}
        for unit in units:
            unit.picker_parent = parents.get(unit.parent_id, "")
            groups.setdefault(unit.kind, []).append(self.choice(unit))
        for kind in sorted(groups, key=lambda kind: KIND_ORDER.get(kind, 99)):
            yield (Unit.Kind(kind).label, groups[kind])


class UnitChoiceField(forms.ModelChoiceField):
    """A unit picker: grouped by kind with each unit's parent named (a long list), or one tree
    indented by depth (a short one); the page adds a search box (static/js/picker.js)."""

    iterator = _TreeChoiceIterator

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Select(attrs={"data-picker": ""}))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, unit):
        parent = getattr(unit, "picker_parent", None)
        if parent is None:
            return "\u00a0\u00a0\u00a0" * unit.depth + unit.display_name
        return f"{unit.display_name} · {parent}" if parent else unit.display_name


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several units as a searchable list of checkboxes grouped by kind."""

    iterator = _TreeChoiceIterator

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple(attrs={"class": "picker-list"}))
        super().__init__(*args, **kwargs)

    label_from_instance = UnitChoiceField.label_from_instance


def _region_units(region, *, with_villages: bool = True):
    units = Unit.objects.filter(region=region, is_active=True)
    return units if with_villages else units.exclude(kind=Unit.Kind.VILLAGE)


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=200)
    short_name = forms.CharField(label=_("Singkatan"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("Jenis"), choices=Unit.Kind.choices)
    code = forms.CharField(
        label=_("Kode"), max_length=30, required=False, help_text=_("Kode wilayah atau kode unit kerja, bila ada.")
    )


class UnitCreateForm(UnitForm):
    parent = UnitChoiceField(
        label=_("Induk"), queryset=Unit.objects.none(), required=False, empty_label=_("— langsung di bawah pemda —")
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _region_units(region, with_villages=False)


class UnitMoveForm(forms.Form):
    parent = UnitChoiceField(
        label=_("Induk baru"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— langsung di bawah pemda —"),
    )
    reason = forms.CharField(
        label=_("Alasan"), max_length=100, required=False, help_text=_("Misalnya nomor Perda/Perbup SOTK.")
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        # The unit itself and its own subtree cannot become its parent.
        self.fields["parent"].queryset = _region_units(unit.region_id, with_villages=False).exclude(
            path__startswith=unit.path
        )


class UnitDeactivateForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"), max_length=100, help_text=_("Misalnya: digabung ke Dinas X menurut Perda No. 5 Tahun 2026.")
    )


class UnitFilterForm(forms.Form):
    STATUS_CHOICES = [("aktif", _("Aktif")), ("nonaktif", _("Nonaktif")), ("semua", _("Semua"))]

    q = forms.CharField(label=_("Cari nama, singkatan atau kode"), required=False)
    kind = forms.ChoiceField(label=_("Jenis"), choices=[("", _("Semua jenis")), *Unit.Kind.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    villages = forms.BooleanField(label=_("Tampilkan kelurahan/desa"), required=False)

    def filter(self, units):
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or "aktif"
        if status != "semua":
            units = units.filter(is_active=status == "aktif")
        if data.get("kind"):
            units = units.filter(kind=data["kind"])
        elif not data.get("villages") and not data.get("q"):
            units = units.exclude(kind=Unit.Kind.VILLAGE)
        query = (data.get("q") or "").strip()
        if query:
            units = units.filter(Q(name__icontains=query) | Q(short_name__icontains=query) | Q(code__startswith=query))
        return units

    @property
    def is_filtered(self) -> bool:
        return bool(self.is_valid() and (self.cleaned_data.get("q") or self.cleaned_data.get("kind")))


class OfficialForm(forms.Form):
    name = forms.CharField(label=_("Nama lengkap dan gelar"), max_length=200)
    nip = forms.CharField(
        label=_("NIP"), max_length=30, help_text=_("18 angka; spasi boleh, misalnya 19740815 200003 1 002.")
    )
    phone = PhoneField()
    email = forms.EmailField(label=_("Surel"), required=False)

    def clean_nip(self):
        nip = normalise_nip(self.cleaned_data["nip"])
        parse_nip(nip)  # says in Indonesian which part of the number is wrong
        return nip


class PositionForm(forms.Form):
    """A position held from a date (TMT jabatan)."""

    unit = UnitChoiceField(label=_("Perangkat daerah"), queryset=Unit.objects.none())
    position = forms.CharField(label=_("Jabatan"), max_length=200)
    echelon = forms.ChoiceField(label=_("Eselon"), choices=Echelon.choices)
    start_date = forms.DateField(label=_("TMT jabatan"), widget=DateInput)
    decree = forms.CharField(label=_("Nomor SK"), max_length=120, required=False)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _region_units(region)


class OfficialCreateForm(OfficialForm, PositionForm):
    is_acting = forms.BooleanField(label=_("Pelaksana tugas (Plt)"), required=False)

    field_order = ["name", "nip", "phone", "email", "unit", "position", "echelon", "start_date", "is_acting", "decree"]


class AssignmentForm(PositionForm):
    end_date = forms.DateField(
        label=_("Sampai"), widget=DateInput, required=False, help_text=_("Kosongkan bila masih menjabat.")
    )
    is_acting = forms.BooleanField(
        label=_("Pelaksana tugas (Plt)"),
        required=False,
        help_text=_("Jabatan Plt boleh berjalan bersamaan dengan jabatan definitif."),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum TMT jabatan."))
        return cleaned


class RotationForm(PositionForm):
    start_date = forms.DateField(
        label=_("TMT jabatan baru"),
        widget=DateInput,
        help_text=_("Jabatan sekarang berakhir sehari sebelumnya."),
    )


class AssignmentEndForm(forms.Form):
    end_date = forms.DateField(label=_("Tanggal terakhir menjabat"), widget=DateInput)
    reason = forms.CharField(
        label=_("Alasan"), max_length=100, required=False, help_text=_("Misalnya: pensiun, diberhentikan, Plt selesai.")
    )

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment

    def clean_end_date(self):
        end = self.cleaned_data["end_date"]
        if end < self.assignment.start_date:
            raise ValidationError(
                _("Tanggal terakhir tidak boleh sebelum TMT jabatan (%(date)s).")
                % {"date": self.assignment.start_date.strftime("%d-%m-%Y")}
            )
        return end


class OfficialFilterForm(forms.Form):
    TIERS = [
        ("", _("Semua")),
        ("II", _("Eselon II")),
        ("III", _("Eselon III")),
        ("IV", _("Eselon IV")),
        (Echelon.NONE, Echelon.NONE.label),
    ]

    q = forms.CharField(label=_("Cari nama atau NIP"), required=False)
    unit = UnitChoiceField(
        label=_("Perangkat daerah"), queryset=Unit.objects.none(), required=False, empty_label=_("Semua")
    )
    echelon = forms.ChoiceField(label=_("Eselon"), choices=TIERS, required=False)
    on = forms.DateField(
        label=_("Menjabat pada tanggal"),
        widget=DateInput,
        required=False,
        help_text=_("Kosongkan untuk semua ASN; jabatan ditampilkan per hari ini."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.exclude(kind=Unit.Kind.VILLAGE)

    @property
    def data_ok(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}

    @property
    def day(self) -> dt.date:
        """The date whose positions are shown: the one asked for, else today."""
        return self.data_ok.get("on") or dt.date.today()

    def filter(self, officials):
        data = self.data_ok
        query = (data.get("q") or "").strip()
        if query:
            digits = normalise_nip(query)
            by_nip = Q(nip__startswith=digits) if digits.isdigit() else Q()
            officials = officials.filter(Q(name__icontains=query) | by_nip)
        if data.get("unit") or data.get("echelon") or data.get("on"):
            positions = Assignment.objects.on(self.day)
            if data.get("unit"):
                positions = positions.filter(unit__path__startswith=data["unit"].path)
            tier = data.get("echelon")
            if tier == Echelon.NONE:
                positions = positions.filter(echelon=Echelon.NONE)
            elif tier:
                positions = positions.filter(echelon__startswith=f"{tier}.")
            officials = officials.filter(pk__in=positions.values("official_id"))
        return officials


class HoldersForm(forms.Form):
    on = forms.DateField(label=_("Tanggal"), widget=DateInput, required=False)
    subtree = forms.BooleanField(label=_("Termasuk sub-unit"), required=False)


class RegionFilterForm(forms.Form):
    HOSTED = [("", _("Semua")), ("ya", _("Memakai aplikasi ini")), ("tidak", _("Belum"))]

    q = forms.CharField(label=_("Cari nama atau kode"), required=False)
    kind = forms.ChoiceField(label=_("Jenis"), choices=[("", _("Semua")), *Region.Kind.choices], required=False)
    province = forms.ModelChoiceField(
        label=_("Provinsi"),
        queryset=Region.objects.filter(kind=Region.Kind.PROVINCE),
        required=False,
        empty_label=_("Semua"),
    )
    hosted = forms.ChoiceField(label=_("Status"), choices=HOSTED, required=False)


class _OfficialsByUnitIterator(ModelChoiceIterator):
    """Officials grouped by the unit of their current post (those without one last)."""

    def __iter__(self):
        officials = list(self.queryset)
        posts: dict[int, Assignment] = {}
        current = Assignment.objects.current().filter(official__in=[official.pk for official in officials])
        for post in current.select_related("unit").order_by("-start_date"):
            posts.setdefault(post.official_id, post)
        groups: dict[str, list] = {}
        for official in officials:
            official.picker_post = posts.get(official.pk)
            unit = official.picker_post.unit.display_name if official.picker_post else ""
            groups.setdefault(unit, []).append(self.choice(official))
        for unit in sorted(groups, key=lambda name: (not name, name.casefold())):
            yield (unit or _("Tanpa jabatan saat ini"), groups[unit])


class OfficialMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several officials as a searchable list of checkboxes grouped by unit, each group with a
    "select all" button (static/js/picker.js); without JavaScript, plain grouped checkboxes."""

    iterator = _OfficialsByUnitIterator

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple(attrs={"class": "picker-list"}))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, official):
        post = getattr(official, "picker_post", None)
        return f"{official.name} — {official.nip}" + (f" · {post.position}" if post else "")
