from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import i18n
from django.views.decorators.http import require_POST

from .access import access
from .files import private_file_response
from .forms import SafeFileField
from .imports import (
    EXAMPLE_MARK,
    import_confirm,
    import_is_stalled,
    import_resume,
    import_start,
    importer_for,
    rows_remaining,
)
from .imports import import_cancel as import_cancel_service
from .models import ImportBatch, ImportRow, Job
from .nav import landing_context, panels_for
from .roles import STAFF_ROLES, Role
from .spreadsheets import xlsx_response


@access.public
def landing(request):
    """The public front door: hosted regions and their showcases."""
    if request.user.is_authenticated:
        return redirect("core:home")
    return render(request, "core/landing.html", landing_context(request))


@access.authenticated
def home(request):
    """The signed-in home page: panels chosen by the user's roles in the active region."""
    user, region = request.user, request.region
    context = {
        "panels": panels_for(request),
        "user_roles": [Role(role).label for role in sorted(user.roles_in(region))] if region else [],
        "switchable_regions": user.regions() if not user.is_national_admin else [None, None],
    }
    return render(request, "core/home.html", context)


@access.public
def bare(request):
    """The least a page can cost on this server (mounted only for `make loadtest`, core/urls.py)."""
    return HttpResponse("ok", content_type="text/plain")


def _job_for_user(request, job_id) -> Job:
    job = Job.objects.filter(pk=job_id).select_related("region").first()
    if job is None:
        raise Http404
    if job.owner_id == request.user.pk:
        return job
    if job.region_id and request.user.has_role(Role.ADMIN, job.region_id):
        return job
    raise Http404


@access.authenticated
def job_detail(request, job_id):
    job = _job_for_user(request, job_id)
    template = "core/_job_status.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})


@access.authenticated
def job_download(request, job_id):
    job = _job_for_user(request, job_id)
    if not job.result_file:
        raise Http404
    return private_file_response(job.result_file, job.result_name or "hasil")


class ImportUploadForm(forms.Form):
    file = SafeFileField(kinds=("excel",), label=gettext_lazy("Berkas Excel (.xlsx)"))

    def __init__(self, *args, kinds: tuple[str, ...] = ("excel",), **kwargs):
        super().__init__(*args, **kwargs)
        if "csv" in kinds:
            self.fields["file"] = SafeFileField(kinds=kinds, label=gettext_lazy("Berkas Excel (.xlsx) atau CSV"))


def _importer_or_404(kind):
    importer = importer_for(kind)
    if importer is None:
        raise Http404
    return importer


@access.roles(*STAFF_ROLES)
def import_upload(request, kind):
    importer = _importer_or_404(kind)
    if not importer.may_import(request.user, request.region):
        raise PermissionDenied
    form = ImportUploadForm(request.POST or None, request.FILES or None, kinds=importer.file_kinds)
    if request.method == "POST" and form.is_valid():
        try:
            batch = import_start(
                kind=kind, region=request.region, actor=request.user, uploaded=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("core:import-detail", batch.pk)
    recent = ImportBatch.objects.filter(region=request.region, kind=kind).select_related("created_by")[:10]
    return render(request, "core/import_upload.html", {"form": form, "importer": importer, "recent": recent})


def _batch_for_user(request, batch_id) -> ImportBatch:
    batch = get_object_or_404(ImportBatch, pk=batch_id, region=request.region)
    importer = _importer_or_404(batch.kind)
    if not importer.may_import(request.user, batch.region):
        raise Http404
    return batch


# Rows per page of an import preview: a 20,000-row file stays a light page.
PREVIEW_PAGE_ROWS = 100


# The preview's filters: ?tampil=galat shows the problem rows, ?tampil=perhatian also the rows
# with a warning or a change to a record on file.
PREVIEW_FILTERS = {"galat": [ImportRow.Rank.ERROR], "perhatian": [ImportRow.Rank.ERROR, ImportRow.Rank.ATTENTION]}


@access.roles(*STAFF_ROLES)
def import_detail(request, batch_id):
    batch = _batch_for_user(request, batch_id)
    importer = importer_for(batch.kind)
    show = request.GET.get("tampil", "semua")
    # Problem rows first (they are what the admin must act on), then those to look at, then the
    # rest in file order; only the page's rows are read.
    rows = ImportRow.objects.filter(batch=batch).order_by("rank", "index").defer("cleaned")
    if show in PREVIEW_FILTERS:
        rows = rows.filter(rank__in=PREVIEW_FILTERS[show])
    page = Paginator(rows, PREVIEW_PAGE_ROWS).get_page(request.GET.get("page"))
    stalled = import_is_stalled(batch)
    context = {
        "batch": batch,
        "importer": importer,
        "job": batch.job,
        "rows": page.object_list,
        "page_obj": page,
        "show": show,
        "stalled": stalled,
        "remaining": rows_remaining(batch) if stalled or batch.status == ImportBatch.Status.STOPPED else 0,
    }
    return render(request, "core/import_detail.html", context)


@require_POST
@access.roles(*STAFF_ROLES)
def import_confirm_view(request, batch_id):
    batch = _batch_for_user(request, batch_id)
    importer = importer_for(batch.kind)
    chosen = ["apply_changes", *(key for key, _label in importer.warning_choices)]
    options = {key: request.POST.get(key) == "1" for key in chosen}
    try:
        import_confirm(batch=batch, mode=request.POST.get("mode", ""), actor=request.user, options=options)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("core:import-detail", batch.pk)


@require_POST
@access.roles(*STAFF_ROLES)
def import_resume_view(request, batch_id):
    batch = _batch_for_user(request, batch_id)
    try:
        import_resume(batch=batch, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("core:import-detail", batch.pk)


@require_POST
@access.roles(*STAFF_ROLES)
def import_cancel(request, batch_id):
    batch = _batch_for_user(request, batch_id)
    try:
        messages.info(request, import_cancel_service(batch=batch))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("core:import-detail", batch.pk)
    return redirect("core:import-upload", batch.kind)


@access.roles(*STAFF_ROLES)
def import_template(request, kind):
    importer = _importer_or_404(kind)
    if not importer.may_import(request.user, request.region):
        raise PermissionDenied
    headers = [column.label for column in importer.columns]
    example = importer(request.region, request.user).example_row()
    note = _(
        "Baris 2 di lembar pertama, yang diawali %(mark)s, adalah contoh. Boleh ditimpa atau dihapus; bila "
        "dibiarkan, baris itu dikenali sebagai contoh dan tidak diimpor."
    ) % {"mark": EXAMPLE_MARK}
    sheets = [(str(importer.label)[:31], headers, [example]), (_("Petunjuk"), [_("Petunjuk")], [[note]])]
    return xlsx_response(f"templat-{kind}.xlsx", sheets)


@access.public
def robots(request):
    # The showcase and the public guides of the knowledge base are meant to be found.
    return HttpResponse(
        "User-agent: *\nDisallow: /\nAllow: /publik/\nAllow: /pengetahuan/\n", content_type="text/plain"
    )


@require_POST
@access.public
def set_language(request):
    """Switch the interface language; a signed-in user's choice is also kept on the account."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES) and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response
