"""Menu entries and home panels of the innovation registry."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumbung.core.nav import HomePanel, MenuItem, register_menu, register_panel
from lumbung.core.roles import STAFF_ROLES, Role

from .compliance import programme_compliance
from .models import Innovation, Programme

S = Innovation.Status


def _by_state(queryset) -> list[tuple[str, str, int]]:
    counts = dict(queryset.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return [(value, label, counts.get(value, 0)) for value, label in S.choices]


def _operator_context(request) -> dict:
    user, region = request.user, request.region
    paths = user.operator_unit_paths(region)
    in_units = Q(pk__in=[])
    for path in paths:
        in_units |= Q(unit__path__startswith=path)
    mine = Innovation.objects.filter(in_units, region=region)
    this_year = timezone.localdate().year
    return {
        "by_state": _by_state(mine),
        "to_fix": list(mine.filter(status=S.RETURNED).select_related("unit")[:10]),
        "drafts": mine.filter(status=S.DRAFT).count(),
        "to_confirm": mine.filter(status=S.PUBLISHED, is_running=True)
        .exclude(running_confirmed_year=this_year)
        .count(),
    }


def _innovator_context(request) -> dict:
    user = request.user
    team = Q(team__user=user) | Q(created_by=user)
    if user.official_id:
        team |= Q(team__official_id=user.official_id)
    mine = Innovation.objects.filter(team, region=request.region).distinct().select_related("unit")
    return {"innovations": list(mine.order_by("-updated_at")[:10])}


def _verifier_context(request) -> dict:
    queue = Innovation.objects.filter(region=request.region, status__in=Innovation.REVIEW_QUEUE_STATES)
    return {
        "by_state": [row for row in _by_state(queue) if row[0] in Innovation.REVIEW_QUEUE_STATES],
        "oldest": list(queue.select_related("unit").order_by("updated_at")[:8]),
    }


def _overview_context(request) -> dict:
    region = request.region
    innovations = Innovation.objects.filter(region=region)
    programmes = Programme.objects.filter(region=region, is_active=True)[:4]
    return {
        "by_state": _by_state(innovations),
        "stopped": innovations.filter(is_running=False).count(),
        "reports": [programme_compliance(programme, with_trend=False) for programme in programmes],
    }


register_menu(
    MenuItem(_("Inovasi"), "innovations:list", roles=STAFF_ROLES, order=20),
    # Citizens register innovations of their own (the society track, innovations/society.py).
    MenuItem(_("Inovasi saya"), "innovations:citizen-mine", roles=(Role.CITIZEN,), order=21),
    MenuItem(
        _("Program kuota"), "innovations:programme-list", roles=(Role.ADMIN, Role.VERIFIER, Role.LEADER), order=25
    ),
)
register_panel(
    HomePanel(
        "innovations/panels/operator.html", roles=frozenset({Role.OPERATOR}), context=_operator_context, order=10
    ),
    HomePanel(
        "innovations/panels/innovator.html", roles=frozenset({Role.INNOVATOR}), context=_innovator_context, order=11
    ),
    HomePanel(
        "innovations/panels/verifier.html", roles=frozenset({Role.VERIFIER}), context=_verifier_context, order=12
    ),
    HomePanel(
        "innovations/panels/overview.html",
        roles=frozenset({Role.ADMIN, Role.LEADER}),
        context=_overview_context,
        order=13,
    ),
)
