"""What the scheduler reminds people of in the clinic: open action items due within two days,
and once more when they are overdue, to the person responsible."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lumbung.actions.models import Action
from lumbung.notifications.models import Kind
from lumbung.notifications.reminders import Reminder, reminder_source

LEAD_DAYS = 2


@reminder_source
def clinic_actions_due(today: dt.date):
    items = (
        Action.objects.pending()
        .filter(origin=Action.Origin.CLINIC)
        .filter(due_date__lte=today + dt.timedelta(days=LEAD_DAYS), owner__isnull=False)
        .select_related("owner", "case__region")
    )
    for item in items:
        overdue = item.due_date < today
        values = {"action": item.description, "date": date_format(item.due_date, "DATE_FORMAT")}
        yield Reminder(
            kind=Kind.CLINIC_ACTION_DUE,
            key=f"{item.pk}:{'overdue' if overdue else 'due'}:{item.due_date.isoformat()}",
            recipients=(item.owner,),
            title=(
                _("Tindak lanjut klinik lewat tenggat (%(date)s): %(action)s")
                if overdue
                else _("Tindak lanjut klinik jatuh tempo %(date)s: %(action)s")
            )
            % values,
            url=reverse("clinic:case-detail", args=[item.case_id]),
            region=item.case.region,
        )
