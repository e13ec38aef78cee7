import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lumbung.core.access import access, get_for_user
from lumbung.core.audit import audit_trail
from lumbung.core.roles import Role

from . import exports, services
from .forms import (
    AssignmentEndForm,
    AssignmentForm,
    HoldersForm,
    OfficialCreateForm,
    OfficialFilterForm,
    OfficialForm,
    RegionFilterForm,
    RotationForm,
    UnitCreateForm,
    UnitDeactivateForm,
    UnitFilterForm,
    UnitForm,
    UnitMoveForm,
    add_service_error,
)
from .models import REGION_READERS, Assignment, Official, Region, Unit, sort_as_tree

READERS = (*REGION_READERS, Role.OPERATOR)


def _unit_for(request, pk, perm: str = "organisation.view_unit") -> Unit:
    units = Unit.objects.select_related("parent", "region")
    return get_for_user(request.user, units, perm, pk=pk, region=request.region)


def _official_for(request, pk, perm: str = "organisation.view_official") -> Official:
    officials = Official.objects.select_related("region")
    return get_for_user(request.user, officials, perm, pk=pk, region=request.region)


def _current(day: dt.date) -> Q:
    """Definitive positions held on `day`, as a condition on a unit's assignments."""
    return Q(assignments__start_date__lte=day, assignments__is_acting=False) & (
        Q(assignments__end_date__isnull=True) | Q(assignments__end_date__gte=day)
    )


def _submitted(request, form, service, **kwargs):
    """On a valid POST, call `service` with the form's data and return its result; None when
    nothing valid was posted or the service refused (the form then says why)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return service(**kwargs, **form.cleaned_data)
    except ValidationError as error:
        add_service_error(form, error)
        return None


# Units ------------------------------------------------------------------------------------------


@access.roles(*READERS)
def unit_list(request):
    form = UnitFilterForm(request.GET or None)
    today = dt.date.today()
    units = form.filter(Unit.objects.visible_to(request.user, request.region)).annotate(
        child_count=Count("children", filter=Q(children__is_active=True), distinct=True),
        holder_count=Count("assignments__official", filter=_current(today), distinct=True),
    )
    units = sort_as_tree(list(units))
    top = min((unit.depth for unit in units), default=0)
    for unit in units:
        unit.indent = min(unit.depth - top, 4)
    context = {"form": form, "units": units, "filtered": form.is_filtered, "tab": "units"}
    if form.is_filtered:
        context["names"] = dict(Unit.objects.filter(region=request.region).values_list("id", "name"))
    return render(request, "organisation/unit_list.html", context)


@access.roles(*READERS)
def unit_detail(request, pk):
    unit = _unit_for(request, pk)
    today = dt.date.today()
    ancestor_ids = [int(part) for part in unit.path.strip("/").split("/")[:-1]]
    ancestors = sorted(Unit.objects.filter(pk__in=ancestor_ids), key=lambda u: u.depth)
    children = sort_as_tree(
        list(
            unit.children.annotate(
                child_count=Count("children", filter=Q(children__is_active=True), distinct=True),
                holder_count=Count("assignments__official", filter=_current(today), distinct=True),
            )
        )
    )
    holders = Assignment.objects.on(today).filter(unit=unit).select_related("official").order_by("is_acting", "echelon")
    context = {"unit": unit, "ancestors": ancestors, "children": children, "holders": holders, "today": today}
    return render(request, "organisation/unit_detail.html", context)


@access.roles(Role.ADMIN)
def unit_create(request):
    form = UnitCreateForm(request.POST or None, region=request.region, initial={"parent": request.GET.get("induk")})
    unit = _submitted(request, form, services.unit_create, region=request.region, actor=request.user)
    if unit:
        messages.success(request, _("%(name)s ditambahkan.") % {"name": unit.name})
        return redirect("organisation:unit-detail", unit.pk)
    context = {"form": form, "title": _("Tambah perangkat daerah"), "cancel_url": reverse("organisation:unit-list")}
    return render(request, "organisation/form_page.html", context)


@access.roles(Role.ADMIN)
def unit_edit(request, pk):
    unit = _unit_for(request, pk, "organisation.change_unit")
    initial = {"name": unit.name, "short_name": unit.short_name, "kind": unit.kind, "code": unit.code}
    form = UnitForm(request.POST or None, initial=initial)
    if _submitted(request, form, services.unit_update, unit=unit, actor=request.user):
        messages.success(request, _("Perubahan disimpan."))
        return redirect("organisation:unit-detail", unit.pk)
    context = {
        "form": form,
        "unit": unit,
        "title": _("Ubah %(name)s") % {"name": unit.name},
        "cancel_url": reverse("organisation:unit-detail", args=[unit.pk]),
    }
    return render(request, "organisation/form_page.html", context)


@access.roles(Role.ADMIN)
def unit_move(request, pk):
    unit = _unit_for(request, pk, "organisation.change_unit")
    form = UnitMoveForm(request.POST or None, unit=unit, initial={"parent": unit.parent_id})
    if _submitted(request, form, services.unit_move, unit=unit, actor=request.user):
        messages.success(request, _("%(name)s dipindahkan.") % {"name": unit.name})
        return redirect("organisation:unit-detail", unit.pk)
    return render(request, "organisation/unit_move.html", {"form": form, "unit": unit})


@access.roles(Role.ADMIN)
def unit_deactivate(request, pk):
    unit = _unit_for(request, pk, "organisation.change_unit")
    form = UnitDeactivateForm(request.POST or None)
    if _submitted(request, form, services.unit_deactivate, unit=unit, actor=request.user):
        messages.success(request, _("%(name)s dinonaktifkan.") % {"name": unit.name})
        return redirect("organisation:unit-detail", unit.pk)
    return render(request, "organisation/unit_deactivate.html", {"form": form, "unit": unit})


@require_POST
@access.roles(Role.ADMIN)
def unit_reactivate(request, pk):
    unit = _unit_for(request, pk, "organisation.change_unit")
    try:
        services.unit_reactivate(unit=unit, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s aktif kembali.") % {"name": unit.name})
    return redirect("organisation:unit-detail", unit.pk)


@access.roles(*READERS)
def unit_holders(request, pk):
    """Who held which position in the unit on a given date, and every position it ever had."""
    unit = _unit_for(request, pk)
    form = HoldersForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    day = data.get("on") or dt.date.today()
    scope = Q(unit__path__startswith=unit.path) if data.get("subtree") else Q(unit=unit)
    positions = Assignment.objects.filter(scope).select_related("official", "unit")
    holders = positions.on(day).order_by("echelon", "is_acting", "position")
    context = {
        "unit": unit,
        "form": form,
        "day": day,
        "holders": holders,
        "history": positions.order_by("-start_date", "echelon"),
    }
    return render(request, "organisation/unit_holders.html", context)


@access.roles(Role.ADMIN)
def unit_history(request, pk):
    unit = _unit_for(request, pk, "organisation.view_audit")
    entries = audit_trail(unit.history.all(), Assignment.history.filter(unit_id=unit.pk))
    context = {"subject": unit, "entries": entries, "back_url": reverse("organisation:unit-detail", args=[unit.pk])}
    return render(request, "organisation/audit.html", context)


@access.roles(*READERS)
def unit_export(request):
    form = UnitFilterForm(request.GET or None)
    units = form.filter(Unit.objects.visible_to(request.user, request.region)).select_related("parent")
    return exports.units_response(sort_as_tree(list(units)), region=request.region)


# Officials --------------------------------------------------------------------------------------


def _official_filter(request) -> tuple[OfficialFilterForm, object]:
    units = Unit.objects.visible_to(request.user, request.region).filter(is_active=True)
    form = OfficialFilterForm(request.GET or None, units=units)
    officials = form.filter(Official.objects.visible_to(request.user, request.region))
    positions = Assignment.objects.on(form.day).select_related("unit").order_by("is_acting", "echelon")
    officials = officials.prefetch_related(Prefetch("assignments", queryset=positions, to_attr="positions"))
    return form, officials.order_by("name", "pk")


@access.roles(*READERS)
def official_list(request):
    form, officials = _official_filter(request)
    page = Paginator(officials, 30).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page, "day": form.day, "tab": "officials"}
    return render(request, "organisation/official_list.html", context)


@access.roles(*READERS)
def official_export(request):
    form, officials = _official_filter(request)
    return exports.officials_response(officials, region=request.region, day=form.day)


@access.roles(*READERS)
def official_detail(request, pk):
    official = _official_for(request, pk)
    today = dt.date.today()
    assignments = list(official.assignments.select_related("unit").order_by("-start_date", "is_acting"))
    for assignment in assignments:
        assignment.is_current = assignment.start_date <= today and (
            assignment.end_date is None or assignment.end_date >= today
        )
        # A unit operator sees a rotated official's other units by name only (their pages answer 404).
        assignment.unit_visible = request.user.has_perm("organisation.view_unit", assignment.unit)
    account = getattr(official, "user", None)
    context = {"official": official, "assignments": assignments, "account": account, "today": today}
    return render(request, "organisation/official_detail.html", context)


@access.roles(Role.ADMIN)
def official_create(request):
    form = OfficialCreateForm(request.POST or None, region=request.region, initial={"unit": request.GET.get("unit")})
    official = _submitted(request, form, services.official_create, region=request.region, actor=request.user)
    if official:
        messages.success(request, _("%(name)s ditambahkan ke daftar pejabat.") % {"name": official.name})
        return redirect("organisation:official-detail", official.pk)
    context = {"form": form, "title": _("Tambah pejabat/ASN"), "cancel_url": reverse("organisation:official-list")}
    return render(request, "organisation/form_page.html", context)


@access.roles(Role.ADMIN)
def official_edit(request, pk):
    official = _official_for(request, pk, "organisation.change_official")
    initial = {"name": official.name, "nip": official.nip, "phone": official.phone, "email": official.email}
    form = OfficialForm(request.POST or None, initial=initial)
    if _submitted(request, form, services.official_update, official=official, actor=request.user):
        messages.success(request, _("Perubahan disimpan."))
        return redirect("organisation:official-detail", official.pk)
    context = {
        "form": form,
        "title": _("Ubah data %(name)s") % {"name": official.name},
        "cancel_url": reverse("organisation:official-detail", args=[official.pk]),
    }
    return render(request, "organisation/form_page.html", context)


@access.roles(Role.ADMIN)
def assignment_start(request, pk):
    official = _official_for(request, pk, "organisation.change_official")
    form = AssignmentForm(request.POST or None, region=request.region)
    if _submitted(request, form, services.assignment_start, official=official, actor=request.user):
        messages.success(request, _("Jabatan dicatat."))
        return redirect("organisation:official-detail", official.pk)
    context = {"form": form, "official": official, "title": _("Catat jabatan"), "action": "start"}
    return render(request, "organisation/assignment_form.html", context)


@access.roles(Role.ADMIN)
def official_rotate(request, pk):
    official = _official_for(request, pk, "organisation.change_official")
    current = official.assignment_on(dt.date.today())
    form = RotationForm(request.POST or None, region=request.region)
    if _submitted(request, form, services.official_rotate, official=official, actor=request.user):
        messages.success(request, _("Mutasi dicatat; jabatan lama tetap ada di riwayat."))
        return redirect("organisation:official-detail", official.pk)
    context = {"form": form, "official": official, "current": current, "title": _("Mutasi"), "action": "rotate"}
    return render(request, "organisation/assignment_form.html", context)


@access.roles(Role.ADMIN)
def assignment_end(request, pk):
    assignment = get_for_user(
        request.user,
        Assignment.objects.select_related("official", "unit"),
        "organisation.change_assignment",
        pk=pk,
        official__region=request.region,
    )
    form = AssignmentEndForm(request.POST or None, assignment=assignment, initial={"end_date": assignment.end_date})
    if _submitted(request, form, services.assignment_end, assignment=assignment, actor=request.user):
        messages.success(request, _("Jabatan diakhiri."))
        return redirect("organisation:official-detail", assignment.official_id)
    return render(request, "organisation/assignment_end.html", {"form": form, "assignment": assignment})


@access.roles(Role.ADMIN)
def official_history(request, pk):
    official = _official_for(request, pk, "organisation.view_audit")
    entries = audit_trail(official.history.all(), Assignment.history.filter(official_id=official.pk))
    context = {
        "subject": official,
        "entries": entries,
        "back_url": reverse("organisation:official-detail", args=[official.pk]),
    }
    return render(request, "organisation/audit.html", context)


# Regions (national admins) ------------------------------------------------------------------------


@access.roles(Role.NATIONAL_ADMIN)
def region_list(request):
    form = RegionFilterForm(request.GET or None)
    regions = Region.objects.select_related("province").annotate(unit_count=Count("units"))
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("q"):
        regions = regions.filter(Q(name__icontains=data["q"]) | Q(code__startswith=data["q"]))
    if data.get("kind"):
        regions = regions.filter(kind=data["kind"])
    if data.get("province"):
        regions = regions.filter(Q(province=data["province"]) | Q(pk=data["province"].pk))
    if data.get("hosted"):
        regions = regions.filter(is_hosted=data["hosted"] == "ya")
    page = Paginator(regions.order_by("code"), 50).get_page(request.GET.get("page"))
    hosted_count = Region.objects.filter(is_hosted=True).count()
    return render(
        request, "organisation/region_list.html", {"form": form, "page_obj": page, "hosted_count": hosted_count}
    )
