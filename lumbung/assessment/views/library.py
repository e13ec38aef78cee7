"""The region's evidence library: upload once, attach to many rows at once, replace with a new
version, download through a permission check."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from lumbung.core.access import access
from lumbung.core.files import private_file_response
from lumbung.core.roles import Role
from lumbung.core.text import parse_id

from .. import evidence
from ..forms import DocumentForm, ReplaceForm
from ..models import Answer, Document, Entry, EvidenceLink, RegionAnswer, managed_innovations_q
from .common import (
    READING_ROLES,
    WORKING_ROLES,
    announce_stored,
    document_fields,
    get_assessment,
    get_document,
    report,
)


def _documents(request):
    documents = (
        Document.objects.visible_to(request.user, request.region)
        .current()
        .select_related("uploaded_by")
        .annotate(use_count=Count("links"))
    )
    query = request.GET.get("q", "").strip()
    if query:
        documents = documents.filter(
            Q(title__icontains=query) | Q(number__icontains=query) | Q(subject__icontains=query)
        )
    if year := parse_id(request.GET.get("tahun")):
        documents = documents.filter(year=year)
    if request.GET.get("jenis") in Document.Kind.values:
        documents = documents.filter(kind=request.GET["jenis"])
    return documents.order_by("-uploaded_at", "-id")


@access.roles(*WORKING_ROLES)
def library(request, pk):
    assessment = _library_assessment(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None, upload_owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            document = evidence.document_store(region=request.region, actor=request.user, **document_fields(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            announce_stored(request, document, _("Dokumen “%(title)s” masuk pustaka.") % {"title": document.title})
            return redirect("assessment:library", assessment.pk)
    page = Paginator(_documents(request), 30).get_page(request.GET.get("page"))
    context = {
        "assessment": assessment, "form": form, "page_obj": page, "kinds": Document.Kind.choices,
        "query": request.GET.get("q", ""), "tab": "library",
        "years": Document.objects.filter(region=request.region).order_by("-year").values_list("year", flat=True).distinct(),
    }  # fmt: skip
    return render(request, "assessment/library.html", context, status=400 if form.errors else 200)


def _library_assessment(request, pk):
    """Staff reach any year's library; innovators one in which an innovation of theirs is entered."""
    if request.user.has_any_role(READING_ROLES, request.region):
        return get_assessment(request, pk)
    entries = Entry.objects.visible_to(request.user, request.region).filter(assessment_id=pk)
    entry = entries.select_related("assessment__framework", "assessment__region").first()
    if entry is None:
        raise Http404
    return entry.assessment


def editable_rows(user, assessment):
    """(innovation rows, SPD rows) of the assessment the user may attach evidence to."""
    if not assessment.is_open:
        return Answer.objects.none(), RegionAnswer.objects.none()
    answers = Answer.objects.filter(entry__assessment=assessment).select_related(
        "indicator", "entry__innovation__unit", "entry__assessment"
    )
    spd = RegionAnswer.objects.filter(assessment=assessment).select_related("indicator", "assessment")
    if user.has_role(Role.ADMIN, assessment.region_id):
        return answers, spd
    managed = Entry.objects.filter(assessment=assessment).filter(managed_innovations_q(user, assessment.region_id))
    return answers.filter(entry__in=managed.values("pk")), spd.operated_by(user, assessment.region_id)


def _chosen_documents(request, data):
    ids = [pk for value in data.getlist("documents") if (pk := parse_id(value))]
    return list(
        Document.objects.visible_to(request.user, request.region).filter(pk__in=ids).select_related("replaced_by")
    )


@access.roles(*WORKING_ROLES)
def bulk_attach(request, pk):
    """Choose rows for the documents ticked in the library (GET, an htmx panel) and attach them
    all at once (POST)."""
    assessment = _library_assessment(request, pk)
    data = request.POST if request.method == "POST" else request.GET
    documents = _chosen_documents(request, data)
    answers, spd = editable_rows(request.user, assessment)
    code = data.get("indikator", "")
    if code:
        answers, spd = answers.filter(indicator__code=code), spd.filter(indicator__code=code)
    if request.method == "POST":
        chosen = {scope: [] for scope in ("inovasi", "spd")}
        for value in data.getlist("rows"):
            scope, _sep, pk = value.partition("-")
            if scope in chosen and parse_id(pk):
                chosen[scope].append(parse_id(pk))
        rows = [*answers.filter(pk__in=chosen["inovasi"]), *spd.filter(pk__in=chosen["spd"])]
        try:
            created = evidence.evidence_link_many(documents=documents, rows=rows, actor=request.user)
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(
                request,
                _("%(docs)s dokumen dilampirkan ke %(rows)s baris (%(new)s lampiran baru).")
                % {"docs": len(documents), "rows": len(rows), "new": created},
            )
            url = reverse("assessment:library", args=[assessment.pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    context = {
        "assessment": assessment,
        "documents": documents,
        "groups": _grouped(answers, spd, documents),
        "indicators": assessment.framework.indicators.order_by("order"),
        "code": code,
        "tab": "library",
    }
    template = "assessment/_attach_panel.html" if request.htmx else "assessment/bulk_attach.html"
    return render(request, template, context)


def _grouped(answers, spd, documents):
    """Rows grouped under their innovation, each with the reason it cannot take the documents."""
    groups: dict[str, list] = {}
    for row in [*spd, *answers]:
        problems = [evidence.evidence_problem(document=document, row=row) for document in documents]
        row.problem = next((problem for problem in problems if problem), None)
        title = row.entry.innovation.name if isinstance(row, Answer) else _("Indikator SPD (pemda)")
        groups.setdefault(title, []).append(row)
    return groups


@access.roles(*WORKING_ROLES)
def document_detail(request, pk):
    document = get_document(request, pk)
    uses = (
        EvidenceLink.objects.filter(document=document)
        .select_related(
            "answer__indicator", "answer__entry__innovation", "answer__entry__assessment",
            "region_answer__indicator", "region_answer__assessment", "attached_by",
        )
        .order_by("attached_at")
    )  # fmt: skip
    versions = []
    older = document.replaces
    while older is not None:
        versions.append(older)
        older = older.replaces
    can_change = request.user.has_perm("assessment.change_document", document)
    context = {
        "document": document, "uses": uses, "versions": versions, "newer": _newer(document),
        "form": ReplaceForm(upload_owner=request.user) if can_change and document.is_current else None,
    }  # fmt: skip
    return render(request, "assessment/document_detail.html", context)


def _newer(document):
    try:
        return document.replaced_by
    except Document.DoesNotExist:
        return None


@access.roles(*WORKING_ROLES)
def document_download(request, pk):
    document = get_document(request, pk)
    if not document.file:
        raise Http404
    return private_file_response(document.file, document.original_name or "eviden")


@require_POST
@access.roles(*WORKING_ROLES)
def document_replace(request, pk):
    document = get_document(request, pk, "assessment.change_document")
    form = ReplaceForm(request.POST, request.FILES, upload_owner=request.user)
    if form.is_valid():
        try:
            new = evidence.document_replace(
                document=document,
                actor=request.user,
                file=form.cleaned_data.get("file"),
                link=form.cleaned_data.get("link", ""),
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Versi baru disimpan; baris yang belum dinyatakan sesuai memakai versi ini."))
            return redirect("assessment:document-detail", new.pk)
    context = {"document": document, "uses": [], "versions": [], "newer": None, "form": form}
    return render(request, "assessment/document_detail.html", context, status=400)
