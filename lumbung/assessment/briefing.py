"""The leaders' briefing: the dashboard's figures plus what to ask the units for this week, as a
short PDF a sekda can forward on WhatsApp or print for a meeting."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import get_language

from lumbung.core.caching import cached
from lumbung.innovations.compliance import programme_compliance
from lumbung.innovations.models import Programme

from . import planning
from .models import Assessment

TOP_ACTIONS = 5


def briefing_context(*, region, assessment: Assessment | None) -> dict:
    """What the briefing adds to the dashboard: the planner's best actions on the verified index
    and the quota programmes' compliance on their reference dates."""
    context: dict = {"region": region, "generated_at": timezone.localtime()}
    if assessment is not None:
        # The planner weighs every row of every entry (about two thirds of the PDF's time at 1,000
        # innovations); its best steps are the same for every reader until the region's data
        # changes, so they are kept under the region's data version.
        context.update(
            cached(
                "briefing-plan",
                region_id=assessment.region_id,
                parts=(assessment.pk, get_language()),
                build=lambda: _plan_summary(assessment),
            )
        )
    programmes = Programme.objects.filter(region=region, is_active=True)
    context["programmes"] = [programme_compliance(programme, with_trend=False) for programme in programmes]
    return context


def _plan_summary(assessment: Assessment) -> dict:
    plan, data = planning.plan_for(assessment)
    top = [
        {
            "text": str(planning.describe(action, data)),
            "gain": action.gain,
            "unit": planning.action_target(action, data)[2],
        }
        for action in plan.actions[:TOP_ACTIONS]
    ]
    next_band = str(plan.next_band) if plan.next_band else None
    return {"plan": {"next_band": next_band, "distance": plan.distance}, "top_actions": top}
