"""The national admin's pages to onboard a region, to deactivate or reactivate one, and to grant and
revoke the province admin role."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lumbung.core.access import access, get_for_user
from lumbung.core.redirects import redirect_local
from lumbung.core.roles import Role
from lumbung.organisation.forms import add_service_error
from lumbung.organisation.models import Region

from . import province_admins, regions
from .forms import ProvinceAdminGrantForm, ProvinceAdminRevokeForm, RegionOnboardForm, RegionStateForm


@access.roles(Role.NATIONAL_ADMIN)
def region_onboard(request):
    initial = {"code": request.GET.get("kode", "")[:13]}
    form = RegionOnboardForm(request.POST or None, request.FILES or None, initial=initial, upload_owner=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"] if data["source"] == "file" else None
        try:
            done = regions.region_onboard(
                code=data["code"], actor=request.user, admin_email=data["admin_email"], admin_name=data["admin_name"],
                reason=data["reason"], upload=upload, file_name=upload.name if upload else "",
            )  # fmt: skip
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "%(region)s kini memakai aplikasi ini: %(n)s perangkat daerah dibuat, undangan admin dikirim ke %(email)s."
                )
                % {"region": done.region.name, "n": len(done.units), "email": done.invitation.email},
            )
            return redirect(reverse("organisation:region-list") + f"?q={done.region.code}")
    candidates = Region.objects.filter(is_hosted=False, deactivated_at__isnull=True).order_by("code")
    return render(
        request,
        "accounts/region_onboard.html",
        {"form": form, "candidates": candidates.values_list("code", "name")},
    )


def _state_change(request, pk, *, service, title: str, done: str, button: str):
    region = get_for_user(request.user, Region.objects.all(), "organisation.host_region", pk=pk)
    form = RegionStateForm(request.POST or None)
    back = request.POST.get("next", "") if request.method == "POST" else request.GET.get("next", "")
    if request.method == "POST" and form.is_valid():
        try:
            service(region=region, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done % {"region": region.name})
            return redirect_local(request, back, "organisation:region-list")
    context = {
        "form": form, "region": region, "title": title % {"region": region.name}, "button": button,
        "events": regions.region_events(region), "back": back, "state": regions.STATE_LABELS[regions.region_state(region)],
    }  # fmt: skip
    return render(request, "accounts/region_state.html", context)


@access.roles(Role.NATIONAL_ADMIN)
def region_deactivate(request, pk):
    return _state_change(
        request, pk, service=regions.region_deactivate, title=_("Nonaktifkan %(region)s"),
        done=_("%(region)s dinonaktifkan; datanya tetap tersimpan."), button=_("Nonaktifkan"),
    )  # fmt: skip


@access.roles(Role.NATIONAL_ADMIN)
def region_reactivate(request, pk):
    return _state_change(
        request, pk, service=regions.region_reactivate, title=_("Aktifkan kembali %(region)s"),
        done=_("%(region)s aktif kembali."), button=_("Aktifkan kembali"),
    )  # fmt: skip


PROVINCES_PER_PAGE = 20


@access.roles(Role.NATIONAL_ADMIN)
def province_admins_page(request):
    form = ProvinceAdminGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = province_admins.province_admin_grant(
                code=data["province"], email=data["email"], full_name=data["full_name"], reason=data["reason"],
                actor=request.user,
            )  # fmt: skip
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            if done.invitation is not None:
                message = _("%(email)s belum punya akun: undangan sebagai admin %(province)s dikirim.")
                email = done.invitation.email
            else:
                message = _("%(email)s kini admin %(province)s.")
                email = done.assignment.user.email
            messages.success(request, message % {"email": email, "province": done.province.name})
            return redirect("accounts:province-admins")
    page = Paginator(province_admins.provinces_listed(), PROVINCES_PER_PAGE).get_page(request.GET.get("page"))
    province_admins.attach_pending(page.object_list)
    choices = Region.objects.filter(kind=Region.Kind.PROVINCE, is_hosted=True).order_by("code")
    context = {
        "form": form, "page_obj": page, "choices": choices.values_list("code", "name"),
        "changes": province_admins.recent_changes(),
    }  # fmt: skip
    return render(request, "accounts/province_admins.html", context)


@access.roles(Role.NATIONAL_ADMIN)
def province_admin_revoke(request, pk):
    assignment = get_object_or_404(
        province_admins.active_province_admins().select_related("user", "region", "granted_by"), pk=pk
    )
    form = ProvinceAdminRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            province_admins.province_admin_revoke(
                assignment=assignment, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Peran admin %(province)s dicabut dari %(name)s.")
                % {"province": assignment.region.name, "name": assignment.user},
            )
            return redirect("accounts:province-admins")
    return render(request, "accounts/province_admin_revoke.html", {"form": form, "assignment": assignment})
