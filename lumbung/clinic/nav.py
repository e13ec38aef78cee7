"""Menu entries and home panels of the innovation clinic."""

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumbung.actions.models import Action
from lumbung.core.nav import HomePanel, MenuItem, register_menu, register_panel
from lumbung.core.roles import REGION_ROLES, Role

from .models import Case

REQUESTERS = frozenset({Role.CITIZEN, Role.OPERATOR, Role.INNOVATOR})


def _requester_context(request) -> dict:
    mine = Case.objects.requested_by(request.user, request.region).filter(status__in=Case.OPEN_STATES)
    return {
        "open_cases": list(mine.select_related("mentor").order_by("-updated_at")[:5]),
        "my_actions": list(
            Action.objects.pending()
            .filter(owner=request.user, case__region=request.region)
            .select_related("case")
            .order_by("due_date")[:5]
        ),
        "today": timezone.localdate(),
    }


def _mentor_context(request) -> dict:
    today, now = timezone.localdate(), timezone.now()
    mine = Case.objects.filter(region=request.region, mentor=request.user, status__in=Case.ACTIVE_STATES)
    return mine.aggregate(
        active=Count("pk", distinct=True),
        waiting=Count("pk", filter=Q(status=Case.Status.WAITING), distinct=True),
        overdue=Count(
            "actions",
            filter=Q(actions__status__in=Action.PENDING, actions__due_date__lt=today),
            distinct=True,
        ),
        next_session=Min("sessions__starts_at", filter=Q(sessions__starts_at__gte=now)),
    )


def _admin_context(request) -> dict:
    cases = Case.objects.filter(region=request.region)
    return cases.aggregate(
        to_triage=Count("pk", filter=Q(status=Case.Status.NEW)),
        active=Count("pk", filter=Q(status__in=Case.ACTIVE_STATES)),
        oldest_new=Min("created_at", filter=Q(status=Case.Status.NEW)),
    )


register_menu(
    MenuItem(_("Klinik"), "clinic:home", roles=REGION_ROLES, order=60),
    MenuItem(_("Kasus klinik"), "clinic:case-list", roles={Role.ADMIN}, order=61),
    MenuItem(_("Beban kasus"), "clinic:case-load", roles={Role.MENTOR}, order=62),
)
register_panel(
    HomePanel("clinic/panels/requester.html", roles=REQUESTERS, context=_requester_context, order=60),
    HomePanel("clinic/panels/mentor.html", roles=frozenset({Role.MENTOR}), context=_mentor_context, order=20),
    HomePanel("clinic/panels/admin.html", roles=frozenset({Role.ADMIN}), context=_admin_context, order=60),
)
