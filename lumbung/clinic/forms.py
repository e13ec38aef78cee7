from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumbung.accounts.models import User
from lumbung.actions.models import Action
from lumbung.core.forms import DateInput, DateTimeInput, KeepUploadsMixin, SafeFileField
from lumbung.core.phone import PhoneField
from lumbung.core.roles import Role
from lumbung.frameworks.forms import indicator_choices
from lumbung.innovations.models import Innovation
from lumbung.organisation.models import Unit

from .models import Case, Session

MESSAGE_FILE_KINDS = ("pdf", "image", "word", "excel")


def innovations_managed_by(user, region):
    """Innovations the user works on: all of the region for an admin, else those of the units
    they operate, of their team and of their own making."""
    innovations = Innovation.objects.filter(region=region).select_related("unit").order_by("name")
    if user.has_role(Role.ADMIN, region):
        return innovations
    mine = Q(created_by=user) | Q(team__user=user)
    if user.official_id:
        mine |= Q(team__official_id=user.official_id)
    for path in user.operator_unit_paths(region):
        mine |= Q(unit__path__startswith=path)
    return innovations.filter(mine).distinct()


class InnovationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.unit_label})"


class CaseRequestForm(forms.Form):
    title = forms.CharField(
        label=_("Apa yang ingin Anda capai?"),
        max_length=200,
        help_text=_("Satu kalimat, misalnya: Melengkapi eviden SK tim untuk inovasi Sikesal."),
    )
    category = forms.ChoiceField(label=_("Jenis bantuan"), choices=Case.Category.choices)
    description = forms.CharField(
        label=_("Ceritakan kebutuhan Anda"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Apa yang sudah ada, apa yang belum, dan kapan dibutuhkan."),
    )
    innovation = InnovationChoiceField(
        label=_("Inovasi yang dimaksud"),
        queryset=Innovation.objects.none(),
        required=False,
        empty_label=_("— belum ada / ide baru —"),
    )
    indicator_code = forms.ChoiceField(label=_("Indikator indeks yang dimaksud"), required=False)
    unit = forms.ModelChoiceField(label=_("Atas nama perangkat daerah"), queryset=Unit.objects.none(), required=False)
    preferred_mode = forms.ChoiceField(label=_("Bentuk pendampingan yang diinginkan"), choices=Case.Mode.choices)
    contact_phone = PhoneField(help_text=_("Agar mentor mudah menghubungi Anda."))

    def __init__(self, *args, user, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["innovation"].queryset = innovations_managed_by(user, region)
        self.fields["indicator_code"].choices = indicator_choices()
        operated = Unit.objects.filter(
            pk__in=[a.unit_id for a in user.active_roles if a.unit_id and a.region_id == region.pk]
        )
        if operated.exists():
            self.fields["unit"].queryset = operated
            self.fields["unit"].required = True
            self.fields["unit"].initial = operated.first()
        else:
            del self.fields["unit"]
        if not self.fields["innovation"].queryset.exists():
            del self.fields["innovation"]
        self.fields["contact_phone"].initial = user.phone


class TriageForm(forms.Form):
    category = forms.ChoiceField(label=_("Kategori"), choices=Case.Category.choices)
    priority = forms.ChoiceField(label=_("Prioritas"), choices=Case.Priority.choices)
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=User.objects.none())
    note = forms.CharField(label=_("Catatan untuk mentor"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = (
            User.objects.filter(
                is_active=True,
                role_assignments__region=region,
                role_assignments__role=Role.MENTOR,
                role_assignments__is_active=True,
            )
            .distinct()
            .order_by("full_name")
        )


class MessageForm(KeepUploadsMixin, forms.Form):
    body = forms.CharField(label=_("Pesan"), widget=forms.Textarea(attrs={"rows": 4}))
    file = SafeFileField(kinds=MESSAGE_FILE_KINDS, label=_("Lampiran (boleh kosong)"), required=False)


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["mode", "starts_at", "duration_minutes", "place", "notes"]
        widgets = {"starts_at": DateTimeInput(), "notes": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"notes": _("Isi setelah sesi: apa yang dibahas dan apa yang disepakati.")}


class PlannedActionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        target = obj.innovation.name if obj.innovation_id else _("tingkat daerah")
        return f"{obj.description[:90]} · {target} · +{obj.gain} IID"


class ActionItemForm(forms.ModelForm):
    description = forms.CharField(label=_("Tindak lanjut"), max_length=300)
    innovation = InnovationChoiceField(label=_("Inovasi"), queryset=Innovation.objects.none(), required=False)
    indicator_code = forms.ChoiceField(label=_("Indikator"), required=False)
    planned_action = PlannedActionChoiceField(
        label=_("Tindakan dari perencana indeks"),
        queryset=Action.objects.none(),
        required=False,
        help_text=_("Bila tindak lanjut ini mengerjakan salah satu tindakan yang disarankan perencana penilaian IGA."),
    )

    class Meta:
        model = Action
        fields = ["description", "owner", "owner_name", "due_date", "innovation", "indicator_code", "planned_action"]
        widgets = {"due_date": DateInput()}
        labels = {"indicator_code": _("Indikator")}

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        people = [case.requester_id] + ([case.mentor_id] if case.mentor_id else [])
        self.fields["owner"].queryset = User.objects.filter(
            Q(pk__in=people)
            | Q(role_assignments__region=case.region_id, role_assignments__role__in=[Role.ADMIN, Role.MENTOR])
        ).distinct()
        self.fields["owner"].required = False
        self.fields["due_date"].required = True
        self.fields["innovation"].queryset = Innovation.objects.filter(region=case.region_id).select_related("unit")
        self.fields["innovation"].initial = case.innovation_id
        self.fields["indicator_code"].choices = indicator_choices()
        self.fields["indicator_code"].initial = case.indicator_code
        self.fields["planned_action"].queryset = (
            Action.objects.filter(region=case.region_id, origin=Action.Origin.PLANNER)
            .pending()
            .select_related("innovation")
            .order_by("innovation__name", "-gain")
        )

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("Tenggat tidak boleh di masa lalu."))
        return due

    def clean(self):
        data = super().clean()
        if not data.get("owner") and not (data.get("owner_name") or "").strip():
            raise forms.ValidationError(_("Pilih penanggung jawab atau tulis namanya."))
        return data
