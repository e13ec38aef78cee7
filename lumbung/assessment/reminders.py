"""What the scheduler reminds people of in the assessment: stage deadlines (7, 3 and 1 days
before), planner actions due within three days or overdue, and rows waiting for a verdict
longer than the configured number of days."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lumbung.accounts.models import RoleAssignment
from lumbung.actions.models import Action
from lumbung.core.roles import Role
from lumbung.notifications.models import Kind
from lumbung.notifications.reminders import Reminder, reminder_source, threshold_for

from .models import AWAITING_VERDICT, Answer, Assessment, RegionAnswer
from .services import unit_people

STAGE_THRESHOLDS = (7, 3, 1)
ACTION_LEAD_DAYS = 3


def _people(region_ids, roles) -> dict[int, list]:
    """Active users holding one of `roles` in each region, by region id (one query)."""
    people = defaultdict(list)
    for assignment in RoleAssignment.objects.filter(
        region_id__in=set(region_ids), role__in=[str(role) for role in roles], is_active=True, user__is_active=True
    ).select_related("user"):
        people[assignment.region_id].append(assignment.user)
    return people


@reminder_source
def stage_deadlines(today: dt.date):
    horizon = today + dt.timedelta(days=max(STAGE_THRESHOLDS))
    within = Q()
    for code, _label in Assessment.STAGES:
        within |= Q(**{f"{code}_ends__range": (today, horizon)})
    assessments = list(Assessment.objects.filter(within, status=Assessment.Status.OPEN).select_related("region"))
    people = _people([a.region_id for a in assessments], (Role.ADMIN, Role.OPERATOR))
    for assessment in assessments:
        for stage in assessment.stages:
            if not stage.ends:
                continue
            days_left = (stage.ends - today).days
            threshold = threshold_for(days_left, STAGE_THRESHOLDS)
            if threshold is None:
                continue
            values = {
                "stage": stage.label, "year": assessment.year, "days": days_left,
                "date": date_format(stage.ends, "DATE_FORMAT"),
            }  # fmt: skip
            title = (
                _("Tenggat %(stage)s IGA %(year)s hari ini (%(date)s)") % values
                if days_left == 0
                else _("Tenggat %(stage)s IGA %(year)s: %(days)d hari lagi (%(date)s)") % values
            )
            yield Reminder(
                kind=Kind.STAGE_DEADLINE,
                key=f"{assessment.pk}:{stage.code}:{stage.ends.isoformat()}:{threshold}",
                recipients=tuple(people[assessment.region_id]),
                title=title,
                body=_("Lengkapi isian dan eviden sebelum tahapan ini ditutup."),
                url=reverse("assessment:detail", args=[assessment.pk]),
                region=assessment.region,
            )


@reminder_source
def actions_due(today: dt.date):
    actions = (
        Action.objects.pending()
        .filter(origin=Action.Origin.PLANNER)
        .filter(due_date__lte=today + dt.timedelta(days=ACTION_LEAD_DAYS), assessment__status=Assessment.Status.OPEN)
        .select_related("unit", "assessment__region", "created_by")
    )
    for action in actions:
        overdue = action.due_date < today
        values = {"action": str(action), "date": date_format(action.due_date, "DATE_FORMAT")}
        people = unit_people(action.unit) if action.unit_id else []
        if overdue:
            people.append(action.created_by)  # whoever assigned it hears that it slipped
        yield Reminder(
            kind=Kind.ACTION_DUE,
            key=f"{action.pk}:{'overdue' if overdue else 'due'}:{action.due_date.isoformat()}",
            recipients=tuple(people),
            title=(
                _("Rencana tindakan lewat tenggat (%(date)s): %(action)s")
                if overdue
                else _("Rencana tindakan jatuh tempo %(date)s: %(action)s")
            )
            % values,
            url=reverse("assessment:actions", args=[action.assessment_id]),
            region=action.assessment.region,
        )


@reminder_source
def rows_waiting(today: dt.date):
    days = settings.LUMBUNG_VERIFICATION_REMINDER_DAYS
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min))
    waiting = defaultdict(int)
    open_rows = {"status__in": list(AWAITING_VERDICT), "updated_at__lt": cutoff}
    for model, assessment_field in ((Answer, "scoring_assessment"), (RegionAnswer, "assessment")):
        for row in (
            model.objects.filter(**open_rows, **{f"{assessment_field}__status": Assessment.Status.OPEN})
            .values(assessment_field)
            .annotate(n=Count("pk"))
        ):
            waiting[row[assessment_field]] += row["n"]
    assessments = Assessment.objects.filter(pk__in=waiting).select_related("region")
    people = _people([a.region_id for a in assessments], (Role.VERIFIER,))
    for assessment in assessments:
        values = {"n": waiting[assessment.pk], "days": days, "year": assessment.year}
        yield Reminder(
            kind=Kind.VERIFICATION_WAITING,
            key=f"{assessment.pk}:{today.isoformat()}",  # at most one a day
            recipients=tuple(people[assessment.region_id]),
            title=_("%(n)d baris IGA %(year)s menunggu verifikasi lebih dari %(days)d hari") % values,
            url=reverse("assessment:queue", args=[assessment.pk]),
            region=assessment.region,
        )
