"""Public events of a region for visitors, beside the innovation showcase: no sign-in to read,
no personal data, and a way to sign in (or sign up) to register."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from lumbung.core.access import access
from lumbung.organisation.models import Region

from .models import Event

PAGE_SIZE = 20


def _region(region_code) -> Region:
    return get_object_or_404(Region, code=region_code, is_hosted=True)


def _public(region):
    return Event.objects.public(region).with_counts().select_related("organiser")


def _with_places_left(events):
    """Each event with `places_left` from its counted registrations (None: no limit)."""
    for event in events:
        event.places_left = None if event.capacity is None else max(0, event.capacity - event.registered_count)
    return events


@access.public
def event_list(request, region_code):
    region = _region(region_code)
    page = Paginator(_public(region).upcoming(), PAGE_SIZE).get_page(request.GET.get("page"))
    _with_places_left(page.object_list)
    return render(request, "events/public/list.html", {"region": region, "page_obj": page})


@access.public
def event_detail(request, region_code, pk):
    region = _region(region_code)
    event = _public(region).filter(pk=pk).first()
    if event is None:
        raise Http404
    _with_places_left([event])
    return render(request, "events/public/detail.html", {"region": region, "event": event})
