from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from lumbung.core.forms import KeepUploadsMixin, SafeFileField
from lumbung.core.phone import PhoneField
from lumbung.core.roles import REGION_ROLES, Role
from lumbung.organisation.models import Official, Region, Unit

from .models import User, normalise_code


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Surel"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    # Labelled here: third-party catalogues disagree on the Indonesian word ("Sandi", "Kata sandi").
    password = forms.CharField(
        label=_("Kata sandi"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": _("Surel atau kata sandi salah. Perhatikan huruf besar dan kecil."),
        "inactive": _("Akun ini belum aktif."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.active_roles or user.is_superuser:
            return
        resting = user.deactivated_regions()
        if resting:
            raise forms.ValidationError(
                _("%(regions)s sedang dinonaktifkan di aplikasi ini, sehingga akun Anda belum dapat dipakai. "
                  "Data Anda tetap tersimpan; hubungi admin nasional.")
                % {"regions": ", ".join(region.name for region in resting)},
                code="region_deactivated",
            )  # fmt: skip

    def clean_username(self):
        # One spelling per account, so `MeNtOr@…` authenticates as, and counts failures against,
        # the same username as `mentor@…` (axes keys its lock-out on what reaches authenticate()).
        return normalise_login(self.cleaned_data["username"])


def normalise_login(username) -> str:
    return str(username or "").strip().lower()


def axes_username(request, credentials=None) -> str:
    """AXES_USERNAME_CALLABLE: the normalised e-mail from the credentials or, before the form has
    cleaned it, from the POST."""
    if credentials:
        return normalise_login(credentials.get("username"))
    data = getattr(request, "data", None) or getattr(request, "POST", {})
    return normalise_login(data.get("username"))


class PasswordSetMixin(forms.Form):
    password1 = forms.CharField(
        label=_("Kata sandi"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif first:
            probe = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SignupForm(PasswordSetMixin):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=200)
    email = forms.EmailField(label=_("Surel"))
    phone = PhoneField()
    region = forms.ModelChoiceField(
        label=_("Pemda tempat Anda tinggal"), queryset=Region.objects.filter(is_hosted=True)
    )
    consent = forms.BooleanField(
        label=_("Saya setuju data saya dipakai untuk keperluan program inovasi daerah dan tidak ditampilkan ke publik.")
    )

    field_order = ["full_name", "email", "phone", "region", "password1", "password2", "consent"]

    def clean_email(self):
        # Whether the address is registered is not said here (that would tell anyone which
        # addresses have accounts); services.citizen_register writes to its owner instead.
        return self.cleaned_data["email"].strip().lower()


class InvitationAcceptForm(PasswordSetMixin):
    pass


class LetterInvitationAcceptForm(PasswordSetMixin):
    """Accepting a printed invitation: the letter had no e-mail, so the invitee gives one."""

    email = forms.EmailField(label=_("Surel"), help_text=_("Tautan verifikasi akan dikirim ke alamat ini."))
    field_order = ["email", "password1", "password2"]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class InvitationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode undangan"), max_length=40, help_text=_("Sepuluh huruf dan angka pada surat undangan.")
    )

    def clean_code(self):
        return normalise_code(self.cleaned_data["code"])


class ProfileForm(forms.ModelForm):
    phone = PhoneField()

    class Meta:
        model = User
        fields = ["full_name", "phone", "language"]
        widgets = {"language": forms.Select(choices=[("id", "Bahasa Indonesia"), ("en", "English")])}


class InvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=200)
    email = forms.EmailField(label=_("Surel"))
    roles = forms.MultipleChoiceField(
        label=_("Peran"),
        choices=[(r.value, r.label) for r in REGION_ROLES if r != Role.CITIZEN],
        widget=forms.CheckboxSelectMultiple,
    )
    unit = forms.ModelChoiceField(
        label=_("Perangkat daerah"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Wajib untuk operator perangkat daerah."),
    )
    official = forms.ModelChoiceField(
        label=_("Data ASN (untuk inovator)"), queryset=Official.objects.none(), required=False
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(region=region, is_active=True)
        self.fields["official"].queryset = Official.objects.filter(region=region)

    def clean(self):
        cleaned = super().clean()
        if Role.OPERATOR in cleaned.get("roles", []) and not cleaned.get("unit"):
            self.add_error("unit", _("Pilih perangkat daerah untuk peran operator."))
        return cleaned


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Peran"), choices=[(r.value, r.label) for r in REGION_ROLES])
    unit = forms.ModelChoiceField(label=_("Perangkat daerah"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(region=region, is_active=True)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.OPERATOR and not cleaned.get("unit"):
            self.add_error("unit", _("Pilih perangkat daerah untuk peran operator."))
        return cleaned


class RegionSwitchForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Pemda"), queryset=Region.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_national_admin:
            self.fields["region"].queryset = Region.objects.filter(is_hosted=True)
        else:
            self.fields["region"].queryset = Region.objects.filter(pk__in=[r.pk for r in user.regions()])


class UserOfficialForm(forms.Form):
    official = forms.ModelChoiceField(
        label=_("Data ASN"),
        queryset=Official.objects.none(),
        required=False,
        empty_label=_("— tidak terhubung —"),
        help_text=_("Inovator dan pejabat dihubungkan dengan datanya di daftar pejabat/ASN."),
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = Official.objects.filter(region=region).order_by("name")


class RegionOnboardForm(KeepUploadsMixin, forms.Form):
    """Onboarding a region (accounts.regions.region_onboard): the service checks the code, the
    e-mail and the file, so its messages are the same on this page and in the command."""

    SOURCES = [("template", _("Templat perangkat daerah standar sesuai jenis pemda")), ("file", _("Unggah berkas"))]

    code = forms.CharField(
        label=_("Kode Kemendagri"), max_length=13, help_text=_("Ketik nama atau kode, lalu pilih, misalnya 18.13."),
        widget=forms.TextInput(attrs={"list": "region-codes", "autocomplete": "off"}),
    )  # fmt: skip
    source = forms.ChoiceField(
        label=_("Perangkat daerah"), choices=SOURCES, initial="template", widget=forms.RadioSelect
    )
    file = SafeFileField(
        label=_("Berkas perangkat daerah"), kinds=("excel", "csv"), required=False,
        help_text=_("Kolom seperti impor perangkat daerah: Nama, Singkatan, Jenis, Induk."),
    )  # fmt: skip
    admin_name = forms.CharField(label=_("Nama admin pertama"), max_length=200)
    admin_email = forms.CharField(label=_("Surel admin pertama"), max_length=254)
    reason = forms.CharField(
        label=_("Dasar pendaftaran"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Misalnya nomor surat permohonan pemda."),
    )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") == "file" and not cleaned.get("file"):
            self.add_error("file", _("Pilih berkas perangkat daerah, atau pakai templat standar."))
        return cleaned


class RegionStateForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ProvinceAdminGrantForm(forms.Form):
    """Granting the province admin role (accounts.province_admins): the service checks the
    province, the e-mail and the reason, so the form only carries them."""

    province = forms.CharField(
        label=_("Kode provinsi"), max_length=13, help_text=_("Ketik nama atau kode, lalu pilih, misalnya 18."),
        widget=forms.TextInput(attrs={"list": "province-codes", "autocomplete": "off"}),
    )  # fmt: skip
    email = forms.CharField(label=_("Surel"), max_length=254)
    full_name = forms.CharField(
        label=_("Nama lengkap"), max_length=200, required=False,
        help_text=_("Hanya bila surel ini belum punya akun: orang itu diundang lewat surel."),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Alasan"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Misalnya nomor surat penunjukan; paling panjang 100 karakter."),
    )  # fmt: skip


class ProvinceAdminRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Paling panjang 100 karakter."),
    )  # fmt: skip
