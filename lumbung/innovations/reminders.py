"""What the scheduler reminds people of in the innovation programmes: on each reminder date of a
SOSIS or PM Indah programme, every unit or official still missing the quota (its operators, the
official's own account), recorded like a reminder sent from the compliance page."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from lumbung.accounts.models import RoleAssignment
from lumbung.core.roles import Role
from lumbung.notifications.models import Kind
from lumbung.notifications.reminders import Reminder, reminder_source

from .compliance import programme_compliance
from .models import Programme, ProgrammeReminder
from .services import reminder_recipients, reminder_text

# A run missed on the date (server down, cron stopped) still catches up within these days.
CATCH_UP_DAYS = 3


def _record(programme: Programme, row):
    target = {"unit": row.unit} if programme.is_unit_quota else {"official": row.official}

    def record(count: int) -> None:
        ProgrammeReminder.objects.create(programme=programme, sent_by=None, recipients=count, **target)

    return record


def _admins(programme: Programme):
    return [
        assignment.user
        for assignment in RoleAssignment.objects.filter(
            region=programme.region, role=Role.ADMIN, is_active=True, user__is_active=True
        ).select_related("user")
    ]


@reminder_source
def quota_gaps(today: dt.date):
    window = {(today - dt.timedelta(days=days)).isoformat() for days in range(CATCH_UP_DAYS + 1)}
    for programme in Programme.objects.filter(is_active=True).exclude(reminder_dates=[]).select_related("region"):
        due = sorted(window.intersection(programme.reminder_dates))
        if not due:
            continue
        rows = programme_compliance(programme, with_trend=False).missing_rows
        people = reminder_recipients(programme, rows)
        unreachable = [row for row in rows if not people[row.key]]
        if unreachable:
            # Nobody to tell in the app: the admins hear it, with the way to letters and WhatsApp.
            yield Reminder(
                kind=Kind.QUOTA_GAP,
                key=f"{programme.pk}:{due[-1]}:unreachable",
                recipients=tuple(_admins(programme)),
                title=_("%(programme)s: %(n)d sasaran tanpa akun perlu disurati") % {
                    "programme": programme, "n": len(unreachable)},
                body=", ".join(row.name for row in unreachable[:20]),
                url=reverse("innovations:programme-letters", args=[programme.pk]),
                region=programme.region,
            )  # fmt: skip
        for row in rows:
            title, body = reminder_text(programme, [row])
            yield Reminder(
                kind=Kind.QUOTA_GAP,
                key=f"{programme.pk}:{due[-1]}:{row.key}",
                recipients=tuple(people[row.key]),
                title=title,
                body=body,
                url=reverse("innovations:create"),
                region=programme.region,
                on_sent=_record(programme, row),
            )
