"""The /api/v1/ endpoints. Reads use the same QuerySet methods (`visible_to`) and `rules`
permissions as the web lists and pages; writes go through the same forms and services as the
web views, so the validation, the workflow and the audit trail are theirs."""

from __future__ import annotations

from types import SimpleNamespace

from django.db.models import Q
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from lumbung.assessment import evidence as assessment_evidence
from lumbung.assessment import services as assessment_services
from lumbung.assessment.forms import AnswerForm, row_document_form
from lumbung.assessment.models import Answer, Assessment, Document, RegionAnswer
from lumbung.assessment.views.common import WORKING_ROLES, document_fields, get_row
from lumbung.core.access import get_for_user
from lumbung.innovations import services as innovation_services
from lumbung.innovations.compliance import programme_compliance
from lumbung.innovations.forms import InnovationFilterForm, InnovationForm
from lumbung.innovations.models import Innovation, Programme
from lumbung.innovations.views import CREATOR_ROLES, _units_for, filtered_innovations
from lumbung.organisation.models import Region, Unit

from . import inputs
from . import serializers as out
from .base import ApiView, Cursor, errors

REGION = OpenApiParameter("region_code", str, OpenApiParameter.PATH, description="Kode Kemendagri, mis. 18.04")


def _shape(serializer_class, data, partial=False):
    """Check the JSON types only; the form after it checks the rules."""
    shape = serializer_class(data=data, partial=partial)
    shape.is_valid(raise_exception=True)
    return shape


def _form_invalid(form):
    """A web form's errors as the API's error (400)."""
    from django.core.exceptions import ValidationError

    return ValidationError({name: list(messages) for name, messages in form.errors.items()})


def paginated(serializer_class):
    """The schema of a cursor page of `serializer_class` items."""
    return inline_serializer(
        name=f"{serializer_class.__name__.removesuffix('Serializer')}Page",
        fields={
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )


def _page(view, request, queryset, serializer_class, **context):
    paginator = Cursor()
    page = paginator.paginate_queryset(queryset, request, view=view)
    data = serializer_class(page, many=True, context={"viewer": view.viewer, **context}).data
    return paginator.get_paginated_response(data)


# Regions ---------------------------------------------------------------------------------------


class RegionList(ApiView):
    public_read = True

    @extend_schema(responses={200: out.RegionSerializer(many=True), **errors()}, tags=["pemda"])
    def get(self, request):
        """Pemda yang memakai aplikasi ini (kode, nama, etalase publik, DCAT)."""
        regions = Region.objects.filter(is_hosted=True).select_related("province").order_by("code")
        return Response(out.RegionSerializer(regions, many=True).data)


class RegionDetail(ApiView):
    public_read = True

    @extend_schema(parameters=[REGION], responses={200: out.RegionSerializer, **errors()}, tags=["pemda"])
    def get(self, request, region_code):
        return Response(out.RegionSerializer(self.region).data)


class UnitList(ApiView):
    @extend_schema(parameters=[REGION], responses={200: paginated(out.UnitSerializer), **errors(403)}, tags=["pemda"])
    def get(self, request, region_code):
        """Perangkat daerah yang boleh dibaca (semua bagi staf pemda; unitnya sendiri bagi operator)."""
        units = Unit.objects.visible_to(self.viewer, self.region)
        return _page(self, request, units, out.UnitSerializer)


# Innovations -----------------------------------------------------------------------------------

INNOVATION_FILTERS = [
    OpenApiParameter(name, str, description=description)
    for name, description in (
        ("q", "Cari pada nama dan uraian"),
        ("unit", "Nomor perangkat daerah (beserta unit di bawahnya)"),
        ("stage", "initiative, trial, implementation"),
        ("form", "governance, public_service, other_affairs"),
        ("status", "Status tinjauan (staf)"),
        ("year", "Tahun didaftarkan"),
        ("affair", "Nomor urusan"),
        ("digital", "1 atau 0"),
        ("running", "1 atau 0 (staf)"),
        ("programme", "Nomor program kuota (staf)"),
    )
]


def _innovations(region):
    return (
        Innovation.objects.filter(region=region)
        .select_related("unit", "region", "theme", "main_affair", "replicates")
        .prefetch_related("related_affairs", "team", "attachments")
    )


class InnovationList(ApiView):
    public_read = True
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="regions_innovations_list",
        parameters=[REGION, *INNOVATION_FILTERS],
        responses={200: paginated(out.InnovationSerializer), **errors(400, 403)},
        tags=["inovasi"],
    )
    def get(self, request, region_code):
        """Inovasi yang boleh dibaca: yang terbit bagi siapa saja; selebihnya menurut peran (sama
        dengan daftar di aplikasi), dengan filter yang sama."""
        public = not self.viewer.is_authenticated
        form = InnovationFilterForm(request.query_params or None, region=self.region, public=public)
        if form.is_bound and not form.is_valid():
            raise _form_invalid(form)
        visible = Innovation.objects.visible_to(self.viewer, self.region).values("pk")
        queryset = filtered_innovations(_innovations(self.region).filter(pk__in=visible), form)
        return _page(self, request, queryset, out.InnovationSerializer)

    @extend_schema(
        parameters=[REGION],
        request=inputs.InnovationInput,
        responses={201: out.InnovationSerializer, **errors(400, 403)},
        tags=["inovasi"],
    )
    def post(self, request, region_code):
        """Daftarkan inovasi baru sebagai draf (formulir dan layanan yang sama dengan halaman
        “Inovasi baru”)."""
        if not self.viewer.has_any_role(CREATOR_ROLES, self.region):
            raise exceptions.PermissionDenied()
        _shape(inputs.InnovationInput, request.data)
        units = _units_for(self.viewer, self.region)
        form = InnovationForm(_form_data(request.data), region=self.region, units=units)
        if not form.is_valid():
            raise _form_invalid(form)
        innovation = self.perform_write(
            innovation_services.innovation_create,
            region=self.region, actor=self.viewer, data=form.profile_data(),
            related_affairs=form.cleaned_data["related_affairs"],
        )  # fmt: skip
        innovation = _innovations(self.region).get(pk=innovation.pk)
        data = out.InnovationSerializer(innovation, context={"viewer": self.viewer}).data
        return Response(data, status=status.HTTP_201_CREATED)


def _form_data(data, base: dict | None = None) -> dict:
    """The JSON body as form data, over the record's current values for a partial update."""
    merged = dict(base or {})
    for key, value in data.items():
        merged[key] = "" if value is None else value
    if isinstance(merged.get("related_affairs"), list | tuple):
        merged["related_affairs"] = [str(v) for v in merged["related_affairs"]]
    return merged


def _current_values(innovation) -> dict:
    names = [*innovation_services.PROFILE_FIELDS, "related_affairs"]
    values = model_to_dict(innovation, fields=names)
    values["related_affairs"] = [str(affair.pk) for affair in innovation.related_affairs.all()]
    return {key: "" if value is None else value for key, value in values.items()}


class InnovationDetail(ApiView):
    public_read = True
    parser_classes = [JSONParser]

    def _get(self, pk, perm="innovations.view_innovation"):
        return get_for_user(self.viewer, _innovations(self.region), perm, pk=pk)

    @extend_schema(parameters=[REGION], responses={200: out.InnovationSerializer, **errors()}, tags=["inovasi"])
    def get(self, request, region_code, pk: int):
        """Satu inovasi; bagian `internal` hanya bagi yang mengerjakan atau memeriksanya."""
        innovation = self._get(pk)
        return Response(out.InnovationSerializer(innovation, context={"viewer": self.viewer}).data)

    @extend_schema(
        parameters=[REGION],
        request=inputs.InnovationInput,
        responses={200: out.InnovationSerializer, **errors(400, 403)},
        tags=["inovasi"],
    )
    def patch(self, request, region_code, pk: int):
        """Ubah draf (atau inovasi yang dikembalikan); hanya bagian yang dikirim yang berubah."""
        if not self.viewer.has_any_role(CREATOR_ROLES, self.region):
            raise exceptions.PermissionDenied()
        innovation = self._get(pk, "innovations.change_innovation")
        _shape(inputs.InnovationInput, request.data, partial=True)
        units = _units_for(self.viewer, self.region, current=innovation.unit)
        data = _form_data(request.data, _current_values(innovation))
        form = InnovationForm(data, instance=innovation, region=self.region, units=units)
        if not form.is_valid():
            raise _form_invalid(form)
        self.perform_write(
            innovation_services.innovation_update,
            innovation=innovation, actor=self.viewer, data=form.profile_data(),
            related_affairs=form.cleaned_data["related_affairs"],
        )  # fmt: skip
        innovation = _innovations(self.region).get(pk=innovation.pk)
        return Response(out.InnovationSerializer(innovation, context={"viewer": self.viewer}).data)


# Programmes ------------------------------------------------------------------------------------


def _programmes(viewer, region):
    programmes = Programme.objects.filter(region=region).order_by("-year", "name", "pk")
    return [p for p in programmes if viewer.has_perm("innovations.view_programme", p)]


class ProgrammeList(ApiView):
    @extend_schema(
        parameters=[REGION], responses={200: out.ProgrammeSerializer(many=True), **errors(403)}, tags=["program"]
    )
    def get(self, request, region_code):
        """Program kuota inovasi (SOSIS, PM Indah) bagi admin, verifikator dan pimpinan."""
        return Response(out.ProgrammeSerializer(_programmes(self.viewer, self.region), many=True).data)


class ProgrammeCompliance(ApiView):
    @extend_schema(parameters=[REGION], responses={200: out.ComplianceSerializer, **errors(403)}, tags=["program"])
    def get(self, request, region_code, pk: int):
        """Kepatuhan program per hari ini: setiap perangkat daerah atau pejabat sasaran."""
        programme = get_for_user(
            self.viewer, Programme.objects.filter(region=self.region), "innovations.view_programme", pk=pk
        )
        return Response(out.ComplianceSerializer(programme_compliance(programme, with_trend=False)).data)


# Assessments, rows and evidence ------------------------------------------------------------------


def _scope(view):
    """What get_row and friends read from a request: the viewer and the region."""
    return SimpleNamespace(user=view.viewer, region=view.region)


class AssessmentList(ApiView):
    @extend_schema(
        parameters=[REGION], responses={200: out.AssessmentSerializer(many=True), **errors(403)}, tags=["penilaian"]
    )
    def get(self, request, region_code):
        """Penilaian IGA per tahun dengan IID klaim dan terverifikasi."""
        assessments = Assessment.objects.filter(region=self.region).select_related("framework", "region")
        visible = [a for a in assessments if self.viewer.has_perm("assessment.view_assessment", a)]
        return Response(out.AssessmentSerializer(visible, many=True).data)


class AssessmentDetail(ApiView):
    @extend_schema(parameters=[REGION], responses={200: out.AssessmentSerializer, **errors(403)}, tags=["penilaian"])
    def get(self, request, region_code, pk: int):
        queryset = Assessment.objects.filter(region=self.region).select_related("framework", "region")
        assessment = get_for_user(self.viewer, queryset, "assessment.view_assessment", pk=pk)
        return Response(out.AssessmentSerializer(assessment).data)


ROW_FILTERS = [
    OpenApiParameter("scope", str, enum=["inovasi", "spd"]),
    OpenApiParameter("status", str, enum=["missing", "claimed", "accepted", "rejected", "resubmitted"]),
    OpenApiParameter("innovation", int),
    OpenApiParameter("indicator", str, description="Kode indikator"),
]


def _row_querysets(assessment):
    from django.db.models import Prefetch

    from lumbung.assessment.models import EvidenceLink

    links = Prefetch("evidence_links", queryset=EvidenceLink.objects.select_related("document").order_by("id"))
    answers = (
        Answer.objects.filter(entry__assessment=assessment)
        .select_related("indicator", "entry__assessment", "entry__innovation__unit")
        .prefetch_related("entry__innovation__team", links)
        .order_by("entry__innovation__name", "indicator__order", "pk")
    )
    spd = (
        RegionAnswer.objects.filter(assessment=assessment)
        .select_related("indicator", "assessment", "unit")
        .prefetch_related(links)
        .order_by("indicator__order", "pk")
    )
    return answers, spd


class AssessmentRows(ApiView):
    @extend_schema(
        parameters=[REGION, *ROW_FILTERS],
        responses={200: out.RowSerializer(many=True), **errors(403)},
        tags=["penilaian"],
    )
    def get(self, request, region_code, pk: int):
        """Baris penilaian (indikator inovasi dan SPD) yang boleh dibaca, dengan status per baris."""
        queryset = Assessment.objects.filter(region=self.region).select_related("framework", "region")
        assessment = get_for_user(self.viewer, queryset, "assessment.view_assessment", pk=pk)
        answers, spd = _row_querysets(assessment)
        params = request.query_params
        if params.get("status"):
            answers, spd = answers.filter(status=params["status"]), spd.filter(status=params["status"])
        if params.get("indicator"):
            answers, spd = (
                answers.filter(indicator__code=params["indicator"]),
                spd.filter(indicator__code=params["indicator"]),
            )
        if params.get("innovation"):
            innovation = params["innovation"]
            answers = answers.filter(entry__innovation_id=innovation) if innovation.isdigit() else answers.none()
            spd = spd.none()
        scope = params.get("scope")
        rows = [*(spd if scope != "inovasi" else []), *(answers if scope != "spd" else [])]
        visible = [row for row in rows if self.viewer.has_perm("assessment.view_row", row)]
        return Response(out.RowSerializer(visible, many=True).data)


SCOPE = OpenApiParameter("scope", str, OpenApiParameter.PATH, enum=["inovasi", "spd"])


class RowDetail(ApiView):
    parser_classes = [JSONParser]

    @extend_schema(parameters=[REGION, SCOPE], responses={200: out.RowSerializer, **errors(403)}, tags=["penilaian"])
    def get(self, request, region_code, scope: str, pk: int):
        return Response(out.RowSerializer(get_row(_scope(self), scope, pk)).data)

    @extend_schema(
        parameters=[REGION, SCOPE],
        request=inputs.AnswerInput,
        responses={200: out.RowSerializer, **errors(400, 403, 409)},
        tags=["penilaian"],
    )
    def patch(self, request, region_code, scope: str, pk: int):
        """Isi jawaban baris: parameter, atau nilai terukur yang menentukan parameternya (formulir
        dan alur status yang sama dengan halaman baris)."""
        if not self.viewer.has_any_role(WORKING_ROLES, self.region):
            raise exceptions.PermissionDenied()
        row = get_row(_scope(self), scope, pk, "assessment.edit_row")
        _shape(inputs.AnswerInput, request.data, partial=True)
        form = AnswerForm(_form_data(request.data), row=row)
        if not form.is_valid():
            raise _form_invalid(form)
        data = form.cleaned_data
        self.perform_write(
            assessment_services.answer_set,
            row=row, actor=self.viewer, level=data.get("level"), measured_value=data.get("measured_value"),
            basis=data.get("basis"), note=data.get("note", ""),
        )  # fmt: skip
        return Response(out.RowSerializer(get_row(_scope(self), scope, pk)).data)


class RowEvidenceUpload(ApiView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        parameters=[REGION, SCOPE],
        request={"multipart/form-data": inputs.EvidenceInput},
        responses={201: out.DocumentSerializer, **errors(400, 403, 409, 415)},
        tags=["penilaian"],
    )
    def post(self, request, region_code, scope: str, pk: int):
        """Unggah eviden ke pustaka dan lampirkan ke baris ini, keduanya atau tidak sama sekali.
        Berkas yang sama (checksum) yang sudah ada di pustaka dipakai ulang."""
        if not self.viewer.has_any_role(WORKING_ROLES, self.region):
            raise exceptions.PermissionDenied()
        row = get_row(_scope(self), scope, pk, "assessment.edit_row")
        form = row_document_form(row, request.data, request.FILES)
        if not form.is_valid():
            raise _form_invalid(form)
        document = self.perform_write(
            assessment_evidence.evidence_upload, row=row, actor=self.viewer, **document_fields(form)
        )
        return Response(out.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class RowAttach(ApiView):
    parser_classes = [JSONParser]

    @extend_schema(
        parameters=[REGION, SCOPE],
        request=inputs.AttachInput,
        responses={200: out.RowSerializer, **errors(400, 403, 409)},
        tags=["penilaian"],
    )
    def post(self, request, region_code, scope: str, pk: int):
        """Lampirkan dokumen pustaka ke baris ini (aturan jenis dan tahun dokumen diperiksa)."""
        if not self.viewer.has_any_role(WORKING_ROLES, self.region):
            raise exceptions.PermissionDenied()
        row = get_row(_scope(self), scope, pk, "assessment.edit_row")
        ids = _shape(inputs.AttachInput, request.data).validated_data["documents"]
        documents = list(Document.objects.visible_to(self.viewer, self.region).filter(pk__in=ids))
        if len(documents) != len(set(ids)):
            raise exceptions.ValidationError({"documents": [_("Dokumen tidak ditemukan di pustaka pemda ini.")]})
        self.perform_write(assessment_evidence.evidence_link_many, documents=documents, rows=[row], actor=self.viewer)
        return Response(out.RowSerializer(get_row(_scope(self), scope, pk)).data)


DOCUMENT_FILTERS = [
    OpenApiParameter("q", str),
    OpenApiParameter("year", int),
    OpenApiParameter("kind", str, enum=list(Document.Kind.values)),
    OpenApiParameter("current", str, enum=["1"], description="Hanya versi terbaru"),
]


class DocumentList(ApiView):
    @extend_schema(
        operation_id="regions_documents_list",
        parameters=[REGION, *DOCUMENT_FILTERS],
        responses={200: paginated(out.DocumentSerializer), **errors(403)},
        tags=["penilaian"],
    )
    def get(self, request, region_code):
        """Pustaka eviden: metadata; berkasnya diunduh lewat halaman unduhan yang memeriksa izin."""
        documents = Document.objects.visible_to(self.viewer, self.region)
        params = request.query_params
        if query := params.get("q", "").strip():
            documents = documents.filter(
                Q(title__icontains=query) | Q(number__icontains=query) | Q(subject__icontains=query)
            )
        if params.get("year", "").isdigit():
            documents = documents.filter(year=int(params["year"][:4]))
        if params.get("kind") in Document.Kind.values:
            documents = documents.filter(kind=params["kind"])
        if params.get("current") == "1":
            documents = documents.current()
        return _page(self, request, documents, out.DocumentSerializer)


class DocumentDetail(ApiView):
    @extend_schema(parameters=[REGION], responses={200: out.DocumentSerializer, **errors(403)}, tags=["penilaian"])
    def get(self, request, region_code, pk: int):
        queryset = Document.objects.filter(region=self.region)
        return Response(
            out.DocumentSerializer(get_for_user(self.viewer, queryset, "assessment.view_document", pk=pk)).data
        )


# The root and the rest ---------------------------------------------------------------------------


class ApiRoot(ApiView):
    public_read = True

    @extend_schema(responses={200: out.RootSerializer, **errors()}, tags=["akun"])
    def get(self, request):
        """Alamat awal: dokumentasi, skema, daftar pemda dan katalog DCAT."""
        links = {
            name: request.build_absolute_uri(reverse(f"api:{name}"))
            for name in ("docs", "schema", "region-list", "dcat")
        }
        return Response({"links": links})


class NotFound(ApiView):
    """Every unknown address under /api/v1/ answers the API's 404 rather than an HTML page."""

    public_read = True
    schema = None  # not an operation: left out of the OpenAPI document

    def _missing(self, request, rest=""):
        raise exceptions.NotFound()

    get = post = put = patch = delete = _missing


# Who am I --------------------------------------------------------------------------------------


class Me(ApiView):
    @extend_schema(responses={200: out.MeSerializer, **errors()}, tags=["akun"])
    def get(self, request):
        """Akun dan token yang dipakai permintaan ini."""
        user = request.user
        region = self.token.region if self.token else getattr(request, "region", None)
        data = {
            "email": user.email,
            "full_name": user.full_name,
            "roles": sorted(user.roles_in(region)) if region else [],
            "region": region.code if region else None,
            "token": self.token,
        }
        return Response(out.MeSerializer(data).data)
