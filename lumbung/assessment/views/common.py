"""Fetching assessment objects for a user (404 for "missing" and "not yours" alike) and the
pieces every assessment page shows."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from lumbung.actions.models import Action
from lumbung.core.access import get_for_user
from lumbung.core.roles import Role
from lumbung.core.workflow import TransitionNotAllowed

from ..models import Answer, Assessment, Document, Entry, RegionAnswer

# Everyone who works with assessments: views narrow further by object rules.
WORKING_ROLES = (Role.ADMIN, Role.VERIFIER, Role.LEADER, Role.OPERATOR, Role.INNOVATOR)
READING_ROLES = (Role.ADMIN, Role.VERIFIER, Role.LEADER, Role.OPERATOR)
ROW_MODELS = {"spd": RegionAnswer, "inovasi": Answer}


def get_assessment(request, pk: int, perm: str = "assessment.view_assessment") -> Assessment:
    queryset = Assessment.objects.select_related("framework", "region")
    return get_for_user(request.user, queryset.filter(region=request.region), perm, pk=pk)


def get_entry(request, pk: int, perm: str = "assessment.view_entry") -> Entry:
    queryset = Entry.objects.filter(assessment__region=request.region).select_related(
        "assessment__framework", "assessment__region", "innovation__unit", "innovation__main_affair"
    )
    return get_for_user(request.user, queryset.prefetch_related("innovation__team"), perm, pk=pk)


def get_row(request, scope: str, pk: int, perm: str = "assessment.view_row"):
    model = ROW_MODELS.get(scope)
    if model is None:
        raise Http404
    if model is Answer:
        queryset = (
            Answer.objects.filter(entry__assessment__region=request.region)
            .select_related(
                "indicator", "basis", "entry__assessment__framework", "entry__innovation__unit", "verified_by"
            )
            .prefetch_related("entry__innovation__team", "indicator__bases")
        )
    else:
        queryset = RegionAnswer.objects.filter(assessment__region=request.region).select_related(
            "indicator", "assessment__framework", "verified_by", "unit"
        )
    return get_for_user(request.user, queryset, perm, pk=pk)


def get_document(request, pk: int, perm: str = "assessment.view_document") -> Document:
    queryset = Document.objects.filter(region=request.region).select_related("uploaded_by", "replaces", "replaced_by")
    return get_for_user(request.user, queryset, perm, pk=pk)


def get_action(request, pk: int, perm: str = "actions.view_action") -> Action:
    queryset = Action.objects.filter(region=request.region, assessment__isnull=False).select_related(
        "assessment", "unit", "innovation"
    )
    return get_for_user(request.user, queryset, perm, pk=pk)


def row_queryset_for_entry(entry: Entry):
    from ..models import EvidenceLink

    links = EvidenceLink.objects.select_related("document")
    return entry.answers.select_related("indicator").prefetch_related(Prefetch("evidence_links", queryset=links))


def document_fields(form) -> dict:
    """The document_store arguments from a valid DocumentForm."""
    data = form.cleaned_data
    names = ("title", "year", "number", "issued_on", "subject")
    return {**{name: data[name] for name in names}, "file": data.get("file"), "link": data.get("link", "")}


def announce_stored(request, document: Document, message: str) -> None:
    if document.reused:
        messages.info(
            request,
            _("Berkas yang sama sudah ada di pustaka sebagai “%(title)s”; dokumen itu yang dipakai.")
            % {"title": document.title},
        )
    else:
        messages.success(request, message)


def report(request, error: Exception) -> None:
    """Turn a refused change into a message in Indonesian instead of an error page."""
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    elif isinstance(error, TransitionNotAllowed):
        messages.error(request, _("Data ini baru saja diubah orang lain; muat ulang halaman dan coba lagi."))
    elif isinstance(error, PermissionDenied):
        messages.error(request, _("Anda tidak berwenang melakukan tindakan ini."))
    else:  # pragma: no cover - callers pass only the three kinds above
        raise error
