"""Menu entry and home panels of events."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumbung.core.nav import HomePanel, MenuItem, register_menu, register_panel
from lumbung.core.roles import REGION_ROLES, Role

from .models import Event, EvidenceProposal, Registration


def _participant_context(request) -> dict:
    """The user's coming events with their check-in codes, so the code is one tap away."""
    upcoming = (
        Registration.objects.filter(
            user=request.user,
            event__region=request.region,
            status=Registration.Status.REGISTERED,
            event__ends_at__gte=timezone.now(),
            event__status__in=Event.CHECK_IN_STATES,
        )
        .select_related("event")
        .order_by("event__starts_at")[:5]
    )
    return {"upcoming": list(upcoming)}


def _admin_context(request) -> dict:
    events = Event.objects.filter(region=request.region)
    summary = events.aggregate(
        coming=Count("pk", filter=Q(status__in=Event.CHECK_IN_STATES)),
        drafts=Count("pk", filter=Q(status=Event.Status.DRAFT)),
    )
    summary["to_review"] = EvidenceProposal.objects.filter(
        event__region=request.region, status=EvidenceProposal.Status.PROPOSED
    ).count()
    return summary


register_menu(MenuItem(_("Kegiatan"), "events:list", roles=REGION_ROLES, order=65))
register_panel(
    HomePanel("events/panels/participant.html", roles=frozenset(REGION_ROLES), context=_participant_context, order=30),
    HomePanel("events/panels/admin.html", roles=frozenset({Role.ADMIN}), context=_admin_context, order=65),
)
