"""Menu entries and home panels of the IGA assessment."""

from django.utils.translation import gettext_lazy as _

from lumbung.core.nav import HomePanel, MenuItem, register_menu, register_panel
from lumbung.core.roles import Role

register_menu(
    MenuItem(
        _("Penilaian IGA"),
        "assessment:index",
        roles={Role.ADMIN, Role.VERIFIER, Role.OPERATOR, Role.LEADER, Role.INNOVATOR},
        order=40,
    ),
    MenuItem(_("Dasbor IGA"), "assessment:dashboard", roles={Role.LEADER, Role.ADMIN}, order=41),
)


def _latest(request):
    from .models import Assessment

    return Assessment.objects.filter(region=request.region).select_related("framework").first()


def leader_panel(request) -> dict:
    assessment = _latest(request)
    return {"assessment": assessment}


def verifier_panel(request) -> dict:
    from lumbung.core.caching import cached

    from .reports import rows_awaiting_verdict

    assessment = _latest(request)
    if assessment is None:
        return {"assessment": None, "awaiting": 0}
    # Every verifier's home page counts the same rows: once per change of the region's data.
    awaiting = cached(
        "rows-awaiting", region_id=assessment.region_id, parts=(assessment.pk,),
        build=lambda: rows_awaiting_verdict(assessment),
    )  # fmt: skip
    return {"assessment": assessment, "awaiting": awaiting}


def unit_panel(request) -> dict:
    """Rows of the user's innovations judged "tidak sesuai", the SPD rows their unit answers for,
    and actions for their unit."""
    from lumbung.actions.models import Action

    from .models import Answer, Entry, RegionAnswer, RowStatus, operated_units_q

    assessment = _latest(request)
    if assessment is None:
        return {"assessment": None}
    entries = Entry.objects.visible_to(request.user, request.region).filter(assessment=assessment)
    rejected = (
        Answer.objects.filter(entry__in=entries.values("pk"), status=RowStatus.REJECTED)
        .select_related("indicator", "entry__innovation")
        .order_by("entry__innovation__name", "indicator__order")
    )
    units = operated_units_q(request.user, request.region)
    actions = (
        Action.objects.filter(assessment=assessment).pending().filter(units).select_related("unit")
        if units is not None
        else Action.objects.none()
    )
    spd_rows = (
        RegionAnswer.objects.filter(assessment=assessment)
        .operated_by(request.user, request.region)
        .exclude(status=RowStatus.ACCEPTED)
        .select_related("indicator", "unit")
        .order_by("indicator__order")
    )
    return {
        "assessment": assessment,
        "rejected": rejected[:8],
        "rejected_count": rejected.count(),
        "spd_rows": list(spd_rows[:20]),
        "actions": actions[:5],
    }


register_panel(
    HomePanel("assessment/panels/leader.html", roles={Role.LEADER, Role.ADMIN}, context=leader_panel, order=20),
    HomePanel("assessment/panels/verifier.html", roles={Role.VERIFIER}, context=verifier_panel, order=21),
    HomePanel("assessment/panels/unit.html", roles={Role.OPERATOR, Role.INNOVATOR}, context=unit_panel, order=22),
)
