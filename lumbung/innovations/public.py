"""The public showcase of a region: published innovations only, no sign-in, no personal data."""

import json

from django.conf import settings
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lumbung.core.access import access
from lumbung.core.caching import cached, region_and_version
from lumbung.core.pagecache import cached_page
from lumbung.core.spreadsheets import csv_response
from lumbung.organisation.models import Region

from .exports import OPEN_DATA_FIELDS, open_data_records
from .forms import InnovationFilterForm
from .models import Innovation, TeamMember
from .views import filtered_innovations

PAGE_SIZE = 24


def _region(region_code) -> Region:
    return get_object_or_404(Region, code=region_code, is_hosted=True)


def _published(region):
    return Innovation.objects.published().filter(region=region).select_related("unit", "main_affair", "theme")


def _filtered(request, region):
    form = InnovationFilterForm(request.GET or None, region=region, public=True)
    return form, filtered_innovations(_published(region), form)


def _region_version(request, region_code, *args, reader_id=None, **kwargs):
    """The region a public page shows and its data version, for the page's cached copy; whether
    the region is shown at all (hosted, active) is the view's business."""
    return region_and_version("code", region_code, reader_id)


def _map_settings() -> dict:
    return {"tiles": settings.LUMBUNG_MAP_TILE_URL, "attribution": settings.LUMBUNG_MAP_ATTRIBUTION}


def _cached(request, region, name: str, build):
    """A public fragment of this region as of its current data, per language and query string:
    the same for every visitor (no personal data), so cached whole (core.caching)."""
    parts = (get_language(), request.GET.urlencode())
    return cached(f"showcase-{name}", region_id=region.pk, parts=parts, build=build)


@access.public
@cached_page("public-showcase", region_version=_region_version)
def showcase(request, region_code):
    region = _region(region_code)

    def build():
        form, queryset = _filtered(request, region)
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        counts = _published(region).aggregate(
            total=Count("pk"), digital=Count("pk", filter=Q(is_digital=True)), units=Count("unit", distinct=True)
        )
        context = {"region": region, "form": form, "page_obj": page, "counts": counts}
        return render_to_string("innovations/public/_showcase_body.html", context, request=request)

    body = mark_safe(_cached(request, region, "index", build))  # noqa: S308 - rendered by our template
    return render(request, "innovations/public/showcase.html", {"region": region, "body": body})


@access.public
@cached_page("public-detail", region_version=_region_version)
def public_detail(request, region_code, pk):
    region = _region(region_code)

    def build():
        innovation = (
            _published(region).prefetch_related("related_affairs", "team__official", "team__user").filter(pk=pk).first()
        )
        if innovation is None:
            return {"missing": True}
        leads = [m for m in innovation.team.all() if m.role in (TeamMember.Role.OWNER, TeamMember.Role.INITIATOR)]
        points = [
            _point(innovation.pk, innovation.name, innovation.attribution, innovation.latitude, innovation.longitude)
        ]
        context = {"region": region, "innovation": innovation, "leads": leads, "map": _map_settings(), "points": points}
        body = render_to_string("innovations/public/_detail_body.html", context, request=request)
        return {"name": innovation.name, "has_location": innovation.has_location, "body": body}

    page = _cached(request, region, f"detail-{pk}", build)
    if page.get("missing"):
        raise Http404
    page = {**page, "body": mark_safe(page["body"])}  # noqa: S308 - rendered by our template
    return render(request, "innovations/public/detail.html", {"region": region, "page": page})


def _point(pk, name, unit, latitude, longitude) -> dict | None:
    if latitude is None or longitude is None:
        return None
    return {"id": pk, "name": name, "unit": unit, "lat": float(latitude), "lng": float(longitude)}


@access.public
def public_map(request, region_code):
    region = _region(region_code)
    located = _published(region).filter(latitude__isnull=False, longitude__isnull=False)
    rows = located.values_list("id", "name", "unit__name", "latitude", "longitude")
    points = [_point(pk, name, unit or _("Masyarakat"), lat, lng) for pk, name, unit, lat, lng in rows]
    context = {"region": region, "points": points, "map": _map_settings()}
    return render(request, "innovations/public/map.html", context)


def _open_data(request, region) -> list[dict]:
    _form, queryset = _filtered(request, region)
    return open_data_records(queryset.prefetch_related("related_affairs"), region)


@access.public
def open_data_csv(request, region_code):
    region = _region(region_code)

    def build():
        records = _open_data(request, region)
        return [[record[name] for name in OPEN_DATA_FIELDS] for record in records]

    rows = _cached(request, region, "open-data-csv", build)
    return csv_response(f"inovasi-{region.code}.csv", list(OPEN_DATA_FIELDS), rows)


@access.public
@cached_page("public-open-data-json", region_version=_region_version)
def open_data_json(request, region_code):
    region = _region(region_code)

    def build():
        records = _open_data(request, region)
        payload = {
            "pemda": {"kode": region.code, "nama": region.name},
            "dibuat": timezone.now().isoformat(),
            "lisensi": _("Data terbuka; sebutkan sumbernya."),
            "jumlah": len(records),
            "inovasi": records,
        }
        return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)

    response = HttpResponse(_cached(request, region, "open-data-json", build), content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="inovasi-{region.code}.json"'
    return response
