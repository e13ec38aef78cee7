from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lumbung.actions.models import Action
from lumbung.actions.workflows import ACTION
from lumbung.core.access import access, get_for_user
from lumbung.core.files import private_file_response
from lumbung.core.roles import STAFF_ROLES, Role
from lumbung.core.text import parse_id
from lumbung.core.workflow import TransitionNotAllowed
from lumbung.events.history import labelled
from lumbung.innovations.models import Innovation

from . import services
from .forms import (
    AdoptForm,
    CatalogueItemForm,
    EvidenceYearForm,
    FollowUpForm,
    ObservationForm,
    ReplicationForm,
    StudyVisitForm,
)
from .models import CatalogueItem, Observation, Replication, StudyVisit
from .workflows import REPLICATION, VISIT

# Catalogue facets: query parameter -> field.
FACETS = {"asal": "source_region", "urusan": "affair", "bentuk": "form", "digital": "is_digital"}


def _get(request, model, pk, perm, queryset=None):
    queryset = queryset if queryset is not None else model.objects.all()
    return get_for_user(request.user, queryset.filter(region=request.region), perm, pk=pk)


def _errors(request, error) -> None:
    messages.error(request, " ".join(error.messages))


def _transition(request, obj, apply, redirect_to):
    """Run a workflow step from a posted action and note; report refusals as messages."""
    try:
        apply(action=request.POST.get("action", ""), actor=request.user, note=request.POST.get("note", ""))
    except (TransitionNotAllowed, PermissionDenied):
        messages.error(request, _("Tindakan itu tidak dapat dilakukan pada status sekarang."))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Status: %(status)s.") % {"status": obj.get_status_display()})
    return redirect(redirect_to)


# Catalogue -----------------------------------------------------------------------------------


def _chosen_facets(params) -> dict:
    chosen = {}
    for key in ("asal", "urusan"):
        if value := parse_id(params.get(key)):
            chosen[key] = value
    if params.get("bentuk") in Innovation.Form.values:
        chosen["bentuk"] = params["bentuk"]
    if params.get("digital") in ("ya", "tidak"):
        chosen["digital"] = params["digital"] == "ya"
    return chosen


def _counts(items, key: str, label: str = "") -> list[tuple]:
    """(value, label, number of items) for one facet, in label order."""
    label = label or key
    rows = items.order_by().values_list(key, label).annotate(n=Count("pk")).order_by(label)
    return list(rows)


def _filtered(items, chosen: dict, skip: str = ""):
    for key, value in chosen.items():
        if key != skip:
            items = items.filter(**{FACETS[key]: value})
    return items


@access.roles(*STAFF_ROLES)
def catalogue(request):
    """Other regions' innovations, narrowed by origin, affair, form and digital; each facet counts
    what the other choices leave."""
    items = CatalogueItem.objects.visible_to(request.user, request.region)
    query = request.GET.get("q", "").strip()
    if query:
        items = items.filter(Q(name__icontains=query) | Q(summary__icontains=query) | Q(award__icontains=query))
    chosen = _chosen_facets(request.GET)
    form_labels = dict(Innovation.Form.choices)
    digital_labels = {True: _("Digital"), False: _("Non digital")}
    facets = {
        "asal": _counts(_filtered(items, chosen, "asal"), "source_region", "source_region__name"),
        "urusan": _counts(_filtered(items, chosen, "urusan").filter(affair__isnull=False), "affair", "affair__name"),
        "bentuk": [
            (v, form_labels[v], n) for v, _x, n in _counts(_filtered(items, chosen, "bentuk").exclude(form=""), "form")
        ],
        "digital": [
            (v, digital_labels[v], n) for v, _x, n in _counts(_filtered(items, chosen, "digital"), "is_digital")
        ],
    }
    results = (
        _filtered(items, chosen)
        .select_related("source_region", "affair")
        .annotate(adopted=Exists(Replication.objects.filter(item=OuterRef("pk"))))
    )
    context = {
        "page_obj": Paginator(results, 24).get_page(request.GET.get("page")),
        "facets": facets,
        "chosen": chosen,
        "query": query,
    }
    return render(request, "replication/catalogue.html", context)


@access.roles(*STAFF_ROLES)
def catalogue_detail(request, pk):
    item = _get(
        request, CatalogueItem, pk, "replication.view_catalogue_item",
        CatalogueItem.objects.select_related("source_region", "affair"),
    )  # fmt: skip
    context = {
        "item": item,
        "replications": item.replications.select_related("innovation", "innovation__unit"),
        "observations": Observation.objects.filter(item=item).select_related("visit", "visit__destination"),
        "may_adopt": request.user.has_perm("replication.adopt_catalogue_item", item),
    }
    return render(request, "replication/catalogue_detail.html", context)


def _catalogue_form(request, item=None):
    form = CatalogueItemForm(request.POST or None, instance=item, region=request.region)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.catalogue_item_save(item=form.save(commit=False), region=request.region, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Katalog disimpan."))
            return redirect("replication:catalogue-detail", item.pk)
    return render(request, "replication/catalogue_form.html", {"form": form, "item": item})


@access.roles(Role.ADMIN)
def catalogue_create(request):
    return _catalogue_form(request)


@access.roles(Role.ADMIN)
def catalogue_edit(request, pk):
    return _catalogue_form(request, _get(request, CatalogueItem, pk, "replication.change_catalogue_item"))


@access.roles(Role.ADMIN, Role.OPERATOR, Role.INNOVATOR)
def adopt(request, pk):
    """One action: a local draft innovation that replicates the item, kept linked to it."""
    item = _get(request, CatalogueItem, pk, "replication.adopt_catalogue_item")
    units = services.adoptable_units(request.user, request.region)
    initial = {"name": item.name, "main_affair": item.affair, "unit": units.first() if units.count() == 1 else None}
    form = AdoptForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            replication = services.catalogue_item_adopt(item=item, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Draf inovasi “%(name)s” dibuat. Lengkapi profilnya lalu ajukan untuk diverifikasi.")
                % {"name": replication.innovation.name},
            )  # fmt: skip
            return redirect("innovations:detail", replication.innovation_id)
    return render(request, "replication/adopt.html", {"item": item, "form": form})


# Study visits --------------------------------------------------------------------------------


@access.roles(*STAFF_ROLES)
def visit_list(request):
    visits = (
        StudyVisit.objects.visible_to(request.user, request.region)
        .select_related("destination", "leader")
        .annotate(
            observed_count=Count("observations", distinct=True),
            open_follow_ups=Count("follow_ups", filter=Q(follow_ups__status__in=Action.PENDING), distinct=True),
        )
        .order_by("-start_date", "pk")
    )
    page = Paginator(visits, 20).get_page(request.GET.get("page"))
    return render(request, "replication/visit_list.html", {"page_obj": page})


def _visit(request, pk, perm="replication.view_visit"):
    return _get(request, StudyVisit, pk, perm, StudyVisit.objects.select_related("destination", "leader"))


@access.roles(*STAFF_ROLES)
def visit_detail(request, pk):
    visit = _visit(request, pk)
    follow_ups = list(visit.follow_ups.select_related("unit", "owner_official", "catalogue_item", "visit"))
    for follow_up in follow_ups:
        follow_up.actions = ACTION.available(request.user, follow_up)
    is_admin = request.user.has_perm("replication.manage_visit", visit)
    context = {
        "visit": visit,
        "delegation": visit.delegation.all(),
        "observations": visit.observations.select_related("item", "item__affair", "item__source_region"),
        "follow_ups": follow_ups,
        "today": timezone.localdate(),
        "transitions": VISIT.available(request.user, visit),
        "action_url": reverse("replication:visit-transition", args=[visit.pk]),
        "events": labelled(visit.history.select_related("actor"), VISIT, StudyVisit.Status),
        "may_change": request.user.has_perm("replication.change_visit", visit),
    }
    if is_admin and visit.is_editable:
        context["observation_form"] = ObservationForm(visit=visit)
        context["follow_up_form"] = FollowUpForm(visit=visit)
    return render(request, "replication/visit_detail.html", context)


def _visit_form(request, visit=None):
    form = StudyVisitForm(request.POST or None, instance=visit, region=request.region)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_save(
                visit=form.save(commit=False), region=request.region, actor=request.user,
                delegation=form.cleaned_data["delegation"], changed=form.changed_data,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Studi tiru disimpan."))
            return redirect("replication:visit-detail", visit.pk)
    return render(request, "replication/visit_form.html", {"form": form, "visit": visit})


@access.roles(Role.ADMIN)
def visit_create(request):
    return _visit_form(request)


@access.roles(Role.ADMIN)
def visit_edit(request, pk):
    return _visit_form(request, _visit(request, pk, "replication.change_visit"))


@require_POST
@access.roles(Role.ADMIN)
def visit_transition(request, pk):
    visit = _visit(request, pk, "replication.manage_visit")

    def apply(**kwargs):
        services.visit_transition(visit=visit, **kwargs)

    return _transition(request, visit, apply, reverse("replication:visit-detail", args=[visit.pk]))


@access.roles(Role.ADMIN)
def observation_add(request, pk):
    visit = _visit(request, pk, "replication.change_visit")
    form = ObservationForm(request.POST or None, visit=visit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.observation_add(
                visit=visit, actor=request.user, item=data["item"], new_item=form.new_item(), note=data["note"],
                worth_replicating=data["worth_replicating"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Inovasi yang diamati dicatat."))
            return redirect("replication:visit-detail", visit.pk)
    title = _("Catat inovasi yang diamati")
    return render(request, "replication/visit_part_form.html", {"visit": visit, "form": form, "title": title})


@access.roles(Role.ADMIN)
def follow_up_add(request, pk):
    visit = _visit(request, pk, "replication.change_visit")
    form = FollowUpForm(request.POST or None, visit=visit)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_add(visit=visit, actor=request.user, follow_up=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Tindak lanjut ditambahkan; penanggung jawab diberi tahu."))
            return redirect("replication:visit-detail", visit.pk)
    title = _("Tambah tindak lanjut")
    return render(request, "replication/visit_part_form.html", {"visit": visit, "form": form, "title": title})


@require_POST
@access.roles(*STAFF_ROLES)
def follow_up_transition(request, pk):
    follow_up = Action.objects.filter(pk=pk, region=request.region, visit__isnull=False).select_related("visit").first()
    if follow_up is None or not request.user.has_perm("replication.view_visit", follow_up.visit):
        raise Http404

    def apply(**kwargs):
        services.follow_up_transition(follow_up=follow_up, **kwargs)

    return _transition(request, follow_up, apply, reverse("replication:visit-detail", args=[follow_up.visit_id]))


# Replications ---------------------------------------------------------------------------------


@access.roles(*STAFF_ROLES)
def replication_list(request):
    direction = request.GET.get("arah", Replication.Direction.INBOUND)
    if direction not in Replication.Direction.values:
        direction = Replication.Direction.INBOUND
    records = (
        Replication.objects.visible_to(request.user, request.region)
        .filter(direction=direction)
        .select_related("innovation", "innovation__unit", "partner_region", "item")
        .prefetch_related("evidence")
    )
    context = {
        "page_obj": Paginator(records, 30).get_page(request.GET.get("page")),
        "direction": direction,
        "directions": Replication.Direction.choices,
        "reach": services.replication_reach(request.region),
    }
    return render(request, "replication/replication_list.html", context)


def _replication(request, pk, perm="replication.view_replication"):
    queryset = Replication.objects.select_related("innovation", "innovation__unit", "partner_region", "item")
    return _get(request, Replication, pk, perm, queryset)


def _editable_innovations(request):
    innovations = Innovation.objects.filter(region=request.region).select_related("unit")
    if request.user.has_role(Role.ADMIN, request.region):
        return innovations
    paths = Q(pk__in=[])
    for path in request.user.operator_unit_paths(request.region):
        paths |= Q(unit__path__startswith=path)
    return innovations.filter(paths)


def _replication_form(request, replication=None):
    form = ReplicationForm(
        request.POST or None, request.FILES or None, instance=replication, region=request.region,
        innovations=_editable_innovations(request), upload_owner=request.user,
        initial={"direction": request.GET.get("arah", Replication.Direction.OUTBOUND)},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            replication = services.replication_save(
                replication=form.save(commit=False), region=request.region, actor=request.user,
                uploaded=form.cleaned_data.get("agreement"), changed=form.changed_data,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Replikasi dicatat."))
            return redirect("replication:replication-detail", replication.pk)
    return render(request, "replication/replication_form.html", {"form": form, "replication": replication})


@access.roles(Role.ADMIN, Role.OPERATOR)
def replication_create(request):
    return _replication_form(request)


@access.roles(Role.ADMIN, Role.OPERATOR)
def replication_edit(request, pk):
    return _replication_form(request, _replication(request, pk, "replication.change_replication"))


@access.roles(*STAFF_ROLES)
def replication_detail(request, pk):
    replication = _replication(request, pk)
    context = {
        "replication": replication,
        "evidence": replication.evidence.select_related("attached_by"),
        "transitions": REPLICATION.available(request.user, replication),
        "action_url": reverse("replication:replication-transition", args=[replication.pk]),
        "events": labelled(replication.history.select_related("actor"), REPLICATION, Replication.Status),
        "may_change": request.user.has_perm("replication.change_replication", replication),
        "may_attach": request.user.has_perm("replication.attach_replication_evidence", replication),
        "year_form": EvidenceYearForm(),
    }
    return render(request, "replication/replication_detail.html", context)


@require_POST
@access.roles(Role.ADMIN, Role.OPERATOR)
def replication_transition(request, pk):
    replication = _replication(request, pk, "replication.change_replication")

    def apply(**kwargs):
        services.replication_transition(replication=replication, **kwargs)

    return _transition(request, replication, apply, reverse("replication:replication-detail", args=[replication.pk]))


@access.roles(*STAFF_ROLES)
def agreement_download(request, pk):
    replication = _replication(request, pk)
    if not replication.agreement_file:
        raise Http404
    return private_file_response(replication.agreement_file, replication.agreement_name)


@require_POST
@access.roles(Role.ADMIN)
def evidence_attach(request, pk):
    replication = _replication(request, pk, "replication.attach_replication_evidence")
    form = EvidenceYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih tahun penilaian."))
    else:
        try:
            services.replication_attach_evidence(
                replication=replication, year=form.cleaned_data["year"], actor=request.user
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Dokumen dilampirkan sebagai eviden indikator 31."))
    return redirect("replication:replication-detail", replication.pk)


@access.roles(*STAFF_ROLES)
def home(request):
    """The entry page: recent visits, the catalogue at a glance, replication reach."""
    region = request.region
    context = {
        "visits": StudyVisit.objects.visible_to(request.user, region).select_related("destination")[:5],
        "catalogue_count": CatalogueItem.objects.visible_to(request.user, region).count(),
        "worth": Observation.objects.filter(visit__region=region, worth_replicating=True)
        .select_related("item", "item__source_region", "visit")
        .annotate(adopted=Exists(Replication.objects.filter(item=OuterRef("item"))))
        .order_by("-visit__start_date")[:8],
        "reach": services.replication_reach(region)[:5],
        "open_follow_ups": Action.objects.pending().filter(region=region, origin=Action.Origin.STUDY_VISIT).count(),
    }
    return render(request, "replication/home.html", context)
