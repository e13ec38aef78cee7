"""Programme compliance from the database: a handful of set-based queries feed the pure quota
arithmetic in quotas.py, whatever the number of units, officials or months."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from lumbung.organisation.models import Assignment, Echelon, Unit

from . import charts, quotas
from .models import Innovation, InnovationEvent, Programme, ProgrammeReminder, TeamMember
from .workflows import REVIEW_ACTIONS, STAGE_ACTION


@dataclass
class Row:
    """A unit or an official the programme asks an innovation of."""

    key: int
    name: str
    unit: Unit | None
    position: str
    echelon: str
    innovations: list[dict]
    compliant: bool
    official: object = None
    last_reminder: ProgrammeReminder | None = None
    recently_reminded: bool = False  # within the programme's quiet period

    @property
    def count(self) -> int:
        return len(self.innovations)


@dataclass
class ComplianceReport:
    programme: Programme
    as_of: dt.date
    tally: quotas.Tally
    rows: list[Row]
    trend: list[tuple[dt.date, quotas.Tally]] = field(default_factory=list)

    @property
    def missing_rows(self) -> list[Row]:
        return [row for row in self.rows if not row.compliant]

    @cached_property
    def charts(self) -> dict:
        """The pictures of the report (innovations.charts), built from its rows without a query."""
        return {"units": charts.compliance_by_unit(self), "trend": charts.trend(self)}


def _local_date(moment) -> dt.date:
    return timezone.localdate(moment)


def load_credits(programme: Programme) -> tuple[list[quotas.Credit], dict[int, dict]]:
    """The programme's candidate innovations with their stage history (3 queries) and their names
    by id. Every stage is loaded: whether the stage is high enough depends on the day asked about."""
    innovations = list(
        Innovation.objects.filter(
            region_id=programme.region_id, status__in=programme.counting_states, is_running=True
        ).values("id", "name", "stage", "unit__path", "unit__short_name", "unit__name", "created_at")
    )
    ids = [row["id"] for row in innovations]
    # When each one first reached a counting state, and its stage changes, oldest first.
    reached: dict[int, dt.datetime] = {}
    changes: dict[int, list[quotas.StageChange]] = {}
    events = (
        InnovationEvent.objects.filter(innovation_id__in=ids)
        .filter(Q(action=STAGE_ACTION) | Q(action__in=REVIEW_ACTIONS, to_state__in=programme.counting_states))
        .order_by("created_at", "id")
        .values_list("innovation_id", "action", "from_state", "to_state", "created_at")
    )
    for innovation_id, action, before, after, moment in events:
        if action != STAGE_ACTION:
            reached.setdefault(innovation_id, moment)
        elif before in Innovation.STAGE_ORDER and after in Innovation.STAGE_ORDER:
            changes.setdefault(innovation_id, []).append(
                quotas.StageChange(_local_date(moment), Innovation.STAGE_ORDER[before], Innovation.STAGE_ORDER[after])
            )
    leads: dict[int, set[int]] = {}
    for innovation_id, official_id in TeamMember.objects.filter(
        innovation_id__in=ids,
        role__in=[TeamMember.Role.OWNER, TeamMember.Role.INITIATOR],
        official__isnull=False,
    ).values_list("innovation_id", "official_id"):
        leads.setdefault(innovation_id, set()).add(official_id)
    credits = []
    for row in innovations:
        registered = _local_date(row["created_at"])
        counted = _local_date(reached[row["id"]]) if row["id"] in reached else registered
        credits.append(
            quotas.Credit(
                innovation_id=row["id"],
                unit_path=row["unit__path"] or "",  # a citizens' innovation before adoption has no unit
                official_ids=frozenset(leads.get(row["id"], ())),
                registered_on=registered,
                counts_from=max(registered, counted),
                stage=Innovation.STAGE_ORDER[row["stage"]],
                # Records from before stage changes were written have none: their current stage
                # then stands for every past day too (Credit.stage_on), the best that is known.
                stage_changes=tuple(changes.get(row["id"], ())),
            )
        )
    return credits, {row["id"]: row for row in innovations}


def _posts(programme: Programme) -> tuple[list[quotas.Post], dict[int, Assignment]]:
    assignments = list(
        Assignment.objects.filter(unit__region_id=programme.region_id, is_acting=False)
        .exclude(echelon=Echelon.NONE)
        .select_related("official", "unit")
    )
    posts = [
        quotas.Post(official_id=a.official_id, unit_id=a.unit_id, tier=a.tier, start=a.start_date, end=a.end_date)
        for a in assignments
    ]
    by_post = {id(post): assignment for post, assignment in zip(posts, assignments, strict=True)}
    return posts, by_post


def programme_compliance(programme: Programme, *, with_trend: bool = True) -> ComplianceReport:
    """Who meets the programme's quota on its reference date, and the monthly trend up to it."""
    credits, names = load_credits(programme)
    as_of, since, minimum = programme.reference_date, programme.counts_since, programme.min_count
    min_stage = Innovation.STAGE_ORDER[programme.min_stage]
    rows: list[Row] = []
    if programme.is_unit_quota:
        units = {
            unit.pk: unit
            for unit in Unit.objects.filter(
                region_id=programme.region_id, kind__in=programme.unit_kinds, is_active=True
            )
        }

        def credits_on(day):
            return quotas.unit_credits(
                units, credits, as_of=day, since=since, include_subunits=programme.include_subunits,
                min_stage=min_stage,
            )  # fmt: skip

        owned_now = credits_on(as_of)
        for unit_id, owned in owned_now.items():
            unit = units[unit_id]
            rows.append(Row(unit_id, unit.display_name, unit, "", "", [names[i] for i in owned], len(owned) >= minimum))
    else:
        posts, assignment_of = _posts(programme)
        tiers = programme.echelon_tiers

        def credits_on(day):
            return quotas.official_credits(posts, credits, as_of=day, since=since, tiers=tiers, min_stage=min_stage)

        holders = quotas.officials_in_office(posts, on=as_of, tiers=tiers)
        owned_now = credits_on(as_of)
        for official_id, owned in owned_now.items():
            assignment = assignment_of[id(holders[official_id])]
            rows.append(
                Row(
                    official_id, assignment.official.name, assignment.unit, assignment.position,
                    assignment.get_echelon_display(), [names[i] for i in owned], len(owned) >= minimum,
                    official=assignment.official,
                )
            )  # fmt: skip
    rows.sort(key=lambda row: (row.compliant, row.unit.path if row.unit else "", row.name))
    report = ComplianceReport(programme, as_of, quotas.tally(owned_now, minimum), rows)
    if with_trend:
        end = min(as_of, timezone.localdate())
        start = since or dt.date(programme.year, 1, 1)
        days = quotas.month_ends(min(start, end), end)[-24:]
        report.trend = quotas.trend(days, credits_on, minimum)
    return report


def with_last_reminders(report: ComplianceReport) -> ComplianceReport:
    """Give each missing row the latest reminder it got (one query, only the latest rows)."""
    missing = {row.key: row for row in report.missing_rows}
    target = "unit_id" if report.programme.is_unit_quota else "official_id"
    latest = (
        ProgrammeReminder.objects.filter(programme_id=OuterRef("programme_id"), **{target: OuterRef(target)})
        .order_by("-sent_at", "-id")
        .values("pk")[:1]
    )
    reminders = ProgrammeReminder.objects.filter(
        programme=report.programme, pk=Subquery(latest), **{f"{target}__in": list(missing)}
    ).select_related("sent_by")
    for reminder in reminders:
        row = missing[reminder.target_id]
        row.last_reminder = reminder
        row.recently_reminded = report.programme.in_quiet_period(reminder.sent_at)
    return report
