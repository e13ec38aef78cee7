from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lumbung.core.access import access
from lumbung.core.audit import audit_trail
from lumbung.core.pdf import render_pdf
from lumbung.core.roles import Role
from lumbung.core.throttle import client_address, throttle_blocked, throttle_hit, throttle_key
from lumbung.organisation.models import Unit

from . import services
from .forms import (
    InvitationAcceptForm,
    InvitationCodeForm,
    InvitationForm,
    LetterInvitationAcceptForm,
    LoginForm,
    ProfileForm,
    RegionSwitchForm,
    RoleGrantForm,
    SignupForm,
    UserOfficialForm,
)
from .middleware import SESSION_KEY
from .models import Invitation, RoleAssignment, User
from .onboarding import DEFAULT_KINDS, OperatorsInviteForm, officials_by_unit, open_invitations, units_without_operator


def _with_language_cookie(response, language: str):
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


@access.public
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        return _with_language_cookie(response, form.get_user().language)


@access.public
class LogoutView(auth_views.LogoutView):
    pass


RESET_WINDOW = 60 * 60  # seconds


@access.public
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):
        # Counted whether or not the address has an account, so the limit says nothing about it.
        email_key = throttle_key("password-reset:email", form.cleaned_data["email"])
        address_key = throttle_key("password-reset:address", client_address(self.request))
        if throttle_blocked(email_key, settings.PASSWORD_RESET_LIMIT_PER_EMAIL) or throttle_blocked(
            address_key, settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
        ):
            form.add_error(
                None,
                _("Terlalu banyak permintaan pemulihan kata sandi. Periksa surel Anda atau coba lagi satu jam lagi."),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        throttle_hit(email_key, window=RESET_WINDOW)
        throttle_hit(address_key, window=RESET_WINDOW)
        return super().form_valid(form)


@access.public
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@access.public
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        messages.success(self.request, _("Kata sandi diganti. Silakan masuk."))
        return super().form_valid(form)


@access.authenticated
class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Kata sandi diganti."))
        return super().form_valid(form)


@access.public
def signup(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.citizen_register(
            email=data["email"],
            full_name=data["full_name"],
            password=data["password1"],
            phone=data["phone"],
            region=data["region"],
        )
        return render(request, "accounts/signup_sent.html", {"email": data["email"]})
    return render(request, "accounts/signup.html", {"form": form})


@access.public
def verify_email(request, token):
    try:
        user = services.verify_email(token=token)
    except ValidationError as error:
        return render(request, "accounts/verify_failed.html", {"errors": error.messages}, status=400)
    messages.success(request, _("Surel %(email)s terverifikasi. Silakan masuk.") % {"email": user.email})
    return redirect("accounts:login")


@access.public
def resend_verification(request):
    sent = False
    if request.method == "POST":
        email = request.POST.get("email", "").strip()
        # No address holds a NUL byte, and PostgreSQL refuses one in a query.
        user = (
            None
            if "\x00" in email
            else User.objects.filter(email__iexact=email, email_verified_at__isnull=True).first()
        )
        if user is not None:
            services.send_verification(user=user)
        sent = True  # same answer whether or not the address exists
    return render(request, "accounts/resend_verification.html", {"sent": sent})


@access.public
def invitation_accept(request, token):
    invitation = Invitation.objects.filter(token=token).select_related("region", "unit").first()
    if invitation is None or not invitation.is_open:
        return render(request, "accounts/invitation_invalid.html", status=404)
    by_letter = not invitation.email
    # A letter invitation belongs to whoever holds its code, so a signed-in holder takes it.
    signed_in_as_invitee = request.user.is_authenticated and (
        by_letter or request.user.email.lower() == invitation.email.lower()
    )
    form_class = LetterInvitationAcceptForm if by_letter else InvitationAcceptForm
    form = None if signed_in_as_invitee else form_class(request.POST or None)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user = services.invitation_accept(
                invitation=invitation,
                password=None if form is None else form.cleaned_data["password1"],
                existing_user=request.user if signed_in_as_invitee else None,
                email=form.cleaned_data.get("email", "") if form is not None else "",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if not signed_in_as_invitee:
                login(request, user, backend="lumbung.accounts.backends.RolesModelBackend")
            request.session[SESSION_KEY] = invitation.region_id
            messages.success(request, _("Selamat bergabung di %(region)s.") % {"region": invitation.region.name})
            return redirect("core:home")
    return render(request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form})


@access.authenticated
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Profil disimpan."))
        return _with_language_cookie(redirect("accounts:profile"), form.instance.language)
    roles = request.user.active_roles
    return render(request, "accounts/profile.html", {"form": form, "roles": roles})


@access.authenticated
def switch_region(request):
    form = RegionSwitchForm(request.POST or None, user=request.user, initial={"region": request.region})
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_KEY] = form.cleaned_data["region"].pk
        return redirect("core:home")
    return render(request, "accounts/switch_region.html", {"form": form})


# Administration of the region's accounts -----------------------------------------------------


def _region_users(region):
    assignments = RoleAssignment.objects.filter(region=region).select_related("unit")
    return (
        User.objects.filter(role_assignments__region=region)
        .distinct()
        .prefetch_related(Prefetch("role_assignments", queryset=assignments, to_attr="region_roles"))
        .select_related("official")
    )


@access.roles(Role.ADMIN)
def user_list(request):
    users = _region_users(request.region)
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    role = request.GET.get("peran", "")
    if role in Role.values:
        users = users.filter(
            role_assignments__role=role, role_assignments__region=request.region, role_assignments__is_active=True
        )
    page = Paginator(users.order_by("full_name"), 30).get_page(request.GET.get("page"))
    invitations = Invitation.objects.filter(
        region=request.region, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("unit")
    context = {"page_obj": page, "query": query, "role": role, "roles": Role.choices, "invitations": invitations}
    return render(request, "accounts/user_list.html", context)


@access.roles(Role.ADMIN)
def user_invite(request):
    form = InvitationForm(request.POST or None, region=request.region)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invitation_create(
                email=data["email"],
                full_name=data["full_name"],
                region=request.region,
                roles=data["roles"],
                unit=data["unit"],
                official=data["official"],
                invited_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Undangan dikirim ke %(email)s.") % {"email": data["email"]})
            return redirect("accounts:user-list")
    return render(request, "accounts/user_invite.html", {"form": form})


def _user_for(request, pk) -> User:
    """A user holding (or having held) a role in the active region; 404 for anyone else."""
    return get_object_or_404(_region_users(request.region), pk=pk)


def _user_trail(user: User, region, *, limit: int = 300):
    return audit_trail(
        User.history.filter(id=user.pk),
        RoleAssignment.history.filter(user_id=user.pk, region_id=region.pk),
        describe={RoleAssignment: lambda record: record.get_role_display()},
        limit=limit,
    )


@access.roles(Role.ADMIN)
def user_detail(request, pk):
    user = _user_for(request, pk)
    form = RoleGrantForm(request.POST or None, region=request.region)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_grant(
                user=user,
                role=form.cleaned_data["role"],
                region=request.region,
                unit=form.cleaned_data["unit"],
                granted_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Peran ditambahkan."))
            return redirect("accounts:user-detail", user.pk)
    context = {
        "subject": user,
        "form": form,
        "official_form": UserOfficialForm(region=request.region, initial={"official": user.official_id}),
        "entries": _user_trail(user, request.region, limit=5),
    }
    return render(request, "accounts/user_detail.html", context)


@require_POST
@access.roles(Role.ADMIN)
def user_link_official(request, pk):
    user = _user_for(request, pk)
    form = UserOfficialForm(request.POST, region=request.region)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("official", [])))
        return redirect("accounts:user-detail", user.pk)
    try:
        services.user_link_official(user=user, official=form.cleaned_data["official"], actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Data ASN akun ini diperbarui."))
    return redirect("accounts:user-detail", user.pk)


@access.roles(Role.ADMIN)
def user_history(request, pk):
    user = _user_for(request, pk)
    return render(
        request, "accounts/user_history.html", {"subject": user, "entries": _user_trail(user, request.region)}
    )


@require_POST
@access.roles(Role.ADMIN)
def role_revoke(request, pk):
    assignment = get_object_or_404(RoleAssignment, pk=pk, region=request.region)
    try:
        services.role_revoke(assignment=assignment, revoked_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Peran dicabut."))
    return redirect("accounts:user-detail", assignment.user_id)


@require_POST
@access.roles(Role.ADMIN)
def invitation_revoke(request, pk):
    invitation = get_object_or_404(Invitation, pk=pk, region=request.region, accepted_at__isnull=True)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, _("Undangan dibatalkan."))
    return redirect("accounts:user-list")


CODE_ATTEMPTS, CODE_WINDOW = 10, 15 * 60


@access.public
def invitation_code(request):
    """Where a printed invitation's one-time code is typed; leads to the usual acceptance page."""
    form = InvitationCodeForm(request.POST or None)
    if request.method == "POST":
        key = throttle_key("invitation-code", client_address(request))
        if throttle_hit(key, window=CODE_WINDOW) > CODE_ATTEMPTS:
            form.add_error(None, _("Terlalu banyak percobaan. Coba lagi dalam 15 menit."))
        elif form.is_valid():
            invitation = services.invitation_by_code(form.cleaned_data["code"])
            if invitation is not None:
                return redirect("accounts:invitation-accept", token=invitation.token)
            form.add_error("code", _("Kode tidak dikenal atau undangannya sudah tidak berlaku."))
    return render(request, "accounts/invitation_code.html", {"form": form})


@access.roles(Role.ADMIN)
def operators_invite(request):
    """Invite the operators of many units at once, each chosen from the unit's officials."""
    kind = request.GET.get("jenis", "")
    kind = kind if kind in Unit.Kind.values else ""
    page = Paginator(units_without_operator(request.region, kind), 25).get_page(request.GET.get("page"))
    units = list(page.object_list)
    data = request.POST if request.method == "POST" else None  # an empty POST is still a submission
    form = OperatorsInviteForm(data, units=units, officials=officials_by_unit(units))
    if request.method == "POST" and form.is_valid():
        try:
            invitations = services.operators_invite(
                region=request.region, choices=form.choices, invited_by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "accounts/operators_invited.html", {"invitations": invitations})
    context = {
        "form": form, "page_obj": page, "kind": kind, "kinds": Unit.Kind.choices, "default_kinds": DEFAULT_KINDS,
        "pending": open_invitations(request.region, units),
    }  # fmt: skip
    return render(request, "accounts/operators_invite.html", context)


@access.roles(Role.ADMIN)
def invitation_letters(request):
    """The printed invitations (one A4 page each, with the one-time code) of the given ids."""
    ids = [int(value) for value in request.GET.getlist("id") if value.isdigit() and len(value) < 12]
    invitations = list(
        Invitation.objects.filter(region=request.region, pk__in=ids, email="")
        .exclude(code="")
        .select_related("unit", "region", "invited_by")
        .order_by("unit__path")
    )
    invitations = [invitation for invitation in invitations if invitation.is_open]
    if not invitations:
        messages.error(request, _("Tidak ada undangan lewat surat yang masih berlaku untuk dicetak."))
        return redirect("accounts:operators-invite")
    pdf = render_pdf(
        "accounts/pdf/invitation_letters.html",
        {"invitations": invitations, "region": request.region, "code_url": _absolute_code_url()},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="undangan-operator.pdf"'
    return response


def _absolute_code_url() -> str:
    return f"{settings.SITE_URL}{reverse('accounts:invitation-code')}"
