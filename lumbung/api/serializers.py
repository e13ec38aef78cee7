"""What the API shows. Read serializers only: writes go through the web forms and services
(views.py), so validation lives in one place."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lumbung.innovations.models import Innovation
from lumbung.innovations.rules import manages_innovation, reads_all_of_region


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


class RegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    province = serializers.CharField(source="province.code", allow_null=True, default=None)
    showcase_url = serializers.SerializerMethodField()
    dcat_url = serializers.SerializerMethodField()

    def get_showcase_url(self, region) -> str:
        return settings.SITE_URL + reverse("showcase:index", args=[region.code])

    def get_dcat_url(self, region) -> str:
        return settings.SITE_URL + reverse("api:region-dcat", args=[region.code])


class UnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.CharField()
    code = serializers.CharField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    depth = serializers.IntegerField()
    is_active = serializers.BooleanField()


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AffairSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    original_name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, attachment) -> str:
        # The web's permission-checked download (sign-in needed): the API never serves files.
        return settings.SITE_URL + reverse("innovations:attachment-download", args=[attachment.pk])


class InnovationInternalSerializer(serializers.Serializer):
    """Fields for the people who work on the record (its unit, team, the region's staff)."""

    status = serializers.CharField()
    is_editable = serializers.BooleanField()
    stopped_reason = serializers.CharField()
    running_confirmed_year = serializers.IntegerField(allow_null=True)
    replicates = serializers.IntegerField(source="replicates_id", allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    submission_problems = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    def get_submission_problems(self, innovation) -> list[str]:
        return [str(problem) for problem in innovation.submission_problems()] if innovation.is_editable else []

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, innovation):
        viewer = self.context["viewer"]
        if not viewer.has_perm("innovations.view_attachment", innovation):
            return []
        return AttachmentSerializer(innovation.attachments.all(), many=True).data


class InnovationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    region = serializers.CharField(source="region.code")
    name = serializers.CharField()
    unit = NamedSerializer()
    stage = serializers.CharField()
    initiator_kind = serializers.CharField()
    initiator_name = serializers.CharField()
    is_digital = serializers.BooleanField()
    form = serializers.CharField()
    theme = serializers.CharField(source="theme.name", allow_null=True, default=None)
    main_affair = AffairSerializer()
    related_affairs = AffairSerializer(many=True)
    trial_date = serializers.DateField(allow_null=True)
    implementation_date = serializers.DateField(allow_null=True)
    development_date = serializers.DateField(allow_null=True)
    legal_basis = serializers.CharField()
    problem = serializers.CharField()
    strategic_issue = serializers.CharField()
    method = serializers.CharField()
    novelty = serializers.CharField()
    workflow = serializers.CharField()
    goals = serializers.CharField()
    benefits = serializers.CharField()
    results = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True, coerce_to_string=False)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True, coerce_to_string=False)
    is_running = serializers.BooleanField()
    public_url = serializers.SerializerMethodField()
    internal = serializers.SerializerMethodField()

    def get_public_url(self, innovation) -> str | None:
        if innovation.status != Innovation.Status.PUBLISHED:
            return None
        return settings.SITE_URL + reverse("showcase:detail", args=[innovation.region.code, innovation.pk])

    @extend_schema_field(InnovationInternalSerializer(allow_null=True))
    def get_internal(self, innovation):
        viewer = self.context["viewer"]
        if not viewer.is_authenticated:
            return None
        if not (reads_all_of_region.test(viewer, innovation) or manages_innovation.test(viewer, innovation)):
            return None
        return InnovationInternalSerializer(innovation, context=self.context).data


class ProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    kind = serializers.CharField()
    year = serializers.IntegerField()
    reference_date = serializers.DateField()
    counts_since = serializers.DateField(allow_null=True)
    min_count = serializers.IntegerField()
    min_stage = serializers.CharField()
    counts_from = serializers.CharField()
    unit_kinds = serializers.ListField(child=serializers.CharField())
    echelon_tiers = serializers.ListField(child=serializers.CharField())
    is_active = serializers.BooleanField()


class ComplianceRowSerializer(serializers.Serializer):
    key = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField(source="unit.name", allow_null=True, default=None)
    position = serializers.CharField()
    echelon = serializers.CharField()
    count = serializers.IntegerField()
    compliant = serializers.BooleanField()
    innovations = serializers.SerializerMethodField()

    def get_innovations(self, row) -> list[int]:
        return [innovation["id"] for innovation in row.innovations]


class ComplianceSerializer(serializers.Serializer):
    programme = ProgrammeSerializer()
    as_of = serializers.DateField()
    targets = serializers.IntegerField(source="tally.total")
    compliant = serializers.IntegerField(source="tally.compliant")
    percent = serializers.FloatField(source="tally.percent")
    rows = ComplianceRowSerializer(many=True)


class StageSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    starts = serializers.DateField(allow_null=True)
    ends = serializers.DateField(allow_null=True)


class AssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    status = serializers.CharField()
    framework = serializers.CharField(source="framework.__str__")
    stages = StageSerializer(many=True)
    claimed_iid = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, coerce_to_string=False)
    verified_iid = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, coerce_to_string=False)
    figures = serializers.JSONField(help_text="Proyeksi 'claimed' dan 'verified' dari mesin indeks.")
    figures_updated_at = serializers.DateTimeField(allow_null=True)


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Nomor lampiran (tautan dokumen ke baris).")
    document = serializers.IntegerField(source="document_id")
    title = serializers.CharField(source="document.title")
    attached_at = serializers.DateTimeField()


class RowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    scope = serializers.CharField(help_text="'inovasi' (baris inovasi) atau 'spd' (baris pemda).")
    assessment = serializers.IntegerField(source="assessment.pk")
    innovation = serializers.IntegerField(source="innovation.pk", allow_null=True, default=None)
    indicator = serializers.CharField(source="indicator.code")
    indicator_name = serializers.CharField(source="indicator.name")
    level = serializers.IntegerField()
    measured_value = serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True, coerce_to_string=False)
    status = serializers.CharField()
    verdict_reason = serializers.CharField()
    verdict_note = serializers.CharField()
    verified_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    evidence = EvidenceSerializer(source="evidence_links.all", many=True)


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    number = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True)
    subject = serializers.CharField()
    year = serializers.IntegerField()
    kind = serializers.CharField()
    link = serializers.CharField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    replaces = serializers.IntegerField(source="replaces_id", allow_null=True)
    uploaded_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, document) -> str | None:
        if not document.file:
            return None
        return settings.SITE_URL + reverse("assessment:document-download", args=[document.pk])


class TokenInfoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    scope = serializers.CharField()
    region = serializers.CharField(source="region.code")
    expires_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)


class MeSerializer(serializers.Serializer):
    email = serializers.CharField()
    full_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    region = serializers.CharField(allow_null=True)
    token = TokenInfoSerializer(allow_null=True)


class RootSerializer(serializers.Serializer):
    links = serializers.DictField(child=serializers.URLField())
