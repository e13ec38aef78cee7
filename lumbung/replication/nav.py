"""Menu entry and home panel of study visits and replication."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumbung.actions.models import Action
from lumbung.core.nav import HomePanel, MenuItem, register_menu, register_panel
from lumbung.core.roles import STAFF_ROLES, Role


def _follow_up_context(request) -> dict:
    """Follow-up actions of study visits that the user's unit or the user owns."""
    user, region = request.user, request.region
    mine = (
        Action.objects.pending()
        .filter(region=region, visit__isnull=False)
        .select_related("visit", "visit__destination")
    )
    if not user.has_role(Role.ADMIN, region):
        scope = Q(owner_official_id=user.official_id) if user.official_id else Q(pk__in=[])
        for path in user.operator_unit_paths(region):
            scope |= Q(unit__path__startswith=path)
        mine = mine.filter(scope)
    return {"follow_ups": list(mine.order_by("due_date")[:6]), "today": timezone.localdate()}


register_menu(MenuItem(_("Studi tiru & replikasi"), "replication:home", roles=STAFF_ROLES, order=70))
register_panel(
    HomePanel(
        "replication/panels/follow_ups.html",
        roles=frozenset({Role.ADMIN, Role.OPERATOR, Role.INNOVATOR}),
        context=_follow_up_context,
        order=70,
    )
)
