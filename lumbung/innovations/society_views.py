"""Pages of the citizens' track (register, fix, list one's own innovations), a unit adopting a
citizen's innovation, and the showcase's photo and video link of any innovation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lumbung.core.access import access, get_for_user
from lumbung.core.roles import Role
from lumbung.organisation.models import Unit

from . import society
from .models import Innovation
from .society_forms import AdoptForm, CitizenInnovationForm, ShowcaseMediaForm

MINE_PAGE = 50


@access.roles(Role.CITIZEN)
def citizen_mine(request):
    """The citizen's own innovations (a citizen has few; the newest first)."""
    innovations = (
        Innovation.objects.filter(region=request.region, created_by=request.user, track=Innovation.Track.SOCIETY)
        .select_related("unit")
        .order_by("-created_at")[:MINE_PAGE]
    )
    return render(request, "innovations/society/mine.html", {"innovations": innovations})


def _render(request, form, innovation=None, status=200):
    context = {"form": form, "innovation": innovation, "design_fields": Innovation.DESIGN_FIELDS}
    return render(request, "innovations/society/form.html", context, status=status)


@access.roles(Role.CITIZEN)
def citizen_create(request):
    form = CitizenInnovationForm(request.POST or None, request.FILES or None, upload_owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            innovation = society.citizen_innovation_create(
                region=request.region, actor=request.user, data=form.profile_data(),
                photo=form.cleaned_data.get("photo_file") or None,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Inovasi Anda disimpan sebagai draf. Lengkapi, lalu ajukan untuk diverifikasi.")
            )
            return redirect("innovations:detail", innovation.pk)
    return _render(request, form, status=400 if form.errors else 200)


@access.roles(Role.CITIZEN)
def citizen_edit(request, pk):
    innovation = get_for_user(
        request.user, Innovation.objects.filter(region=request.region, track=Innovation.Track.SOCIETY),
        "innovations.change_innovation", pk=pk,
    )  # fmt: skip
    form = CitizenInnovationForm(request.POST or None, instance=innovation, upload_owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            society.citizen_innovation_update(innovation=innovation, actor=request.user, data=form.profile_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("innovations:detail", innovation.pk)
    return _render(request, form, innovation, status=400 if form.errors else 200)


@require_POST
@access.authenticated
def showcase_media(request, pk):
    innovation = get_for_user(
        request.user, Innovation.objects.filter(region=request.region), "innovations.change_showcase_media", pk=pk
    )
    form = ShowcaseMediaForm(request.POST, request.FILES, upload_owner=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("innovations:detail", innovation.pk)
    data = form.cleaned_data
    society.showcase_media_set(
        innovation=innovation, actor=request.user, photo=data.get("photo") or None, video_url=data["video_url"],
        remove_photo=data["remove_photo"],
    )  # fmt: skip
    messages.success(request, _("Foto dan tautan video etalase disimpan."))
    return redirect("innovations:detail", innovation.pk)


def _adoptable_units(request):
    units = Unit.objects.filter(region=request.region, is_active=True).order_by("path")
    if request.user.has_role(Role.ADMIN, request.region):
        return units
    paths = request.user.operator_unit_paths(request.region)
    return units.filter(pk__in=[u.pk for u in units if any(u.path.startswith(p) for p in paths)])


@access.roles(Role.ADMIN, Role.OPERATOR)
def adopt(request, pk):
    innovation = get_for_user(
        request.user, Innovation.objects.filter(region=request.region), "innovations.adopt_innovation", pk=pk
    )
    form = AdoptForm(request.POST or None, units=_adoptable_units(request))
    if request.method == "POST" and form.is_valid():
        try:
            society.innovation_adopt(innovation=innovation, actor=request.user, unit=form.cleaned_data["unit"],
                                     note=form.cleaned_data["note"])  # fmt: skip
        except (ValidationError, PermissionDenied) as error:
            form.add_error(
                None,
                error
                if isinstance(error, ValidationError)
                else _("Anda tidak dapat mengadopsi untuk perangkat daerah itu."),
            )
        else:
            messages.success(request, _("Inovasi diadopsi oleh perangkat daerah."))
            return redirect("innovations:detail", innovation.pk)
    return render(request, "innovations/society/adopt.html", {"innovation": innovation, "form": form},
                  status=400 if form.errors else 200)  # fmt: skip


@access.public
def photo(request, pk):
    """The showcase photo, inline: anyone for a published innovation, otherwise those who may open
    it. It was checked as a JPEG or PNG picture on upload (core.files)."""
    innovation = Innovation.objects.filter(pk=pk).exclude(photo="").select_related("region").first()
    if innovation is None or not request.user.has_perm("innovations.view_innovation", innovation):
        raise Http404
    content_type = "image/png" if innovation.photo.name.lower().endswith(".png") else "image/jpeg"
    response = FileResponse(innovation.photo.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = (
        "public, max-age=3600" if innovation.status == Innovation.Status.PUBLISHED else "private, no-store"
    )
    return response
