"""Competitions and their published results, and events: read-only, through each app's own
visibility rules. The replication catalogue is in views_catalogue."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from lumbung.competitions.models import Competition, Result
from lumbung.core.access import get_for_user
from lumbung.events.models import Event

from .base import ApiView, errors
from .views import REGION, _page, paginated


class CompetitionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    year = serializers.IntegerField()
    description = serializers.CharField()
    eligibility = serializers.CharField()
    tracks = serializers.ListField(child=serializers.CharField())
    organiser = serializers.CharField(source="organiser.name", allow_null=True, default=None)
    status = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    results_published_at = serializers.DateTimeField(allow_null=True)


class ResultSerializer(serializers.Serializer):
    track = serializers.CharField()
    rank = serializers.IntegerField()
    prize = serializers.CharField()
    prize_label = serializers.CharField()
    final_score = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True, coerce_to_string=False)
    number = serializers.IntegerField(source="entry.number", allow_null=True)
    title = serializers.CharField(source="entry.title")
    unit = serializers.CharField(source="entry.unit.name", allow_null=True, default=None)


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    organiser = serializers.CharField(source="organiser.name")
    mode = serializers.CharField()
    venue = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    audience = serializers.CharField()
    capacity = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()


def _competitions(region):
    return Competition.objects.filter(region=region).select_related("region", "organiser").order_by("-year", "-pk")


class CompetitionList(ApiView):
    public_read = True

    @extend_schema(parameters=[REGION], responses={200: CompetitionSerializer(many=True), **errors()}, tags=["lomba"])
    def get(self, request, region_code):
        """Lomba yang sudah diumumkan (dan draf bagi admin)."""
        visible = [c for c in _competitions(self.region) if self.viewer.has_perm("competitions.view_competition", c)]
        return Response(CompetitionSerializer(visible, many=True).data)


class CompetitionResults(ApiView):
    public_read = True

    @extend_schema(parameters=[REGION], responses={200: ResultSerializer(many=True), **errors()}, tags=["lomba"])
    def get(self, request, region_code, pk: int):
        """Hasil yang diumumkan, per kategori dan peringkat (404 sebelum diumumkan)."""
        competition = get_for_user(self.viewer, _competitions(self.region), "competitions.view_competition", pk=pk)
        if competition.status != Competition.Status.RESULTS:
            raise NotFound()
        results = Result.objects.filter(competition=competition).select_related("entry__unit").order_by("track", "rank")
        return Response(ResultSerializer(results, many=True).data)


class EventList(ApiView):
    public_read = True

    @extend_schema(parameters=[REGION], responses={200: paginated(EventSerializer), **errors()}, tags=["kegiatan"])
    def get(self, request, region_code):
        """Kegiatan (bimtek, sosialisasi): yang terbuka untuk umum bagi siapa saja; selebihnya
        menurut peran, seperti daftar kegiatan di aplikasi."""
        if self.viewer.is_authenticated:
            events = Event.objects.visible_to(self.viewer, self.region)
        else:
            events = Event.objects.public(self.region)
        return _page(self, request, events.select_related("organiser"), EventSerializer)
