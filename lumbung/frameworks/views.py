from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lumbung.core.access import access, get_for_user
from lumbung.core.audit import audit_trail
from lumbung.core.roles import Role
from lumbung.core.workflow import TransitionNotAllowed
from lumbung.innovations.models import GovernmentAffair

from . import datafile, inferences, services
from .forms import BandFormSet, BandsReasonForm, BasisForm, CopyForm, FrameworkForm, IndicatorForm
from .models import UNCONFIRMED_PARTS, BenefitBasis, Framework, Indicator, PredicateBand
from .presenters import band_ranges, constant_rows, unconfirmed_count
from .workflows import ACTION_LABELS, LIFECYCLE

READERS = (Role.ADMIN, Role.NATIONAL_ADMIN)
VIEW, CHANGE = "frameworks.view_framework", "frameworks.change_framework"


def _framework_for(request, year, perm: str = VIEW) -> Framework:
    """The year's framework if the user may read it (404 otherwise), and may `perm` it (403)."""
    framework = get_for_user(request.user, Framework.objects.select_related("copied_from"), VIEW, year=year)
    if perm != VIEW and not request.user.has_perm(perm, framework):
        raise PermissionDenied
    return framework


def _indicator_for(request, year, code) -> Indicator:
    framework = _framework_for(request, year, CHANGE)
    indicator = framework.indicators.filter(code=code).first()
    if indicator is None:
        raise Http404
    indicator.framework = framework
    return indicator


@access.roles(*READERS)
def framework_list(request):
    frameworks = Framework.objects.annotate(
        region_rows=Count("indicators", filter=Q(indicators__aspect=Indicator.Aspect.REGION)),
        innovation_rows=Count("indicators", filter=Q(indicators__aspect=Indicator.Aspect.INNOVATION)),
    ).order_by("-year")
    unconfirmed = unconfirmed_count(
        Indicator.objects.values_list("framework_id", "unconfirmed"),
        BenefitBasis.objects.values_list("indicator__framework_id", "unconfirmed"),
    )
    for framework in frameworks:
        framework.unconfirmed_total = len(framework.unconfirmed) + unconfirmed.get(framework.pk, 0)
    return render(request, "frameworks/framework_list.html", {"frameworks": frameworks})


@access.roles(*READERS)
def framework_detail(request, year):
    framework = _framework_for(request, year)
    rows = list(
        framework.indicators.order_by("order", "pk").prefetch_related(
            Prefetch("bases", queryset=BenefitBasis.objects.order_by("order"))
        )
    )
    bands = list(framework.bands.order_by("-min_iid"))
    events = list(framework.events.select_related("actor"))
    for event in events:
        event.action_label = ACTION_LABELS.get(event.action, event.action)
        event.from_label = Framework.Status(event.from_state).label if event.from_state else ""
        event.to_label = Framework.Status(event.to_state).label
    affairs = dict(
        GovernmentAffair.objects.filter(code__in=framework.basic_service_affairs).values_list("code", "name")
    )
    context = {
        "framework": framework,
        "region_rows": [row for row in rows if row.aspect == Indicator.Aspect.REGION],
        "innovation_rows": [row for row in rows if row.aspect == Indicator.Aspect.INNOVATION],
        "constants": constant_rows(framework, rows, affairs),
        "bands": band_ranges(bands),
        "events": events,
        "problems": services.framework_problems(framework),
        "unconfirmed_total": unconfirmed_count(
            [(framework.pk, row.unconfirmed) for row in rows],
            [(framework.pk, basis.unconfirmed) for row in rows for basis in row.bases.all()],
        ).get(framework.pk, 0)
        + len(framework.unconfirmed),
        "transitions": LIFECYCLE.available(request.user, framework),
        "transition_url": reverse("frameworks:transition", args=[framework.year]),
        "can_change": request.user.has_perm(CHANGE, framework),
        "can_copy": request.user.has_perm("frameworks.copy_framework", framework),
        "checked_on": _source_date(framework),
        # The research notes behind the numbers ("[REPO] ... [INF]"), the sources and the project's
        # own readings are for the national admin; others see the wording and one mark.
        "show_notes": request.user.is_national_admin,
        "readings": inferences.readings(framework.inferences),
    }
    return render(request, "frameworks/framework_detail.html", context)


def _source_date(framework):
    """The data file writes the check date as ISO text; the page shows it as a date (or not at all)."""
    try:
        return parse_date(str(framework.source.get("checked_on") or ""))
    except ValueError:
        return None


@access.roles(*READERS)
def framework_download(request, year):
    framework = _framework_for(request, year)
    response = HttpResponse(datafile.dumps(datafile.export(framework)), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="metodologi-{framework.year}.json"'
    return response


# The keys of Framework.source and the parent links the models leave unnamed, as the history names them.
HISTORY_LABELS = {
    "summary": gettext_lazy("ringkasan"),
    "checked_on": gettext_lazy("diperiksa pada"),
    "reference": gettext_lazy("rujukan"),
    "documents": gettext_lazy("dokumen"),
    "framework": gettext_lazy("metodologi"),
    "indicator": gettext_lazy("indikator"),
    "order": gettext_lazy("urutan"),
}


@access.roles(*READERS)
def framework_history(request, year):
    framework = _framework_for(request, year)
    indicator_ids = list(framework.indicators.values_list("pk", flat=True))
    entries = audit_trail(
        framework.history.all(),
        PredicateBand.history.filter(framework_id=framework.pk),
        Indicator.history.filter(framework_id=framework.pk),
        BenefitBasis.history.filter(indicator_id__in=indicator_ids),
        key_labels={**UNCONFIRMED_PARTS, **HISTORY_LABELS},
    )
    return render(request, "frameworks/framework_history.html", {"framework": framework, "entries": entries})


@access.roles(Role.NATIONAL_ADMIN)
def framework_copy(request, year):
    source = _framework_for(request, year, "frameworks.copy_framework")
    initial = {"year": source.year + 1, "title": _("Indeks Inovasi Daerah %(year)s") % {"year": source.year + 1}}
    form = CopyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.framework_copy(source=source, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("year", error)
        else:
            messages.success(
                request, _("Metodologi %(year)s dibuat sebagai draf. Cocokkan setiap nilai dengan pedoman baru.")
                % {"year": copy.year}
            )  # fmt: skip
            return redirect("frameworks:detail", copy.year)
    return render(request, "frameworks/framework_copy.html", {"framework": source, "form": form})


def _save_edit(request, form, save, next_url):
    """Validate, call the service, and go back; a refusal of the service shows on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Perubahan disimpan dan dicatat dalam riwayat."))
            return redirect(next_url)
    return None


@access.roles(Role.NATIONAL_ADMIN)
def framework_edit(request, year):
    framework = _framework_for(request, year, CHANGE)
    form = FrameworkForm(request.POST or None, instance=framework)

    def save():
        services.framework_update(
            framework=Framework.objects.get(pk=framework.pk),
            actor=request.user,
            values=form.values(),
            reason=form.cleaned_data["reason"],
        )

    done = _save_edit(request, form, save, reverse("frameworks:detail", args=[framework.year]))
    context = {"framework": framework, "form": form, "title": _("Ubah konstanta dan keterangan")}
    return done or render(request, "frameworks/framework_form.html", context)


@access.roles(Role.NATIONAL_ADMIN)
def indicator_edit(request, year, code):
    indicator = _indicator_for(request, year, code)
    form = IndicatorForm(request.POST or None, instance=indicator)

    def save():
        fresh = Indicator.objects.select_related("framework").get(pk=indicator.pk)
        services.indicator_update(
            indicator=fresh, actor=request.user, values=form.values(), reason=form.cleaned_data["reason"]
        )

    next_url = reverse("frameworks:detail", args=[year]) + f"#baris-{indicator.code}"
    done = _save_edit(request, form, save, next_url)
    context = {"framework": indicator.framework, "indicator": indicator, "form": form}
    return done or render(request, "frameworks/indicator_form.html", context)


@access.roles(Role.NATIONAL_ADMIN)
def basis_edit(request, year, code, basis):
    indicator = _indicator_for(request, year, code)
    found = indicator.bases.filter(code=basis).first()
    if found is None:
        raise Http404
    found.indicator = indicator
    form = BasisForm(request.POST or None, instance=found)

    def save():
        fresh = BenefitBasis.objects.select_related("indicator__framework").get(pk=found.pk)
        services.basis_update(basis=fresh, actor=request.user, values=form.values(), reason=form.cleaned_data["reason"])

    next_url = reverse("frameworks:detail", args=[year]) + f"#baris-{indicator.code}"
    done = _save_edit(request, form, save, next_url)
    context = {"framework": indicator.framework, "indicator": indicator, "basis": found, "form": form}
    return done or render(request, "frameworks/indicator_form.html", context)


@access.roles(Role.NATIONAL_ADMIN)
def bands_edit(request, year):
    framework = _framework_for(request, year, CHANGE)
    initial = [{"name": band.name, "min_iid": band.min_iid} for band in framework.bands.order_by("-min_iid")]
    formset = BandFormSet(request.POST or None, initial=initial, prefix="predikat")
    form = BandsReasonForm(request.POST or None, framework=framework)
    if request.method == "POST" and formset.is_valid() and form.is_valid():
        try:
            services.bands_update(
                framework=Framework.objects.get(pk=framework.pk),
                actor=request.user,
                bands=formset.bands(),
                reason=form.cleaned_data["reason"],
                unconfirmed=form.cleaned_data["unconfirmed"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Perubahan disimpan dan dicatat dalam riwayat."))
            return redirect("frameworks:detail", framework.year)
    return render(request, "frameworks/bands_form.html", {"framework": framework, "formset": formset, "form": form})


@require_POST
@access.roles(Role.NATIONAL_ADMIN)
def framework_transition(request, year):
    framework = _framework_for(request, year)
    try:
        services.framework_transition(
            framework=framework,
            action=request.POST.get("action", ""),
            actor=request.user,
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, _("Tidak dapat dilakukan: %(problems)s") % {"problems": " ".join(error.messages)})
    except TransitionNotAllowed:
        messages.error(request, _("Tindakan ini tidak tersedia untuk status metodologi saat ini."))
    else:
        messages.success(request, _("Status metodologi diperbarui."))
    return redirect("frameworks:detail", framework.year)
