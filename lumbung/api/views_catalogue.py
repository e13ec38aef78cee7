"""The replication catalogue through the API: the same shared catalogue as the web page (the
region's own catalogue items and the published innovations of every other hosted, active region,
public fields only), read through the same domain function (replication.catalogue), one SQL UNION
paged by the database; and adopting an entry through the same forms and services as the web."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from lumbung.core.access import get_for_user
from lumbung.core.roles import STAFF_ROLES
from lumbung.innovations.models import Innovation
from lumbung.innovations.views import CREATOR_ROLES
from lumbung.replication import catalogue as shared
from lumbung.replication import services as replication_services
from lumbung.replication.forms import AdoptForm, SharedAdoptForm
from lumbung.replication.models import CatalogueItem

from .base import ApiView, errors
from .views import REGION, _form_data, _form_invalid, _shape

KINDS = (shared.ITEM, shared.HOSTED)


class Origin(serializers.Serializer):
    region_code = serializers.CharField()
    region_name = serializers.CharField()
    innovation_id = serializers.IntegerField()


class CatalogueEntrySerializer(serializers.Serializer):
    """One entry of the shared catalogue (a row of replication.catalogue's UNION)."""

    kind = serializers.ChoiceField(
        KINDS, help_text="item: katalog pemda ini sendiri; hosted: inovasi terbit pemda lain di aplikasi ini."
    )
    id = serializers.IntegerField(source="pk", help_text="Nomor item katalog, atau nomor inovasi (hosted).")
    name = serializers.CharField()
    summary = serializers.CharField()
    source_region = serializers.CharField(source="region_name", help_text="Nama pemda asal.")
    source_region_code = serializers.CharField(source="region_code", help_text="Kode Kemendagri pemda asal.")
    affair = serializers.CharField(source="affair_name", allow_null=True)
    form = serializers.CharField()
    is_digital = serializers.BooleanField()
    year = serializers.IntegerField(allow_null=True)
    award = serializers.CharField()
    adopted = serializers.BooleanField(help_text="Sudah diadopsi pemda ini.")
    origin = serializers.SerializerMethodField(help_text="Hanya untuk hosted: pemda asal dan nomor inovasinya.")

    @extend_schema_field(Origin(allow_null=True))
    def get_origin(self, entry):
        if not entry.is_hosted:
            return None
        return {"region_code": entry.region_code, "region_name": entry.region_name, "innovation_id": entry.pk}


CataloguePage = inline_serializer(
    name="CatalogueEntryPage",
    fields={
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": CatalogueEntrySerializer(many=True),
    },
)


class CataloguePages(PageNumberPagination):
    """Numbered pages: the UNION is counted and sliced by the database (a cursor would need to
    filter the UNION, which SQL cannot do after it)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


CATALOGUE_FILTERS = [
    OpenApiParameter("q", str, description="Cari pada nama, ringkasan/tujuan dan penghargaan"),
    OpenApiParameter("asal", int, description="Nomor pemda asal"),
    OpenApiParameter("urusan", int, description="Nomor urusan"),
    OpenApiParameter("bentuk", str, enum=list(Innovation.Form.values), description="Bentuk inovasi"),
    OpenApiParameter("digital", str, enum=["ya", "tidak"]),
    OpenApiParameter("page", int, description="Nomor halaman"),
    OpenApiParameter("page_size", int, description="Isi per halaman (50, paling banyak 200)"),
]


class CatalogueList(ApiView):
    @extend_schema(
        operation_id="regions_catalogue_list",
        parameters=[REGION, *CATALOGUE_FILTERS],
        responses={200: CataloguePage, **errors(400, 403)},
        tags=["replikasi"],
    )
    def get(self, request, region_code):
        """Katalog replikasi bagi staf pemda, sama dengan halaman katalog: katalog pemda ini sendiri
        dan inovasi terbit pemda lain yang memakai aplikasi ini (hanya data publiknya), dengan
        filter yang sama."""
        if not self.viewer.has_any_role(STAFF_ROLES, self.region):
            raise exceptions.PermissionDenied()
        query, chosen = shared.read_filters(request.query_params)
        unknown = {
            key: [_("Pilihan ini tidak dikenal.")]
            for key in shared.FACETS
            if request.query_params.get(key, "") != "" and key not in chosen
        }
        if unknown:
            raise exceptions.ValidationError(unknown)
        paginator = CataloguePages()
        rows = paginator.paginate_queryset(
            shared.catalogue_entries(self.region, query=query, chosen=chosen), request, view=self
        )
        entries = [shared.Entry.from_row(row) for row in rows]
        return paginator.get_paginated_response(CatalogueEntrySerializer(entries, many=True).data)


# Adopting an entry -------------------------------------------------------------------------------


class AdoptInput(serializers.Serializer):
    unit = serializers.IntegerField(
        required=False, help_text="Perangkat daerah pelaksana (boleh kosong bila hanya ada satu pilihan)."
    )
    name = serializers.CharField(
        required=False, allow_blank=True, max_length=255, help_text="Nama inovasi di daerah kita (bawaan: nama asal)."
    )
    main_affair = serializers.IntegerField(required=False, help_text="Nomor urusan utama (bawaan: urusan asal).")
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000,
        help_text="Alasan mengadopsi: wajib untuk inovasi pemda lain (hosted), dibaca juga oleh pemda asalnya.",
    )  # fmt: skip


class AdoptionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Nomor catatan replikasi.")
    direction = serializers.CharField()
    status = serializers.CharField()
    innovation = inline_serializer(
        name="AdoptedDraft", fields={"id": serializers.IntegerField(), "name": serializers.CharField()}
    )
    partner_region = inline_serializer(
        name="AdoptedFrom", fields={"code": serializers.CharField(), "name": serializers.CharField()}
    )
    origin_innovation = serializers.IntegerField(source="origin_innovation_id", allow_null=True)
    catalogue_item = serializers.IntegerField(source="item_id", allow_null=True)
    reason = serializers.CharField(source="notes")


ADOPT_KIND = OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=list(KINDS))


class CatalogueAdopt(ApiView):
    parser_classes = [JSONParser]

    def _entry(self, kind: str, pk: int):
        """The entry as the web's adopt pages find it: 404 for anything else."""
        if kind == shared.HOSTED:
            entry = shared.shared_innovation(self.region, pk)
            if entry is None or not self.viewer.has_perm("replication.adopt_catalogue_item", entry):
                raise exceptions.NotFound()
            return entry
        if kind == shared.ITEM:
            items = CatalogueItem.objects.filter(region=self.region).select_related("source_region", "affair")
            return get_for_user(self.viewer, items, "replication.adopt_catalogue_item", pk=pk)
        raise exceptions.NotFound()

    @extend_schema(
        parameters=[REGION, ADOPT_KIND],
        request=AdoptInput,
        responses={201: AdoptionSerializer, **errors(400, 403, 415)},
        tags=["replikasi"],
    )
    def post(self, request, region_code, kind: str, pk: int):
        """Adopsi satu entri katalog: draf inovasi di pemda ini dan catatan replikasinya (formulir
        dan layanan yang sama dengan halaman adopsi). Inovasi pemda lain (hosted) tercatat sebagai
        SATU replikasi tertaut yang dilihat kedua pemda, dengan alasan yang wajib diisi."""
        if not self.viewer.has_any_role(CREATOR_ROLES, self.region):
            raise exceptions.PermissionDenied()
        entry = self._entry(kind, pk)
        _shape(AdoptInput, request.data)
        units = replication_services.adoptable_units(self.viewer, self.region)
        only = list(units[:2])
        defaults = {
            "name": entry.name,
            "main_affair": entry.affair.pk if entry.affair else "",
            "unit": only[0].pk if len(only) == 1 else "",
        }
        data = _form_data(request.data, defaults)
        if kind == shared.HOSTED:
            form = SharedAdoptForm(data, units=units)
            if not form.is_valid():
                raise _form_invalid(form)
            replication = self.perform_write(
                replication_services.shared_innovation_adopt, shared=entry, actor=self.viewer, **form.cleaned_data
            )
        else:
            form = AdoptForm(data, units=units)
            if not form.is_valid():
                raise _form_invalid(form)
            replication = self.perform_write(
                replication_services.catalogue_item_adopt, item=entry, actor=self.viewer, **form.cleaned_data
            )
        return Response(AdoptionSerializer(replication).data, status=status.HTTP_201_CREATED)
