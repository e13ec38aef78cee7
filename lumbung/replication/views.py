from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
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
from lumbung.core.workflow import TransitionNotAllowed
from lumbung.events.history import labelled
from lumbung.innovations.models import Innovation

from . import catalogue as shared
from . import services
from .forms import (
    AdoptForm,
    AgreementForm,
    CatalogueItemForm,
    EvidenceYearForm,
    FollowUpForm,
    ObservationForm,
    ReplicationForm,
    SharedAdoptForm,
    StudyVisitForm,
)
from .models import CatalogueItem, Observation, Replication, ReplicationEvidence, StudyVisit
from .workflows import REPLICATION, VISIT


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


@access.roles(*STAFF_ROLES)
def catalogue(request):
    """The region's catalogue and the published innovations of every other hosted region, as one
    list paged in SQL (replication.catalogue), narrowed by origin, affair, form and digital; each
    facet counts what the other choices leave."""
    query, chosen = shared.read_filters(request.GET)
    facets = shared.facet_counts(request.region, query=query, chosen=chosen)
    form_labels = dict(Innovation.Form.choices)
    digital_labels = {True: _("Digital"), False: _("Non digital")}
    facets["bentuk"] = [(value, form_labels.get(value, value), n) for value, _x, n in facets["bentuk"]]
    facets["digital"] = [(value, digital_labels[bool(value)], n) for value, _x, n in facets["digital"]]
    page = Paginator(shared.catalogue_entries(request.region, query=query, chosen=chosen), 24).get_page(
        request.GET.get("page")
    )
    page.object_list = [shared.Entry.from_row(row) for row in page.object_list]
    context = {"page_obj": page, "facets": facets, "chosen": chosen, "query": query, "form_labels": form_labels}
    return render(request, "replication/catalogue.html", context)


def _shared(request, pk, perm="replication.view_catalogue_item"):
    """Another hosted region's published innovation as this region's catalogue shows it; 404 for
    anything else (unpublished, own region, region not hosted)."""
    entry = shared.shared_innovation(request.region, pk)
    if entry is None or not request.user.has_perm(perm, entry):
        raise Http404
    return entry


@access.roles(*STAFF_ROLES)
def shared_detail(request, pk):
    entry = _shared(request, pk)
    linked = (
        Replication.objects.filter(region=request.region, origin_innovation=entry.innovation)
        .select_related("innovation", "innovation__unit")
        .first()
    )
    context = {
        "entry": entry,
        "innovation": entry.innovation,
        "linked": linked,
        "may_adopt": linked is None and request.user.has_perm("replication.adopt_catalogue_item", entry),
    }
    return render(request, "replication/shared_detail.html", context)


@access.roles(Role.ADMIN, Role.OPERATOR, Role.INNOVATOR)
def shared_adopt(request, pk):
    """One action: a local draft and one linked replication record both regions see."""
    entry = _shared(request, pk, "replication.adopt_catalogue_item")
    units = services.adoptable_units(request.user, request.region)
    initial = {"name": entry.name, "main_affair": entry.affair, "unit": units.first() if units.count() == 1 else None}
    form = SharedAdoptForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            replication = services.shared_innovation_adopt(shared=entry, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Draf inovasi “%(name)s” dibuat dan replikasinya tercatat juga di %(region)s.")
                % {"name": replication.innovation.name, "region": replication.partner_region.name},
            )  # fmt: skip
            return redirect("innovations:detail", replication.innovation_id)
    return render(request, "replication/adopt.html", {"item": entry, "form": form, "shared": True})


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


REPLICATION_RELATIONS = (
    "innovation", "innovation__unit", "partner_region", "item", "region", "origin_innovation",
    "origin_innovation__unit",
)  # fmt: skip


@access.roles(*STAFF_ROLES)
def replication_list(request):
    """One direction as this region sees it: outbound includes the linked adoptions of its
    innovations recorded by other hosted regions (the same rows they see as inbound)."""
    direction = request.GET.get("arah", Replication.Direction.INBOUND)
    if direction not in Replication.Direction.values:
        direction = Replication.Direction.INBOUND
    records = (
        Replication.objects.visible_to(request.user, request.region)
        .of_side(request.region, direction)
        .select_related(*REPLICATION_RELATIONS)
        .prefetch_related(Prefetch("evidence", ReplicationEvidence.objects.filter(region=request.region)))
        .order_by("-created_at", "pk")
    )
    page = Paginator(records, 30).get_page(request.GET.get("page"))
    page.object_list = [record.side(request.region.pk) for record in page.object_list]
    context = {
        "page_obj": page,
        "direction": direction,
        "directions": Replication.Direction.choices,
        "reach": services.replication_reach(request.region),
    }
    return render(request, "replication/replication_list.html", context)


def _replication(request, pk, perm="replication.view_replication"):
    """A record of this region, or a linked adoption of one of its innovations (404 otherwise)."""
    queryset = Replication.objects.select_related(*REPLICATION_RELATIONS).filter(
        Q(region=request.region) | Q(partner_region=request.region, origin_innovation__isnull=False)
    )
    return get_for_user(request.user, queryset, perm, pk=pk)


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
    replication = _replication(request, pk, "replication.change_replication")
    if replication.is_linked:  # the link (who adopted what from whom) is not edited by hand
        return redirect("replication:agreement", replication.pk)
    return _replication_form(request, replication)


@access.roles(*STAFF_ROLES)
def replication_detail(request, pk):
    replication = _replication(request, pk)
    side = replication.side(request.region.pk)
    user = request.user
    mine = not side.is_origin
    context = {
        "replication": replication,
        "side": side,
        "evidence": replication.evidence.filter(region=request.region).select_related("attached_by"),
        "transitions": REPLICATION.available(user, replication) if mine else [],
        "action_url": reverse("replication:replication-transition", args=[replication.pk]),
        "events": labelled(replication.history.select_related("actor"), REPLICATION, Replication.Status),
        "may_change": mine
        and not replication.is_linked
        and user.has_perm("replication.change_replication", replication),
        "may_keep_agreement": user.has_role(Role.ADMIN, request.region)
        and user.has_perm("replication.upload_agreement", replication),
        "may_attach": (side.is_outbound or replication.is_linked)
        and user.has_role(Role.ADMIN, request.region)
        and user.has_perm("replication.attach_replication_evidence", replication),
        "year_form": EvidenceYearForm(),
    }
    return render(request, "replication/replication_detail.html", context)


@access.roles(Role.ADMIN)
def agreement(request, pk):
    """The agreement of a linked replication, kept by the admin of either region."""
    replication = _replication(request, pk, "replication.upload_agreement")
    form = AgreementForm(request.POST or None, request.FILES or None, instance=replication, upload_owner=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in AgreementForm.Meta.fields}
        try:
            services.replication_agreement_save(
                replication=Replication.objects.get(pk=replication.pk), region=request.region, actor=request.user,
                data=data, uploaded=form.cleaned_data.get("agreement"), reason=form.cleaned_data.get("reason", ""),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            messages.success(request, _("Dokumen kesepakatan disimpan; kedua pemda melihatnya."))
            return redirect("replication:replication-detail", replication.pk)
    side = replication.side(request.region.pk)
    return render(request, "replication/agreement_form.html", {"form": form, "replication": replication, "side": side})


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
                replication=replication, year=form.cleaned_data["year"], actor=request.user, region=request.region
            )
        except ValidationError as error:
            _errors(request, error)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            messages.success(request, _("Dokumen dilampirkan sebagai eviden indikator 31."))
    return redirect("replication:replication-detail", replication.pk)


@access.roles(*STAFF_ROLES)
def home(request):
    """The entry page: recent visits, the catalogue at a glance, replication reach."""
    region = request.region
    context = {
        "visits": StudyVisit.objects.visible_to(request.user, region).select_related("destination")[:5],
        "catalogue_count": shared.catalogue_entries(region).count(),
        "worth": Observation.objects.filter(visit__region=region, worth_replicating=True)
        .select_related("item", "item__source_region", "visit")
        .annotate(adopted=Exists(Replication.objects.filter(item=OuterRef("item"))))
        .order_by("-visit__start_date")[:8],
        "reach": services.replication_reach(region)[:5],
        "open_follow_ups": Action.objects.pending().filter(region=region, origin=Action.Origin.STUDY_VISIT).count(),
    }
    return render(request, "replication/home.html", context)
