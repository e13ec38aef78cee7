"""The leaders' briefing: the dashboard's figures plus what to ask the units for this week, as a
short PDF a sekda can forward on WhatsApp or print for a meeting."""

from __future__ import annotations

from django.utils import timezone

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
        plan, data = planning.plan_for(assessment)
        context["plan"] = plan
        context["top_actions"] = [
            {
                "text": planning.describe(action, data),
                "gain": action.gain,
                "unit": planning.action_target(action, data)[2],
            }
            for action in plan.actions[:TOP_ACTIONS]
        ]
    programmes = Programme.objects.filter(region=region, is_active=True)
    context["programmes"] = [programme_compliance(programme, with_trend=False) for programme in programmes]
    return context
